"""Chunks of a part: run on the executor (map), kept by key on disk, handed to assemble.

A chunk's outcome (its pickled result, warnings and errors) is a pure function of its key,
so it is kept in `.cache/chunks/<key>.pickle`: an edit to one article re-runs only the chunk
that holds it, and the part is assembled again from the others as they were. Deleting the
folder costs time, never correctness.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pressroom.build.executors import Executor
from pressroom.build.plan import PlannedChunk, PlannedTask
from pressroom.build.tasks import ChunkOutcome, ChunkPayload, perform


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


def run_chunks(tasks: Sequence[PlannedTask], payload: Callable[[PlannedChunk], ChunkPayload],
               executor: Executor, store: ChunkStore,
               ship: Callable[[Any], Any] | None) -> Iterator[tuple[int, ChunkOutcome]]:
    """(task index, outcome) for every chunk of `tasks`: kept ones first (their reports:
    the results stay on disk), then the rest as the executor finishes them; each new
    successful outcome is kept by its key."""
    todo: list[tuple[int, PlannedChunk]] = []
    for n, task in enumerate(tasks):
        for chunk in task.chunks:
            if store.has(chunk.key):
                yield n, store.report(chunk.key)
            else:
                todo.append((n, chunk))
    payloads = [payload(chunk) for _, chunk in todo]
    for i, outcome in executor.run(perform, payloads, ship):
        if outcome.failure is None:
            store.keep(todo[i][1].key, outcome)
        yield todo[i][0], outcome
