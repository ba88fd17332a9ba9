"""Keyword normalisation and the back-of-book index built from it."""

from __future__ import annotations

from pressroom.keywords import IndexEntry, clean, keyword_index, singular_forms, term_key


def test_case_whitespace_and_trailing_punctuation_are_one_term() -> None:
    assert clean("  Binary \t Trees. ") == "Binary Trees"
    assert term_key("Binary Trees;") == term_key("binary  trees") == "binary trees"
    assert clean("C++") == "C++" and clean("What?!") == "What"


def test_obvious_plurals() -> None:
    assert "query" in singular_forms("queries")
    assert "box" in singular_forms("boxes") and "process" in singular_forms("processes")
    assert "residual" in singular_forms("residuals")
    assert not singular_forms("class") and not singular_forms("analysis")
    assert not singular_forms("status")


def test_index_merges_forms_and_lists_articles_in_book_order() -> None:
    groups = keyword_index([
        ("a1", ["Residuals", "OLS", "linear regression"]),
        ("a2", ["residual", "Linear Regression.", "linear regression"]),
        ("a3", ["2D arrays", "OLS", "élan"]),
        ("a4", ["glass", "Classes"]),
    ])
    index = {g.label: g.entries for g in groups}
    assert list(index) == ["#", "C", "E", "G", "L", "O", "R"]
    assert index["R"] == (IndexEntry("residual", ("a1", "a2")),)
    assert index["L"] == (IndexEntry("linear regression", ("a1", "a2")),)
    assert index["O"] == (IndexEntry("OLS", ("a1", "a3")),)
    assert index["E"] == (IndexEntry("élan", ("a3",)),)
    assert index["C"] == (IndexEntry("Classes", ("a4",)),)
    assert index["#"][0].term == "2D arrays"


def test_plural_stays_when_no_singular_is_used() -> None:
    [group] = keyword_index([("a", ["sets"]), ("b", ["Sets"])])
    assert group.entries == (IndexEntry("sets", ("a", "b")),)


def test_group_anchors_are_id_safe() -> None:
    groups = keyword_index([("a", ["42", "zeta"])])
    assert [g.anchor for g in groups] == ["index-other", "index-z"]


def test_empty_keywords_are_skipped() -> None:
    assert keyword_index([("a", ["", " ", "..."])]) == []
