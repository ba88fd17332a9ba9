"""Profiles map a site's front-matter layout to an Article; chosen by detection, not `if`s."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any

from pressroom.profiles import generic, hugo, jekyll, quicktakes
from pressroom.profiles.site import Site

# Detection order: the first profile whose detect() accepts the front matter wins. Hugo and
# Jekyll never accept one page's front matter: the site (its config file, its layout) or
# `--profile` chooses them.
PROFILES: dict[str, ModuleType] = {
    module.NAME: module for module in (quicktakes, hugo, jekyll, generic)
}
ORDERS = {name: getattr(module, "ORDER", "id") for name, module in PROFILES.items()}


def detect_profile(meta: Mapping[str, Any]) -> str:
    """Name of the first profile that recognises this front matter."""
    return next(name for name, module in PROFILES.items() if module.detect(meta))


def get_profile(name: str) -> ModuleType:
    """The profile module called `name`; ValueError naming the known ones otherwise."""
    try:
        return PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown profile {name!r}; known profiles: {known}") from None


def folder_filter(site: Site) -> Callable[[str], bool]:
    """Which folder names the site's generator does not read (Jekyll's `_layouts`…)."""
    module = PROFILES.get(site.profile)
    skip = getattr(module, "skip_folder", None)
    if skip is None:
        return lambda name: False
    return lambda name: bool(skip(name, site))
