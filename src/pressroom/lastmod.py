"""When a page last changed: front matter (or the profile's modified date), else its file's
last git commit, else its date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from pressroom.errors import ContentError
from pressroom.model import Article
from pressroom.seo import front_matter

MODIFIED_FIELDS = ("last_modified", "dateModified")
Moment = dt.date | dt.datetime


def day(moment: Moment) -> str:
    """`YYYY-MM-DD` of a date or an aware datetime (in UTC)."""
    return (moment.astimezone(dt.UTC).date() if isinstance(moment, dt.datetime)
            else moment).isoformat()


def timestamp(moment: Moment) -> dt.datetime:
    """An aware datetime for feeds that need one: a bare date is its midnight UTC."""
    if isinstance(moment, dt.datetime):
        return moment
    return dt.datetime(moment.year, moment.month, moment.day, tzinfo=dt.UTC)


def _parse(value: Any) -> Moment | None:
    """A front-matter date or datetime (YAML value or ISO 8601 text); naive times are UTC."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if len(text) == 10 else \
                dt.datetime.fromisoformat(text)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return value if isinstance(value, dt.date) else None


class LastModified:
    """Resolves each article's last change; asks for `history` once, when `source` is git.

    `history` is `ExportContext.source_history`: each source file's last commit time.
    """

    def __init__(self, source: str, history: Callable[[], Mapping[Path, dt.datetime]],
                 report: Callable[[ContentError], None]) -> None:
        self._history = history() if source == "git" else {}
        self._report = report

    def __call__(self, article: Article) -> Moment | None:
        """The article's last change, never earlier than its publication date."""
        found = front_matter(article, *MODIFIED_FIELDS)
        moment: Moment | None = None
        if found is not None:
            moment = _parse(found[1])
            if moment is None:
                self._report(ContentError(
                    article.source, article.line_of(found[0]),
                    f"unparsable {found[0]} {found[1]!r}", "write it as YYYY-MM-DD"))
        if moment is None:
            moment = article.modified  # a profile's own field: Hugo lastmod, Jekyll's
        if moment is None and self._history:
            moment = self._history.get(article.source.resolve())
        if moment is None or (article.date and day(moment) < article.date.isoformat()):
            return article.date
        return moment
