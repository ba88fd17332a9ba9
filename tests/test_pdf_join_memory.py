"""The joining process holds a few bytes per article for the whole book, not objects."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc
from collections.abc import Iterator, Sequence
from typing import Any

import pikepdf
import pytest
from pressroom_pdf import binding
from pressroom_pdf.bookends import BookEnds
from pressroom_pdf.options import PdfOptions
from pressroom_pdf.printing import ChunkResult
from pressroom_pdf.typeset import PageMarks, Typeset
from pypdf import PdfReader

from pressroom.exporter import ExportContext
from pressroom.model import ArticleRecord, Book, Collection
from pressroom.themes import Theme

from .test_pdf_stream import furniture_runs, helvetica

ARTICLES_PER_CHUNK, PAGES_PER_ARTICLE, HEADINGS, KEYWORDS = 5, 2, 4, 10
VOCABULARY = [f"term {n}" for n in range(300)]


def one_page_pdf(pages: int) -> bytes:
    """A PDF of `pages` pages with a line of text each."""
    pdf = pikepdf.new()
    resources = helvetica(pdf)
    for n in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[-1].obj.Resources = resources
        pdf.pages[-1].obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 720 Td (%d) Tj ET" % n)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


BODY_PDF = one_page_pdf(ARTICLES_PER_CHUNK * PAGES_PER_ARTICLE)


class Chunks(Sequence[ChunkResult]):
    """`count` chunks made when reached, as kept chunks are loaded: each article has its
    anchor, a title and headings, links to two others and one other's heading, keywords."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.articles = count * ARTICLES_PER_CHUNK

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: Any) -> Any:
        if not 0 <= index < self.count:
            raise IndexError(index)
        pages, tagged = [], []
        for a in range(index * ARTICLES_PER_CHUNK, (index + 1) * ARTICLES_PER_CHUNK):
            key = f"article-{a:06d}"
            anchors = {key: (72.0, 800.0), f"{key}-title": (72.0, 780.0)}
            anchors.update({f"{key}--heading-{h}": (72.0, 700.0 - 50 * h)
                            for h in range(HEADINGS)})
            others = [(a * 7 + k) % self.articles for k in (1, 2, 3)]
            links = tuple((target, (72.0, 600.0 - 20 * k, 200.0, 612.0 - 20 * k))
                          for k, target in enumerate([f"article-{others[0]:06d}",
                                                      f"article-{others[1]:06d}",
                                                      f"article-{others[2]:06d}--heading-1"]))
            pages.append(PageMarks(595.0, 842.0, anchors, links))
            pages.append(PageMarks(595.0, 842.0, {}, ()))
            tagged.append((key, tuple(VOCABULARY[(a * 13 + k * 31) % len(VOCABULARY)]
                                      for k in range(KEYWORDS))))
        return ChunkResult(Typeset(BODY_PDF, tuple(pages)), tuple(tagged))


def book_of(articles: int) -> Book:
    """A book of index records for the chunks' articles, ten subjects."""
    records = tuple(
        ArticleRecord("", None, key, key, f"Question {a}?", f"Question {a}?",
                      f"Subject {a * 10 // articles}", f"/{key}/", f"{key}.md", None, "",
                      f"{key}.md", (), {})
        for a, key in ((a, f"article-{a:06d}") for a in range(articles)))
    return Book(Collection("book", "Book", records), (), "Book", "Author", "en", "urn:test",
                dt.datetime(2026, 12, 1, tzinfo=dt.UTC), {})


def quick_typeset(html: str, *_: Any, **__: Any) -> Typeset:
    """Front matter and index pieces as one page each (WeasyPrint is not what is measured)."""
    anchors = {name: (72.0, 800.0) for name in ("index", "contents-title")
               if f'id="{name}"' in html}
    return Typeset(one_page_pdf(1), (PageMarks(595.0, 842.0, anchors, ()),))


def endless_furniture(*_: Any) -> Iterator[tuple[int, pikepdf.Pdf]]:
    """Furniture runs of ten sheets, as many as the pages ask for."""
    return furniture_runs()


def held_by_joining(chunks: int, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
                    ) -> tuple[int, int]:
    """The memory (bytes, traced) a join of `chunks` chunks holds for the whole book once
    its last piece is written (when the name tree is made), and the book's pages."""
    held: list[int] = []
    names = BookEnds.names

    def measured_names(self: BookEnds, *args: Any) -> int:
        held.append(tracemalloc.get_traced_memory()[0])
        return names(self, *args)

    monkeypatch.setattr(BookEnds, "names", measured_names)
    results = Chunks(chunks)
    book = book_of(results.articles)
    ctx = ExportContext(out_dir=tmp_path, theme=Theme.load(), base_url="https://example.org")
    out = tmp_path / f"{chunks}.pdf"
    tracemalloc.start()
    try:
        with out.open("wb") as handle:
            binding.assemble_book(book, results, ctx, PdfOptions(), handle)
    finally:
        tracemalloc.stop()
    return held[0], len(PdfReader(out).pages)


def test_memory_held_per_article_does_not_grow_with_the_book(
        tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kept anchor as a string and a Spot, the used targets' strings, a Heading per
    article and a Sheet per page held about 1.5 KB an article here; arrays indexed by
    anchor slot hold about 500 bytes (most of it the file's cross-reference entries and
    the names of the headings other articles link to)."""
    monkeypatch.setattr(binding, "typeset", quick_typeset)
    monkeypatch.setattr(binding, "furniture_runs", endless_furniture)
    small, small_pages = held_by_joining(40, tmp_path, monkeypatch)
    large, large_pages = held_by_joining(160, tmp_path, monkeypatch)
    assert small_pages > 40 * ARTICLES_PER_CHUNK * PAGES_PER_ARTICLE
    assert large_pages > 160 * ARTICLES_PER_CHUNK * PAGES_PER_ARTICLE
    per_article = (large - small) / (120 * ARTICLES_PER_CHUNK)
    assert per_article < 800, f"{per_article:.0f} bytes an article ({small} -> {large})"
