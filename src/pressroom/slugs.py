"""Safe slugs: ASCII, lowercase, no separators or dots, so they can name files."""

from __future__ import annotations

from slugify import slugify

MAX_SLUG = 120


def safe_slug(text: str, fallback: str = "untitled") -> str:
    """A filesystem- and URL-safe slug for `text`, never empty, never a path."""
    slug = slugify(str(text), max_length=MAX_SLUG, word_boundary=True, lowercase=True)
    return slug or fallback
