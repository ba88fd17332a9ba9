"""JSON-LD exporter: per book, a list of one schema.org `@graph` per article, script-safe."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.jsonld import Node, Site, article_nodes, site_nodes
from pressroom.model import Book

PAGE_TYPES = ("WebPage", "QAPage", "FAQPage")
SCHEMA_ORG = "https://schema.org"

# Characters that could end a <script> element or open markup inside it, and the two
# line separators older JavaScript parsers choke on; all are legal JSON \u escapes.
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                  ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@dataclass
class JsonLdOptions(ExporterOptions):
    """`page_type`: the schema.org type of each page: WebPage (default), QAPage or FAQPage."""

    page_type: str = "WebPage"

    def __post_init__(self) -> None:
        if self.page_type not in PAGE_TYPES:
            raise ValueError(f"jsonld page_type must be one of {', '.join(PAGE_TYPES)}, "
                             f"not {self.page_type!r}")


def script_safe_json(node: Any) -> str:
    """Compact one-line JSON for `node`, with <, >, & escaped so it can sit inside <script>."""
    text = json.dumps(node, ensure_ascii=False)
    for char, escaped in _SCRIPT_UNSAFE:
        text = text.replace(char, escaped)
    return text


class JsonLdExporter(Exporter):
    """Writes dist/jsonld/<book>.jsonld: a JSON array of one `@graph` document per article."""

    name = "jsonld"
    suffix = ".jsonld"
    binary = False
    math = "tex"
    whole_site = False
    description = "schema.org JSON-LD feed per book (WebPage, Article, Question, breadcrumbs)"
    Options: ClassVar[type[ExporterOptions]] = JsonLdOptions

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write one feed per book; return the files written."""
        return [self._write_book(book, ctx) for book in books]

    def _write_book(self, book: Book, ctx: ExportContext) -> Path:
        options: JsonLdOptions = self.options  # type: ignore[assignment]
        site = Site(ctx.base_url, book.author, book.language, options.page_type)
        relative = f"{book.slug}{self.suffix}"
        with ctx.open(relative) as handle:
            handle.write(b"[\n")
            for n, graph in enumerate(_article_graphs(book, site, ctx)):
                document = {"@context": SCHEMA_ORG, "@graph": graph}
                handle.write((",\n" if n else "").encode() + script_safe_json(document).encode())
            handle.write(b"\n]\n")
        return ctx.path_for(relative)


def _article_graphs(book: Book, site: Site, ctx: ExportContext) -> Iterator[list[Node]]:
    """One self-contained `@graph` per article (what its page embeds), streamed in order."""
    shared = site_nodes(site)
    seen: set[str] = set()
    for rendered in book.articles:
        article = rendered.article
        if article.url in seen:
            ctx.warn(f"{article.source}: {article.url} is already in the {book.slug} feed; "
                     "written once")
            continue
        seen.add(article.url)
        answer = rendered.text or article.description
        if not answer:
            ctx.warn(f"{article.source}: empty answer; its Question has no acceptedAnswer "
                     "in the JSON-LD feed")
        related = [target.absolute_url for target in book.related_targets(article)]
        yield [*shared, *article_nodes(article, answer, related, site)]
