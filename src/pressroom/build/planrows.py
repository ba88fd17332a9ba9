"""A plan's kept rows: each book's records, with what keying them took, for replanning.

Replanning an edited book needs its records again, each one's print and fragment
hashes, and the titles its related links resolved to. Keeping those beside the rows
spares hashing 58,000 fingerprints, looking up 116,000 fragments in the store and
loading the whole site's title index for one edit: a text edit changes no print and no
title (see `edits`), and only the edited articles' fragments.
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

import lz4.frame

from pressroom.books import TitleLookup
from pressroom.build.plan import RecordPrints
from pressroom.build.records import record_row
from pressroom.build.render import Rendered
from pressroom.model import ArticleRecord, RelatedLink

HASH_SIZE = 32  # a print, and each fragment hash (SHA-256)
BATCH_BYTES = 1 << 18  # rows handed to the compressor at a time


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
    """A book's rows, compressed with LZ4 as they are made (one blob of 58,000 rows held
    whole, then copied by SQLite, was the build's peak; zlib took four times as long for
    larger output): each row after its length, its print, the number of its hashes and
    the hashes, then its titles marshalled, after their length."""
    packer = lz4.frame.LZ4FrameCompressor()
    parts, batch = [packer.begin()], bytearray()
    for row in rows:
        titles = marshal.dumps(row.titles)
        batch += len(row.row).to_bytes(4, "little")
        batch += row.row
        batch += row.print
        batch.append(len(row.digests))
        for digest in row.digests:
            batch += bytes.fromhex(digest)
        batch += len(titles).to_bytes(4, "little")
        batch += titles
        if len(batch) >= BATCH_BYTES:
            parts.append(packer.compress(bytes(batch)))
            batch.clear()
    parts.append(packer.compress(bytes(batch)))
    parts.append(packer.flush())
    return b"".join(parts)


def unpack(blob: bytes) -> Iterator[KeptRow]:
    """The rows `pack` wrote, in order."""
    data = memoryview(lz4.frame.decompress(blob))
    at = 0
    while at < len(data):
        size = int.from_bytes(data[at:at + 4], "little")
        row = bytes(data[at + 4:at + 4 + size])
        at += 4 + size
        print_ = bytes(data[at:at + HASH_SIZE])
        count = data[at + HASH_SIZE]
        at += HASH_SIZE + 1
        digests = tuple(data[at + n * HASH_SIZE:at + (n + 1) * HASH_SIZE].hex()
                        for n in range(count))
        at += count * HASH_SIZE
        size = int.from_bytes(data[at:at + 4], "little")
        titles = marshal.loads(data[at + 4:at + 4 + size])
        at += 4 + size
        yield KeptRow(row, print_, digests, titles)
