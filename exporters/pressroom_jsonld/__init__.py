"""JSON-LD exporter: a schema.org `@graph` per article, checked against the vocabulary."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, ClassVar

from pressroom.errors import ContentError, ContentWarning
from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.lastmod import LastModified
from pressroom.model import Book, RenderedArticle
from pressroom.richresults import PAGE_TYPE_HELP, PAGE_TYPES, required_violations
from pressroom.schemaorg import vocabulary_violations
from pressroom.seo import Site, SiteOptions, summary
from pressroom_jsonld.forms import (
    FORMS,
    SCRIPT_SUFFIX,
    document,
    output_path,
    script_safe_json,
    script_tag,
)
from pressroom_jsonld.graph import Node, Page, article_nodes, site_nodes
from pressroom_jsonld.trail import breadcrumbs

__all__ = ["PAGE_TYPE_HELP", "JsonLdExporter", "JsonLdOptions", "script_safe_json"]

VOCABULARY_HINT = "schema.org 30.0 vocabulary"
REQUIRED_HINT = "Google's required properties for this rich result"
# Which front-matter fields a property of the graph comes from, for `path:line` in errors.
_FIELDS = {
    "name": ("title", "question"), "headline": ("title", "article_title"),
    "text": ("answer", "question"), "acceptedAnswer": ("answer",),
    "answerCount": ("answer",), "description": ("seo", "description"),
    "datePublished": ("date",), "author": ("author",), "keywords": ("seo", "tags"),
}


@dataclass
class JsonLdOptions(SiteOptions):
    """Site facts and policy (see SiteOptions), and what this exporter writes.

    `page_type`: article, qapage or faqpage (PAGE_TYPE_HELP says when each fits).
    `forms`: page (dist/jsonld/<url path>.jsonld), ndjson (<collection>.ndjson, one graph
    per line) and script (<url path>.jsonld.html, a ready <script> element).
    `breadcrumb_levels`: which parent paths of a page's URL, counted in path segments,
    become crumbs (`[2]` gives Home › /learn/<subject> › page); every one when empty.
    `breadcrumb_home`: the first crumb's name.
    """

    page_type: str = "article"
    forms: list[str] = field(default_factory=lambda: ["page", "ndjson"])
    breadcrumb_levels: list[int] = field(default_factory=list)
    breadcrumb_home: str = "Home"

    def __post_init__(self) -> None:
        super().__post_init__()
        legacy = {schema_type.lower(): name for name, schema_type in PAGE_TYPES.items()}
        self.page_type = legacy.get(self.page_type.lower(), self.page_type.lower())
        if self.page_type not in PAGE_TYPES:
            raise ValueError(f"jsonld page_type must be one of {', '.join(PAGE_TYPES)}, "
                             f"not {self.page_type!r}")
        unknown = sorted(set(self.forms) - set(FORMS))
        if unknown or not self.forms:
            raise ValueError(f"jsonld forms must be some of {', '.join(FORMS)}, "
                             f"not {self.forms!r}")
        if any(not isinstance(n, int) or n < 1 for n in self.breadcrumb_levels):
            raise ValueError(f"jsonld breadcrumb_levels must be positive integers, "
                             f"not {self.breadcrumb_levels!r}")

    @property
    def schema_type(self) -> str:
        """The schema.org type of each page."""
        return PAGE_TYPES[self.page_type]


class JsonLdExporter(Exporter):
    """Writes each article's JSON-LD at its URL path, and one NDJSON file per collection."""

    name = "jsonld"
    suffix = ".jsonld"
    binary = False
    math = "tex"
    whole_site = False
    description = "schema.org JSON-LD per page and NDJSON per book, vocabulary-checked"
    Options: ClassVar[type[ExporterOptions]] = JsonLdOptions

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write every book's pages, article by article; return the files written."""
        before = len(ctx.written)
        for book in books:
            self._write_book(book, ctx)
        return ctx.written[before:]

    def _write_book(self, book: Book, ctx: ExportContext) -> None:
        options: JsonLdOptions = self.options  # type: ignore[assignment]
        site = options.site(ctx.base_url, book.author, book.language)
        lastmod = LastModified(options.lastmod, ctx.content_dir, ctx.warn, ctx.error)
        shared = site_nodes(site)
        seen: set[str] = set()
        with ExitStack() as stack:
            lines: BinaryIO | None = None
            if "ndjson" in options.forms:
                lines = stack.enter_context(ctx.open(f"{book.slug}.ndjson"))
            for rendered in book.articles:
                page = _page(rendered, book, site, options, lastmod, ctx)
                if page is None or page.url in seen:
                    if page is not None:
                        _warn(ctx, rendered, f"{page.url} is already in the {book.slug} "
                                             "JSON-LD; written once")
                    continue
                seen.add(page.url)
                graph = [*shared, *article_nodes(page, site, options.schema_type)]
                _check(graph, rendered, options.schema_type, ctx)
                text = document(graph)
                if lines is not None:
                    lines.write(text.encode("utf-8") + b"\n")
                if "page" in options.forms:
                    ctx.write(output_path(page.url, self.suffix), text + "\n")
                if "script" in options.forms:
                    ctx.write(output_path(page.url, SCRIPT_SUFFIX), script_tag(text))


def _warn(ctx: ExportContext, rendered: RenderedArticle, message: str) -> None:
    article = rendered.article
    ctx.warn(str(ContentWarning(article.source, article.line_of("url"), message)))


def _page(rendered: RenderedArticle, book: Book, site: Site, options: JsonLdOptions,
          lastmod: LastModified, ctx: ExportContext) -> Page | None:
    """The article's page facts, or None (with a warning) when its url is not on the site."""
    article = rendered.article
    try:
        url = site.page_url(article.url)
        crumbs = breadcrumbs(article.url, article.title or article.question, site,
                             options.breadcrumb_levels, options.breadcrumb_home,
                             (book.collection.title, article.subject))
    except ValueError as exc:
        _warn(ctx, rendered, f"{exc}: {article.url!r}; left out of the JSON-LD")
        return None
    answer = rendered.text or article.description
    if not answer:
        _warn(ctx, rendered, "empty answer; its Question has no acceptedAnswer in the JSON-LD")
    return Page(article, url, answer, summary(article, answer), lastmod(article),
                _related(rendered, site), crumbs)


def _related(rendered: RenderedArticle, site: Site) -> tuple[str, ...]:
    """The absolute URLs of the article's related links that are paths on this site."""
    urls = []
    for link in rendered.article.related:
        try:
            urls.append(site.page_url(link.url))
        except ValueError:
            continue
    return tuple(urls)


def _check(graph: list[Node], rendered: RenderedArticle, schema_type: str,
           ctx: ExportContext) -> None:
    """Report every vocabulary or rich-result violation as a content error of the article."""
    article = rendered.article
    problems = ((problem, hint) for found, hint in (
        (vocabulary_violations(graph), VOCABULARY_HINT),
        (required_violations(graph, schema_type), REQUIRED_HINT)) for problem in found)
    for problem, hint in dict.fromkeys(problems):
        fields = _FIELDS.get(problem.property.split(" or ")[0], ())
        line = next(filter(None, map(article.line_of, fields)), None)
        ctx.error(ContentError(article.source, line, f"JSON-LD {problem}", hint))
