"""Page URLs as Hugo and Jekyll build them: `:token` permalink patterns and clean paths."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

from pressroom.slugs import safe_slug

_TOKEN = re.compile(r":([a-z_]+)")
_SLASHES = re.compile(r"/{2,}")
_SAFE = "/:@!$&'()*+,;=-._~"


def expand(pattern: str, values: Mapping[str, str]) -> str:
    """`pattern` with every `:token` it knows replaced (`/:year/:title/`); others kept."""
    return _TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), pattern)


def clean_url(url: str) -> str:
    """A site path: one leading slash, no doubled slashes, `index.html` dropped, escaped."""
    path = _SLASHES.sub("/", "/" + url.strip())
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return quote(path, safe=_SAFE + "%")


def url_slug(url: str) -> str:
    """A file-safe slug naming a page by its whole URL path: `/docs/a/` → `docs-a`."""
    return safe_slug(url.strip("/").replace("/", "-").removesuffix(".html"), "home")


def urlize(text: str) -> str:
    """A title as a URL segment, as Hugo's `urlize` makes one: lower case, hyphens."""
    return safe_slug(text, "page")


def path_segment(name: str, lower: bool = True) -> str:
    """A folder or file name as a URL segment: spaces become hyphens, lower case by default."""
    segment = "-".join(name.split())
    return segment.lower() if lower else segment
