"""Project-local exporters: `*.py` files in the project's `exporters/` folder, like MkDocs hooks.

The project folder is the one holding the build's config file (pressroom.toml, or a
pyproject.toml with [tool.pressroom]), else the content folder's parent. Only files
directly inside `<project>/exporters/` are read, never sub-folders: a folder of import
packages (as in pressroom's own source tree, whose built-in exporters are registered by
entry point) contributes nothing. Each file is imported as module `pressroom_local_<stem>`
and every Exporter subclass it defines (not imported) is one local exporter.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from dataclasses import dataclass
from pathlib import Path

from pressroom.exporter import Exporter

LOCAL_FOLDER = "exporters"
MODULE_PREFIX = "pressroom_local_"


@dataclass(frozen=True)
class LocalExporter:
    """One exporter class a project file defines."""

    name: str
    cls: type[Exporter]
    path: Path


def local_files(project_dir: Path) -> list[Path]:
    """The Python files directly inside the project's exporters folder, by name."""
    folder = project_dir / LOCAL_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.py") if p.is_file() and not p.name.startswith("_"))


def _import(path: Path) -> object:
    """Import one file as `pressroom_local_<stem>` (kept in sys.modules, so tasks pickle)."""
    name = MODULE_PREFIX + path.stem.replace("-", "_")
    known = sys.modules.get(name)
    if known is not None and getattr(known, "__file__", None) == str(path):
        return known
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def local_exporters(project_dir: Path) -> tuple[list[LocalExporter], dict[str, str]]:
    """The project's exporters, and a message per file that fails to import (by stem)."""
    found: list[LocalExporter] = []
    broken: dict[str, str] = {}
    for path in local_files(project_dir):
        try:
            module = _import(path)
        except Exception as exc:  # a broken project file must not stop the other formats
            broken[path.stem] = (f"local exporter file {path} cannot be loaded: "
                                 f"{type(exc).__name__}: {exc}")
            continue
        classes = [cls for _, cls in inspect.getmembers(module, inspect.isclass)
                   if issubclass(cls, Exporter) and cls.__module__ == module.__name__  # type: ignore[attr-defined]
                   and cls.name]
        if not classes:
            broken[path.stem] = (f"local exporter file {path} defines no Exporter subclass "
                                 "with a `name`")
        found += [LocalExporter(cls.name, cls, path) for cls in classes]
    return found, broken
