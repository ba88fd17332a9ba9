"""Themes: folders with theme.toml, templates and CSS, looked up child first, then parents."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

THEME_GROUP = "pressroom.themes"
DEFAULT_THEME = "default"


class ThemeError(ValueError):
    """A theme that cannot be found or is malformed."""


@dataclass(frozen=True)
class ThemeFolder:
    """One folder in the inheritance chain and its parsed manifest."""

    name: str
    path: Path
    manifest: dict[str, Any]


def builtin_themes() -> dict[str, Path]:
    """Themes installed through the `pressroom.themes` entry-point group, by name."""
    found: dict[str, Path] = {}
    for ep in entry_points(group=THEME_GROUP):
        module, _, sub = ep.value.partition(":")
        found[ep.name] = Path(str(files(module))) / (sub or ep.name)
    return found


def _read_folder(path: Path) -> ThemeFolder:
    manifest_path = path / "theme.toml"
    if not manifest_path.is_file():
        raise ThemeError(f"{path} has no theme.toml; a theme folder needs one")
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{manifest_path}: {exc}") from exc
    return ThemeFolder(manifest.get("name", path.name), path, manifest)


def _locate(name_or_path: str, project_dir: Path | None) -> Path:
    candidate = Path(name_or_path)
    if project_dir is not None and (project_dir / candidate / "theme.toml").is_file():
        return project_dir / candidate
    if (candidate / "theme.toml").is_file():
        return candidate
    known = builtin_themes()
    if name_or_path in known:
        return known[name_or_path]
    raise ThemeError(
        f"theme {name_or_path!r} not found; give a folder with theme.toml "
        f"or one of: {', '.join(sorted(known)) or 'none installed'}"
    )


@dataclass
class Theme:
    """A resolved theme chain with one Jinja2 environment over it."""

    chain: list[ThemeFolder]
    env: jinja2.Environment = field(init=False, repr=False)

    def __post_init__(self) -> None:
        loaders = [jinja2.FileSystemLoader(str(f.path / "templates")) for f in self.chain]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html", "xhtml", "xml", "j2"), default_for_string=True
            ),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    @classmethod
    def load(cls, name_or_path: str = DEFAULT_THEME, project_dir: Path | None = None) -> Theme:
        """Resolve a theme by folder or installed name and follow its `parent` chain."""
        chain: list[ThemeFolder] = []
        seen: set[Path] = set()
        current: str | None = name_or_path
        while current:
            path = _locate(current, project_dir).resolve()
            if path in seen:
                raise ThemeError(f"theme inheritance loops back to {path}")
            seen.add(path)
            folder = _read_folder(path)
            chain.append(folder)
            current = folder.manifest.get("parent")
            if current is None and folder.name != DEFAULT_THEME:
                current = DEFAULT_THEME
        return cls(chain)

    @property
    def name(self) -> str:
        """The name of the most specific theme in the chain."""
        return self.chain[0].name

    @property
    def folders(self) -> list[Path]:
        """Every folder of the chain, child first (the places assets may come from)."""
        return [f.path for f in self.chain]

    def option(self, key: str, default: Any = None) -> Any:
        """A theme option from the nearest theme.toml `[options]` table that sets it."""
        for folder in self.chain:
            options = folder.manifest.get("options", {})
            if key in options:
                return options[key]
        return default

    def find(self, relative: str) -> Path | None:
        """The nearest file at `relative` inside the chain, or None."""
        for folder in self.chain:
            candidate = (folder.path / relative).resolve()
            if folder.path in candidate.parents and candidate.is_file():
                return candidate
        return None

    def stylesheets(self, fmt: str) -> list[Path]:
        """CSS files for a format, parents first so children override them."""
        sheets: list[Path] = []
        for folder in reversed(self.chain):
            for rel in folder.manifest.get("stylesheets", {}).get(fmt, []):
                path = folder.path / rel
                if not path.is_file():
                    raise ThemeError(f"{folder.path / 'theme.toml'}: stylesheet {rel} is missing")
                sheets.append(path)
        return sheets

    def css(self, fmt: str) -> str:
        """All stylesheets for a format joined into one CSS text."""
        return "\n".join(p.read_text(encoding="utf-8") for p in self.stylesheets(fmt))

    def render(self, template: str, **context: Any) -> str:
        """Render one template of the chain with the given variables."""
        return self.env.get_template(template).render(**context)
