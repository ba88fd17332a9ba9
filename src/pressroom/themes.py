"""Themes: folders with theme.toml, templates and CSS, looked up child first, then parents.

See docs/themes.md for the templates each exporter asks for and what each receives.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

THEME_GROUP = "pressroom.themes"
DEFAULT_THEME = "default"
THEMES_FOLDER = "themes"
_VARIABLE = re.compile(r"var\(--([a-z][a-z0-9-]*)\)")


class ThemeError(ValueError):
    """A theme that cannot be found or is malformed."""


@dataclass(frozen=True)
class ThemeFolder:
    """One folder in the inheritance chain and its parsed manifest."""

    name: str
    path: Path
    manifest: dict[str, Any]


def _distribution(ep: EntryPoint) -> str:
    return ep.dist.name if ep.dist is not None else "an unknown distribution"


def builtin_themes() -> dict[str, Path]:
    """Themes installed through the `pressroom.themes` entry-point group, by name.

    Two distributions installing one theme name is an error naming both, so a
    third-party theme can never silently shadow a built-in one.
    """
    found: dict[str, Path] = {}
    owners: dict[str, str] = {}
    for ep in sorted(entry_points(group=THEME_GROUP), key=lambda e: e.name):
        module, _, sub = ep.value.partition(":")
        path = Path(str(files(module))) / (sub or ep.name)
        if ep.name in found and found[ep.name] != path:
            raise ThemeError(f"two installed themes are named {ep.name!r}: {found[ep.name]} "
                             f"from {owners[ep.name]} and {path} from {_distribution(ep)}; "
                             "uninstall one or rename its entry point")
        found[ep.name], owners[ep.name] = path, _distribution(ep)
    return found


def project_themes(project_dir: Path | None) -> dict[str, Path]:
    """The project's own theme folders, `<project>/themes/<name>/`, by name."""
    folder = project_dir / THEMES_FOLDER if project_dir is not None else None
    if folder is None or not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir()) if p.is_dir()}


def _read_folder(path: Path, name: str) -> ThemeFolder:
    manifest_path = path / "theme.toml"
    if not manifest_path.is_file():
        return ThemeFolder(name, path, {})
    try:
        manifest = tomllib.loads(manifest_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ThemeError(f"{manifest_path}: {exc}") from exc
    return ThemeFolder(manifest.get("name", name), path, manifest)


def _layers(name_or_path: str, project_dir: Path | None) -> list[ThemeFolder]:
    """The folders one theme name stands for, child first.

    A project folder `themes/<name>/` over an installed theme of that name is an override
    layer: its files replace the installed theme's one by one, its parent is that theme.
    Otherwise a name is a project theme, a folder with theme.toml, or an installed theme.
    """
    installed = builtin_themes()
    own = project_themes(project_dir).get(name_or_path)
    if own is not None and name_or_path in installed \
            and own.resolve() != installed[name_or_path].resolve():
        layer = _read_folder(own.resolve(), name_or_path)
        if "parent" in layer.manifest:
            raise ThemeError(f"{own / 'theme.toml'}: a project folder over the installed "
                             f"theme {name_or_path!r} overrides it and cannot set a parent")
        return [layer, _read_folder(installed[name_or_path].resolve(), name_or_path)]
    if own is not None and (own / "theme.toml").is_file():
        return [_read_folder(own.resolve(), name_or_path)]
    candidate = Path(name_or_path)
    if (candidate / "theme.toml").is_file():
        return [_read_folder(candidate.resolve(), candidate.name)]
    if name_or_path in installed:
        return [_read_folder(installed[name_or_path].resolve(), name_or_path)]
    raise ThemeError(
        f"theme {name_or_path!r} not found; give a folder with theme.toml, a project theme "
        f"in themes/<name>/ or one of: {', '.join(sorted(installed)) or 'none installed'}"
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
        """Resolve a theme by name (project `themes/<name>/` first, then installed) or
        folder, and follow its `parent` chain (default: "default"); a loop is an error."""
        chain: list[ThemeFolder] = []
        names: list[str] = []
        current: str | None = name_or_path
        while current:
            if current in names:
                raise ThemeError(f"theme inheritance loops: {' -> '.join([*names, current])}")
            names.append(current)
            layers = _layers(current, project_dir)
            chain += layers
            current = layers[-1].manifest.get("parent")
            if current is None and layers[-1].name != DEFAULT_THEME:
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
        """CSS files for a format, parents first so children's rules come later.

        A file a child places at the path its parent lists replaces the parent's file.
        """
        sheets: list[Path] = []
        for folder in reversed(self.chain):
            for rel in folder.manifest.get("stylesheets", {}).get(fmt, []):
                path = self.find(rel)
                if path is None:
                    raise ThemeError(f"{folder.path / 'theme.toml'}: stylesheet {rel} is missing")
                if path not in sheets:
                    sheets.append(path)
        return sheets

    def stylesheet(self, path: Path) -> str:
        """One stylesheet's text with each `var(--name)` the theme's options set filled in.

        `accent`, `body_font`… live once in theme.toml `[options]` (as `--accent`,
        `--body-font` in CSS) and reach every format, e-readers without CSS variables too.
        """
        def value(match: re.Match[str]) -> str:
            found = self.option(match.group(1).replace("-", "_"))
            return str(found) if isinstance(found, str) else match.group(0)

        return _VARIABLE.sub(value, path.read_text(encoding="utf-8"))

    def css(self, fmt: str) -> str:
        """All stylesheets for a format joined into one CSS text, options filled in."""
        return "\n".join(self.stylesheet(p) for p in self.stylesheets(fmt))

    def render(self, template: str, **context: Any) -> str:
        """Render one template of the chain with the given variables."""
        return self.env.get_template(template).render(**context)
