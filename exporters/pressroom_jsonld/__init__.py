"""JSON-LD exporter: a schema.org `@graph` per article, checked against the vocabulary."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from pressroom.books import book_runs
from pressroom.errors import ContentError, ContentWarning
from pressroom.exporter import ExportContext, Exporter
from pressroom.jsonld import Node, Page
from pressroom.lastmod import LastModified
from pressroom.model import Book, RenderedArticle
from pressroom.pagegraph import GraphOptions, page_facts, page_graph
from pressroom.richresults import PAGE_TYPE_HELP, required_violations
from pressroom.schemaorg import vocabulary, vocabulary_violations
from pressroom.seo import Site
from pressroom_jsonld.forms import (
    FORMS,
    SCRIPT_SUFFIX,
    document,
    output_path,
    script_safe_json,
    script_tag,
)

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
class JsonLdOptions(GraphOptions):
    """Site facts, policy and graph shape (see GraphOptions), and what this exporter writes.

    `forms`: page (dist/jsonld/<url path>.jsonld), ndjson (<collection>.ndjson, one graph
    per line) and script (<url path>.jsonld.html, a ready <script> element).
    `chunk_articles`: a bigger book's graphs are made in runs of this many articles, each
    its own task kept by its key, so an edit makes one run again.
    """

    forms: list[str] = field(default_factory=lambda: ["page", "ndjson"])
    chunk_articles: int = 250

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.chunk_articles < 1:
            raise ValueError(f"jsonld chunk_articles must be at least 1, "
                             f"not {self.chunk_articles!r}")
        unknown = sorted(set(self.forms) - set(FORMS))
        if unknown or not self.forms:
            raise ValueError(f"jsonld forms must be some of {', '.join(FORMS)}, "
                             f"not {self.forms!r}")


class JsonLdExporter(Exporter[JsonLdOptions]):
    """Writes each article's JSON-LD at its URL path, and one NDJSON file per collection."""

    name = "jsonld"
    suffix = ".jsonld"
    math = "tex"
    whole_site = False
    description = "schema.org JSON-LD per page and NDJSON per book, vocabulary-checked"

    def warm_up(self) -> None:
        """The schema.org vocabulary every run checks its graphs against (0.3 s)."""
        vocabulary()

    def chunks(self, part: Book) -> list[Book]:
        """Runs of `chunk_articles` articles made apart; none for a smaller book."""
        if len(part.articles) <= self.options.chunk_articles:
            return []
        return book_runs(part, self.options.chunk_articles)

    def export_chunk(self, chunk: Book, ctx: ExportContext) -> list[PageDocument]:
        """The checked JSON-LD documents of one run of articles."""
        return list(self._documents(chunk, ctx))

    def assemble(self, part: Book, results: Sequence[list[PageDocument]],
                 ctx: ExportContext) -> None:
        """Write a chunked book's files from its runs' documents, in order."""
        self._write(part, (document for run in results for document in run), ctx)

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write every book's pages, article by article."""
        for book in books:
            self._write(book, self._documents(book, ctx), ctx)

    def _documents(self, book: Book, ctx: ExportContext) -> Iterator[PageDocument]:
        """Each article's graph, checked against the vocabulary, as JSON text."""
        options = self.options
        site = options.site(ctx.base_url, book.author, book.language)
        lastmod = LastModified(options.lastmod, ctx.source_history, ctx.error)
        for rendered in book.articles:
            page = _page(rendered, book, site, options, lastmod, ctx)
            if page is None:
                continue
            graph = page_graph(page, site, options)
            _check(graph, rendered, options.schema_type, ctx)
            article = rendered.article
            data = (document(graph) + "\n").encode("utf-8")
            yield PageDocument(page.url, output_path(page.url, self.suffix), data,
                               hashlib.sha256(data).hexdigest(), str(article.source),
                               article.line_of("url"))

    def _write(self, book: Book, documents: Iterable[PageDocument], ctx: ExportContext) -> None:
        """The book's files: one per page (each url once), and the NDJSON of them all."""
        forms = self.options.forms
        seen: set[str] = set()
        with ExitStack() as stack:
            lines: BinaryIO | None = None
            if "ndjson" in forms:
                lines = stack.enter_context(ctx.open(f"{book.slug}.ndjson"))
            for page in documents:
                if page.url in seen:
                    ctx.warn(str(ContentWarning(Path(page.source), page.line, f"{page.url} "
                                                f"is already in the {book.slug} JSON-LD; "
                                                "written once")))
                    continue
                seen.add(page.url)
                if lines is not None:
                    lines.write(page.data)
                if "page" in forms:
                    ctx.write(page.file, page.data, page.digest)
                if "script" in forms:
                    ctx.write(output_path(page.url, SCRIPT_SUFFIX),
                              script_tag(page.data[:-1].decode("utf-8")))


class PageDocument(NamedTuple):
    """One page's JSON-LD file (where it goes, its JSON and a newline, which is also its
    NDJSON line, and its SHA-256) and where its url stands in its source (for warnings).
    Bytes and plain strings, made in the run: a run's 1,000 of them load back from the
    chunk store without decoding text or making paths, and the assemble hashes nothing."""

    url: str
    file: str
    data: bytes
    digest: str
    source: str
    line: int | None


def _warn(ctx: ExportContext, rendered: RenderedArticle, message: str) -> None:
    article = rendered.article
    ctx.warn(str(ContentWarning(article.source, article.line_of("url"), message)))


def _page(rendered: RenderedArticle, book: Book, site: Site, options: JsonLdOptions,
          lastmod: LastModified, ctx: ExportContext) -> Page | None:
    """The article's page facts, or None (with a warning) when its url is not on the site."""
    article = rendered.article
    try:
        page = page_facts(rendered, book, site, options, lastmod(article))
    except ValueError as exc:
        _warn(ctx, rendered, f"{exc}: {article.url!r}; left out of the JSON-LD")
        return None
    if not page.answer:
        _warn(ctx, rendered, "empty answer; its Question has no acceptedAnswer in the JSON-LD")
    return page


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
