"""A book printed in pieces: body chunks typeset apart, then front and back matter, joined.

The body is typeset in chunks of articles (each in a worker of its own). Once their page
counts are known, the contents and the keyword index are typeset with the right page
numbers, the front matter (cover, title page, contents, numbered in roman numerals) is
put before the body, whose numbers start at 1 on a right-hand page, and the running heads
and folios are laid over the body pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from weasyprint import CSS, HTML

from pressroom.exporter import ExportContext
from pressroom.keywords import keyword_index
from pressroom.model import Book, RenderedArticle
from pressroom.render.highlight import theme_code_css
from pressroom_pdf.assemble import Assembly, OutlineGroup
from pressroom_pdf.document import (
    ASSET_BASE,
    WHOLE,
    Tagged,
    article_fragments,
    book_assets,
    book_html,
    book_keywords,
    contents_groups,
    generator,
    image_owners,
)
from pressroom_pdf.fetcher import RestrictedFetcher
from pressroom_pdf.furniture import Heading, furniture_runs, sheets
from pressroom_pdf.options import PdfOptions
from pressroom_pdf.paper import MM, Paper
from pressroom_pdf.typeset import PageMarks, Typeset, source_date_epoch, stylesheets, typeset

INDEX_ANCHOR = "index"
ONE_PIECE = ("pdf", "pdf-front", "pdf-one-piece")


@dataclass(frozen=True)
class ChunkResult:
    """A typeset body chunk and its articles' (key, keywords), for the index."""

    typeset: Typeset
    tagged: tuple[tuple[str, tuple[str, ...]], ...]


def _css(ctx: ExportContext, kinds: Sequence[str], geometry: str,
         fetcher: RestrictedFetcher) -> list[CSS]:
    """The theme's stylesheets of `kinds`, its code colours, then the page geometry."""
    paths = [path for kind in kinds for path in ctx.theme.stylesheets(kind)]
    return stylesheets(ctx.theme, paths, theme_code_css(ctx.theme) + geometry, fetcher)


def _fetcher(ctx: ExportContext, articles: Sequence[RenderedArticle] = ()) -> RestrictedFetcher:
    """Serves the theme's files and the articles' own assets, nothing else."""
    return RestrictedFetcher(ctx.theme.folders, ctx.warn, image_owners(articles, ASSET_BASE),
                             book_assets(articles, ASSET_BASE))


def article_break(ctx: ExportContext) -> str:
    """How the theme starts an article: on a new "page", or running on after a "rule"."""
    value = str(ctx.theme.option("pdf_article_break", "page"))
    if value not in ("page", "rule"):
        raise ValueError(f"theme option pdf_article_break must be page or rule, not {value!r}")
    return value


def typeset_chunk(chunk: Book, ctx: ExportContext, options: PdfOptions) -> ChunkResult:
    """Typeset a run of articles as body pages (every page laid out as a right-hand one)."""
    articles = list(chunk.articles)
    fetcher = _fetcher(ctx, articles)
    fragments, tagged = article_fragments(ctx.theme, chunk, articles)
    html = book_html(ctx.theme, chunk, ("body",), article_break=article_break(ctx),
                     fragments=fragments, tagged=tagged, pages={})
    paper = Paper.of(options.paper, options.mirror)
    css = _css(ctx, ["pdf"], paper.body_css(), fetcher)
    return ChunkResult(typeset(html, ASSET_BASE, fetcher, css, chunk.modified),
                       tuple(tagged))


