"""Scan and parse: stat every source, read and parse only what changed, in parallel.

A file whose size and mtime_ns match the last scan is not read again, unless its mtime
falls in the moment of that scan (it may have changed again within the clock's
resolution): then it is read and hashed, and parsed only when its content hash moved.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pressroom.build.edits import edited_summary
from pressroom.build.records import RowReader, record_row
from pressroom.build.reporting import Reporter
from pressroom.build.store import BuildStore, SourceStamp, digest, dump, load
from pressroom.crosscheck import cross_check
from pressroom.errors import ContentError, ContentWarning
from pressroom.loader import markdown_paths, parse_source, read_source
from pressroom.model import ArticleRecord, SectionRecord, Skipped
from pressroom.profiles import folder_filter, get_profile
from pressroom.profiles.site import Site, content_folder, detect_site
from pressroom.profiles.tree import NOTHING, Inherited, inherited_context

Result = ArticleRecord | ContentError | SectionRecord | Skipped
RACY_NS = 2_000_000_000  # coarse file-system clocks (FAT: 2 s) count as "the same moment"
Mapper = Callable[[Callable[[Any], Any], Iterable[Any]], Iterator[Any]]


@dataclass(frozen=True)
class ParseJob:
    """One file to read: its stat, and the content hash whose parse the store already has."""

    path: Path
    size: int
    mtime_ns: int
    known_digest: str | None
    inherited: Inherited = NOTHING  # what the file gets from its sections (Hugo cascade)


@dataclass(frozen=True)
class Parsed:
    """What reading one file gave: its hash, parse key and, when parsed, the stored blobs."""

    path: Path
    digest: str
    key: str
    record: bytes | None
    article: bytes | None


@dataclass(frozen=True)
class Scan:
    """The index after scan + parse + cross-file checks, and what it cost.

    `records` is empty when only a summary was asked for and the content had not changed.
    """

    records: list[ArticleRecord]
    errors: list[ContentError]
    warnings: list[ContentWarning]
    live_keys: list[str]
    files: int
    read: int
    parsed: int
    sections: list[SectionRecord] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    site: Site = field(default_factory=Site)
    articles: int = 0  # len(records), or the count a summary recorded without them
    summary_key: str = ""  # the hash of the checked index: every live parse key, in order


def parse_context(site: Site) -> str:
    """What every parse key shares: the site (profile, root, options), pressroom's code."""
    return digest("parsed", site.digest)


def parse_key(context: str, path: Path | str, content_digest: str, inherited: str = "") -> str:
    """The store key of one file's parse: the context, its path, its content hash and the
    hash of what it inherits from the sections above it (when it inherits anything)."""
    material = f"{context}\0{path}\0{content_digest}" + (f"\0{inherited}" if inherited else "")
    return hashlib.sha256(material.encode()).hexdigest()


def parse_batch(jobs: list[ParseJob], site: Site) -> list[Parsed]:
    """Read, hash and (unless the hash is known) parse a batch of files."""
    context = parse_context(site)
    return [_parse_one(job, site, context) for job in jobs]


def _parse_one(job: ParseJob, site: Site, context: str) -> Parsed:
    try:
        data = read_source(job.path)
    except ContentError as error:
        return Parsed(job.path, "", parse_key(context, job.path, "unreadable"),
                      record_row(error), None)
    content = hashlib.sha256(data).hexdigest()
    key = parse_key(context, job.path, content, job.inherited.digest)
    if content == job.known_digest:
        return Parsed(job.path, content, key, None, None)
    try:
        parsed = parse_source(job.path, data, site, job.inherited)
    except ContentError as error:
        return Parsed(job.path, content, key, record_row(error), None)
    if isinstance(parsed, SectionRecord | Skipped):
        return Parsed(job.path, content, key, record_row(parsed), None)
    return Parsed(job.path, content, key, record_row(ArticleRecord.of(parsed, key)),
                  dump(parsed))


