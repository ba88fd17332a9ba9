"""Binding a book typeset in pieces: front matter, body chunks and index written in order.

The chunks are read three times, one at a time (each holds its piece's PDF): for the
targets of their links and their keywords, then for their anchors (the articles', the
index's and those a link names: a heading's anchor no one links to would be most of
them), which fix every article's page number, then to be written. The contents and the
index are typeset in pieces of bounded length with those numbers, each WeasyPrint
document freed before the next, and wait on disk; front matter is numbered in roman
numerals and padded to an even page count, so the body starts at 1 on a right-hand page.
Then the file is written as a stream, piece after piece (verso pages moved, running heads
and folios laid over the body pages, links added), and the book-wide objects last. Memory
holds one piece and, for the whole book, arrays (places.py): each kept anchor's place,
each article's first page, each page's heading. A PDF/A or PDF/UA variant is typeset and
bound the same way, its pieces tagged: their structure trees are joined as they are
written, and the catalog gets the metadata the variant asks for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain
from typing import BinaryIO

import pikepdf

from pressroom.exporter import ExportContext
from pressroom.keywords import keyword_index
from pressroom.model import Book
from pressroom_pdf.assemble import Piece
from pressroom_pdf.bookends import BookEnds, OutlineGroup
from pressroom_pdf.conformance import catalog_entries, conforming_info
from pressroom_pdf.document import ASSET_BASE, book_html, contents_groups
from pressroom_pdf.fetcher import RestrictedFetcher
from pressroom_pdf.furniture import Heading, SheetRuns, Sheets, furniture_runs
from pressroom_pdf.options import PdfOptions
from pressroom_pdf.paper import MM, Paper
from pressroom_pdf.pdffile import PdfFile
from pressroom_pdf.pieces import contents_pieces, index_pieces
from pressroom_pdf.places import BACK, BODY, FRONT, BookPlaces, PageNumbers
from pressroom_pdf.printing import (
    ChunkResult,
    article_break,
    css_of,
    document_info,
    fetcher_of,
)
from pressroom_pdf.spool import spool
from pressroom_pdf.typeset import Typeset, typeset

INDEX_ANCHOR = "index"


def assemble_book(book: Book, results: Sequence[ChunkResult], ctx: ExportContext,
                  options: PdfOptions, handle: BinaryIO) -> None:
    """Write the whole book from its typeset chunks, in order (`results` may load each
    chunk as it is reached: it is read three times, never held whole)."""
    paper = Paper.of(options.paper, options.mirror)
    fetcher = fetcher_of(ctx)
    articles = book.collection.articles
    places = BookPlaces([article.key for article in articles], INDEX_ANCHOR)
    linked, tagged = _links_and_keywords(results, places)
    places.add_pages(BODY, chain.from_iterable(r.typeset.pages for r in results),
                     linked | {INDEX_ANCHOR})
    del linked
    index = keyword_index(tagged)
    info = document_info(book, tagged)
    del tagged
    pages = PageNumbers(places, INDEX_ANCHOR if index else None)
    with spool() as front, spool() as back:
        for piece in _front(book, ctx, options, paper, fetcher, pages, bool(index)):
            front.add(piece)
            places.add_pages(FRONT, piece.pages)
            places.pad_front()
        css = css_of(ctx, ["pdf"], paper.body_css(), fetcher)
        for n, part in enumerate(index_pieces(index, options.index_locators)):
            html = book_html(ctx.theme, book, ("back" if n == 0 else "index",),
                             article_break=article_break(ctx), pages=pages, index=part)
            piece = typeset(html, ASSET_BASE, fetcher, css, book.modified, options.variant)
            back.add(piece)
            places.add_pages(BACK, piece.pages)
        has_index = bool(index)
        del index
        start = places.start = places.counts[FRONT]
        places.verso_shift = paper.verso_shift
        runs = SheetRuns(_furniture(places, book, ctx, paper, fetcher))
        ends = BookEnds(PdfFile(handle), tagged=bool(options.variant))
        places.use(article.key for article in articles)
        places.use([INDEX_ANCHOR])
        for piece, is_front in chain(((p, True) for p in front),
                                     ((r.typeset, False) for r in results),
                                     ((p, False) for p in back)):
            places.use(_write_piece(piece, is_front, ends, runs, places, start, paper))
        runs.close()
    groups = [OutlineGroup(g.title, tuple((e.question, e.key) for e in g.entries))
              for g in contents_groups(book)]
    names = ends.names(places, places.used())
    outline = ends.outline(places, groups, [("Index", INDEX_ANCHOR)] if has_index else [])
    extra = b""
    if options.variant:
        info = conforming_info(info)
        extra = catalog_entries(ends.file, options.variant, info, book.modified)
    ends.finish(names, outline, start, info, book.language, extra)


def _links_and_keywords(results: Iterable[ChunkResult], places: BookPlaces
                        ) -> tuple[set[str], list[tuple[str, tuple[str, ...]]]]:
    """The body's link targets that are not articles' anchors (those are kept anyway), and
    every article's (key, keywords), each keyword's text held once."""
    linked: set[str] = set()
    tagged: list[tuple[str, tuple[str, ...]]] = []
    words: dict[str, str] = {}
    for result in results:
        linked.update(target for page in result.typeset.pages for target, _ in page.links
                      if not places.is_article(target))
        tagged.extend((key, tuple(words.setdefault(w, w) for w in keywords))
                      for key, keywords in result.tagged)
    return linked, tagged


def _write_piece(typeset: Typeset, is_front: bool, ends: BookEnds, runs: SheetRuns,
                 spots: BookPlaces, start: int, paper: Paper) -> set[str]:
    """Finish one piece (padding of the front matter, verso shift, furniture, links) and
    write it; the link targets it used."""
    piece = Piece(typeset, ends.file, ends.structure)
    first = len(ends.page_numbers)
    if is_front and (first + len(piece)) % 2:
        piece.add_blank(paper.width * MM, paper.height * MM)
    for offset in range(len(piece)):
        number = first + offset - start  # counted from the first body page
        if number > 0 and number % 2:
            piece.shift(offset, paper.verso_shift)
        if number >= 0:
            piece.stamp(offset, *runs.sheet(number))
    used = piece.link(spots)
    ends.add_piece(piece.node_number, piece.write(ends.root_pages))
    return used


def _front(book: Book, ctx: ExportContext, options: PdfOptions, paper: Paper,
           fetcher: RestrictedFetcher, pages: Mapping[str, str], has_index: bool
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
        piece_pdf = typeset(html, ASSET_BASE, fetcher, css, book.modified, options.variant)
        first_page += len(piece_pdf.pages) + len(piece_pdf.pages) % 2
        yield piece_pdf


def _furniture(places: BookPlaces, book: Book, ctx: ExportContext, paper: Paper,
               fetcher: RestrictedFetcher) -> Iterator[tuple[int, pikepdf.Pdf]]:
    """The running heads and folios of the pages from the body on, a run at a time."""
    articles = book.collection.articles
    title = book.collection.title

    def heading(number: int) -> Heading:
        article = articles[number]
        return Heading(article.key, article.subject or title, article.question)

    wanted = Sheets(places.heads, heading, len(articles), book.title,
                    Heading(INDEX_ANCHOR, "Index", "Index"))
    return furniture_runs(ctx.theme, paper, fetcher, book.language, book.title, wanted,
                          book.modified)
