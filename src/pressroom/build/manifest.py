"""The manifest: every output a build wrote, the task that wrote it and that task's key.

It lives beside the build store but in its own file: clearing the cache keeps the record
of what pressroom wrote, and pressroom only ever deletes files listed here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from pressroom.build.store import open_schema

MANIFEST_NAME = "manifest.sqlite"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, exporter TEXT, key TEXT);
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY, task TEXT, size INTEGER, mtime_ns INTEGER);
"""


class OutputStamp(NamedTuple):
    """A recorded output: its path relative to the output folder, size, mtime and, when
    it was written through `ExportContext.write`, its SHA-256. A tuple: a check of the
    outputs that stand reads 170,000 of them, and a frozen dataclass is five times slower
    to make."""

    path: str
    size: int
    mtime_ns: int
    digest: str | None = None


def recorded_outputs(path: Path) -> Iterator[tuple[str, str, int, int]]:
    """(task, path, size, mtime_ns) of every recorded output, read without writing (a
    worker reads them while the build scans); nothing when there is no manifest yet."""
    if not path.is_file():
        return
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        yield from db.execute("SELECT task, path, size, mtime_ns FROM outputs")
    finally:
        db.close()


class Manifest:
    """Read and update the manifest, one transaction per finished task."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        open_schema(self._db, _SCHEMA)
        # Outside the schema's version: adding them keeps the record of what was written.
        self._db.execute("CREATE INDEX IF NOT EXISTS outputs_by_task ON outputs (task, path)")
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(outputs)")}
        if "digest" not in columns:
            self._db.execute("ALTER TABLE outputs ADD COLUMN digest TEXT")

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    def task_key(self, task_id: str) -> str | None:
        """The key the task had when it last finished."""
        row = self._db.execute("SELECT key FROM tasks WHERE id = ?", (task_id,)).fetchone()
        return row[0] if row else None

    def outputs_of(self, task_id: str) -> list[OutputStamp]:
        """The files the task wrote when it last finished."""
        rows = self._db.execute("SELECT path, size, mtime_ns, digest FROM outputs "
                                "WHERE task = ? ORDER BY path", (task_id,))
        return list(map(OutputStamp._make, rows))

    def task_keys(self) -> dict[str, str]:
        """Every recorded task's key, by task id."""
        return dict(self._db.execute("SELECT id, key FROM tasks"))

    def tasks_of(self, exporters: Iterable[str]) -> list[str]:
        """Every recorded task of the given exporters."""
        names = list(exporters)
        marks = ",".join("?" * len(names))
        rows = self._db.execute(f"SELECT id FROM tasks WHERE exporter IN ({marks}) "  # noqa: S608
                                "ORDER BY id", names)
        return [row[0] for row in rows]

    def all_outputs(self) -> list[str]:
        """Every recorded output path."""
        return [row[0] for row in self._db.execute("SELECT path FROM outputs ORDER BY path")]

    def record(self, task_id: str, exporter: str, key: str, outputs: Iterable[OutputStamp],
               recorded: Iterable[OutputStamp]) -> None:
        """The task finished with `key` and wrote `outputs`, replacing `recorded` (what
        `outputs_of` gave just before): only the rows that changed are written, so a
        58,000-page task whose one page moved writes one row."""
        now = list(outputs)
        before = set(recorded)
        paths = {output.path for output in now}
        with self._db:
            self._db.executemany("DELETE FROM outputs WHERE path = ? AND task = ?",
                                 ((o.path, task_id) for o in before if o.path not in paths))
            self._db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?, ?)",
                                 ((o.path, task_id, o.size, o.mtime_ns, o.digest)
                                  for o in now if o not in before))
            self._db.execute("INSERT OR REPLACE INTO tasks VALUES (?, ?, ?)",
                             (task_id, exporter, key))

    def forget(self, task_id: str) -> None:
        """The task is gone (its outputs were removed)."""
        with self._db:
            self._db.execute("DELETE FROM outputs WHERE task = ?", (task_id,))
            self._db.execute("DELETE FROM tasks WHERE id = ?", (task_id,))

    def clear(self) -> None:
        """Forget everything (after `pressroom clean`)."""
        with self._db:
            self._db.execute("DELETE FROM outputs")
            self._db.execute("DELETE FROM tasks")
