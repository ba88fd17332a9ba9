"""Streamed sitemaps.org 0.9 XML: urlset and sitemap index files, chunked by count and size."""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import BinaryIO, NamedTuple
from xml.sax.saxutils import escape

from lxml import etree

NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
PROTOCOL_MAX_URLS = 50_000
PROTOCOL_MAX_BYTES = 50 * 1024 * 1024

# Bytes a file spends outside its entries: declaration, root start and end tags.
_FILE_OVERHEAD = len(f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{NS}\">\n"
                     "</urlset>")
_ENTRY_OVERHEAD = len("<url><loc></loc></url>\n")
_LASTMOD_OVERHEAD = len("<lastmod></lastmod>")


class Entry(NamedTuple):
    """One `<url>` (or `<sitemap>`) entry: an absolute, escaped-ready URL and its lastmod."""

    loc: str
    lastmod: str | None = None

    @property
    def size(self) -> int:
        """Bytes this entry takes in a urlset file (locs are ASCII after percent-encoding)."""
        extra = _LASTMOD_OVERHEAD + len(self.lastmod) if self.lastmod else 0
        return _ENTRY_OVERHEAD + len(escape(self.loc).encode("utf-8")) + extra


def chunk_entries(entries: Iterable[Entry], max_urls: int,
                  max_bytes: int) -> list[list[Entry]]:
    """Split sorted entries into files of at most `max_urls` entries and `max_bytes` bytes."""
    chunks: list[list[Entry]] = []
    current: list[Entry] = []
    size = _FILE_OVERHEAD
    for entry in entries:
        if current and (len(current) >= max_urls or size + entry.size > max_bytes):
            chunks.append(current)
            current, size = [], _FILE_OVERHEAD
        current.append(entry)
        size += entry.size
    if current:
        chunks.append(current)
    return chunks


@contextmanager
def compressed(handle: BinaryIO, enabled: bool) -> Iterator[BinaryIO]:
    """`handle` itself, or a reproducible gzip stream over it (no name, mtime 0)."""
    if not enabled:
        yield handle
        return
    with gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as stream:
        yield stream  # type: ignore[misc]


def write_entries(handle: BinaryIO, entries: Iterable[Entry], index: bool = False) -> None:
    """Stream a `<urlset>` (or, with `index`, a `<sitemapindex>`) of `entries` to `handle`."""
    root, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    with etree.xmlfile(handle, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{NS}}}{root}", nsmap={None: NS}):
            xf.write("\n")
            for entry in entries:
                with xf.element(f"{{{NS}}}{item}"):
                    with xf.element(f"{{{NS}}}loc"):
                        xf.write(entry.loc)
                    if entry.lastmod:
                        with xf.element(f"{{{NS}}}lastmod"):
                            xf.write(entry.lastmod)
                xf.write("\n")
