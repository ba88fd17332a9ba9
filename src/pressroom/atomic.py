"""Crash-safe file writing: temp file in the same folder, fsync, then rename."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".tmp"


class OutsideOutputError(ValueError):
    """A path that would land outside the output folder."""


@functools.lru_cache(maxsize=4096)
def real_folder(path: str) -> str:
    """A folder's real path; folders are resolved once (a build writes many files in each)."""
    return os.path.realpath(path)


def inside(root: Path, relative: str | Path) -> Path:
    """Resolve `relative` under `root`, refusing anything that escapes it (`..`, symlinks)."""
    real_root = real_folder(os.fspath(root))
    folder, name = os.path.split(os.path.normpath(os.path.join(real_root, relative)))
    target = os.path.join(real_folder(folder), name)
    if os.path.islink(target):
        target = os.path.realpath(target)
    return Path(_within(real_root, target, relative))


def named_inside(root: Path, relative: str | Path) -> str:
    """`relative` as a path below `root`, refusing one whose name escapes it (`..`): for
    a folder pressroom made and holds no links, `inside` without touching the disk."""
    real_root = real_folder(os.fspath(root))
    target = _within(real_root, os.path.normpath(os.path.join(real_root, relative)), relative)
    return target[len(real_root) + 1:]


def _within(real_root: str, target: str, relative: str | Path) -> str:
    """`target`, when it is `real_root` or below it."""
    if target != real_root and not target.startswith(real_root.rstrip(os.sep) + os.sep):
        raise OutsideOutputError(f"{relative!s} would be written outside {real_root}")
    return target


@contextlib.contextmanager
def atomic_open(path: Path, durable: bool = True) -> Iterator[BinaryIO]:
    """Open a temp file beside `path` for binary writing; rename it into place on success.

    `durable` fsyncs the file before the rename; a caller that syncs a whole batch of
    files before making them visible (the build's commit) passes False.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX,
                                    dir=path.parent)
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def atomic_write(path: Path, data: bytes | str, durable: bool = True) -> Path:
    """Write bytes or UTF-8 text to `path` atomically and return the path."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_open(path, durable) as handle:
        handle.write(payload)
    return path
