"""A WeasyPrint URL fetcher that serves only the theme's files and the articles' own assets."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from pressroom.model import Asset


class FetchRefused(ValueError):
    """A URL the PDF exporter will not load."""


class RestrictedFetcher(URLFetcher):
    """Serve the articles' `assets` (by URL) and `file:` URLs that resolve to files inside
    `roots`; refuse and report the rest."""

    def __init__(self, roots: Iterable[Path], warn: Callable[[str], None],
                 owners: Mapping[str, str] | None = None,
                 assets: Mapping[str, Asset] | None = None) -> None:
        super().__init__(allowed_protocols=("file",))
        self.roots = tuple(Path(root).resolve() for root in roots)
        self.warn = warn
        self.owners = dict(owners or {})
        self.assets = dict(assets or {})

    def allowed_path(self, url: str) -> Path | None:
        """The local file `url` names when it lies inside one of the roots, else None."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if not path.is_file():
            return None
        return path if any(root in path.parents for root in self.roots) else None

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """Fetch an asset or allowed local file; raise FetchRefused (and warn) for the rest."""
        if url in self.assets:
            return URLFetcherResponse(url, body=self.assets[url].read())
        path = self.allowed_path(url)
        if path is None:
            owner = self.owners.get(url)
            where = f" (in {owner})" if owner else ""
            self.warn(f"pdf: refused to load {url}{where}: only the theme's files and "
                      "images inside the content folder may be embedded")
            raise FetchRefused(f"refused to load {url}")
        return super().fetch(path.as_uri(), headers)
