"""Safe slugs: ASCII, lowercase, no separators or dots, so they can name files."""

from __future__ import annotations

import re

from slugify import slugify

MAX_SLUG = 120
# Text slugify returns unchanged: lowercase ASCII words joined by single hyphens, shorter
# than MAX_SLUG (a URL's last segment usually is one); it skips slugify's nine passes.
_ALREADY_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def safe_slug(text: str, fallback: str = "untitled") -> str:
    """A filesystem- and URL-safe slug for `text`, never empty, never a path."""
    if type(text) is str and len(text) < MAX_SLUG and _ALREADY_SLUG.fullmatch(text):
        return text
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
