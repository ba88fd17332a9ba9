"""Text edits: the records whose parse key moved while every index value stayed.

An edit that leaves all of its record's index values as they were (title, url, dates,
subject, related links, line numbers, decode notes) cannot move grouping, order, link
targets or the cross-file checks: the index is the earlier one with new parse keys. A
file added, removed or renamed, any index value changed, a parse error, or more than
MAX_EDITS moved keys, and the index must be made again.
"""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from typing import NamedTuple

from pressroom.build.records import RowReader, record_fingerprint
from pressroom.build.store import BuildStore
from pressroom.model import ArticleRecord

MAX_EDITS = 1000
LIVE = "summary-live"


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
        rows = [read(row) for row in store.records([key for pair in moved for key in pair])]
    except KeyError:  # pruned since: nothing to compare with
        return None
    edits = []
    for old, new in zip(rows[::2], rows[1::2], strict=True):
        if not (isinstance(old, ArticleRecord) and isinstance(new, ArticleRecord)
                and record_fingerprint(old) == record_fingerprint(new)):
            return None
        edits.append(Edit(old.source, old.parsed, new.parsed))
    return edits


def keep_summary(store: BuildStore, key: str, summary: bytes, live: Sequence[str]) -> None:
    """Keep an index's summary, and apart from it (a warm check reads only the summary)
    the live parse keys it was made from."""
    store.put_memo("summary", key, summary)
    store.put_memo(LIVE, key, marshal.dumps(list(live)))


def edited_summary(store: BuildStore, live: Sequence[str]) -> bytes | None:
    """The kept index summary, when it holds for `live` because only article text moved."""
    kept = store.memo_kept(LIVE)
    if kept is None:
        return None
    key, old_live = kept
    summary = store.memo("summary", key)
    if summary is None or text_edits(marshal.loads(old_live), live, store) is None:
        return None
    return summary
