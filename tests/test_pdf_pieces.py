"""A long contents and a long index are typeset in pieces: the book reads the same."""

from __future__ import annotations

import re

import pytest
from pressroom_pdf.pieces import ContentsEntry, ContentsGroup, contents_pieces, index_pieces

from pressroom.build import run_build
from pressroom.config import BuildConfig
from pressroom.keywords import IndexEntry, IndexGroup

from .conftest import BASE_URL, CONTENT
from .test_pdf_chunks import BOOK, Printed

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]


def test_pieces_cut_groups_without_losing_or_reordering_a_line() -> None:
    groups = [ContentsGroup("A", tuple(ContentsEntry(f"a{n}", "q") for n in range(5))),
              ContentsGroup("B", (ContentsEntry("b0", "q"),))]
    pieces = contents_pieces(groups, 2)
    assert [[(g.title, len(g.entries), g.continued) for g in piece] for piece in pieces] == [
        [("A", 2, False)], [("A", 2, True)], [("A", 1, True), ("B", 1, False)]]
    index = [IndexGroup("A", (IndexEntry("alpha", ("k1", "k2", "k3")), IndexEntry("axe", ("k1",)))),
             IndexGroup("B", (IndexEntry("beta", ("k2",)),))]
    cut = index_pieces(index, 2)
    assert [[(g.label, [e.term for e in g.entries], g.continued) for g in piece]
            for piece in cut] == [[("A", ["alpha"], False)], [("A", ["axe"], True),
                                                              ("B", ["beta"], False)]]


@pytest.fixture(scope="module")
def cut_and_whole(tmp_path_factory: pytest.TempPathFactory) -> tuple[Printed, Printed]:
    """The sample book in chunks of two, with its contents and index in tiny pieces, and
    with each in one piece."""
    root = tmp_path_factory.mktemp("pieces")
    printed = []
    for name, options in (("cut", {"contents_lines": 2, "index_locators": 3}), ("whole", {})):
        config = BuildConfig(content=CONTENT, out=root / name, formats=["pdf"],
                             base_url=BASE_URL, jobs=1,
                             exporters={"pdf": {"chunk_articles": 2, **options}})
        assert not run_build(config).failures
        printed.append(Printed(root / name / "pdf" / f"{BOOK}.pdf"))
    return printed[0], printed[1]


def test_a_cut_contents_prints_the_same_numbers_and_roman_folios(
        cut_and_whole: tuple[Printed, Printed]) -> None:
    cut, whole = cut_and_whole
    assert cut.contents_numbers() == whole.contents_numbers() != []
    assert cut.body > whole.body, "three contents pieces take more front pages"
    assert cut.body % 2 == 0, "the body starts on a right-hand page"
    assert cut.labels[:cut.body] == ROMAN[:cut.body]
    folios = [text.split()[-1] for text in cut.texts[2:cut.body] if text]
    assert len(folios) == 3 and set(folios) <= set(ROMAN[2:cut.body])
    for label, text in zip(cut.labels[2:cut.body], cut.texts[2:cut.body], strict=True):
        assert not text or text.split()[-1] == label, "a folio goes on where the last stopped"
    assert cut.texts[:cut.body].count("") == cut.body - 5, "only padding pages are blank"


def test_a_cut_index_lists_every_term_once_with_the_same_pages(
        cut_and_whole: tuple[Printed, Printed]) -> None:
    cut, whole = cut_and_whole
    assert cut.outline() == whole.outline()

    def start(printed: Printed) -> int:
        return printed.texts.index(next(t for t in printed.texts if t.startswith("Index")))

    def unfolioed(texts: list[str]) -> list[str]:
        return [re.sub(r"Page \d+ of \d+", "", text) for text in texts]

    assert unfolioed(cut.texts[cut.body:start(cut)]) == unfolioed(
        whole.texts[whole.body:start(whole)]), "the body reads the same"

    def entries(printed: Printed) -> list[str]:
        heads = (str(printed.reader.metadata.title), "Index")  # the running heads
        text = " ".join(unfolioed(printed.texts[start(printed):]))
        for head in heads:
            text = text.replace(head, " ")
        return [" ".join(found.split())
                for found in re.findall(r"[a-z][a-z -]*? [\d, ]+", text.lower())]

    assert sorted(entries(cut)) == sorted(entries(whole)) != []
    assert all("Index" in text for text in cut.texts[start(cut) + 1:]), "the running head"
    assert len(cut.reader.pages) > len(whole.reader.pages), "each index piece starts a page"
    targets = {(name, to) for _, name, to in cut.links()}
    assert targets == {(name, to) for _, name, to in whole.links()}
