"""The site around the content: which generator's layout it is (Hugo, Jekyll), found once."""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pressroom.yamlload import load_yaml

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
HUGO_LEGACY_CONFIGS = ("config.toml", "config.yaml", "config.yml", "config.json")
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml", "_config.toml")
# The site-config keys that change how a page reads; only these enter parse keys.
_HUGO_KEYS = ("permalinks", "disablepathtolower")
_JEKYLL_KEYS = ("permalink", "defaults", "collections", "exclude", "timezone")
LOOK_UP = 2  # a content folder is the site, or content/ or content/<lang>/ in it


@dataclass(frozen=True)
class Site:
    """How to read every file of one build: the profile, the content root, site options.

    `profile` "auto" means per-file detection from the front matter's shape. `root` is
    the folder page URLs are relative to (None: URLs come from front matter alone).
    """

    profile: str = "auto"
    root: Path | None = None
    config: Mapping[str, Any] = field(default_factory=dict)
    drafts: bool = False

    @property
    def digest(self) -> str:
        """A hash of everything here: part of every parse key."""
        material = json.dumps([self.profile, str(self.root), self.config, self.drafts],
                              sort_keys=True, default=str)
        return hashlib.sha256(material.encode()).hexdigest()

    def relative(self, source: Path) -> Path | None:
        """`source` relative to the content root, when it lies inside it."""
        if self.root is None:
            return None
        try:
            return absolute(source).relative_to(self.root)
        except ValueError:
            return None

    def top_folder(self, source: Path) -> str:
        """The first folder of `source` below the content root ("" for a file at its top or
        outside it): `relative(source).parts[0]`, from the text alone (every file asks)."""
        if self.root is None:
            return ""
        root = str(self.root)
        prefix = root if root.endswith(os.sep) else root + os.sep
        path = os.path.abspath(source)
        if not path.startswith(prefix):
            return ""
        folder, sep, _ = path[len(prefix):].partition(os.sep)
        return folder if sep else ""


def _read_config(path: Path) -> dict[str, Any]:
    """A site config file as a mapping; ValueError naming the file when it cannot be read."""
    text = path.read_text(encoding="utf-8")
    try:
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = load_yaml(text) or {}
    except Exception as exc:  # noqa: BLE001 - any parser's error becomes one usage error
        raise ValueError(f"cannot read the site config {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"the site config {path} is not a mapping")
    return data


def _pick(config: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The listed keys of a config, matched case-insensitively (Hugo's keys are)."""
    lowered = _lower(config)
    return {key: lowered[key] for key in keys if key in lowered}


def _hugo_config(folder: Path) -> Path | None:
    for name in HUGO_CONFIGS:
        if (folder / name).is_file():
            return folder / name
    for name in HUGO_LEGACY_CONFIGS:
        path = folder / name
        if path.is_file() and "baseurl" in _lower(_read_config(path)):
            return path
    return None


def _jekyll_config(folder: Path) -> Path | None:
    return next((folder / n for n in JEKYLL_CONFIGS if (folder / n).is_file()), None)


def _lower(value: Any) -> dict[str, Any]:
    """A mapping with lower-case keys (Hugo's config keys are case-insensitive); {} else."""
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def _hugo_content_dirs(site_dir: Path, config: Mapping[str, Any]) -> list[Path]:
    """The folders Hugo reads pages from: mounts and languages' contentDir, then contentDir."""
    lowered = _lower(config)
    dirs = []
    mounts = _lower(lowered.get("module")).get("mounts")
    for mount in mounts if isinstance(mounts, list) else ():
        mount = _lower(mount)
        if mount.get("target") == "content" and mount.get("source"):
            dirs.append(site_dir / str(mount["source"]))
    languages = lowered.get("languages")
    for options in languages.values() if isinstance(languages, Mapping) else ():
        lang = _lower(options)
        if "contentdir" in lang:
            dirs.append(site_dir / str(lang["contentdir"]))
    return [*dirs, site_dir / str(lowered.get("contentdir", "content"))]


def absolute(path: Path) -> Path:
    """`path` made absolute without touching the file system (no symlinks followed)."""
    return Path(os.path.abspath(path))


def _hugo_root(here: Path, site_dir: Path, config: Mapping[str, Any]) -> Path:
    """The content folder `here` lies in (or the site's own when `here` is the site)."""
    folders = _hugo_content_dirs(site_dir, config)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        if here == folder or folder in here.parents:
            return folder
    if here != site_dir:
        return here
    return next((folder for folder in folders if folder.is_dir()), folders[-1])


def content_folder(site: Site, root: Path) -> Path:
    """The folder to read: the Hugo content folder when `root` is the site, else `root`."""
    here = absolute(root)
    if site.root is not None and here in site.root.parents and site.root.is_dir():
        return root / site.root.relative_to(here)
    return root


def _by_config(root: Path, depth: int) -> Site | None:
    """A Hugo or Jekyll site whose config file sits in `root` or up to `depth` folders up."""
    here = absolute(root)
    for folder in [here, *here.parents][: depth + 1]:
        jekyll = _jekyll_config(folder)
        if jekyll is not None:
            return Site("jekyll", folder, _pick(_read_config(jekyll), _JEKYLL_KEYS))
        hugo = _hugo_config(folder)
        if hugo is not None:
            config = _read_config(hugo)
            return Site("hugo", _hugo_root(here, folder, config), _pick(config, _HUGO_KEYS))
    return None


def _by_layout(root: Path) -> str | None:
    """`jekyll` for a folder with `_posts/`, `hugo` for one with `_index.md` files."""
    if (root / "_posts").is_dir():
        return "jekyll"
    if (root / "_index.md").is_file() or any(os.path.isfile(os.path.join(entry.path, "_index.md"))
                                             for entry in _folders(root)):
        return "hugo"
    return None


def _folders(root: Path) -> list[os.DirEntry[str]]:
    """The folders right inside `root`, told apart by the directory listing alone (a flat
    folder of 170,000 articles costs no stat per file)."""
    with os.scandir(root) as entries:
        return [entry for entry in entries if entry.is_dir()]


def detect_site(root: Path, profile: str = "auto", drafts: bool = False,
                depth: int = LOOK_UP) -> Site:
    """The site `root` belongs to: by its config file (in `root` or up to `depth` folders
    up), by its layout, or as `profile` says when one is given."""
    found = _by_config(root, depth)
    if profile == "auto":
        if found is None:
            layout = _by_layout(root)
            found = Site(layout or "auto", absolute(root))
        return Site(found.profile, found.root, found.config, drafts)
    if found is not None and found.profile == profile:
        return Site(profile, found.root, found.config, drafts)
    return Site(profile, absolute(root), {}, drafts)


def site_of_file(path: Path, profile: str = "auto") -> Site:
    """The site one file belongs to, looking for a config file in every folder above it."""
    return detect_site(path.parent, profile, depth=len(absolute(path).parents))
