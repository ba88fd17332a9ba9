"""JSON Feed 1.1 exporter: the newest pages per collection and for the whole site."""

from __future__ import annotations

import json
from typing import Any

from pressroom.feeds import Feed, FeedExporter, FeedItem
from pressroom.lastmod import timestamp

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


class JsonFeedExporter(FeedExporter):
    """Writes dist/jsonfeed/feed.json (site-wide) and dist/jsonfeed/<collection>/feed.json."""

    name = "jsonfeed"
    suffix = ".json"
    description = "JSON Feed 1.1 of the newest pages, per collection and site-wide"

    def render(self, feed: Feed, self_url: str) -> str:
        """The feed as JSON Feed 1.1."""
        return json_feed(feed, self_url)
