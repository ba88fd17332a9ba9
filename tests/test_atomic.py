"""Atomic writes: the old file or the new one, never half of either; stale temps swept."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.atomic import (
    OutsideOutputError,
    atomic_open,
    atomic_write,
    inside,
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
