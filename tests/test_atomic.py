"""Atomic writes: the old file or the new one, never half of either; stale temps swept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.atomic import (
    OutsideOutputError,
    atomic_open,
    atomic_write,
    inside,
    sweep_stale_temps,
)


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = atomic_write(tmp_path / "book.epub", b"old")
    with pytest.raises(RuntimeError), atomic_open(target) as handle:
        handle.write(b"half")
        raise RuntimeError("exporter crashed")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["book.epub"]


def test_paths_outside_the_output_folder_are_refused(tmp_path: Path) -> None:
    assert inside(tmp_path, "epub/a.epub") == (tmp_path / "epub" / "a.epub").resolve()
    for escape in ("../x", "/etc/passwd", "epub/../../x"):
        with pytest.raises(OutsideOutputError):
            inside(tmp_path, escape)


def test_sweep_removes_temps_of_dead_writers_only(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f".book.epub.{dead}.abc123.tmp"
    live = tmp_path / f".book.pdf.{os.getpid()}.def456.tmp"
    other = tmp_path / "notes.tmp"
    for path in (stale, live, other):
        path.write_bytes(b"x")
    assert sweep_stale_temps(tmp_path) == [stale]
    assert live.exists() and other.exists() and not stale.exists()
