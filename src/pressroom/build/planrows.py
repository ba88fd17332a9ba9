"""A plan's kept rows: each book's records, with the hashes keying them took, for replanning.

Replanning an edited book needs its records again, and each one's print and fragment
hashes. Keeping those beside the rows spares hashing 58,000 fingerprints and looking up
116,000 fragments in the store for one edit: a text edit changes no print (see `edits`),
and only the edited articles' fragments.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from pressroom.build.plan import RecordPrints
from pressroom.build.records import record_row
from pressroom.build.render import Rendered
from pressroom.model import ArticleRecord

HASH_SIZE = 32  # a print, and each fragment hash (SHA-256)


class KeptRow(NamedTuple):
    """One record as a plan keyed it: its row, its print, and its fragments' hashes (one
    per math kind, in the plan's order)."""

    row: bytes
    print: bytes
    digests: tuple[str, ...]


def kept_row(record: ArticleRecord, kinds: Sequence[str], rendered: Rendered,
             prints: RecordPrints) -> KeptRow:
    """The kept row of a record as this plan keyed it."""
    return KeptRow(record_row(record), prints.of(record),
                   tuple(rendered.digests[rendered.keys[(record.key, kind)]] for kind in kinds))


def pack(rows: Iterable[KeptRow]) -> bytes:
    """A book's rows, each after its length, compressed as they are made: one blob of
    58,000 rows held whole, then copied by SQLite, was the build's peak."""
    packer = zlib.compressobj(1)
    parts = []
    for row in rows:
        hashes = b"".join(bytes.fromhex(digest) for digest in row.digests)
        parts.append(packer.compress(len(row.row).to_bytes(4, "little") + row.row
                                     + row.print + hashes))
    parts.append(packer.flush())
    return b"".join(parts)


def unpack(blob: bytes, kinds: int) -> Iterator[KeptRow]:
    """The rows `pack` wrote, in order, for a plan of `kinds` math kinds."""
    data = memoryview(zlib.decompress(blob))
    offset = 0
    while offset < len(data):
        start = offset + 4
        end = start + int.from_bytes(data[offset:start], "little")
        hashes = end + HASH_SIZE
        yield KeptRow(bytes(data[start:end]), bytes(data[end:hashes]),
                      tuple(data[hashes + n * HASH_SIZE:hashes + (n + 1) * HASH_SIZE].hex()
                            for n in range(kinds)))
        offset = hashes + kinds * HASH_SIZE
