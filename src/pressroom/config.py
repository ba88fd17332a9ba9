"""Build settings from `[tool.pressroom]` (pyproject.toml) or pressroom.toml; flags win."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_FORMATS = ("epub", "pdf", "jsonld", "sitemap", "atom", "jsonfeed")


class ConfigError(ValueError):
    """A configuration file or value that cannot be used."""


@dataclass
class BuildConfig:
    """Everything a build needs to know, with defaults that build `content/` into `dist/`."""

    content: Path = Path("content")
    out: Path = Path("dist")
    formats: list[str] = field(default_factory=lambda: list(DEFAULT_FORMATS))
    base_url: str = "https://example.org"
    theme: str = "default"
    group_by: str = "subject"
    order: str = "auto"
    profile: str = "auto"
    drafts: bool = False
    language: str = "en"
    author: str = ""
    title_pattern: str = "{collection} Study Guide"
    site_title: str = "All articles"
    strict: bool = False
    jobs: int = 0
    executor: str = "local"
    scheduler: str | None = None
    cache: bool = True
    exporters: dict[str, dict[str, Any]] = field(default_factory=dict)
    source: Path | None = None

    @property
    def project_dir(self) -> Path:
        """The project's folder: where its config file is, else the content folder's parent.

        Project themes (`themes/<name>/`) and local exporters (`exporters/*.py`) live here.
        """
        return self.source.parent if self.source is not None else self.content.parent

    def with_overrides(self, **flags: Any) -> BuildConfig:
        """A copy with every flag that was actually given (not None) applied."""
        given = {k: v for k, v in flags.items() if v is not None}
        return dataclasses.replace(self, **given)


def _table_from(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("pressroom")
    return data.get("tool", {}).get("pressroom", data)


def find_config_file(start: Path) -> Path | None:
    """pressroom.toml or a pyproject.toml with [tool.pressroom], in `start` or its parents."""
    for folder in [start.resolve(), *start.resolve().parents]:
        for name in ("pressroom.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file() and _table_from(candidate) is not None:
                return candidate
    return None


def load_config(start: Path, explicit: Path | None = None) -> BuildConfig:
    """Read the nearest config (or `explicit`); relative paths are relative to that file."""
    path = explicit or find_config_file(start)
    if path is None:
        return BuildConfig()
    table = dict(_table_from(path) or {})
    known = {f.name for f in dataclasses.fields(BuildConfig)} - {"source"}
    unknown = sorted(set(table) - known)
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) in [tool.pressroom]: {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    for key in ("content", "out"):
        if key in table:
            table[key] = path.parent / table[key]
    if isinstance(table.get("formats"), str):
        table["formats"] = [f.strip() for f in table["formats"].split(",") if f.strip()]
    return dataclasses.replace(BuildConfig(), **table, source=path)
