"""Install a pure-Python plugin project into a folder as pip lays out a wheel: its modules
and a `.dist-info` with METADATA and entry_points.txt, found through importlib.metadata."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path


def write_distribution(site: Path, name: str, version: str,
                       entry_points: dict[str, dict[str, str]]) -> Path:
    """A `.dist-info` for distribution `name` declaring `entry_points` (group → name → value)."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    groups = "".join(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n"
                     for group, eps in entry_points.items())
    (info / "entry_points.txt").write_text(groups)
    (info / "INSTALLER").write_text("pressroom-tests\n")
    return info


def install_project(project: Path, site: Path) -> Path:
    """Install the project at `project` (pyproject.toml with `py-modules`) into `site`."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    modules = meta["tool"]["setuptools"]["py-modules"]
    for module in modules:
        shutil.copy2(project / f"{module}.py", site / f"{module}.py")
    info = write_distribution(site, meta["project"]["name"], meta["project"]["version"],
                              meta["project"].get("entry-points", {}))
    files = [f"{m}.py" for m in modules] + [f"{info.name}/{p.name}" for p in info.iterdir()]
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files))
    return info
