"""SEO policy the feed exporters share: site facts, page URLs, exclusions and summaries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pressroom.errors import ContentError
from pressroom.exporter import ExporterOptions
from pressroom.gitstate import history_state
from pressroom.model import Article
from pressroom.urls import absolute_url, check_base_url, site_path

TRAILING_SLASH = ("keep", "always", "never")
LASTMOD_SOURCES = ("front_matter", "git")
EXCLUDING_FLAGS = (("sitemap", False), ("noindex", True))
SUMMARY_LIMIT = 160

_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


@dataclass
class SiteOptions(ExporterOptions):
    """Site facts and URL/date policy every SEO exporter takes, so all outputs agree.

    `site_name`, `publisher`: names of the WebSite and the publishing Organization (default:
    the book's author). `logo`: the publisher's logo, a site path or an http(s) URL.
    `same_as`: the publisher's profiles elsewhere (http(s) URLs). `trailing_slash`: keep,
    always or never, applied to every page URL. `lastmod`: front_matter (`last_modified` or
    `dateModified`, else `date`) or git (front matter, else the file's last commit, else `date`).
    """

    site_name: str = ""
    publisher: str = ""
    logo: str = ""
    same_as: list[str] = field(default_factory=list)
    trailing_slash: str = "keep"
    lastmod: str = "front_matter"

    def extra_inputs(self, content_dir: Path) -> str:
        """With lastmod from git, outputs also read the history: its commit is an input."""
        return history_state(content_dir) if self.lastmod == "git" else ""

    def __post_init__(self) -> None:
        if self.trailing_slash not in TRAILING_SLASH:
            raise ValueError(f"trailing_slash must be one of {', '.join(TRAILING_SLASH)}, "
                             f"not {self.trailing_slash!r}")
        if self.lastmod not in LASTMOD_SOURCES:
            raise ValueError(f"lastmod must be one of {', '.join(LASTMOD_SOURCES)}, "
                             f"not {self.lastmod!r}")
        for url in self.same_as:
            check_base_url(url)
        if self.logo and not self.logo.startswith("/"):
            check_base_url(self.logo)

    def site(self, base_url: str, author: str, language: str) -> Site:
        """The site these options describe, with the book's author as the default names."""
        publisher = self.publisher or author or "pressroom"
        logo = absolute_url(base_url, site_path(self.logo)) if self.logo.startswith("/") \
            else self.logo
        return Site(base_url, self.site_name or publisher, publisher, logo,
                    tuple(self.same_as), language, self.trailing_slash)


@dataclass(frozen=True)
class Site:
    """What every output of one site shares: names, logo, language and URL policy."""

    base_url: str
    name: str
    publisher: str
    logo: str
    same_as: tuple[str, ...]
    language: str
    trailing_slash: str = "keep"

    @property
    def root(self) -> str:
        """The site's home page URL."""
        return absolute_url(self.base_url, "")

    def page_url(self, url: str) -> str:
        """The absolute, percent-encoded URL of a site path under the trailing-slash policy.

        Raises ValueError when `url` is not a safe path on this site.
        """
        return absolute_url(self.base_url, with_trailing_slash(site_path(url),
                                                               self.trailing_slash))

    def public_url(self, path: str) -> str:
        """The absolute URL of a file this build publishes (feeds, sitemaps), as given."""
        return absolute_url(self.base_url, site_path(path))


def with_trailing_slash(path: str, policy: str) -> str:
    """`path` with its trailing slash kept, added or removed; file-like paths stay as they are."""
    parts = urlsplit(path)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if policy == "keep" or parts.path == "/" or "." in last:
        return path
    trimmed = parts.path.rstrip("/") or "/"
    new_path = trimmed + "/" if policy == "always" and trimmed != "/" else trimmed
    return urlunsplit(parts._replace(path=new_path))


def front_matter(article: Article, *names: str) -> tuple[str, Any] | None:
    """The first of `names` the article's unmapped front matter has, with its value."""
    for name in names:
        if name in article.extra and article.extra[name] is not None:
            return name, article.extra[name]
    return None


def _flag(article: Article, name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise ContentError(article.source, article.line_of(name),
                       f"{name} must be true or false, not {value!r}", f"write `{name}: false`")


def exclusion(article: Article, report: Callable[[ContentError], None]) -> str | None:
    """Why the page stays out of sitemaps and feeds (`sitemap: false`, `noindex: true`), if so.

    A flag that is not a boolean is reported and ignored.
    """
    for name, excluding in EXCLUDING_FLAGS:
        found = front_matter(article, name)
        if found is None:
            continue
        try:
            if _flag(article, name, found[1]) == excluding:
                return f"{name}: {str(excluding).lower()}"
        except ContentError as error:
            report(error)
    return None


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    head, space, _ = cut.rpartition(" ")
    return (head if space and len(head) > limit // 2 else cut).rstrip(" ,;:.-") + "…"


def summary(article: Article, plain_text: str) -> str:
    """The page's description, else the start of its plain text."""
    return article.description or clip(plain_text, SUMMARY_LIMIT)
