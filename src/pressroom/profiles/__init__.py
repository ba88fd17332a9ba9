"""Profiles map a site's front-matter layout to an Article; chosen by detection, not `if`s.

Each profile is a module satisfying `profiles.protocol.Profile`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pressroom.profiles import generic, hugo, jekyll, quicktakes
from pressroom.profiles.protocol import Profile
from pressroom.profiles.site import Site

# Detection order: the first profile whose detect() accepts the front matter wins. Hugo and
# Jekyll never accept one page's front matter: the site (its config file, its layout) or
# `--profile` chooses them.
PROFILES: dict[str, Profile] = {
    module.NAME: module for module in (quicktakes, hugo, jekyll, generic)  # type: ignore[misc]
}
ORDERS = {name: module.ORDER for name, module in PROFILES.items()}


def detect_profile(meta: Mapping[str, Any]) -> str:
    """Name of the first profile that recognises this front matter."""
    return next(name for name, module in PROFILES.items() if module.detect(meta))


def get_profile(name: str) -> Profile:
    """The profile called `name`; ValueError naming the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown profile {name!r}; known profiles: {known}") from None


def folder_filter(site: Site) -> Callable[[str], bool]:
    """Which folder names the site's generator does not read (Jekyll's `_layouts`…)."""
    module = PROFILES.get(site.profile)
    if module is None:
        return lambda name: False
    return lambda name: bool(module.skip_folder(name, site))
