"""One article's JSON-LD graph as every page format carries it: its options, facts and nodes.

The jsonld exporter writes this graph to files and the html exporter embeds it in each
page; both build it here, so a crawler reading either finds the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pressroom.jsonld import Node, Page, article_nodes, site_nodes
from pressroom.lastmod import Moment
from pressroom.model import Article, Book, RenderedArticle
from pressroom.richresults import PAGE_TYPES
from pressroom.seo import Site, SiteOptions, summary
from pressroom.trail import breadcrumbs

SCHEMA_ORG = "https://schema.org"


@dataclass
class GraphOptions(SiteOptions):
    """Site facts and policy (see SiteOptions), and how each page's graph is shaped.

    `page_type`: article, qapage or faqpage (PAGE_TYPE_HELP says when each fits).
    `breadcrumb_levels`: which parent paths of a page's URL, counted in path segments,
    become crumbs (`[2]` gives Home › /learn/<subject> › page); every one when empty.
    `breadcrumb_home`: the first crumb's name.
    """

    page_type: str = "article"
    breadcrumb_levels: list[int] = field(default_factory=list)
    breadcrumb_home: str = "Home"

    def __post_init__(self) -> None:
        super().__post_init__()
        legacy = {schema_type.lower(): name for name, schema_type in PAGE_TYPES.items()}
        self.page_type = legacy.get(self.page_type.lower(), self.page_type.lower())
        if self.page_type not in PAGE_TYPES:
            raise ValueError(f"page_type must be one of {', '.join(PAGE_TYPES)}, "
                             f"not {self.page_type!r}")
        if any(not isinstance(n, int) or n < 1 for n in self.breadcrumb_levels):
            raise ValueError(f"breadcrumb_levels must be positive integers, "
                             f"not {self.breadcrumb_levels!r}")

    @property
    def schema_type(self) -> str:
        """The schema.org type of each page."""
        return PAGE_TYPES[self.page_type]


def related_urls(article: Article, site: Site) -> tuple[str, ...]:
    """The absolute URLs of the article's related links that are paths on this site."""
    urls = []
    for link in article.related:
        try:
            urls.append(site.page_url(link.url))
        except ValueError:
            continue
    return tuple(urls)


def page_facts(rendered: RenderedArticle, book: Book, site: Site, options: GraphOptions,
               modified: Moment | None) -> Page:
    """The article's page as its graph sees it; ValueError when its url is not on the site."""
    article = rendered.article
    url = site.page_url(article.url)
    crumbs = breadcrumbs(article.url, article.title or article.question, site,
                         options.breadcrumb_levels, options.breadcrumb_home,
                         (book.collection.title, article.subject))
    answer = rendered.text or article.description
    return Page(article, url, answer, summary(article, answer), modified,
                related_urls(article, site), crumbs)


def page_graph(page: Page, site: Site, options: GraphOptions) -> list[Node]:
    """The page's whole `@graph`: the site's nodes, then the article's."""
    return [*site_nodes(site), *article_nodes(page, site, options.schema_type)]
