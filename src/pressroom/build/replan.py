"""Replanning after text edits: only the books that hold an edited article are planned.

A full plan decodes every record, groups them, resolves every link and hashes every
book. When the only change since the last plan is text edits (see `edits`), grouping,
order, link targets and every index value are as that plan found them, so the tasks of
the other books keep their keys and the whole-site tasks that read the index keep
theirs. The plan keeps what replanning needs (`PlanState`, and each book's checked
records as rows); replanning decodes the edited books' records alone, puts in the new
parse keys, and keys their tasks exactly as the full plan does. Any doubt (an edited
article whose fragments carry warnings, math fallbacks, links to pages or image probes,
a whole-site exporter that reads rendered articles, a kept task whose outputs moved)
leaves it to the full plan.
"""

from __future__ import annotations

import dataclasses
import marshal
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pressroom.books import Resolved
from pressroom.build.commit import up_to_date
from pressroom.build.edits import Edit, text_edits
from pressroom.build.manifest import Manifest
from pressroom.build.memo import MemoTask, PlanMemo
from pressroom.build.plan import PlannedTask, SiteIndex, TaskPlanner, make_books
from pressroom.build.records import RowReader, record_row
from pressroom.build.render import Rendered, math_path, probes_valid, render_stage
from pressroom.build.reporting import Reporter
from pressroom.build.scan import Mapper, Scan
from pressroom.build.store import BuildStore, dump, load
from pressroom.config import BuildConfig
from pressroom.model import ArticleRecord, Collection
from pressroom.registry import ExporterInfo

STATE, ROWS = "plan-state", "plan-rows:"


@dataclass(frozen=True)
class PlanState:
    """What a plan leaves for replanning, beside its memo and its books' rows."""

    key: str  # the plan's key (see memo.plan_key)
    summary_key: str  # the index it was made from
    live: tuple[str, ...]  # that index's parse keys, in path order
    collections: tuple[tuple[str, str], ...]  # each book's slug and title
    where: dict[str, tuple[int, ...]]  # the books each source is in
    noted: frozenset[str]  # sources whose fragments had notes or looked at images
    titles: tuple[dict[str, str], dict[Any, str]]  # the site index's maps
    page_links: Resolved

    def dumps(self) -> bytes:
        """The state as bytes: marshal for the plain values (pickle's memo of 700,000
        strings at 170,000 articles costs more memory than the state itself)."""
        plain = (self.key, self.summary_key, self.live, self.collections, self.where,
                 self.noted, self.titles)
        return marshal.dumps((plain, dump(self.page_links)))

    @classmethod
    def loads(cls, data: bytes) -> PlanState:
        """The state `dumps` wrote."""
        plain, page_links = marshal.loads(data)
        return cls(*plain, load(page_links))


@dataclass(frozen=True)
class Replanned:
    """The plan of the edited books, and the memo and state of the whole new plan."""

    tasks: list[PlannedTask]  # the edited books' tasks; the rest stand as they were
    memo: PlanMemo
    state: PlanState
    collections: dict[int, Collection]  # the books planned, by number
    rendered: int  # how many articles were rendered for it
    replaced: tuple[str, ...] | None = None  # parse keys the edits replaced (None: prune all)


def noted_sources(records: Sequence[ArticleRecord], kinds: Sequence[str],
                  rendered: Rendered) -> frozenset[str]:
    """Sources any of whose fragments carry notes or looked at image files."""
    flagged = rendered.notes.keys() | rendered.probes.keys()
    return frozenset(r.source for r in records
                     if any(rendered.keys[(r.key, kind)] in flagged for kind in kinds))


def plan_state(key: str, scanned: Scan, collections: Sequence[Collection], site: SiteIndex,
               page_links: Resolved, noted: frozenset[str]) -> PlanState:
    """The state a full plan under `key` leaves."""
    where: dict[str, tuple[int, ...]] = {}
    for n, collection in enumerate(collections):
        for record in collection.articles:
            where[record.source] = (*where.get(record.source, ()), n)  # type: ignore[arg-type]
    return PlanState(key, scanned.summary_key, tuple(scanned.live_keys),
                     tuple((c.slug, c.title) for c in collections), where, noted, site.titles,
                     page_links)


def forget_plan(store: BuildStore) -> None:
    """Drop the kept plan before a plan's tasks run: a build killed from then on leaves
    nothing behind that could pass for its plan."""
    store.put_memo("plan", None)
    store.put_memo(STATE, None)
    store.commit()


def keep_rows(store: BuildStore, state: PlanState, collections: dict[int, Collection]
              ) -> None:
    """Keep the rows of `collections` (the new or edited books, by number) under the
    plan's key, and move the other books' kept rows to it. Rows are read only beside a
    state of that key, so they can be kept before the tasks run, while the plan's books
    are in memory anyway."""
    for n in range(len(state.collections)):
        kind = f"{ROWS}{n}"
        if n in collections:
            store.put_memo(kind, state.key,
                           _packed(collections[n].articles))  # type: ignore[arg-type]
        else:
            store.rekey_memo(kind, state.key)
    store.drop_memos(ROWS, len(state.collections))
    store.commit()


