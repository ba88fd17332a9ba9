"""The keyword index as XHTML pages: letter groups, cut into pages that stay small."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pressroom.keywords import IndexGroup
from pressroom.model import Book
from pressroom.themes import Theme
from pressroom_epub.chapters import chapter_href
from pressroom_epub.documents import CSS_NAME, TEXT_DIR, Page, page

INDEX_TEMPLATE = "epub/index.xhtml.j2"
ENTRY_OVERHEAD = 160
LOCATOR_OVERHEAD = 90
PAGE_OVERHEAD = 4096


@dataclass(frozen=True)
class Locator:
    """A link from an index term to one article: its question and where it is."""

    title: str
    href: str


@dataclass(frozen=True)
class Entry:
    """An index term with its locators."""

    term: str
    locators: tuple[Locator, ...]

    @property
    def size(self) -> int:
        """A generous estimate of the entry's size in the page, in bytes."""
        return ENTRY_OVERHEAD + len(self.term.encode("utf-8")) + sum(
            LOCATOR_OVERHEAD + len(loc.title.encode("utf-8")) + len(loc.href)
            for loc in self.locators)


@dataclass
class PageGroup:
    """The part of one letter group that sits on one page."""

    label: str
    anchor: str
    continued: bool
    entries: list[Entry] = field(default_factory=list)


@dataclass(frozen=True)
class IndexLink:
    """Where a letter group starts: for the navigation and the letter bar."""

    title: str
    href: str


def index_name(number: int) -> str:
    """The package path of the `number`-th index page (beside nav.xhtml, never a chapter's)."""
    return "index.xhtml" if number == 1 else f"index-{number}.xhtml"


def _paginate(groups: Sequence[IndexGroup], questions: Mapping[str, str],
              budget: int) -> list[list[PageGroup]]:
    """Letter groups shared out over pages of at most `budget` bytes, split between entries."""
    pages: list[list[PageGroup]] = [[]]
    used = 0
    for group in groups:
        current: PageGroup | None = None
        started = False
        for item in group.entries:
            entry = Entry(item.term, tuple(Locator(questions[k], f"{TEXT_DIR}/{chapter_href(k)}")
                                           for k in item.keys))
            if pages[-1] and used + entry.size > budget:
                pages.append([])
                used, current = 0, None
            if current is None:
                anchor = f"{group.anchor}-{len(pages)}" if started else group.anchor
                current = PageGroup(group.label, anchor, started)
                pages[-1].append(current)
                started = True
            current.entries.append(entry)
            used += entry.size
    return pages


def index_pages(book: Book, theme: Theme, groups: Sequence[IndexGroup],
                questions: Mapping[str, str], title: str, limit: int
                ) -> tuple[list[Page], list[IndexLink]]:
    """The index pages, and links to where each letter starts (and each page, if later)."""
    if not groups:
        return [], []
    paginated = _paginate(groups, questions, max(limit - PAGE_OVERHEAD, 1))
    letters = [IndexLink(g.label, f"{index_name(n)}#{g.anchor}")
               for n, p in enumerate(paginated, start=1) for g in p if not g.continued]
    starts = [IndexLink(f"{g.label} (continued)" if g.continued else g.label,
                        f"{index_name(n)}#{g.anchor}")
              for n, p in enumerate(paginated, start=1) for i, g in enumerate(p)
              if not g.continued or i == 0]
    pages = []
    for number, content in enumerate(paginated, start=1):
        span = {content[0].label: None, content[-1].label: None}
        heading = title if number == 1 else f"{title}: {'–'.join(span)}"
        xhtml = theme.render(INDEX_TEMPLATE, language=book.language, title=heading,
                             css_href=CSS_NAME, groups=content,
                             letters=letters if number == 1 else [])
        pages.append(page(index_name(number), heading, xhtml))
    return pages, starts
