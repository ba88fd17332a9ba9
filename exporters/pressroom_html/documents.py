"""The study site's three page kinds, rendered from the theme: article, collection, site index."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from pressroom.jsonld import Page
from pressroom.model import Book, RenderedArticle
from pressroom.pagegraph import SCHEMA_ORG, GraphOptions, page_graph
from pressroom.pages import article_fragment
from pressroom.seo import Site
from pressroom.themes import Theme
from pressroom_html.paths import CSS_PATH, SITE_INDEX_PATH, href

ARTICLE_TEMPLATE = "html/article.html.j2"
COLLECTION_TEMPLATE = "html/collection.html.j2"
SITE_TEMPLATE = "html/site.html.j2"


@dataclass(frozen=True)
class Crumb:
    """One step of a page's breadcrumb trail: its name and a link from this page."""

    name: str
    href: str


@dataclass(frozen=True)
class Entry:
    """One line of an index page: title, link and an optional note (a date, a count)."""

    title: str
    href: str
    note: str = ""


def _head(source: str, title: str, canonical: str, description: str,
          language: str) -> dict[str, Any]:
    return {"title": title, "canonical": canonical, "description": description,
            "language": language, "css_href": href(source, CSS_PATH),
            "home_href": href(source, SITE_INDEX_PATH)}


def article_page(theme: Theme, book: Book, rendered: RenderedArticle, page: Page, site: Site,
                 options: GraphOptions, source: str, trail: Sequence[Crumb]) -> str:
    """One article's page at site path `source`: the shared fragment and its JSON-LD.

    The book's related targets carry page paths as `internal_key` (parts.site_linked).
    """
    graph = {"@context": SCHEMA_ORG, "@graph": page_graph(page, site, options)}
    fragment = article_fragment(theme, book, rendered,
                                internal_href=lambda target: href(source, target))
    article = rendered.article
    return theme.render(
        ARTICLE_TEMPLATE, fragment=Markup(fragment), graph=graph, trail=trail,
        **_head(source, article.title or article.question, page.url, page.description,
                book.language))


def collection_page(theme: Theme, book: Book, source: str, entries: Sequence[Entry],
                    trail: Sequence[Crumb], canonical: str) -> str:
    """A collection's index at `source`: its title and every article in book order."""
    return theme.render(
        COLLECTION_TEMPLATE, book=book, entries=entries, trail=trail,
        **_head(source, book.title, canonical,
                f"{len(entries)} questions and answers: {book.title}.", book.language))


def site_page(theme: Theme, entries: Sequence[Entry], site_title: str, canonical: str,
              language: str) -> str:
    """The site index: every collection with how many articles it holds."""
    return theme.render(
        SITE_TEMPLATE, entries=entries, trail=[],
        **_head(SITE_INDEX_PATH, site_title, canonical,
                f"{site_title}: {len(entries)} collections of questions and answers.",
                language))
