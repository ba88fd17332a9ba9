"""Exporter discovery: the `pressroom.exporters` entry points, then the project's own files.

Built-in and third-party exporters are found the same way, by entry point (no imports by
name). A project's local exporters are the `*.py` files directly inside its `exporters/`
folder (see `pressroom.localplugins`). A name claimed twice is an error naming both
sources; a plugin that fails to load is reported and leaves the other formats working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

from pressroom.exporter import Exporter
from pressroom.localplugins import LocalExporter, local_exporters

EXPORTER_GROUP = "pressroom.exporters"


class RegistryError(RuntimeError):
    """An exporter plugin that is missing, duplicated or does not honour the contract."""


@dataclass(frozen=True)
class ExporterInfo:
    """A discovered exporter and where it came from (`local` for a project file)."""

    name: str
    cls: type[Exporter]
    origin: str
    local: bool = False


@dataclass
class Discovery:
    """What discovery found: exporters by name, and one message per plugin that failed."""

    found: dict[str, ExporterInfo] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)
    duplicates: dict[str, str] = field(default_factory=dict)


def _distribution(ep: EntryPoint) -> str:
    dist = ep.dist
    return f"{dist.name} {dist.version}" if dist is not None else "an unknown distribution"


def _checked(name: str, cls: object, where: str) -> type[Exporter]:
    """`cls` when it is an Exporter subclass called `name` that honours the contract."""
    if not (isinstance(cls, type) and issubclass(cls, Exporter)):
        raise RegistryError(f"exporter {name!r} ({where}) is not an Exporter subclass")
    if cls.name != name:
        raise RegistryError(f"exporter {name!r} ({where}) loads {cls.__name__} whose name is "
                            f"{cls.name!r}; they must match")
    problems = cls.contract_problems()
    if problems:
        raise RegistryError(f"exporter {name!r} ({where}): {'; '.join(problems)}")
    return cls


def _load(ep: EntryPoint) -> ExporterInfo:
    origin = f"{ep.value} ({_distribution(ep)})"
    try:
        cls = ep.load()
    except Exception as exc:  # any error importing a plugin is that plugin's, not ours
        raise RegistryError(f"exporter {ep.name!r} ({origin}) cannot be loaded: "
                            f"{type(exc).__name__}: {exc}") from exc
    return ExporterInfo(ep.name, _checked(ep.name, cls, origin), origin)


def exporter_entry_points() -> tuple[dict[str, EntryPoint], dict[str, str]]:
    """Installed exporter entry points by name, and a message for each name claimed twice."""
    found: dict[str, EntryPoint] = {}
    duplicates: dict[str, str] = {}
    for ep in sorted(entry_points(group=EXPORTER_GROUP), key=lambda e: e.name):
        first = found.get(ep.name)
        if first is None:
            found[ep.name] = ep
        elif (first.value, _distribution(first)) != (ep.value, _distribution(ep)):
            duplicates[ep.name] = (
                f"two exporters are named {ep.name!r}: {first.value} from "
                f"{_distribution(first)} and {ep.value} from {_distribution(ep)}; "
                "uninstall one or rename its entry point")
    return found, duplicates


def _from_local(plugin: LocalExporter) -> ExporterInfo:
    origin = f"local: {plugin.path}"
    return ExporterInfo(plugin.name, _checked(plugin.name, plugin.cls, origin), origin, True)


def discover(project_dir: Path | None = None, names: list[str] | None = None) -> Discovery:
    """Every exporter (or only those in `names`), loaded; failures are collected, not raised."""
    result = Discovery()
    eps, duplicates = exporter_entry_points()
    result.duplicates.update(duplicates)
    local, broken = local_exporters(project_dir) if project_dir else ([], {})
    result.broken.update(broken)
    for plugin in local:
        if plugin.name in eps:
            result.duplicates[plugin.name] = (
                f"two exporters are named {plugin.name!r}: {eps[plugin.name].value} from "
                f"{_distribution(eps[plugin.name])} and the local file {plugin.path}; "
                "rename the local exporter")
    wanted = set(names) if names is not None else None
    for name, ep in eps.items():
        if (wanted is None or name in wanted) and name not in result.duplicates:
            try:
                result.found[name] = _load(ep)
            except RegistryError as exc:
                result.broken[name] = str(exc)
    for plugin in local:
        if (wanted is None or plugin.name in wanted) and plugin.name not in result.duplicates:
            try:
                result.found[plugin.name] = _from_local(plugin)
            except RegistryError as exc:
                result.broken[plugin.name] = str(exc)
    return result


def discover_exporters(project_dir: Path | None = None) -> dict[str, ExporterInfo]:
    """Every exporter that loads, by name (see `discover` for the ones that do not)."""
    return discover(project_dir).found


def select_exporters(names: list[str], project_dir: Path | None = None) -> list[ExporterInfo]:
    """Load only the exporters for the requested format names, in the order given.

    A requested name that is duplicated, broken or unknown raises RegistryError; a broken
    plugin nobody asked for is no concern of this build.
    """
    result = discover(project_dir, names)
    for name in dict.fromkeys(names):
        if name in result.duplicates:
            raise RegistryError(result.duplicates[name])
        if name in result.broken:
            raise RegistryError(result.broken[name])
    missing = [n for n in names if n not in result.found]
    if missing:
        installed = discover(project_dir).found
        raise RegistryError(f"unknown format(s): {', '.join(missing)}; "
                            f"installed: {', '.join(sorted(installed))}")
    return [result.found[n] for n in dict.fromkeys(names)]
