"""Cross-file checks over loaded articles or their index records: one spelling per subject,
unique urls and ids (cross-listed twins kept), and a unique key for every article."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from pressroom.errors import ContentError, ContentWarning
from pressroom.model import RelatedLink
from pressroom.slugs import safe_slug, unique_slug


class Listed(Protocol):
    """What the checks read: an Article or an ArticleRecord."""

    id: int | str | None
    key: str
    slug: str
    subject: str
    url: str
    file_name: str
    source: Path | str
    related: tuple[RelatedLink, ...]
    lines: Mapping[str, int]

    def line_of(self, name: str) -> int | None:
        """Line of a field in the source file."""


T = TypeVar("T", bound=Listed)


@dataclass(frozen=True)
class CrossChecked(Generic[T]):
    """The items that survive the checks, with final keys, and what the checks found."""

    items: list[T]
    errors: list[ContentError]
    warnings: list[ContentWarning]


def cross_check(items: list[T]) -> CrossChecked[T]:
    """Fold subject spellings, drop duplicates, then give every survivor a unique key."""
    kept, errors, warnings = check_unique(fold_subjects(items))
    return CrossChecked(unique_keys(kept), errors, warnings)


def fold_subjects(items: list[T]) -> list[T]:
    """Spell each subject one way: the most frequent spelling, ties to more capitals."""
    counts: Counter[str] = Counter()
    for article in items:
        counts[article.subject] += 1
        for link in article.related:
            if link.subject:
                counts[link.subject] += 1
    spellings: dict[str, list[str]] = defaultdict(list)
    for spelling in counts:
        spellings[spelling.casefold()].append(spelling)
    canonical = {
        spelling: max(group, key=lambda s: (counts[s], sum(c.isupper() for c in s), s))
        for group in spellings.values()
        for spelling in group
    }
    respelled = {spelling: one for spelling, one in canonical.items() if spelling != one}
    if not respelled:
        return items
    folded = []
    for article in items:
        related = tuple(replace(link, subject=respelled[link.subject])
                        if link.subject in respelled else link for link in article.related)
        if related != article.related or article.subject in respelled:
            article = replace(article, subject=canonical[article.subject], related=related)
        folded.append(article)
    return folded


def check_unique(
    items: list[T],
) -> tuple[list[T], list[ContentError], list[ContentWarning]]:
    """Drop duplicate urls and reused ids (errors); keep cross-listed twins (a warning)."""
    by_url: dict[str, T] = {}
    by_id: dict[Any, T] = {}
    kept: list[T] = []
    errors: list[ContentError] = []
    warnings: list[ContentWarning] = []
    for article in items:
        first = by_url.get(article.url)
        if first is not None:
            errors.append(ContentError(
                Path(article.source), article.line_of("url"),
                f"url {article.url} is already used by {first.source}",
                "give each article its own url",
            ))
            continue
        twin = by_id.get(article.id) if article.id is not None else None
        if twin is not None and (
            twin.file_name != article.file_name or twin.subject == article.subject
        ):
            errors.append(ContentError(
                Path(article.source), article.line_of("id"),
                f"id {article.id} is already used by {twin.source}",
                "give each article its own id (cross-listing keeps the file name "
                "and changes the subject)",
            ))
            continue
        if twin is not None:
            warnings.append(ContentWarning(
                Path(article.source), article.line_of("id"),
                f"id {article.id} ({article.file_name}) is cross-listed: {twin.source} "
                f"under {twin.subject}, {article.source} under {article.subject}",
                "both are kept, one per subject; fine if intended",
            ))
        by_url[article.url] = article
        by_id.setdefault(article.id, article)
        kept.append(article)
    return kept, errors, warnings


def unique_keys(items: list[T]) -> list[T]:
    """Give every article a unique key: slug, `slug--subject` for twins, then `-2`, `-3`…"""
    id_subjects: dict[Any, set[str]] = defaultdict(set)
    for article in items:
        if article.id is not None:
            id_subjects[article.id].add(article.subject)
    used: set[str] = set()
    result = []
    for article in items:
        key = article.slug
        if article.id is not None and len(id_subjects[article.id]) > 1:
            key = f"{article.slug}--{safe_slug(article.subject)}"
        candidate = unique_slug(key, used)
        result.append(replace(article, key=candidate) if candidate != article.key else article)
    return result
