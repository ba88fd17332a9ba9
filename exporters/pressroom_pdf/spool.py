"""Typeset pieces kept in a temporary file until the book is written, read back in order.

The front matter and the index are typeset before the body is written (their page counts
fix the folios), and a large book's index carries a link for every locator: they wait on
disk, not in memory.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from pressroom_pdf.typeset import Typeset


class Spool:
    """Typeset pieces written one after another to a temporary file."""

    def __init__(self, handle: BinaryIO) -> None:
        self._file = handle
        self._count = 0

    def add(self, piece: Typeset) -> None:
        """Keep one more piece."""
        self._file.seek(0, 2)
        pickle.dump(piece, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1

    def __iter__(self) -> Iterator[Typeset]:
        """The pieces in the order they were added, loaded one at a time."""
        self._file.seek(0)
        for _ in range(self._count):
            piece: Typeset = pickle.load(self._file)  # noqa: S301 (written just above)
            yield piece


@contextmanager
def spool() -> Iterator[Spool]:
    """A spool in a temporary file, removed on leaving."""
    with tempfile.TemporaryFile() as handle:
        yield Spool(handle)
