"""A PDF file written as a stream: numbered objects as they are finished, the xref last.

The objects' text comes from pikepdf (qpdf's own serialisation of each finished piece);
this module only numbers them, records where each one starts, and ends the file with the
cross-reference table and a trailer whose identifier is a hash of everything before it,
so the same objects always give the same bytes. Only the offsets stay in memory.
"""

from __future__ import annotations

import hashlib
from array import array
from typing import BinaryIO

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


class PdfFile:
    """A PDF being written object by object to `handle` (from its current position)."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._hash = hashlib.md5(usedforsecurity=False)
        self._written = 0
        self._offsets = array("q", [-1])  # object 0 is the head of the free list
        self._write_bytes(HEADER)

    @property
    def next_number(self) -> int:
        """The number the next reserved object gets."""
        return len(self._offsets)

    def reserve(self, count: int = 1) -> int:
        """Reserve `count` consecutive object numbers; the first of them."""
        first = len(self._offsets)
        self._offsets.extend([-1] * count)
        return first

    def reserve_until(self, last: int) -> None:
        """Reserve every number up to `last` (those a piece numbered for itself)."""
        if last >= len(self._offsets):
            self.reserve(last + 1 - len(self._offsets))

    def write(self, number: int, body: bytes) -> None:
        """Write object `number` (reserved, not yet written) with `body` as its text."""
        if self._offsets[number] != -1:
            raise ValueError(f"PDF object {number} written twice")
        self._offsets[number] = self._written
        self._write_bytes(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def write_stream(self, number: int, dictionary: bytes, data: bytes) -> None:
        """Write stream object `number`: its dictionary (with /Length) and its raw data."""
        self.write(number, b"%s\nstream\n%s\nendstream" % (dictionary, data))

    def close(self, root: int, info: int) -> None:
        """End the file: the cross-reference table and the trailer (every number reserved
        must have been written)."""
        missing = [n for n in range(1, len(self._offsets)) if self._offsets[n] == -1]
        if missing:
            raise ValueError(f"PDF objects reserved but never written: {missing[:5]}")
        identifier = self._hash.hexdigest().encode()
        start = self._written
        lines = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self._offsets)]
        lines.extend(b"%010d 00000 n \n" % offset for offset in self._offsets[1:])
        lines.append(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ] >>\n"
                     b"startxref\n%d\n%%%%EOF\n"
                     % (len(self._offsets), root, info, identifier, identifier, start))
        self._write_bytes(b"".join(lines))

    def _write_bytes(self, data: bytes) -> None:
        self._handle.write(data)
        self._hash.update(data)
        self._written += len(data)
