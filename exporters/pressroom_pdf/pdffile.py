"""A PDF file written as a stream: numbered objects as they are finished, the xref last.

The objects' text comes from pikepdf (qpdf's own serialisation of each finished piece);
this module numbers them, packs the small ones into compressed object streams of
OBJECTS_PER_STREAM (as qpdf's object_stream_mode=generate does), and ends the file with a
cross-reference stream whose identifier is a hash of everything before it, so the same
objects always give the same bytes. Only where each object went stays in memory.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections.abc import Iterator
from typing import BinaryIO

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
OBJECTS_PER_STREAM = 100
FREE, AT_OFFSET, IN_STREAM = 0, 1, 2  # cross-reference entry types
WIDTHS = (1, 5, 2)  # bytes of an entry's type, offset (or stream number), index


class PdfFile:
    """A PDF being written object by object to `handle` (from its current position)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._hash = hashlib.md5(usedforsecurity=False)
        self._written = 0
        # Per object number: entry type, offset or object stream, index in that stream.
        self._kinds = array("b", [FREE])
        self._places = array("q", [0])
        self._indexes = array("H", [65535])
        self._pending: list[tuple[int, bytes]] = []
        self._write_bytes(HEADER)

    def reserve(self, count: int = 1) -> int:
        """Reserve `count` consecutive object numbers; the first of them."""
        first = len(self._kinds)
        self._kinds.extend([-1] * count)
        self._places.extend([0] * count)
        self._indexes.extend([0] * count)
        return first

    def reserve_until(self, last: int) -> None:
        """Reserve every number up to `last` (those a piece numbered for itself)."""
        if last >= len(self._kinds):
            self.reserve(last + 1 - len(self._kinds))

    def _claim(self, number: int) -> None:
        if self._kinds[number] != -1:
            raise ValueError(f"PDF object {number} written twice")

    def write(self, number: int, body: bytes) -> None:
        """Write object `number` (reserved, not yet written) with `body` as its text; it
        goes into the next object stream."""
        self._claim(number)
        self._kinds[number] = IN_STREAM
        self._pending.append((number, body))
        if len(self._pending) == OBJECTS_PER_STREAM:
            self._flush()

    def write_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """Write stream object `number`: its dictionary (with /Length) and its raw data."""
        self._claim(number)
        self._put(number, b"%s\nstream\n%s\nendstream" % (dictionary, data))

    def _put(self, number: int, body: bytes) -> None:
        self._kinds[number] = AT_OFFSET
        self._places[number] = self._written
        self._write_bytes(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def _flush(self) -> None:
        """Write the pending objects as one compressed object stream."""
        if not self._pending:
            return
        number = self.reserve()
        offsets, bodies, at = [], [], 0
        for index, (member, body) in enumerate(self._pending):
            self._places[member], self._indexes[member] = number, index
            offsets.append(b"%d %d" % (member, at))
            bodies.append(body)
            at += len(body) + 1
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n")
        self._put(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d "
                          b">>\nstream\n%s\nendstream"
                  % (len(self._pending), len(head), len(data), data))
        self._pending = []

    def close(self, root: int, info: int) -> None:
        """End the file: the cross-reference stream with the trailer's entries (every
        number reserved must have been written)."""
        self._flush()
        number = self.reserve()
        missing = [n for n in range(1, number) if self._kinds[n] == -1]
        if missing:
            raise ValueError(f"PDF objects reserved but never written: {missing[:5]}")
        identifier = self._hash.hexdigest().encode()
        start = self._written
        self._kinds[number], self._places[number] = AT_OFFSET, start
        packer = zlib.compressobj()
        data = b"".join(packer.compress(block) for block in self._entries()) + packer.flush()
        self._put(number, b"<< /Type /XRef /Size %d /W [ %d %d %d ] /Root %d 0 R /Info %d 0 R "
                          b"/ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>\n"
                          b"stream\n%s\nendstream"
                  % (len(self._kinds), *WIDTHS, root, info, identifier, identifier,
                     len(data), data))
        self._write_bytes(b"startxref\n%d\n%%%%EOF\n" % start)

    def _entries(self, block: int = 4096) -> Iterator[bytes]:
        """The cross-reference stream's entries, `block` objects at a time."""
        for first in range(0, len(self._kinds), block):
            yield b"".join(
                kind.to_bytes(WIDTHS[0], "big") + place.to_bytes(WIDTHS[1], "big")
                + (index if kind != AT_OFFSET else 0).to_bytes(WIDTHS[2], "big")
                for kind, place, index in zip(self._kinds[first:first + block],
                                              self._places[first:first + block],
                                              self._indexes[first:first + block],
                                              strict=True))

    def _write_bytes(self, data: bytes) -> None:
        self._handle.write(data)
        self._hash.update(data)
        self._written += len(data)
