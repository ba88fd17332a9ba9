"""Text edits: the records whose parse key moved while every index value stayed.

An edit that leaves all of its record's index values as they were (title, url, dates,
subject, related links, line numbers, decode notes) cannot move grouping, order, link
targets or the cross-file checks: the index is the earlier one with new parse keys. A
file added, removed or renamed, any index value changed, a parse error, or more than
MAX_EDITS moved keys, and the index must be made again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from pressroom.build.records import RowReader, record_fingerprint
from pressroom.build.store import BuildStore, dump, load
from pressroom.model import ArticleRecord

MAX_EDITS = 1000


class Edit(NamedTuple):
    """One article's text edit: its source and its parse keys before and after."""

    source: str
    old: str
    new: str


def text_edits(old_live: Sequence[str], new_live: Sequence[str],
               store: BuildStore) -> list[Edit] | None:
    """The edits between two indexes' live parse keys (in path order), when each is a
    text edit of an article whose old and new parses are both in the store; else None."""
    if len(old_live) != len(new_live):
        return None
    moved = [(old, new) for old, new in zip(old_live, new_live, strict=True) if old != new]
    if not moved or len(moved) > MAX_EDITS:
        return None
    read = RowReader()
    try:
        before = [read(row) for row in store.records([old for old, _ in moved])]
        after = [read(row) for row in store.records([new for _, new in moved])]
    except KeyError:  # pruned since: nothing to compare with
        return None
    edits = []
    for old, new in zip(before, after, strict=True):
        if not (isinstance(old, ArticleRecord) and isinstance(new, ArticleRecord)
                and record_fingerprint(old) == record_fingerprint(new)):
            return None
        edits.append(Edit(old.source, old.parsed, new.parsed))
    return edits


def edited_summary(store: BuildStore, live: Sequence[str]) -> bytes | None:
    """The kept index summary made current for `live`, when only article text moved."""
    kept = store.memo_kept("summary")
    if kept is None:
        return None
    summary, old_live = load(kept)
    if text_edits(old_live, live, store) is None:
        return None
    return dump((summary, list(live)))
