"""What a profile module provides: the typed contract the loader relies on."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from pressroom.model import Article
from pressroom.profiles.site import Site


@runtime_checkable
class Profile(Protocol):
    """A profile maps one site's front-matter layout to an Article (a module satisfies it).

    `NAME` is its `--profile` value; `URL_FIELDS` the front-matter keys a page's url comes
    from (the loader points at the first one's line when the url is bad); `ORDER` the
    default order inside a book (`id`, `date`, `weight`…). `detect` says whether one page's
    front matter is in this layout; detection asks the profiles in registration order
    (`profiles.PROFILES`: quicktakes, hugo, jekyll, generic) and the first that accepts
    wins, so a specific profile must come before a general one. `to_article` maps fields
    (raising ContentError with path:line for bad input); `skip_folder` names the folders
    the site's generator does not read.
    """

    NAME: ClassVar[str]
    URL_FIELDS: ClassVar[tuple[str, ...]]
    ORDER: ClassVar[str]

    def detect(self, meta: Mapping[str, Any]) -> bool:
        """Whether this front matter is in the profile's layout."""

    def to_article(self, meta: Mapping[str, Any], body: str, source: Path,
                   lines: dict[str, int], site: Site | None = None) -> Article:
        """The Article this page's front matter and body describe."""

    def skip_folder(self, name: str, site: Site) -> bool:
        """Whether the site's generator ignores folders called `name`."""
