"""Exporter discovery through the `pressroom.exporters` entry-point group (no imports by name)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points

from pressroom.exporter import Exporter
from pressroom.render.math import MATH_KINDS

EXPORTER_GROUP = "pressroom.exporters"


class RegistryError(RuntimeError):
    """An exporter plugin that is missing, duplicated or does not honour the contract."""


@dataclass(frozen=True)
class ExporterInfo:
    """A discovered exporter and where it came from."""

    name: str
    cls: type[Exporter]
    origin: str


def _load(ep: EntryPoint) -> ExporterInfo:
    try:
        cls = ep.load()
    except (ImportError, AttributeError) as exc:
        raise RegistryError(f"exporter {ep.name!r} ({ep.value}) cannot be loaded: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Exporter)):
        raise RegistryError(f"entry point {ep.name} = {ep.value} is not an Exporter subclass")
    if cls.name != ep.name:
        raise RegistryError(
            f"entry point {ep.name!r} loads {cls.__name__} whose name is {cls.name!r}; "
            "they must match"
        )
    if cls.math not in MATH_KINDS:
        raise RegistryError(
            f"exporter {ep.name!r} ({ep.value}) asks for math {cls.math!r}; "
            f"known kinds: {', '.join(MATH_KINDS)}"
        )
    dist = ep.dist.name if ep.dist else "unknown distribution"
    return ExporterInfo(ep.name, cls, f"{ep.value} ({dist})")


def exporter_entry_points() -> dict[str, EntryPoint]:
    """Installed exporter entry points by name; two plugins claiming one name is an error."""
    found: dict[str, EntryPoint] = {}
    for ep in sorted(entry_points(group=EXPORTER_GROUP), key=lambda e: e.name):
        if ep.name in found and found[ep.name].value != ep.value:
            raise RegistryError(
                f"two exporters are named {ep.name!r}: {found[ep.name].value} and {ep.value}"
            )
        found[ep.name] = ep
    return found


def discover_exporters() -> dict[str, ExporterInfo]:
    """Every installed exporter, loaded, by name."""
    return {name: _load(ep) for name, ep in exporter_entry_points().items()}


def select_exporters(names: list[str]) -> list[ExporterInfo]:
    """Load only the exporters for the requested format names, in the order given."""
    available = exporter_entry_points()
    missing = [n for n in names if n not in available]
    if missing:
        raise RegistryError(
            f"unknown format(s): {', '.join(missing)}; installed: {', '.join(sorted(available))}"
        )
    return [_load(available[n]) for n in dict.fromkeys(names)]
