"""Date display in the moment.js token patterns the front matter uses (`MMM DD, YYYY`)."""

from __future__ import annotations

import datetime as dt

import arrow

DEFAULT_PATTERN = "MMM D, YYYY"


def format_date(value: dt.date | None, pattern: str = DEFAULT_PATTERN, locale: str = "en") -> str:
    """Format a date with moment.js-style tokens (arrow speaks the same tokens)."""
    if value is None:
        return ""
    try:
        return arrow.get(value).format(pattern or DEFAULT_PATTERN, locale=locale)
    except (ValueError, TypeError):
        return arrow.get(value).format(DEFAULT_PATTERN, locale=locale)
