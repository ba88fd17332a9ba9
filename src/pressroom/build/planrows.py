"""A plan's kept rows: each book's records, with what keying them took, for replanning.

Replanning an edited book needs its records again, each one's print and fragment
hashes, and the titles its related links resolved to. Keeping those beside the rows
spares hashing 58,000 fingerprints, looking up 116,000 fragments in the store and
loading the whole site's title index for one edit: a text edit changes no print and no
title (see `edits`), and only the edited articles' fragments.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

from pressroom.books import TitleLookup
from pressroom.build.plan import RecordPrints
from pressroom.build.records import record_row
from pressroom.build.render import Rendered
from pressroom.model import ArticleRecord, RelatedLink

HASH_SIZE = 32  # each fragment hash (SHA-256)


class KeptRow(NamedTuple):
    """One record as a plan keyed it: its row, its print, its fragments' hashes (one per
    math kind, in the plan's order) and its related links' titles (in link order)."""

    row: bytes
    print: bytes
    digests: tuple[str, ...]
    titles: tuple[str, ...]


def kept_row(record: ArticleRecord, kinds: Sequence[str], rendered: Rendered,
             prints: RecordPrints, titles: TitleLookup) -> KeptRow:
    """The kept row of a record as this plan keyed it (`titles`: the plan's lookup)."""
    return KeptRow(record_row(record), prints.of(record),
                   tuple(rendered.digests[rendered.keys[(record.key, kind)]] for kind in kinds),
                   tuple(titles(link) or link.title for link in record.related))


def link_titles(records: Sequence[ArticleRecord], rows: Sequence[KeptRow]
                ) -> dict[RelatedLink, str]:
    """The title each related link of `records` resolved to, from their kept rows."""
    return {link: title for record, row in zip(records, rows, strict=True)
            for link, title in zip(record.related, row.titles, strict=True)}


def pack(rows: Iterable[KeptRow]) -> bytes:
    """A book's rows, each after its length, compressed as they are made: one blob of
    58,000 rows held whole, then copied by SQLite, was the build's peak."""
    packer = zlib.compressobj(1)
    parts = []
    for row in rows:
        hashes = b"".join(bytes.fromhex(digest) for digest in row.digests)
        entry = marshal.dumps((row.row, row.print, hashes, row.titles))
        parts.append(packer.compress(len(entry).to_bytes(4, "little") + entry))
    parts.append(packer.flush())
    return b"".join(parts)


def unpack(blob: bytes) -> Iterator[KeptRow]:
    """The rows `pack` wrote, in order."""
    data = memoryview(zlib.decompress(blob))
    offset = 0
    while offset < len(data):
        start = offset + 4
        offset = start + int.from_bytes(data[offset:start], "little")
        row, print_, hashes, titles = marshal.loads(data[start:offset])
        yield KeptRow(row, print_, tuple(hashes[n:n + HASH_SIZE].hex()
                                         for n in range(0, len(hashes), HASH_SIZE)), titles)
