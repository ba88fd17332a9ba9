"""Chunk outcomes kept by key on disk, for a part's assemble (execute runs the chunks).

A chunk's outcome (its pickled result, warnings and errors) is a pure function of its key,
so it is kept in `.cache/chunks/<exporter>/<key>.pickle`: an edit to one article re-runs only
the chunk that holds it, and the part is assembled again from the others as they were. A
build prunes only its own formats' folders, so one of other formats leaves them. Deleting
the folder costs time, never correctness.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pressroom.build.tasks import ChunkOutcome


class ChunkStore:
    """Chunk outcomes by key in one folder (reused only when the cache is in use)."""

    def __init__(self, folder: Path, use_cache: bool) -> None:
        self.folder = folder
        self.use_cache = use_cache

    def path(self, key: str) -> Path:
        """Where the outcome of the chunk with this key is kept."""
        return self.folder / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """A usable outcome is kept for this key."""
        return self.use_cache and self.path(key).is_file()

    def report(self, key: str) -> ChunkOutcome:
        """What the kept chunk with this key reported (its result stays on disk until the
        part is assembled)."""
        return ChunkOutcome.report_kept(self.path(key))

    def keep(self, key: str, outcome: ChunkOutcome) -> None:
        """Keep a chunk's outcome, written atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        outcome.keep(self.path(key))

    def prune(self, live: set[str]) -> None:
        """Remove the outcomes of chunks no planned task has any more."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name.split(".")[0] not in live:
                path.unlink(missing_ok=True)


def prune_chunks(folder: Path, live: Mapping[str, set[str]]) -> None:
    """Remove the kept outcomes of each exporter in `live` that its planned tasks no
    longer have (other exporters' folders stay), and any an older layout left loose."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file():
            path.unlink(missing_ok=True)
    for exporter, keys in live.items():
        ChunkStore(folder / exporter, True).prune(keys)
