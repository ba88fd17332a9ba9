"""Profiles map a site's front-matter layout to an Article; chosen by detection, not `if`s."""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any

from pressroom.profiles import generic, quicktakes

# Detection order: the first profile whose detect() accepts the front matter wins.
PROFILES: dict[str, ModuleType] = {module.NAME: module for module in (quicktakes, generic)}


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