def scan(root: Path, profile: str, store: BuildStore, mapper: Mapper,
         reporter: Reporter, drafts: bool = False, records: bool = True) -> Scan:
    """Bring the store up to date with the files under `root`; return the checked index.

    With `records=False` (what `check` needs) an unchanged content gives its stored
    summary, errors and warnings included, without decoding a single record.
    """
    if profile != "auto":
        get_profile(profile)
    site = detect_site(root, profile, drafts)
    context = parse_context(site)
    paths = markdown_paths(content_folder(site, root), folder_filter(site))
    tree = inherited_context(paths, site, read_source)
    known = store.sources()
    keys: dict[str, str] = {}  # every live file's parse key
    results: dict[str, Result] = {}  # what this scan parsed
    changed: dict[str, SourceStamp] = {}
    jobs: list[ParseJob] = []
    for path in paths:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            continue
        old = known.pop(path, None)
        inherited = tree.get(path, NOTHING)
        if old is not None and old.key != parse_key(context, path, old.digest,
                                                    inherited.digest):
            old = None  # parsed by another version, profile or cascade
        elif old is not None and ((old.size, old.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
                                  and stat.st_mtime_ns < old.seen_ns - RACY_NS):
            keys[path] = old.key
            continue
        jobs.append(ParseJob(Path(path), stat.st_size, stat.st_mtime_ns,
                             old.digest if old is not None else None, inherited))
    vanished = list(known)
    known.clear()
    seen_ns = time.time_ns()
    reporter.stage("read + parse", len(jobs))
    by_path = {str(job.path): job for job in jobs}
    record_from_row = RowReader()
    for batch in mapper(partial(parse_batch, site=site), _batches(jobs)):
        for done in batch:
            path = str(done.path)
            job = by_path[path]
            changed[path] = SourceStamp(job.size, job.mtime_ns, seen_ns, done.digest, done.key)
            keys[path] = done.key  # an unchanged hash keeps the stored record under this key
            if done.record is not None:
                results[path] = record_from_row(done.record)
                store.put_parsed(done.key, done.record, done.article)
        reporter.advance(len(batch))
    store.update_sources(changed, vanished)
    parsed = len(results)
    live = [keys[path] for path in paths if path in keys]
    summary_key = digest("summary", context, "\0".join(live))  # hex keys: NUL parts them
    cached = None if records else store.memo("summary", summary_key)
    if cached is None and not records and (cached := edited_summary(store, live)):
        store.put_memo("summary", summary_key, cached)
    if cached is not None:
        store.commit()
        return _from_summary(load(cached)[0], live, len(paths), len(jobs), parsed, site,
                             summary_key)
    stored = [path for path in paths if path in keys and path not in results]
    for path, row in zip(stored, store.records([keys[p] for p in stored]), strict=True):
        results[path] = record_from_row(row)
    scanned = _index([results[path] for path in paths if path in results], len(paths), live,
                     len(jobs), parsed, site, summary_key)
    store.put_memo("summary", summary_key, dump((_summary(scanned), live)))
    store.commit()
    return scanned


def load_index(scanned: Scan, store: BuildStore) -> Scan:
    """The whole index of a scan that answered from its summary, its records decoded."""
    if scanned.records or not scanned.live_keys:
        return scanned
    read_row = RowReader()
    return _index([read_row(row) for row in store.records(scanned.live_keys)], scanned.files,
                  scanned.live_keys, scanned.read, scanned.parsed, scanned.site,
                  scanned.summary_key)


Summary = tuple[list[ContentError], list[ContentWarning], int, list[SectionRecord],
                list[Skipped]]


def _summary(scanned: Scan) -> Summary:
    """What `check` reports of a scan: errors, warnings, counts; no records."""
    return (scanned.errors, scanned.warnings, scanned.articles, scanned.sections,
            scanned.skipped)


def _from_summary(summary: Summary, live: list[str], files: int, read: int, parsed: int,
                  site: Site, summary_key: str) -> Scan:
    errors, warnings, articles, sections, skipped = summary
    return Scan([], errors, warnings, live, files, read, parsed, sections, skipped, site,
                articles, summary_key)


def _batches(jobs: list[ParseJob], size: int = 256) -> Iterator[list[ParseJob]]:
    for start in range(0, len(jobs), size):
        yield jobs[start:start + size]


def _index(results: list[Result], files: int, live: list[str], read: int, parsed: int,
           site: Site, summary_key: str) -> Scan:
    """The parse results (in path order) sorted by kind, then the cross-file checks."""
    records: list[ArticleRecord] = []
    errors: list[ContentError] = []
    sections: list[SectionRecord] = []
    skipped: list[Skipped] = []
    for value in results:
        if isinstance(value, ArticleRecord):
            records.append(value)
        elif isinstance(value, SectionRecord):
            sections.append(value)
        elif isinstance(value, Skipped):
            skipped.append(value)
        else:
            errors.append(value)
    checked = cross_check(records)
    all_errors = sorted((*errors, *checked.errors), key=lambda error: str(error.path))
    return Scan(checked.items, all_errors, checked.warnings, live, files, read, parsed,
                sections, skipped, site, len(checked.items), summary_key)
