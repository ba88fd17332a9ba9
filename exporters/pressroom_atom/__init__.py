"""Atom exporter (RFC 4287, feedgen): the newest pages per collection and for the whole site."""

from __future__ import annotations

from importlib.metadata import version

from feedgen.feed import FeedGenerator

from pressroom.feeds import Feed, FeedExporter
from pressroom.lastmod import timestamp

ATOM_TYPE = "application/atom+xml"


def atom_feed(feed: Feed, self_url: str) -> bytes:
    """One Atom document: feed id, title, updated, author and self link; entries newest first."""
    site = feed.site
    generator = FeedGenerator()
    generator.id(self_url)
    generator.title(feed.title)
    generator.updated(timestamp(feed.updated))
    generator.author(name=site.publisher, uri=site.root)
    generator.link(href=self_url, rel="self", type=ATOM_TYPE)
    generator.link(href=site.root, rel="alternate", type="text/html")
    generator.language(site.language)
    generator.generator("pressroom", version("pressroom"))
    if site.logo:
        generator.logo(site.logo)
    for item in feed.items:
        entry = generator.add_entry(order="append")
        entry.id(item.url)
        entry.title(item.title)
        entry.link(href=item.url, rel="alternate", type="text/html")
        entry.updated(timestamp(item.updated))
        if item.published:
            entry.published(timestamp(item.published))
        entry.author(name=item.author)
        if item.summary:
            entry.summary(item.summary)
        if item.content_html:
            entry.content(item.content_html, type="html")
        for tag in item.tags:
            entry.category(term=tag)
    return generator.atom_str(pretty=True)


class AtomExporter(FeedExporter):
    """Writes dist/atom/feed.xml (site-wide) and dist/atom/<collection>/feed.xml."""

    name = "atom"
    suffix = ".xml"
    description = "Atom feeds of the newest pages, per collection and site-wide (feedgen)"

    def render(self, feed: Feed, self_url: str) -> str:
        """The feed as Atom XML."""
        return atom_feed(feed, self_url)
