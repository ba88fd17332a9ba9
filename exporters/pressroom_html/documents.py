"""The study site's three page kinds, rendered from the theme: article, collection, site index."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from pressroom.jsonld import DESCRIPTION_LIMIT, Node, Site, article_nodes, clip, site_nodes
from pressroom.model import Book, RenderedArticle, absolute_url
from pressroom.pages import article_fragment
from pressroom.themes import Theme
from pressroom_html.paths import CSS_PATH, SITE_INDEX_PATH, collection_path, href, page_path

SCHEMA_ORG = "https://schema.org"
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


def page_graph(book: Book, rendered: RenderedArticle, site: Site) -> Node:
    """The article's JSON-LD document: the very graph the jsonld exporter writes for it."""
    article = rendered.article
    answer = rendered.text or article.description
    related = [target.absolute_url for target in book.related_targets(article)]
    return {"@context": SCHEMA_ORG,
            "@graph": [*site_nodes(site), *article_nodes(article, answer, related, site)]}


def site_links(book: Book, paths: Mapping[str, str], pages: Set[str]) -> Book:
    """The book with every related link to a page of this site made internal.

    `paths` gives the page path of each article key in the book, `pages` every page path
    of the site. `internal_key` then holds the target's page path, so the shared fragment
    links within the site; a link to a page the site lacks stays on the base URL.
    """
    links = {}
    for key, targets in book.links.items():
        relinked = []
        for target in targets:
            path = paths.get(target.internal_key or "") or _site_path(target.link.url)
            relinked.append(dataclasses.replace(
                target, internal_key=path if path in pages else None))
        links[key] = tuple(relinked)
    return dataclasses.replace(book, links=links)


def _site_path(url: str) -> str | None:
    try:
        return page_path(url)
    except ValueError:
        return None


def _head(source: str, title: str, canonical: str, description: str,
          language: str) -> dict[str, Any]:
    return {"title": title, "canonical": canonical, "description": description,
            "language": language, "css_href": href(source, CSS_PATH),
            "home_href": href(source, SITE_INDEX_PATH)}


def article_page(theme: Theme, book: Book, linked: Book, rendered: RenderedArticle,
                 site: Site, site_title: str) -> str:
    """One article's page: breadcrumb, the shared article fragment and its JSON-LD."""
    article = rendered.article
    source = page_path(article.url)
    graph = page_graph(book, rendered, site)
    description = article.description or clip(rendered.text, DESCRIPTION_LIMIT)
    fragment = article_fragment(theme, linked, rendered,
                                internal_href=lambda target: href(source, target))
    trail = [Crumb(site_title, href(source, SITE_INDEX_PATH)),
             Crumb(book.collection.title, href(source, collection_path(book.slug)))]
    return theme.render(
        ARTICLE_TEMPLATE, fragment=Markup(fragment), graph=graph, trail=trail,
        **_head(source, article.title or article.question,
                absolute_url(book.base_url, source), description, book.language))


def collection_page(theme: Theme, book: Book, entries: Sequence[tuple[str, str, str]],
                    site_title: str) -> str:
    """A collection's index: its title and every article (title, date) in book order."""
    source = collection_path(book.slug)
    items = [Entry(title, href(source, path), note) for title, path, note in entries]
    return theme.render(
        COLLECTION_TEMPLATE, book=book, entries=items,
        trail=[Crumb(site_title, href(source, SITE_INDEX_PATH))],
        **_head(source, book.title, absolute_url(book.base_url, source),
                f"{len(items)} questions and answers: {book.title}.", book.language))


def site_page(theme: Theme, books: Sequence[Book], counts: Mapping[str, int],
              site_title: str, base_url: str, language: str) -> str:
    """The site index: every collection with how many articles it holds."""
    entries = [Entry(book.title, href(SITE_INDEX_PATH, collection_path(book.slug)),
                     f"{counts[book.slug]} articles") for book in books]
    return theme.render(
        SITE_TEMPLATE, entries=entries, trail=[],
        **_head(SITE_INDEX_PATH, site_title, absolute_url(base_url, ""),
                f"{site_title}: {len(entries)} collections of questions and answers.",
                language))
