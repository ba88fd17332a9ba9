"""SQLite files that several processes open at once: WAL mode, reached without a race."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

BUSY_TIMEOUT = 120  # seconds a connection waits out another's lock on a loaded machine
_RETRY_PAUSE = 0.02


def open_shared(path: Path, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """A connection to `path` (created with its folder if missing) in WAL mode.

    Switching a new file to WAL takes an exclusive lock, and SQLite answers "database is
    locked" at once, without waiting on the busy timeout, when worker processes open the
    same new file together; the switch is retried until `timeout` runs out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=timeout)
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
