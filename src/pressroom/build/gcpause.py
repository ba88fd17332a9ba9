"""Keep Python's cyclic garbage collector off the objects a build keeps for long.

A scan of 170,000 files keeps every index record until the cross-file checks are done.
Each full collection walks all of them again, and the collector runs one every time a
quarter more objects have survived: at 20,000 articles 1.25 s of the main process's
2.9 s went to collections that found nothing. The records hold no reference cycles, so
nothing is lost by collecting once at the end instead. The same goes for planning (at
170,000 articles, 15 full collections took 3.4 s of one answer edit's rebuild). The
plan's books then live while the tasks run; the tasks' own garbage is still collected,
but the collector no longer walks the plan each time (`frozen_gc`).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the collector off (if it was on), then switch it back on."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def frozen_gc() -> Iterator[None]:
    """Run the block with every object alive now out of the collector's sight (they are
    still freed when no longer referenced), then put them back."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
