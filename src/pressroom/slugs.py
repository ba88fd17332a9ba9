"""Safe slugs: ASCII, lowercase, no separators or dots, so they can name files."""

from __future__ import annotations

from slugify import slugify

MAX_SLUG = 120


def safe_slug(text: str, fallback: str = "untitled") -> str:
    """A filesystem- and URL-safe slug for `text`, never empty, never a path."""
    slug = slugify(str(text), max_length=MAX_SLUG, word_boundary=True, lowercase=True)
    return slug or fallback


def unique_slug(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not in `used` yet; records the choice."""
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    used.add(candidate)
    return candidate
