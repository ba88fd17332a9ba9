"""Binding a book typeset in pieces: front matter, body chunks and index joined in order.

The chunks are read twice, one at a time (each holds its piece's PDF): first for their
page marks and keywords, which fix every article's page number, then to be joined. The
contents and the index are typeset in pieces of bounded length with those numbers, each
WeasyPrint document freed before the next; front matter is numbered in roman numerals and
padded to an even page count, so the body starts at 1 on a right-hand page; running heads
and folios are laid over the body pages last.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import BinaryIO

from pressroom.exporter import ExportContext
from pressroom.keywords import keyword_index
from pressroom.model import Book
from pressroom_pdf.assemble import Assembly, OutlineGroup
from pressroom_pdf.document import ASSET_BASE, book_html, contents_groups
from pressroom_pdf.fetcher import RestrictedFetcher
from pressroom_pdf.furniture import Heading, furniture_runs, sheets
from pressroom_pdf.options import PdfOptions
from pressroom_pdf.paper import MM, Paper
from pressroom_pdf.pieces import contents_pieces, index_pieces
from pressroom_pdf.printing import (
    ChunkResult,
    article_break,
    css_of,
    document_info,
    fetcher_of,
)
from pressroom_pdf.typeset import PageMarks, Typeset, typeset

INDEX_ANCHOR = "index"


def assemble_book(book: Book, results: Sequence[ChunkResult], ctx: ExportContext,
                  options: PdfOptions, handle: BinaryIO) -> None:
    """Write the whole book from its typeset chunks, in order (`results` may load each
    chunk as it is reached: it is read twice, never held whole)."""
    paper = Paper.of(options.paper, options.mirror)
    fetcher = fetcher_of(ctx)
    body: list[PageMarks] = []
    tagged: list[tuple[str, tuple[str, ...]]] = []
    for result in results:
        body.extend(result.typeset.pages)
        tagged.extend(result.tagged)
    pages = _start_pages(body, book)
    index = keyword_index(tagged)
    if index:
        pages[INDEX_ANCHOR] = str(len(body) + 1)
    assembly = Assembly()
    for piece in _front(book, ctx, options, paper, fetcher, pages, bool(index)):
        assembly.append(piece)
        if len(assembly.pdf.pages) % 2:
            assembly.add_blank(paper.width * MM, paper.height * MM)
    start = len(assembly.pdf.pages)
    for result in results:
        assembly.append(result.typeset)
    css = css_of(ctx, ["pdf"], paper.body_css(), fetcher)
    for n, piece in enumerate(index_pieces(index, options.index_locators)):
        html = book_html(ctx.theme, book, ("back" if n == 0 else "index",),
                         article_break=article_break(ctx), pages=pages, index=piece)
        assembly.append(typeset(html, ASSET_BASE, fetcher, css, book.modified))
    for number in range(start + 1, len(assembly.pdf.pages), 2):
        assembly.shift(number, paper.verso_shift)
    _stamp(assembly, start, book, ctx, paper, fetcher)
    keys = {article.key for article in book.collection.articles}
    assembly.link(keys | {INDEX_ANCHOR})
    groups = [OutlineGroup(g.title, tuple((e.question, e.key) for e in g.entries))
              for g in contents_groups(book)]
    assembly.outline(groups, [("Index", INDEX_ANCHOR)] if index else [])
    assembly.label(start)
    assembly.save(handle, document_info(book, tagged), book.language)


def _front(book: Book, ctx: ExportContext, options: PdfOptions, paper: Paper,
           fetcher: RestrictedFetcher, pages: dict[str, str], has_index: bool
           ) -> Iterator[Typeset]:
    """Cover, title page and the contents, typeset in pieces of at most `contents_lines`
    lines; each piece after the first goes on numbering where the one before stopped
    (every piece but the last is padded to an even page count by the caller)."""
    pieces = contents_pieces(contents_groups(book), options.contents_lines) or [()]
    first_page = 1
    for n, piece in enumerate(pieces):
        last = n == len(pieces) - 1
        html = book_html(ctx.theme, book, ("front" if n == 0 else "contents",),
                         article_break=article_break(ctx), pages=pages, contents=piece,
                         index=[], index_line=has_index and last)
        numbering = f"@page :first {{ counter-reset: page {first_page} }}\n" if n else ""
        css = css_of(ctx, ["pdf", "pdf-front"], paper.front_css() + numbering, fetcher)
        piece_pdf = typeset(html, ASSET_BASE, fetcher, css, book.modified)
        first_page += len(piece_pdf.pages) + len(piece_pdf.pages) % 2
        yield piece_pdf


def _start_pages(body: Sequence[PageMarks], book: Book) -> dict[str, str]:
    """The printed number of the body page each article starts on, by its anchor."""
    keys = {article.key for article in book.collection.articles}
    pages: dict[str, str] = {}
    for number, page in enumerate(body, start=1):
        for name in page.anchors:
            if name in keys:
                pages.setdefault(name, str(number))
    return pages


def _stamp(assembly: Assembly, start: int, book: Book, ctx: ExportContext, paper: Paper,
           fetcher: RestrictedFetcher) -> None:
    """Lay the running heads and folios over every page from `start` on, a run at a time."""
    headings = [Heading(a.key, a.subject or book.collection.title, a.question)
                for a in book.collection.articles]
    back = Heading(INDEX_ANCHOR, "Index", "Index")
    wanted = sheets(assembly.marks[start:], headings, book.title, back)
    for first, run in furniture_runs(ctx.theme, paper, fetcher, book.language, book.title,
                                     wanted, book.modified):
        with run:
            for offset in range(len(run.pages)):
                assembly.stamp(start + first + offset, run, offset)
