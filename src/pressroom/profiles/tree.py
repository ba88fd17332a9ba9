"""What a page inherits from the folders above it: Hugo's `cascade`, and leaf-bundle membership.

This is the one place a page's reading depends on other files. The scan reads the section
files (`_index.md`) first, and each page's parse key includes the hash of what it inherits,
so an edited cascade re-reads exactly the pages below it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.errors import ContentError
from pressroom.profiles.site import Site
from pressroom.splitting import split_source

SECTION_FILE = "_index.md"
BUNDLE_FILE = "index.md"
_TARGET_KEYS = ("_target", "target")
_HOME = PurePosixPath(".")


@dataclass(frozen=True)
class Inherited:
    """Front matter a page gets from its sections' `cascade`, and the bundle it belongs to."""

    cascade: Mapping[str, Any] = field(default_factory=dict)
    bundle: str = ""  # the leaf bundle folder (content-relative) this file is a resource of

    @property
    def digest(self) -> str:
        """A hash of what is inherited ("" when nothing is): part of the page's parse key."""
        if not self.cascade and not self.bundle:
            return ""
        material = json.dumps([self.cascade, self.bundle], sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()


NOTHING = Inherited()


def _glob(pattern: str) -> re.Pattern[str]:
    """A Hugo glob (`**`, `*`, `?`, `{a,b}`) as a regular expression."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append({"*": "[^/]*", "?": "[^/]", "{": "(?:", "}": ")", ",": "|"}.get(
            char, re.escape(char)))
        i += 1
    return re.compile("".join(out))


def _targets(entry: Mapping[str, Any], logical: str, kind: str) -> bool:
    """Whether a cascade entry's `_target` (path glob, kind) selects this page."""
    target = next((entry[k] for k in _TARGET_KEYS if isinstance(entry.get(k), Mapping)), {})
    path, wanted = target.get("path"), target.get("kind")
    if path and not _glob(str(path)).fullmatch(logical):
        return False
    return not wanted or _glob(str(wanted)).fullmatch(kind) is not None


def _entries(cascade: Any) -> list[Mapping[str, Any]]:
    """A `cascade` value as a list of entries (a mapping is one entry)."""
    if isinstance(cascade, Mapping):
        return [cascade]
    if isinstance(cascade, list):
        return [entry for entry in cascade if isinstance(entry, Mapping)]
    return []


def _logical(relative: PurePosixPath) -> tuple[str, str]:
    """A page's logical path (`/docs/intro`) and kind (`page` or `section`)."""
    if relative.name == SECTION_FILE:
        parent = relative.parent.as_posix()
        return ("/" if parent == "." else f"/{parent}"), "section"
    if relative.name == BUNDLE_FILE:
        return f"/{relative.parent.as_posix()}", "page"
    return f"/{relative.with_suffix('').as_posix()}", "page"


def _cascades(paths: Iterable[Path], site: Site, read: Callable[[Path], bytes]
              ) -> dict[PurePosixPath, list[Mapping[str, Any]]]:
    """Each section folder's cascade entries, by folder relative to the content root."""
    found: dict[PurePosixPath, list[Mapping[str, Any]]] = {}
    for path in paths:
        relative = site.relative(path)
        if relative is None or path.name != SECTION_FILE:
            continue
        try:
            split = split_source(path, read(path).decode("utf-8"))
        except (ContentError, UnicodeDecodeError):
            continue  # the section's own parse reports the problem
        entries = _entries(split.meta.get("cascade"))
        if entries:
            found[PurePosixPath(relative.parent.as_posix())] = entries
    return found


def inherited_context(names: Sequence[Path | str], site: Site,
                      read: Callable[[Path], bytes]) -> dict[str, Inherited]:
    """What each of the files inherits, by path as text (files inheriting nothing left out)."""
    if site.profile != "hugo" or site.root is None:
        return {}
    paths = [Path(name) for name in names]
    cascades = _cascades(paths, site, read)
    bundles = {PurePosixPath(r.parent.as_posix()) for p in paths
               if p.name == BUNDLE_FILE and (r := site.relative(p)) is not None}
    result: dict[str, Inherited] = {}
    for path in paths:
        relative = site.relative(path)
        if relative is None:
            continue
        pure = PurePosixPath(relative.as_posix())
        ancestors = list(reversed(pure.parents))  # the root first, the page's folder last
        if pure.name == SECTION_FILE:
            ancestors = ancestors[:-1]  # a section's cascade is for what is below it
        bundle = next((folder for folder in pure.parents if folder in bundles
                       and folder != _HOME and not (pure.name == BUNDLE_FILE
                                                    and folder == pure.parent)), None)
        logical, kind = _logical(pure)
        merged: dict[str, Any] = {}
        for folder in ancestors:
            for entry in cascades.get(folder, []):
                if _targets(entry, logical, kind):
                    merged.update({k: v for k, v in entry.items() if k not in _TARGET_KEYS})
        inherited = Inherited(merged, bundle.as_posix() if bundle is not None else "")
        if inherited.digest:
            result[str(path)] = inherited
    return result
