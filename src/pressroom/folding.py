"""Quiet reports: repeated warnings of one kind in one file folded into one line with a count,
and errors or warnings counted by kind."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

Kind = tuple[str, str]  # (noun, what happened): ("link", "unlinked: no such page")
SHOWN = 5  # distinct subjects named in a folded line
_VARIABLE = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`|\S*/\S*|\b\d+(?:\.\d+)?\b")


def fold(source: Path | str, items: Iterable[tuple[Kind, str]]) -> list[str]:
    """One line per kind: `path: link '#x' unlinked: … (976 times)` or, for several
    subjects, `path: 3 links unlinked: …: '#a', '#b', '#c'`."""
    groups: dict[Kind, Counter[str]] = {}
    for kind, subject in items:
        groups.setdefault(kind, Counter())[subject] += 1
    lines = []
    for (noun, what), subjects in groups.items():
        total = sum(subjects.values())
        if len(subjects) == 1:
            [(subject, count)] = subjects.items()
            times = f" ({count} times)" if count > 1 else ""
            lines.append(f"{source}: {noun} {subject!r} {what}{times}")
            continue
        named = ", ".join(repr(s) for s in list(subjects)[:SHOWN])
        more = f" and {len(subjects) - SHOWN} more" if len(subjects) > SHOWN else ""
        lines.append(f"{source}: {total} {noun}s {what}: {named}{more}")
    return lines


def kind_of(message: str) -> str:
    """A message with its particulars (quoted text, paths, numbers) blanked: its kind."""
    return " ".join(_VARIABLE.sub("…", message).split())


def by_kind(messages: Iterable[str]) -> list[tuple[str, int]]:
    """(kind, count) of the messages, most frequent first."""
    return Counter(kind_of(message) for message in messages).most_common()
