"""Keywords to a back-of-book index: normalised terms, grouped by first letter, with articles."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

OTHER_GROUP = "#"
_SPACE = re.compile(r"\s+")
_TRAILING = ".,;:!?"
_SIBILANT_ENDINGS = ("s", "x", "z", "ch", "sh")


@dataclass(frozen=True)
class IndexEntry:
    """One index term and the keys of the articles that carry it, in book order."""

    term: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class IndexGroup:
    """The entries under one first letter (or `#` for digits and symbols)."""

    label: str
    entries: tuple[IndexEntry, ...]

    @property
    def anchor(self) -> str:
        """An id-safe name for the group: `index-a`…, `index-other`."""
        return "index-other" if self.label == OTHER_GROUP else f"index-{self.label.lower()}"


def clean(keyword: str) -> str:
    """The keyword as written, with whitespace collapsed and trailing punctuation removed."""
    text = _SPACE.sub(" ", unicodedata.normalize("NFKC", keyword)).strip()
    return text.rstrip(_TRAILING + " ")


def term_key(keyword: str) -> str:
    """The case-insensitive key of a keyword: `Binary Trees.` and `binary trees` are one."""
    return clean(keyword).casefold()


def singular_forms(key: str) -> list[str]:
    """Obvious singulars of a key's last word: `queries`→`query`, `boxes`→`box`, `sets`→`set`."""
    forms = []
    if key.endswith("ies") and len(key) > 4:
        forms.append(key[:-3] + "y")
    if key.endswith("es") and key[:-2].endswith(_SIBILANT_ENDINGS):
        forms.append(key[:-2])
    if key.endswith("s") and not key.endswith(("ss", "us", "is")) and len(key) > 3:
        forms.append(key[:-1])
    return forms


def sort_key(term: str) -> str:
    """Accents and case folded away, so `Élan` sorts and groups with `elan`."""
    decomposed = unicodedata.normalize("NFKD", term.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def group_label(term: str) -> str:
    """`A`…`Z` (any letter, upper-cased) for a term starting with a letter, else `#`."""
    first = sort_key(term)[:1]
    return first.upper() if first.isalpha() else OTHER_GROUP


def _display(forms: Counter[str]) -> str:
    """The spelling authors use most; on a tie the least capitalised, then the first."""
    return min(forms, key=lambda f: (-forms[f], sum(c.isupper() for c in f), f))


def keyword_index(tagged: Iterable[tuple[str, Sequence[str]]]) -> list[IndexGroup]:
    """Group `(article key, keywords)` pairs into an index: one entry per normalised term.

    Terms are merged by case, whitespace and trailing punctuation, and a plural merges
    into its singular when the singular is also used. Entries list their articles in the
    order given; groups come `#` first, then by letter; all orders are deterministic.
    """
    keys_by_term: dict[str, dict[str, None]] = defaultdict(dict)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    order: dict[str, int] = {}
    for article_key, keywords in tagged:
        order.setdefault(article_key, len(order))
        for keyword in keywords:
            term = term_key(keyword)
            if term:
                forms[term][clean(keyword)] += 1
                keys_by_term[term][article_key] = None
    entries: dict[str, dict[str, None]] = defaultdict(dict)
    for term, keys in keys_by_term.items():
        target = next((s for s in singular_forms(term) if s in keys_by_term), term)
        entries[target].update(keys)
    groups: dict[str, list[IndexEntry]] = defaultdict(list)
    for target, keys in entries.items():
        term = _display(forms[target])
        groups[group_label(term)].append(IndexEntry(term, tuple(sorted(keys, key=order.get))))
    labels = sorted(groups, key=lambda label: (label != OTHER_GROUP, label))
    return [IndexGroup(label, tuple(sorted(groups[label], key=_entry_order))) for label in labels]


def _entry_order(entry: IndexEntry) -> tuple[str, str]:
    return sort_key(entry.term), entry.term

