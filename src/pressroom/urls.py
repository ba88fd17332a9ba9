"""Site paths: the one check that a front-matter `url` is a safe path on this site."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

_BARE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_URL_SAFE = "/:@!$&'()*+,;=-._~%?"


def site_path(url: str) -> str:
    """`url` as a percent-encoded path on this site; raise ValueError saying why it is not one."""
    check_site_path(url)
    return quote(_BARE_PERCENT.sub("%25", url), safe=_URL_SAFE)


def check_site_path(url: str) -> None:
    """Raise ValueError saying why `url` is not a path on this site (`site_path`'s check)."""
    if not url:
        raise ValueError("empty url")
    if " " in url or not url.isprintable():  # isprintable: no control, format or space chars
        raise ValueError("url contains whitespace or control characters")
    if "\\" in url:
        raise ValueError("url contains a backslash")
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("url is not a path on this site (it must start with a single '/')")
    if "#" in url:
        raise ValueError("url has a fragment")
    if ("." in url or "%" in url) and any(  # without either, no segment can be "." or ".."
            unquote(segment) in (".", "..") for segment in urlsplit(url).path.split("/")):
        raise ValueError("url has '.' or '..' segments")


def check_base_url(base_url: str) -> None:
    """Raise ValueError unless `base_url` is an absolute http(s) address without query."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment:
        raise ValueError(f"base_url must be an absolute http(s) address such as "
                         f"https://www.example.org, not {base_url!r}")


def absolute_url(base_url: str, path: str) -> str:
    """Join a site path to the base URL with exactly one slash between them."""
    if not path:
        return base_url.rstrip("/") + "/"
    return base_url.rstrip("/") + "/" + path.lstrip("/")