def assemble_book(book: Book, results: Sequence[ChunkResult], ctx: ExportContext,
                  options: PdfOptions, handle: BinaryIO) -> None:
    """Write the whole book from its typeset chunks, in order."""
    paper = Paper.of(options.paper, options.mirror)
    fetcher = _fetcher(ctx)
    tagged = [item for result in results for item in result.tagged]
    body = [page for result in results for page in result.typeset.pages]
    pages = _start_pages(body, book)
    breaks = article_break(ctx)
    back = None
    if keyword_index(tagged):
        html = book_html(ctx.theme, book, ("back",), article_break=breaks, tagged=tagged,
                         pages=pages)
        css = _css(ctx, ["pdf"], paper.body_css(), fetcher)
        back = typeset(html, ASSET_BASE, fetcher, css, book.modified)
        pages[INDEX_ANCHOR] = str(len(body) + 1)
    front_html = book_html(ctx.theme, book, ("front",), article_break=breaks, tagged=tagged,
                           pages=pages)
    front_css = _css(ctx, ["pdf", "pdf-front"], paper.front_css(), fetcher)
    assembly = Assembly([typeset(front_html, ASSET_BASE, fetcher, front_css, book.modified)])
    if len(assembly.pdf.pages) % 2:
        assembly.add_blank(paper.width * MM, paper.height * MM)
    start = len(assembly.pdf.pages)
    for piece in [*(result.typeset for result in results), *([back] if back else [])]:
        assembly.append(piece)
    for index in range(start + 1, len(assembly.pdf.pages), 2):
        assembly.shift(index, paper.verso_shift)
    _stamp(assembly, start, book, ctx, paper, fetcher)
    keys = {article.key for article in book.collection.articles}
    assembly.link(keys | {INDEX_ANCHOR})
    groups = [OutlineGroup(g.title, tuple((e.question, e.key) for e in g.entries))
              for g in contents_groups(book)]
    assembly.outline(groups, [("Index", INDEX_ANCHOR)] if back else [])
    assembly.label(start)
    assembly.save(handle, document_info(book, tagged), book.language)


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
    headings = [Heading(a.key, a.subject or book.collection.title, a.question)
                for a in book.collection.articles]
    wanted = sheets(assembly.marks[start:], headings, book.title, INDEX_ANCHOR)
    for first, run in furniture_runs(ctx.theme, paper, fetcher, book.language, book.title,
                                     wanted, book.modified):
        for offset in range(len(run.pages)):
            assembly.stamp(start + first + offset, run, offset)
        assembly.keep_open(run)


def pdf_date(moment: dt.datetime) -> str:
    """A date as PDF writes it: D:YYYYMMDDHHmmSS+00'00'."""
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def document_info(book: Book, tagged: Tagged) -> dict[str, str]:
    """The PDF's document information: title, author, subject, keywords, dates."""
    count = len(book.collection.articles)
    info = {"Title": book.title, "Author": book.author,
            "Subject": f"{book.collection.title}: {count} question"
                       f"{'s' if count != 1 else ''} and answers",
            "Creator": generator(), "Producer": generator(),
            "CreationDate": pdf_date(book.modified), "ModDate": pdf_date(book.modified)}
    keywords = book_keywords(tagged)
    if keywords:
        info["Keywords"] = ", ".join(keywords)
    return info


def whole_html(book: Book, ctx: ExportContext) -> tuple[str, list[RenderedArticle]]:
    """The whole book as one HTML document that numbers its own pages (and its articles)."""
    articles = list(book.articles)
    fragments, tagged = article_fragments(ctx.theme, book, articles)
    return book_html(ctx.theme, book, WHOLE, article_break=article_break(ctx),
                     fragments=fragments, tagged=tagged, pages=None), articles


def one_piece_css(ctx: ExportContext, paper: Paper) -> list[str]:
    """The stylesheets of a book typeset in one piece, as text (the pieces' plus furniture)."""
    paths = [path for kind in ONE_PIECE for path in ctx.theme.stylesheets(kind)]
    return [ctx.theme.stylesheet(path) for path in paths] + [
        theme_code_css(ctx.theme) + paper.front_css()]


def print_one_piece(book: Book, ctx: ExportContext, options: PdfOptions,
                    handle: BinaryIO) -> None:
    """Typeset the whole book in one WeasyPrint run, as a PDF/A or PDF/UA variant needs
    (the file identifier is a hash of the HTML: the same content, the same bytes)."""
    html, articles = whole_html(book, ctx)
    fetcher = _fetcher(ctx, articles)
    paper = Paper.of(options.paper, options.mirror)
    css = _css(ctx, ONE_PIECE, paper.front_css(), fetcher)
    document = HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).render(
        stylesheets=css)
    with source_date_epoch(book.modified):
        document.write_pdf(handle, pdf_variant=options.variant or None, pdf_tags=True,
                           pdf_identifier=hashlib.md5(html.encode()).hexdigest().encode())
