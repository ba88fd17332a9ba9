"""JSON Feed 1.1 exporter: the newest pages per collection and for the whole site."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.feeds import Feed, FeedItem, FeedOptions, newest_feeds
from pressroom.lastmod import timestamp
from pressroom.model import Book
from pressroom.urls import check_base_url

VERSION = "https://jsonfeed.org/version/1.1"


def _item(item: FeedItem) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": item.url, "url": item.url, "title": item.title}
    if item.content_html:
        entry["content_html"] = item.content_html
    else:
        entry["content_text"] = item.summary
    if item.summary:
        entry["summary"] = item.summary
    if item.published:
        entry["date_published"] = timestamp(item.published).isoformat()
    entry["date_modified"] = timestamp(item.updated).isoformat()
    entry["authors"] = [{"name": item.author}]
    if item.tags:
        entry["tags"] = list(item.tags)
    return entry


def json_feed(feed: Feed, self_url: str) -> str:
    """One JSON Feed 1.1 document: version, title, links, authors, items newest first."""
    site = feed.site
    document = {
        "version": VERSION,
        "title": feed.title,
        "home_page_url": site.root,
        "feed_url": self_url,
        "language": site.language,
        "authors": [{"name": site.publisher, "url": site.root}],
        "items": [_item(item) for item in feed.items],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


class JsonFeedExporter(Exporter):
    """Writes dist/jsonfeed/feed.json (site-wide) and dist/jsonfeed/<collection>/feed.json."""

    name = "jsonfeed"
    suffix = ".json"
    binary = False
    math = "tex"
    whole_site = True
    description = "JSON Feed 1.1 of the newest pages, per collection and site-wide"
    Options: ClassVar[type[ExporterOptions]] = FeedOptions

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write each collection's feed as its book is read, then the site's; return them."""
        options: FeedOptions = self.options  # type: ignore[assignment]
        check_base_url(ctx.base_url)
        before = len(ctx.written)
        for feed in newest_feeds(books, options, ctx, self.name):
            ctx.write(feed.stem + self.suffix, json_feed(feed, feed.self_url(options,
                                                                            self.suffix)))
        if len(ctx.written) == before:
            ctx.warn("jsonfeed: no page can be listed; no feed written")
        return ctx.written[before:]
