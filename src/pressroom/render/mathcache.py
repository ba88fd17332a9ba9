"""A persistent math cache: one SQLite file, keyed by TeX, display mode and converter version."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from pressroom.model import MathFallback
from pressroom.render.math import CONVERTER_VERSIONS, convert_math
from pressroom.sqlitefile import open_shared

_SCHEMA = """CREATE TABLE IF NOT EXISTS math (
    key TEXT PRIMARY KEY, markup TEXT NOT NULL, fallback TEXT
)"""


class MathCache:
    """Converts each span once per converter version; memory first, then the SQLite file."""

    def __init__(self, path: Path | None = None) -> None:
        self._memory: dict[str, tuple[str, MathFallback | None]] = {}
        self._db: sqlite3.Connection | None = None
        self.hits = self.misses = 0
        if path is not None:
            self._db = open_shared(path)
            self._db.execute(_SCHEMA)

    @staticmethod
    def _key(tex: str, display: bool, kind: str) -> str:
        material = f"{CONVERTER_VERSIONS[kind]}\0{kind}\0{int(display)}\0{tex}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def convert(self, tex: str, display: bool, kind: str) -> tuple[str, MathFallback | None]:
        """Markup for a span, converting only on the first sight of (TeX, mode, version)."""
        if kind == "tex":
            return convert_math(tex, display, kind)
        key = self._key(tex, display, kind)
        if key in self._memory:
            self.hits += 1
            return self._memory[key]
        row = self._db.execute("SELECT markup, fallback FROM math WHERE key = ?",
                               (key,)).fetchone() if self._db else None
        if row is not None:
            self.hits += 1
            result = (row[0], MathFallback(tex, row[1]) if row[1] is not None else None)
        else:
            self.misses += 1
            result = convert_math(tex, display, kind)
            if self._db is not None:
                reason = result[1].reason if result[1] else None
                self._db.execute("INSERT OR REPLACE INTO math VALUES (?, ?, ?)",
                                 (key, result[0], reason))
        self._memory[key] = result
        return result

    def commit(self) -> None:
        """Make what was converted so far visible to other processes."""
        if self._db is not None:
            self._db.commit()

    def close(self) -> None:
        """Commit what was converted and close the file."""
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None
