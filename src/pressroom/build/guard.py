"""Guards around an output folder: refuse dangerous ones, and one build at a time in each."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = "lock"


class UnsafeOutput(ValueError):
    """An output folder pressroom refuses to write into (and so to clean)."""


class BuildBusy(RuntimeError):
    """Another build holds the output folder."""


def check_out_dir(out: Path, content: Path) -> None:
    """Refuse `/`, a home folder, and the content folder or any folder above it."""
    target = out.expanduser().resolve()
    homes = {Path.home().resolve()}
    with contextlib.suppress(OSError):
        homes.update(p.resolve() for p in Path("/home").iterdir())
    source = content.resolve()
    if target == Path(target.anchor):
        reason = "is the root of the file system"
    elif target in homes:
        reason = "is a home folder"
    elif target == source or target in source.parents:
        reason = f"is the content folder {content} or a folder above it"
    else:
        return
    raise UnsafeOutput(f"refusing to build into {out}: it {reason}, and pressroom removes "
                       "outputs it no longer produces there; choose a folder of its own "
                       "such as ./dist")


@contextlib.contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the duration, or raise BuildBusy at once."""
    lock_path = out / ".cache" / LOCK_NAME
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise BuildBusy(f"another pressroom build (pid {holder}) is writing to {out}; "
                            "wait for it to finish, or build into another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)
