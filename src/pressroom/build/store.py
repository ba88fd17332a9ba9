"""The build store: one SQLite file of scanned sources, parsed articles and rendered fragments.

It is a cache. Every entry is keyed by a content hash that includes the pressroom version,
a hash of pressroom's code and the options that matter, so a stale entry is never found,
only missed; deleting the file costs time, never correctness. Writes happen in
transactions, so a build killed at any moment leaves the last committed state.
"""

from __future__ import annotations

import hashlib
import importlib.util
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import lz4.block

from pressroom import __version__
from pressroom.sqlitefile import BUSY_TIMEOUT, open_shared

STORE_NAME = "store.sqlite"
# SQLite's page cache for `check` (its default is 2 MiB). A cold scan of 170,000 files
# inserts under random hash keys into two key indexes of about 17 MB each; with 2 MiB
# every insert rereads index pages (85 µs a row at 120,000 rows), with 64 MiB 40 µs.
CACHE_KIB = 65536
# Pages of 16 KiB, not SQLite's 4, for a file the store creates: a page holds six parsed
# articles (2 to 3 KB each), not one, so a cold scan's inserts split, balance and write far
# fewer pages: 12 µs of CPU a row (record + article), not 22, at 20,000 rows.
PAGE_SIZE = 16384
_SCHEMA = """
-- blobs: LZ4-compressed pickles (`dump`)
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, seen_ns INTEGER, digest TEXT,
    key TEXT);
CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, record BLOB);
CREATE TABLE IF NOT EXISTS articles (key TEXT PRIMARY KEY, article BLOB);
CREATE TABLE IF NOT EXISTS fragments (
    key TEXT PRIMARY KEY, parsed TEXT, digest TEXT, probes BLOB, notes BLOB);
CREATE TABLE IF NOT EXISTS fragment_data (key TEXT PRIMARY KEY, data BLOB);
CREATE TABLE IF NOT EXISTS memos (kind TEXT PRIMARY KEY, key TEXT, data BLOB);
"""


@cache
def package_digest(package: str) -> str:
    """A hash of an installed package's files: a code change misses every old entry."""
    spec = importlib.util.find_spec(package)
    hasher = hashlib.sha256(package.encode())
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for path in sorted(Path(folder).rglob("*.py")):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def open_schema(db: sqlite3.Connection, schema: str) -> None:
    """Create the tables; a file written with another schema is emptied first (a cache)."""
    version = int(hashlib.sha256(schema.encode()).hexdigest()[:7], 16)
    if db.execute("PRAGMA user_version").fetchone()[0] != version:
        tables = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            db.execute(f'DROP TABLE "{table}"')
        db.execute(f"PRAGMA user_version = {version}")
    db.executescript(schema)


@cache
def _seeded() -> Any:
    return hashlib.sha256(f"{__version__}\0{package_digest('pressroom')}".encode())


def digest(*parts: str | bytes) -> str:
    """A SHA-256 hex key over `parts`, the pressroom version and pressroom's own code."""
    hasher = _seeded().copy()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


def dump(value: Any) -> bytes:
    """Serialise a store value (pressroom's own frozen dataclasses), lightly compressed.

    LZ4, not zlib: a parsed article compresses in a seventh of zlib level 1's time (9 against
    62 µs) and decompresses five times faster, for blobs about a third larger."""
    return lz4.block.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def load(data: bytes) -> Any:
    """Deserialise a value this store wrote (never data from elsewhere)."""
    return pickle.loads(lz4.block.decompress(data))  # noqa: S301 (only what pressroom wrote)


class SourceStamp(NamedTuple):
    """What the last scan saw of one file: size, mtime_ns, when it looked, hash, parse key.

    A tuple: a warm scan of 170,000 files makes one per file, and tuples are made fast."""

    size: int
    mtime_ns: int
    seen_ns: int
    digest: str
    key: str


