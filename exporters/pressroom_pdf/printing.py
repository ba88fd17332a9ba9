"""Typesetting a body chunk (in a worker of its own), and what the pieces of a book share.

The chunks of a book are joined by binding.py; the stylesheets, fetcher and document
information are here, and the whole book as one HTML document (dumped to time bare
WeasyPrint against pressroom).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from weasyprint import CSS

from pressroom.exporter import ExportContext
from pressroom.model import Book, RenderedArticle
from pressroom.render.highlight import theme_code_css
from pressroom_pdf.document import (
    ASSET_BASE,
    WHOLE,
    Tagged,
    article_fragments,
    book_assets,
    book_html,
    book_keywords,
    generator,
    image_owners,
)
from pressroom_pdf.fetcher import RestrictedFetcher
from pressroom_pdf.options import PdfOptions
from pressroom_pdf.paper import Paper
from pressroom_pdf.typeset import Typeset, stylesheets, typeset

ONE_PIECE = ("pdf", "pdf-front", "pdf-one-piece")


@dataclass(frozen=True)
class ChunkResult:
    """A typeset body chunk and its articles' (key, keywords), for the index."""

    typeset: Typeset
    tagged: tuple[tuple[str, tuple[str, ...]], ...]


def css_of(ctx: ExportContext, kinds: Sequence[str], geometry: str,
         fetcher: RestrictedFetcher) -> list[CSS]:
    """The theme's stylesheets of `kinds`, its code colours, then the page geometry."""
    paths = [path for kind in kinds for path in ctx.theme.stylesheets(kind)]
    return stylesheets(ctx.theme, paths, theme_code_css(ctx.theme) + geometry, fetcher)


def fetcher_of(ctx: ExportContext, articles: Sequence[RenderedArticle] = ()) -> RestrictedFetcher:
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
    fetcher = fetcher_of(ctx, articles)
    fragments, tagged = article_fragments(ctx.theme, chunk, articles)
    html = book_html(ctx.theme, chunk, ("body",), article_break=article_break(ctx),
                     fragments=fragments, tagged=tagged, pages={})
    paper = Paper.of(options.paper, options.mirror)
    css = css_of(ctx, ["pdf"], paper.body_css(), fetcher)
    return ChunkResult(typeset(html, ASSET_BASE, fetcher, css, chunk.modified, options.variant),
                       tuple(tagged))


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
