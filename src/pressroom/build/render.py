"""Render stage: changed (article, math kind) pairs only, in parallel, into the build store.

A fragment depends on its own article alone (its parse key, final key, math kind and
converter version, and the image files it looked at); links to other articles are
resolved at export time from the index.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from pressroom.build.commit import CACHE_DIR
from pressroom.build.reporting import Reporter
from pressroom.build.scan import Mapper
from pressroom.build.store import BuildStore, digest, dump, load
from pressroom.config import BuildConfig
from pressroom.mathreport import SpanFallback
from pressroom.model import (
    Article,
    ArticleRecord,
    Asset,
    Heading,
    MathFallback,
    RenderedArticle,
)
from pressroom.render import file_probe, render_body, with_math
from pressroom.render.math import CONVERTER_VERSIONS
from pressroom.render.mathcache import MathCache

BATCH = 64
MATH_CACHE = Path(CACHE_DIR) / "math.sqlite"
Probes = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True)
class Fragment:
    """An article rendered with one math kind, without the article itself."""

    html: str
    text: str
    headings: tuple[Heading, ...]
    math: str
    has_math: bool
    assets: tuple[Asset, ...]
    math_fallbacks: tuple[MathFallback, ...]
    warnings: tuple[str, ...]
    links: tuple[str, ...] = ()

    @classmethod
    def of(cls, rendered: RenderedArticle) -> Fragment:
        """The article-independent part of a rendered article."""
        return cls(rendered.html, rendered.text, rendered.headings, rendered.math,
                   rendered.has_math, rendered.assets, rendered.math_fallbacks,
                   rendered.warnings, rendered.links)

    def rendered(self, article: Article) -> RenderedArticle:
        """The rendered article again, around `article`."""
        return RenderedArticle(article, self.html, self.text, self.headings, self.math,
                               self.has_math, self.assets, self.math_fallbacks, self.warnings,
                               self.links)


@dataclass(frozen=True)
class Rendered:
    """Where each (article key, math kind) fragment is, and its content hash."""

    keys: dict[tuple[str, str], str]
    digests: dict[str, str]
    count: int
    probes: dict[str, bytes] = field(default_factory=dict)  # images looked at, by key
    notes: dict[str, bytes] = field(default_factory=dict)  # of fragments with notes, by key


@cache
def _fragment_seed(kind: str, content: str) -> str:
    return digest("fragment", kind, CONVERTER_VERSIONS.get(kind, ""), content)


def fragment_key(record: ArticleRecord, kind: str, content: str) -> str:
    """The store key of one article's fragment of one math kind (`content`: the resolved
    content folder, which relative image paths depend on)."""
    material = f"{_fragment_seed(kind, content)}\0{record.parsed}\0{record.key}"
    return hashlib.sha256(material.encode()).hexdigest()


_CACHES: dict[tuple[str, int], MathCache] = {}


def _math_cache(path: Path | None) -> MathCache:
    """One math cache per process and file (a forked worker opens its own connection)."""
    slot = (str(path), os.getpid())
    if slot not in _CACHES:
        _CACHES[slot] = MathCache(path)
    return _CACHES[slot]


def render_batch(batch: list[tuple[bytes, ArticleRecord, tuple[str, ...]]], content_dir: Path,
                 math_path: Path | None) -> list[tuple[str, str, bytes, bytes | None,
                                                        bytes | None]]:
    """Render a batch: each article's Markdown once, then each math kind it needs."""
    cache = _math_cache(math_path)
    content = str(content_dir.resolve())
    out = []
    for blob, record, kinds in batch:
        article = record.apply(load(blob))
        body = render_body(article, content_dir)
        probes = dump(body.probes) if body.probes else None
        for kind in kinds:
            rendered = with_math(article, body, kind, cache)
            notes = ((rendered.warnings, rendered.math_fallbacks, rendered.links)
                     if rendered.warnings or rendered.math_fallbacks or rendered.links
                     else None)
            out.append((fragment_key(record, kind, content), record.parsed,
                        dump(Fragment.of(rendered)), probes, dump(notes) if notes else None))
    cache.commit()
    return out


def probes_valid(probes: bytes | None) -> bool:
    """The image files a fragment looked at are as they were."""
    if probes is None:
        return True
    return all(file_probe(Path(path)) == (path, size, mtime)
               for path, size, mtime in load(probes))


def math_path(config: BuildConfig) -> Path | None:
    """The math cache file of a build, or None when the build ignores its caches."""
    return config.out / MATH_CACHE if config.cache else None


def render_stage(records: Sequence[ArticleRecord], kinds: Sequence[str], store: BuildStore,
                 content_dir: Path, math_path: Path | None, mapper: Mapper,
                 reporter: Reporter) -> Rendered:
    """Render what the store lacks; return every fragment's key and hash."""
    content = str(content_dir.resolve())
    keys = {(r.key, kind): fragment_key(r, kind, content) for r in records for kind in kinds}
    known = store.fragments_known(keys.values())
    digests = {key: entry[0] for key, entry in known.items() if probes_valid(entry[1])}
    probes = {key: entry[1] for key, entry in known.items() if entry[1] and key in digests}
    notes = {key: entry[2] for key, entry in known.items() if entry[2] and key in digests}
    todo = [(r, tuple(k for k in kinds if keys[(r.key, k)] not in digests)) for r in records]
    todo = [(r, needed) for r, needed in todo if needed]
    reporter.stage("render " + ", ".join(kinds), len(todo))
    work = partial(render_batch, content_dir=content_dir, math_path=math_path)
    for n, results in enumerate(mapper(work, _payloads(todo, store))):
        for key, parsed, data, looked_at, noted in results:
            digests[key] = store.put_fragment(key, parsed, data, looked_at, noted)
            if looked_at:
                probes[key] = looked_at
            if noted:
                notes[key] = noted
        reporter.advance(len({parsed for _, parsed, *_ in results}))
        if n % 20 == 19:
            store.commit()
    store.commit()
    return Rendered(keys, digests, len(todo), probes, notes)


def _payloads(todo: list[tuple[ArticleRecord, tuple[str, ...]]], store: BuildStore
              ) -> Iterator[list[tuple[bytes, ArticleRecord, tuple[str, ...]]]]:
    """Batches of (stored article, record, kinds), read from the store as they are sent."""
    for start in range(0, len(todo), BATCH):
        yield [(store.article(r.parsed), r, needed) for r, needed in todo[start:start + BATCH]]


def render_notes(rendered: Rendered, kinds: Sequence[str],
                 records: Sequence[ArticleRecord]
                 ) -> tuple[list[str], list[SpanFallback], dict[str, tuple[str, ...]]]:
    """Renderer warnings and links to other pages (once, from the first kind), and math
    fallbacks of every kind."""
    warnings: list[str] = []
    fallbacks: list[SpanFallback] = []
    links: dict[str, tuple[str, ...]] = {}
    for kind in kinds:
        for record in records:
            notes = rendered.notes.get(rendered.keys[(record.key, kind)])
            if notes is None:
                continue
            kept_warnings, kept_fallbacks, kept_links = load(notes)
            if kind == kinds[0]:
                warnings.extend(kept_warnings)
                if kept_links:
                    links[record.key] = kept_links
            fallbacks.extend(SpanFallback(Path(record.source), kind, f.tex, f.reason)
                             for f in kept_fallbacks)
    return warnings, fallbacks, links