class BuildStore:
    """The SQLite store; `use_cache=False` (`--no-cache`) misses every lookup but still writes."""

    def __init__(self, path: Path, use_cache: bool = True, readonly: bool = False) -> None:
        self.path = path
        self.use_cache = use_cache
        self.readonly = readonly
        if readonly:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                       timeout=BUSY_TIMEOUT)
        else:
            self._db = open_shared(path, page_size=PAGE_SIZE)
            open_schema(self._db, _SCHEMA)
            self._drop_other_code_memos()

    def widen_cache(self) -> None:
        """A CACHE_KIB page cache, for `check`: the pages it holds stay in the process
        (SQLite's freed pages go back to malloc, not to the system), so a build, whose
        peak comes later, planning, keeps SQLite's default."""
        self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")

    def _drop_other_code_memos(self) -> None:
        """Forget the memos another pressroom wrote: `memo_kept` trusts their layout."""
        code = digest("memos")
        if self._db.execute("SELECT key FROM memos WHERE kind = 'code'").fetchone() != (code,):
            self._db.execute("DELETE FROM memos")
            self._db.execute("INSERT INTO memos VALUES ('code', ?, x'')", (code,))
            self._db.commit()

    def close(self) -> None:
        """Commit anything pending and close the file."""
        if not self.readonly:
            self._db.commit()
        self._db.close()

    def commit(self) -> None:
        """End the current transaction."""
        self._db.commit()

    def sources(self) -> dict[str, SourceStamp]:
        """Every source the last scan recorded whose parse result the store still holds."""
        if not self.use_cache:
            return {}
        rows = self._db.execute(
            "SELECT s.path, s.size, s.mtime_ns, s.seen_ns, s.digest, s.key "
            "FROM sources s JOIN parsed p ON p.key = s.key")
        return {row[0]: SourceStamp._make(row[1:]) for row in rows}

    def records(self, keys: list[str]) -> Iterator[bytes]:
        """The stored parse results (light records) under `keys`, in their order."""
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            found = dict(self._db.execute(
                f"SELECT key, record FROM parsed WHERE key IN ({marks})",  # noqa: S608
                chunk))
            yield from (found[key] for key in chunk)

    def memo(self, kind: str, key: str) -> bytes | None:
        """The memo of `kind` (an index summary, a plan) stored under `key`, if it is the
        one kept: a memo holds what one exact set of inputs gave."""
        if not self.use_cache:
            return None
        row = self._db.execute("SELECT data FROM memos WHERE kind = ? AND key = ?",
                               (kind, key)).fetchone()
        return row[0] if row else None

    def memo_kept(self, kind: str) -> tuple[str, bytes] | None:
        """The key and memo of `kind` kept, whatever inputs it was made from (this
        pressroom wrote it)."""
        if not self.use_cache:
            return None
        row = self._db.execute("SELECT key, data FROM memos WHERE kind = ? AND key IS NOT NULL",
                               (kind,)).fetchone()
        return (row[0], row[1]) if row else None

    def put_memo(self, kind: str, key: str | None, data: bytes = b"") -> None:
        """Keep one memo of `kind`, the newest; with no key, forget the one kept."""
        self._db.execute("DELETE FROM memos WHERE kind = ?", (kind,))
        if key is not None:
            self._db.execute("INSERT INTO memos VALUES (?, ?, ?)", (kind, key, data))

    def rekey_memo(self, kind: str, key: str) -> None:
        """Keep the memo of `kind` as it is, now under `key`."""
        self._db.execute("UPDATE memos SET key = ? WHERE kind = ?", (key, kind))

    def drop_memos(self, prefix: str, keep: int) -> None:
        """Forget the numbered memos `prefix`N for every N from `keep` on."""
        kinds = [kind for (kind,) in self._db.execute(
            "SELECT kind FROM memos WHERE substr(kind, 1, ?) = ?", (len(prefix), prefix))]
        self._db.executemany("DELETE FROM memos WHERE kind = ?",
                             ((kind,) for kind in kinds if int(kind[len(prefix):]) >= keep))

    def update_sources(self, changed: dict[str, SourceStamp], vanished: list[str]) -> None:
        """Record what this scan saw of the files it read, and forget vanished ones."""
        self._db.executemany("DELETE FROM sources WHERE path = ?", ((p,) for p in vanished))
        self._db.executemany("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?, ?, ?)",
                             ((path, s.size, s.mtime_ns, s.seen_ns, s.digest, s.key)
                              for path, s in changed.items()))

    def put_parsed(self, results: list[tuple[str, bytes, bytes | None]]) -> None:
        """Store parse results, (key, light record, whole article or None for errors) each,
        in one statement per table: the scan writes a batch of 256 at a time."""
        self._db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?)",
                             [(key, record) for key, record, _ in results])
        self._db.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?)",
                             [(key, article) for key, _, article in results
                              if article is not None])

    def article(self, key: str) -> bytes:
        """The serialised article parsed under `key`."""
        row = self._db.execute("SELECT article FROM articles WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"no parsed article {key} in the build store")
        return row[0]

    def fragments_known(self, keys: Iterable[str]
                        ) -> dict[str, tuple[str, bytes | None, bytes | None]]:
        """(content hash, image probes, notes) of each stored fragment among `keys`."""
        if not self.use_cache:
            return {}
        found: dict[str, tuple[str, bytes | None, bytes | None]] = {}
        for chunk in _chunks(list(keys)):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, digest, probes, notes FROM fragments "  # noqa: S608
                f"WHERE key IN ({marks})", chunk)
            found.update((row[0], row[1:]) for row in rows)
        return found

    def put_fragment(self, key: str, parsed: str, data: bytes, probes: bytes | None,
                     notes: bytes | None) -> str:
        """Store one rendered fragment with its image probes and notes; return its hash,
        which covers the probes: outputs that carry the images change when they do."""
        content = hashlib.sha256(data + (probes or b"")).hexdigest()
        self._db.execute("INSERT OR REPLACE INTO fragments VALUES (?, ?, ?, ?, ?)",
                         (key, parsed, content, probes, notes))
        self._db.execute("INSERT OR REPLACE INTO fragment_data VALUES (?, ?)", (key, data))
        return content

    def articles_and_fragments(self, pairs: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
        """(article, fragment) blobs for (parse key, fragment key) pairs, in one query each."""
        parsed = {p for p, _ in pairs}
        fragments = {f for _, f in pairs}
        marks_p, marks_f = ",".join("?" * len(parsed)), ",".join("?" * len(fragments))
        articles = dict(self._db.execute(
            f"SELECT key, article FROM articles WHERE key IN ({marks_p})",  # noqa: S608
            list(parsed)))
        found = dict(self._db.execute(
            f"SELECT key, data FROM fragment_data WHERE key IN ({marks_f})",  # noqa: S608
            list(fragments)))
        return [(articles[p], found[f]) for p, f in pairs]

    def fragment(self, key: str) -> bytes:
        """A serialised fragment."""
        row = self._db.execute("SELECT data FROM fragment_data WHERE key = ?",
                               (key,)).fetchone()
        if row is None:
            raise KeyError(f"no fragment {key} in the build store")
        return row[0]

    def prune(self, live_parsed: Iterable[str]) -> None:
        """Forget parse results and fragments of files that are gone or changed."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM live")
        self._db.executemany("INSERT OR IGNORE INTO live VALUES (?)",
                             ((key,) for key in live_parsed))
        # Stale keys come from the small tables; the blob tables are only looked up by key.
        self._forget("SELECT key FROM parsed WHERE key NOT IN (SELECT key FROM live)",
                     ("parsed", "articles"))
        self._forget("SELECT key FROM fragments WHERE parsed NOT IN (SELECT key FROM live)",
                     ("fragments", "fragment_data"))
        self._db.commit()

    def forget(self, parsed: Iterable[str]) -> None:
        """Forget these parse results and their fragments (the old parses of text edits,
        without `prune`'s pass over every key)."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS dropped (key TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM dropped")
        self._db.executemany("INSERT OR IGNORE INTO dropped VALUES (?)",
                             ((key,) for key in parsed))
        self._forget("SELECT key FROM dropped", ("parsed", "articles"))
        self._forget("SELECT key FROM fragments WHERE parsed IN (SELECT key FROM dropped)",
                     ("fragments", "fragment_data"))
        self._db.commit()

    def _forget(self, stale: str, tables: tuple[str, ...]) -> None:
        """Delete the rows the `stale` query selects, by key, from each of `tables`."""
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS gone (key TEXT PRIMARY KEY)")
        self._db.execute("DELETE FROM gone")
        self._db.execute(f"INSERT INTO gone {stale}")
        for table in tables:
            self._db.execute(f"DELETE FROM {table} WHERE key IN (SELECT key FROM gone)")  # noqa: S608


def _chunks(items: list[str], size: int = 900) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
