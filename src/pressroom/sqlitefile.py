"""SQLite files that several processes open at once: WAL mode, reached without a race."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

BUSY_TIMEOUT = 120  # seconds a connection waits out another's lock on a loaded machine
_RETRY_PAUSE = 0.02


def open_shared(path: Path, timeout: float = BUSY_TIMEOUT,
                page_size: int | None = None) -> sqlite3.Connection:
    """A connection to `path` (created with its folder if missing) in WAL mode.

    `page_size` is the page size of a file this creates (a file in WAL mode keeps its own).

    Switching a new file to WAL takes an exclusive lock, and SQLite answers "database is
    locked" at once, without waiting on the busy timeout, when worker processes open the
    same new file together; the switch is retried until `timeout` runs out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout)
    if page_size is not None:
        db.execute(f"PRAGMA page_size = {int(page_size)}")  # before WAL writes the header
    deadline = time.monotonic() + timeout
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            return db
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                db.close()
                raise
            time.sleep(_RETRY_PAUSE)
