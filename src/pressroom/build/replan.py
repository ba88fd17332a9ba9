"""Replanning after text edits: only the books that hold an edited article are planned.

A full plan decodes every record, groups them, resolves every link and hashes every
book. When the only change since the last plan is text edits (see `edits`), grouping,
order, link targets and every index value are as that plan found them, so the tasks of
the other books keep their keys and the whole-site tasks that read the index keep
theirs. The plan keeps what replanning needs (`PlanState`, and each book's checked
records as rows with their prints, fragment hashes and link titles: see `planrows`);
replanning decodes the edited books' records alone, puts in the new parse keys, looks
up only the edited articles' fragments, and keys their tasks exactly as the full plan
does. Any doubt (an edited article whose fragments carry warnings, math fallbacks,
links to pages or image probes, a whole-site exporter that reads rendered articles, a
kept task whose outputs moved) leaves it to the full plan.
"""

from __future__ import annotations

import dataclasses
import marshal
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from pressroom.books import Resolved, TitleLookup
from pressroom.build.commit import all_up_to_date
from pressroom.build.edits import Edit, text_edits
from pressroom.build.manifest import Manifest
from pressroom.build.memo import MemoTask, PlanMemo
from pressroom.build.plan import PlannedTask, RecordPrints, TaskPlanner, make_books
from pressroom.build.planrows import KeptRow, kept_row, link_titles, pack, unpack
from pressroom.build.records import RowReader
from pressroom.build.render import (
    Rendered,
    fragment_key,
    math_path,
    probes_valid,
    render_stage,
)
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
    page_links: Resolved

    def dumps(self) -> bytes:
        """The state as bytes: marshal for the plain values (pickle's memo of 700,000
        strings at 170,000 articles costs more memory than the state itself)."""
        plain = (self.key, self.summary_key, self.live, self.collections, self.where,
                 self.noted)
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
    rendered: int  # how many articles were rendered for it
    replaced: tuple[str, ...] | None = None  # parse keys the edits replaced (None: prune all)


def noted_sources(records: Sequence[ArticleRecord], kinds: Sequence[str],
                  rendered: Rendered) -> frozenset[str]:
    """Sources any of whose fragments carry notes or looked at image files."""
    flagged = rendered.notes.keys() | rendered.probes.keys()
    return frozenset(r.source for r in records
                     if any(rendered.keys[(r.key, kind)] in flagged for kind in kinds))


def plan_state(key: str, scanned: Scan, collections: Sequence[Collection],
               page_links: Resolved, noted: frozenset[str]) -> PlanState:
    """The state a full plan under `key` leaves."""
    where: dict[str, tuple[int, ...]] = {}
    for n, collection in enumerate(collections):
        for record in collection.articles:
            where[record.source] = (*where.get(record.source, ()), n)  # type: ignore[arg-type]
    return PlanState(key, scanned.summary_key, tuple(scanned.live_keys),
                     tuple((c.slug, c.title) for c in collections), where, noted, page_links)


def start_plan(store: BuildStore, state: PlanState,
               rows: dict[int, Iterable[KeptRow]]) -> None:
    """Drop the kept plan before a new plan's tasks run (a build killed from then on
    leaves nothing behind that could pass for its plan), and keep the `rows` of the new
    or edited books (by number) under the new plan's key, moving the other books' kept
    rows to it. Rows are read only beside a state of that key, so they can be kept
    before the tasks run, while the plan's books are in memory anyway."""
    store.put_memo("plan", None)
    store.put_memo(STATE, None)
    for n in range(len(state.collections)):
        kind = f"{ROWS}{n}"
        if n in rows:
            store.put_memo(kind, state.key, pack(rows[n]))
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
           planner_of: Callable[[Rendered, RecordPrints], TaskPlanner],
           moved: Callable[[], frozenset[str]]) -> Replanned | None:
    """Plan under `key` only the books that the text edits since the kept plan touch (and
    start it: see `start_plan`); None when that plan cannot be brought forward so.
    `key_of` gives the plan key of an index's summary key under this build's options;
    `moved` the tasks whose outputs moved (see `moved_outputs`)."""
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
    if not all_up_to_date({t.id: t.key for t in standing}, manifest, moved()) \
            or not all(probes_valid(probes) for probes in memo.probes):
        return None
    kinds = sorted({info.cls.math for info in infos})
    kept = _kept_books(store, state, edited, edits, kinds, str(config.content.resolve()))
    if kept is None:
        return None
    collections = {n: book.collection for n, book in kept.items()}
    new_keys = {edit.new for edit in edits}
    changed = list({r.key: r for book in kept.values() for r in book.records
                    if r.parsed in new_keys}.values())
    fresh = render_stage(changed, kinds, store, config.content, math_path(config), mapper,
                         reporter)
    if noted_sources(changed, kinds, fresh):
        return None
    rendered = Rendered({slot: key for book in kept.values() for slot, key in book.keys.items()},
                        {**{d: h for book in kept.values() for d, h in book.digests.items()},
                         **fresh.digests}, fresh.count)
    titles = {link: title for book in kept.values()
              for link, title in link_titles(book.records, book.rows).items()}
    books = make_books(config, list(collections.values()), kinds, rendered, titles.get,
                       store.path, state.page_links)
    prints = RecordPrints()
    for book in kept.values():
        for record, row in zip(book.records, book.rows, strict=True):
            prints.seed(record, row.print)
    planner = planner_of(rendered, prints)
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
    start_plan(store, new_state, {
        n: book.rows_now(new_keys, kinds, rendered, prints, titles.get)
        for n, book in kept.items()})
    return Replanned([t for tasks in planned.values() for t in tasks], new_memo, new_state,
                     fresh.count, tuple(edit.old for edit in edits))


@dataclass
class _KeptBook:
    """An edited book as the kept plan had it: its collection (with the new parse keys),
    its kept rows, and the unedited records' fragment keys and hashes."""

    collection: Collection
    records: tuple[ArticleRecord, ...]  # the collection's articles
    rows: list[KeptRow]
    keys: dict[tuple[str, str], str]
    digests: dict[str, str]

    def rows_now(self, new_keys: set[str], kinds: Sequence[str], rendered: Rendered,
                 prints: RecordPrints, titles: TitleLookup) -> Iterator[KeptRow]:
        """The book's rows for the new plan: the edited records' made again."""
        for record, row in zip(self.records, self.rows, strict=True):
            yield kept_row(record, kinds, rendered, prints, titles) \
                if record.parsed in new_keys else row


def _kept_books(store: BuildStore, state: PlanState, edited: list[int], edits: list[Edit],
                kinds: Sequence[str], content: str) -> dict[int, _KeptBook] | None:
    """The edited books from their kept rows, with the new parse keys."""
    new_key = {edit.old: edit.new for edit in edits}
    read = RowReader()
    books = {}
    for n in edited:
        blob = store.memo(f"{ROWS}{n}", state.key)
        if blob is None:
            return None
        rows = list(unpack(blob))
        records, keys, digests = [], {}, {}
        for row in rows:
            record = read(row.row)
            assert isinstance(record, ArticleRecord)
            was_edited = record.parsed in new_key
            if was_edited:
                record = dataclasses.replace(record, parsed=new_key[record.parsed])
            for kind, digest in zip(kinds, row.digests, strict=True):
                keys[(record.key, kind)] = slot = fragment_key(record, kind, content)
                if not was_edited:
                    digests[slot] = digest
            records.append(record)
        slug, title = state.collections[n]
        books[n] = _KeptBook(Collection(slug, title, tuple(records)), tuple(records), rows,
                             keys, digests)
    return books
