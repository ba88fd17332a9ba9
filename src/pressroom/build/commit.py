"""Commit: staged outputs renamed into place, unchanged ones kept, stale ones removed.

Tasks write into a staging folder inside the output folder's cache (the same file
system, so a rename is atomic). An output whose new bytes equal the file already in
place is not replaced: it keeps its bytes and its mtime. Only files the manifest lists
are ever deleted.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.atomic import inside
from pressroom.build.manifest import Manifest, OutputStamp, recorded_outputs

CACHE_DIR = ".cache"
STAGING = "staging"
SYNC_ALL = 32  # more staged files than this are flushed with one sync()


@dataclass
class Committed:
    """What committing did to the output folder."""

    written: list[Path] = field(default_factory=list)
    unchanged: int = 0  # outputs found in place with the same bytes
    removed: list[Path] = field(default_factory=list)


def staging_root(out: Path) -> Path:
    """Where tasks write before commit; emptied at the start of every build."""
    return out / CACHE_DIR / STAGING


def reset_staging(out: Path) -> None:
    """Drop whatever a killed build left staged."""
    shutil.rmtree(staging_root(out), ignore_errors=True)


def staged_files(folder: Path) -> list[str]:
    """Files under a task's staging folder, relative to it, sorted."""
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and not p.name.endswith(".tmp"))


def up_to_date(task_id: str, key: str, manifest: Manifest, out: Path) -> bool:
    """The manifest has this key for the task and its outputs stand as it wrote them."""
    return manifest.task_key(task_id) == key and outputs_stand(manifest.outputs_of(task_id),
                                                               out)


def all_up_to_date(keys: Mapping[str, str], manifest: Manifest, moved: frozenset[str]
                   ) -> bool:
    """`up_to_date` for every task in `keys` (each one's key), given the tasks whose
    outputs `moved_outputs` found moved."""
    recorded = manifest.task_keys()
    return all(recorded.get(task) == key for task, key in keys.items()) \
        and moved.isdisjoint(keys)


def moved_outputs(manifest_file: Path, out: Path) -> frozenset[str]:
    """The tasks any of whose recorded outputs is gone, or not of the size and mtime it
    was recorded with: one pass over the manifest, which a worker makes while the build
    scans (170,000 outputs at full scale)."""
    folder = os.path.join(out, "")
    moved = set()
    for task, path, size, mtime_ns in recorded_outputs(manifest_file):
        if task not in moved and not _stands(folder, path, size, mtime_ns):
            moved.add(task)
    return frozenset(moved)


def outputs_stand(stamps: Iterable[OutputStamp], out: Path) -> bool:
    """Every recorded output is in place with the size and mtime it was recorded with."""
    folder = os.path.join(out, "")
    return all(_stands(folder, path, size, mtime_ns) for path, size, mtime_ns, _ in stamps)


def _stands(folder: str, path: str, size: int, mtime_ns: int) -> bool:
    """The file at `folder` + `path` is there, of this size and mtime."""
    try:
        stat = os.stat(folder + path)
    except FileNotFoundError:
        return False
    return stat.st_size == size and stat.st_mtime_ns == mtime_ns


def commit_task(task_id: str, exporter: str, key: str, folder: Path, manifest: Manifest,
                out: Path, done: Committed, kept: Mapping[str, tuple[int, int]] | None = None,
                digests: Mapping[str, str] | None = None) -> None:
    """Sync a finished task's staged files once, move them into place and record them
    with the `kept` ones (outputs it found already in place with the same bytes, with the
    size and mtime it found), each with its SHA-256 where the task gave it (`digests`, by
    path)."""
    digests = digests or {}
    stamps = []
    for relative, (size, mtime_ns) in (kept or {}).items():
        stamps.append(OutputStamp(relative, size, mtime_ns, digests.get(relative)))
    done.unchanged += len(stamps)
    staged = staged_files(folder)
    _flush(folder, staged)
    for relative in staged:
        new, final = folder / relative, inside(out, relative)
        if final.is_file() and filecmp.cmp(new, final, shallow=False):
            new.unlink()
            done.unchanged += 1
        else:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(new, final)
            done.written.append(final)
        stat = final.stat()
        stamps.append(OutputStamp(relative, stat.st_size, stat.st_mtime_ns,
                                  digests.get(relative)))
    produced = {stamp.path for stamp in stamps}
    recorded = manifest.outputs_of(task_id)
    for old in recorded:
        if old.path not in produced:
            _remove(out, old.path, done)
    manifest.record(task_id, exporter, key, stamps, recorded)
    shutil.rmtree(folder, ignore_errors=True)


def _flush(folder: Path, staged: list[str]) -> None:
    """Get staged files onto the disk before they are renamed into place: one sync for a
    big batch, else an fsync each (sync also flushes whatever other programs wrote)."""
    if len(staged) > SYNC_ALL:
        os.sync()
        return
    for relative in staged:
        fd = os.open(folder / relative, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_stale(manifest: Manifest, out: Path, exporters: Iterable[str],
                 planned: set[str], done: Committed) -> None:
    """Remove outputs of tasks these exporters no longer have (a subject gone, fewer parts),
    unless a planned task now writes the same file."""
    stale = [task_id for task_id in manifest.tasks_of(exporters) if task_id not in planned]
    if not stale:
        return
    owned = {stamp.path for task_id in planned for stamp in manifest.outputs_of(task_id)}
    for task_id in stale:
        for stamp in manifest.outputs_of(task_id):
            if stamp.path not in owned:
                _remove(out, stamp.path, done)
        manifest.forget(task_id)


def remove_listed(manifest: Manifest, out: Path, done: Committed) -> None:
    """Remove every output the manifest lists (for `pressroom clean`)."""
    for relative in manifest.all_outputs():
        _remove(out, relative, done)
    manifest.clear()


def _remove(out: Path, relative: str, done: Committed) -> None:
    path = inside(out, relative)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
        done.removed.append(path)
    with contextlib.suppress(OSError):
        parent = path.parent
        while parent != out.resolve() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