def keep_plan(store: BuildStore, memo: PlanMemo, state: PlanState) -> None:
    """Keep the plan's memo and state, once its tasks have run."""
    store.put_memo(STATE, state.key, state.dumps())
    store.put_memo("plan", state.key, dump(memo))
    store.commit()


def replan(config: BuildConfig, infos: Sequence[ExporterInfo], store: BuildStore,
           manifest: Manifest, scanned: Scan, key: str, key_of: Callable[[str], str],
           mapper: Mapper, reporter: Reporter,
           planner_of: Callable[[Rendered], TaskPlanner]) -> Replanned | None:
    """Plan under `key` only the books that the text edits since the kept plan touch;
    None when that plan cannot be brought forward so. `key_of` gives the plan key of an
    index's summary key under this build's options."""
    if any(info.cls.whole_site and info.cls.reads == "rendered" for info in infos):
        return None
    kept_state = store.memo_kept(STATE)
    if kept_state is None:
        return None
    state = PlanState.loads(kept_state[1])
    kept_memo = store.memo("plan", state.key)
    if kept_memo is None or state.key != key_of(state.summary_key):
        return None
    memo: PlanMemo = load(kept_memo)
    edits = text_edits(state.live, scanned.live_keys, store)
    if edits is None or any(edit.source in state.noted for edit in edits):
        return None
    edited = sorted({n for edit in edits for n in state.where.get(edit.source, ())})
    standing = [t for t in memo.tasks if t.owner not in edited]
    if not all(up_to_date(t.id, t.key, manifest, config.out) for t in standing) \
            or not all(probes_valid(probes) for probes in memo.probes):
        return None
    collections = _rekeyed(store, state, edited, edits)
    if collections is None:
        return None
    kinds = sorted({info.cls.math for info in infos})
    records = list({r.key: r for c in collections.values() for r in c.articles}.values())
    rendered = render_stage(records, kinds, store, config.content, math_path(config),
                            mapper, reporter)
    new_keys = {edit.new for edit in edits}
    if noted_sources([r for r in records if r.parsed in new_keys], kinds, rendered):
        return None
    books = make_books(config, list(collections.values()), kinds, rendered,
                       SiteIndex.of_titles(state.titles), store.path, state.page_links)
    planner = planner_of(rendered)
    planned: dict[int, list[PlannedTask]] = {
        n: planner.book_tasks({kind: books[kind][i] for kind in kinds})
        for i, n in enumerate(collections)}
    entries: list[MemoTask] = []
    for n in range(len(state.collections)):
        if n in planned:
            entries += [MemoTask.of(task, n) for task in planned[n]]
        else:
            entries += [t for t in memo.tasks if t.owner == n]
    entries += [t for t in memo.tasks if t.owner < 0]
    new_memo = dataclasses.replace(memo, tasks=tuple(entries))
    new_state = dataclasses.replace(state, key=key, summary_key=scanned.summary_key,
                                    live=tuple(scanned.live_keys))
    return Replanned([t for tasks in planned.values() for t in tasks], new_memo, new_state,
                     collections, rendered.count, tuple(edit.old for edit in edits))


def _rekeyed(store: BuildStore, state: PlanState, edited: list[int],
             edits: list[Edit]) -> dict[int, Collection] | None:
    """The edited books' collections from their kept rows, with the new parse keys."""
    new_key = {edit.old: edit.new for edit in edits}
    read = RowReader()
    collections = {}
    for n in edited:
        kept = store.memo(f"{ROWS}{n}", state.key)
        if kept is None:
            return None
        records = []
        for row in _unpacked(kept):
            record = read(row)
            assert isinstance(record, ArticleRecord)
            if record.parsed in new_key:
                record = dataclasses.replace(record, parsed=new_key[record.parsed])
            records.append(record)
        slug, title = state.collections[n]
        collections[n] = Collection(slug, title, tuple(records))
    return collections


def _packed(records: Sequence[ArticleRecord]) -> bytes:
    """A book's record rows, each after its length, compressed as they are made: one
    blob of 58,000 rows held whole, then copied by SQLite, was the build's peak."""
    packer = zlib.compressobj(1)
    parts = []
    for record in records:
        row = record_row(record)
        parts.append(packer.compress(len(row).to_bytes(4, "little") + row))
    parts.append(packer.flush())
    return b"".join(parts)


def _unpacked(blob: bytes) -> Iterator[bytes]:
    """The rows `_packed` wrote, in order."""
    data = memoryview(zlib.decompress(blob))
    offset = 0
    while offset < len(data):
        size = int.from_bytes(data[offset:offset + 4], "little")
        yield bytes(data[offset + 4:offset + 4 + size])
        offset += 4 + size
