"""The loader: bad files become one ContentError each, good ones load, cross-file checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pressroom.errors import ContentError
from pressroom.loader import MAX_BYTES, load_content, load_file
from pressroom.profiles import PROFILES, detect_profile, get_profile
from tests.conftest import deny_reading

GOOD = """\
---
_schema: default
id: {id}
date: 2024-12-03
title: >-
    {title}
date_format: MMM DD, YYYY
post_on_text: Posted on
seo:
  title: QuickTakes | {subject}
  page_description: >-
    A short description.
  page_keywords: >-
    alpha, beta ,, gamma,
author: QuickTakes
question: >-
    {title}
answer: >-
    First line.\\n\\n$$\\na \\neq b\\n$$
subject: {subject}
file_name: {file_name}
url: /learn/{subject_slug}/questions/{slug}
score: -1.0
---

&nbsp;
"""


def quicktakes(
    slug: str = "what-is-x", id: int = 1, subject: str = "Mathematics", file_name: str = ""
) -> str:
    """A valid QuickTakes file's text."""
    return GOOD.format(
        id=id, title=slug.replace("-", " ").capitalize() + "?", subject=subject, slug=slug,
        subject_slug=subject.lower().replace(" ", "-"), file_name=file_name or f"{slug}.md",
    )


def write(root: Path, name: str, text: str | bytes) -> Path:
    """Write `text` to root/name (creating folders) and return the path."""
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_quicktakes_fields(tmp_path: Path) -> None:
    article = load_file(write(tmp_path, "a.md", quicktakes()))
    assert article.profile == "quicktakes"
    assert (article.id, article.slug, article.key) == (1, "what-is-x", "what-is-x")
    assert article.title == article.question == "What is x?"
    assert article.body_md == "First line.\n\n$$\na \\neq b\n$$"
    assert article.date == dt.date(2024, 12, 3)
    assert article.keywords == ("alpha", "beta", "gamma")
    assert article.description == "A short description."
    assert article.seo_title == "QuickTakes | Mathematics"
    assert (article.date_format, article.posted_label, article.score) == (
        "MMM DD, YYYY", "Posted on", -1.0)
    assert article.url == "/learn/mathematics/questions/what-is-x"
    assert article.file_name == "what-is-x.md"
    assert article.line_of("id") == 3 and article.line_of("url") == 22
    assert "_schema" not in article.extra and "answer" not in article.extra


@pytest.mark.parametrize(
    ("value", "expected"),
    [('"2024-12-03"', dt.date(2024, 12, 3)), ("2024-12-03T10:00:00Z", dt.date(2024, 12, 3)),
     ('"2024-12-03T23:30:00+02:00"', dt.date(2024, 12, 3))],
)
def test_date_strings(tmp_path: Path, value: str, expected: dt.date) -> None:
    text = quicktakes().replace("date: 2024-12-03", f"date: {value}")
    assert load_file(write(tmp_path, "a.md", text)).date == expected


def test_related_in_numeric_order_deduplicated(tmp_path: Path) -> None:
    related = "".join(
        f"related_article{n}:\n    id: {rid}\n    title: T{n}\n    subject: computer science\n"
        f"    url: /r/{rid}\n"
        for n, rid in [(10, 110), (2, 102), (1, 101), (9, 109), (3, 102)]
    )
    text = quicktakes().replace("score: -1.0\n", "score: -1.0\nrelated_article4:\n" + related)
    article = load_file(write(tmp_path, "a.md", text))
    assert [link.id for link in article.related] == [101, 102, 109, 110]
    assert [link.title for link in article.related] == ["T1", "T2", "T9", "T10"]


def test_body_wins_over_answer_and_answer_is_kept(tmp_path: Path) -> None:
    text = quicktakes().replace("&nbsp;", "# Real body\\n")
    article = load_file(write(tmp_path, "a.md", text))
    assert article.body_md == "# Real body\\n"
    assert article.extra["answer"].startswith("First line.")


def test_unmapped_keys_go_to_extra(tmp_path: Path) -> None:
    text = quicktakes().replace("score: -1.0\n", "score: -1.0\nlevel: intro\n")
    text = text.replace("  title: QuickTakes", "  robots: noindex\n  title: QuickTakes")
    article = load_file(write(tmp_path, "a.md", text))
    assert article.extra == {"level": "intro", "seo": {"robots": "noindex"}}


def test_missing_score_is_none(tmp_path: Path) -> None:
    text = quicktakes().replace("score: -1.0\n", "")
    assert load_file(write(tmp_path, "a.md", text)).score is None


GENERIC = """\
---
title: Reading a stack trace
date: 2024-05-01
tags: [debugging, python]
summary: How to read one.
author: [Ada, Grace]
---
# Reading a stack trace

Start at the bottom.
"""


def test_generic_profile(tmp_path: Path) -> None:
    article = load_file(write(tmp_path, "content/notes/stack-trace.md", GENERIC))
    assert article.profile == "generic"
    assert (article.title, article.question) == ("Reading a stack trace", "Reading a stack trace")
    assert article.body_md.startswith("# Reading a stack trace\n\nStart")
    assert (article.slug, article.url) == ("stack-trace", "/stack-trace")
    assert article.subject == "Notes"
    assert article.keywords == ("debugging", "python")
    assert (article.description, article.author) == ("How to read one.", "Ada, Grace")
    assert article.date == dt.date(2024, 5, 1) and article.id is None


def test_generic_subject_and_permalink(tmp_path: Path) -> None:
    text = GENERIC.replace("tags: [debugging, python]", "tags: a, b\ncategories: [Tools, X]\n"
                           "permalink: /guides/traces/\nid: 7")
    article = load_file(write(tmp_path, "posts/x.md", text))
    assert (article.subject, article.url, article.slug, article.id) == (
        "Tools", "/guides/traces/", "traces", 7)
    assert article.keywords == ("a", "b")
    assert load_file(write(tmp_path, "posts/y.md", GENERIC)).subject == "Articles"


def test_profile_detection_and_override(tmp_path: Path) -> None:
    assert list(PROFILES) == ["quicktakes", "hugo", "jekyll", "generic"]
    assert detect_profile({"answer": "x"}) == "quicktakes"
    assert detect_profile({"question": "q", "url": "/u"}) == "quicktakes"
    assert detect_profile({"title": "t"}) == "generic"
    assert detect_profile({"title": "t", "weight": 1, "draft": False}) == "generic"
    path = write(tmp_path, "a.md", quicktakes())
    article = load_file(path, profile="generic")
    assert article.profile == "generic" and article.body_md == "&nbsp;"
    with pytest.raises(ValueError, match="generic, hugo, jekyll, quicktakes"):
        get_profile("eleventy")
    with pytest.raises(ValueError, match="unknown profile"):
        load_content(tmp_path, profile="eleventy")


BAD_FILES = {
    "bad-bytes.md": (quicktakes().encode().replace(b"Posted on", b"Posted \xff on"), 8),
    "unclosed.md": ("---\ntitle: x\n\nbody\n", 1),
    "no-front-matter.md": ("# Just a heading\n", 1),
    "bad-yaml.md": (quicktakes().replace("author: QuickTakes", "author: [Quick"), 16),
    "list.md": ("---\n- a\n- b\n---\nbody\n", 2),
    "tabs.md": (quicktakes().replace("  title: QuickTakes", "\ttitle: QuickTakes"), 10),
    "alias.md": ("---\nbase: &b [1, 2]\ntitle: *b\nanswer: x\n---\n", 3),
    "empty.md": ("", 1),
    "blank.md": ("\n  \n", 1),
    "no-subject.md": (quicktakes().replace("subject: Mathematics\n", ""), 1),
    "no-url.md": (quicktakes().replace("url: /learn", "link: /learn"), 1),
    "bad-date.md": (quicktakes().replace("date: 2024-12-03", "date: someday"), 4),
    "bad-id.md": (quicktakes().replace("id: 1", "id: [1]"), 3),
    "text-id.md": (quicktakes().replace("id: 1", "id: abc"), 3),
    "bad-score.md": (quicktakes().replace("score: -1.0", "score: high"), 23),
    "bad-related.md": (quicktakes().replace("score: -1.0", "related_article1: text"), 23),
    "generic-no-title.md": ("---\ntags: x\n---\nbody\n", 1),
    "generic-no-body.md": ("---\ntitle: T\n---\n", 2),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_each_bad_file_gives_one_error_and_others_load(tmp_path: Path, name: str) -> None:
    text, line = BAD_FILES[name]
    bad = write(tmp_path, name, text)
    write(tmp_path, "good.md", quicktakes("good", id=2))
    result = load_content(tmp_path)
    assert [article.slug for article in result.articles] == ["good"]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.path, error.line) == (bad, line), str(error)
    assert error.hint
    assert str(error).startswith(f"{bad}:{line}: ")


def test_yaml_error_names_where_the_construct_began(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="while parsing a flow sequence on line 15"):
        load_file(write(tmp_path, "a.md", BAD_FILES["bad-yaml.md"][0]))


def test_alias_error_mentions_aliases(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="alias"):
        load_file(write(tmp_path, "a.md", BAD_FILES["alias.md"][0]))


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["---", "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    path = write(tmp_path, "lol.md", "\n".join([*lines, "---", "body"]))
    with pytest.raises(ContentError) as caught:
        load_file(path)
    assert caught.value.line == 3


def test_tab_error_hint(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="tabs") as caught:
        load_file(write(tmp_path, "a.md", BAD_FILES["tabs.md"][0]))
    assert "spaces" in caught.value.hint


def test_bom_and_crlf_are_fine(tmp_path: Path) -> None:
    text = quicktakes().replace("\n", "\r\n")
    article = load_file(write(tmp_path, "a.md", b"\xef\xbb\xbf" + text.encode()))
    assert article.id == 1 and article.line_of("id") == 3
    assert article.body_md == "First line.\n\n$$\na \\neq b\n$$"


def test_blank_line_after_opening_fence_keeps_line_numbers(tmp_path: Path) -> None:
    text = quicktakes().replace("---\n_schema", "---\n\n_schema", 1)
    article = load_file(write(tmp_path, "a.md", text))
    assert article.line_of("id") == 4


def test_file_level_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "good.md", quicktakes("good", id=2))
    (tmp_path / "folder.md").mkdir()
    write(tmp_path, ".hidden/x.md", "junk")
    write(tmp_path, "README.md", "junk")
    write(tmp_path, "MANIFEST.tsv", "junk")
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    locked = write(tmp_path, "locked.md", quicktakes("locked", id=3))
    deny_reading(monkeypatch, locked)
    result = load_content(tmp_path)
    assert [article.slug for article in result.articles] == ["good"]
    assert [(error.path.name, error.line) for error in result.errors] == [
        ("huge.md", 1), ("locked.md", 1)]
    assert "Permission denied" in result.errors[1].message
    with pytest.raises(ContentError, match="folder"):
        load_file(tmp_path / "folder.md")


def test_duplicate_url_is_an_error_naming_the_first(tmp_path: Path) -> None:
    first = write(tmp_path, "a.md", quicktakes("same", id=1))
    second = write(tmp_path, "b.md", quicktakes("same", id=2, file_name="other.md"))
    result = load_content(tmp_path)
    assert [article.source for article in result.articles] == [first]
    [error] = result.errors
    assert (error.path, error.line) == (second, 22)
    assert str(first) in error.message


def test_reused_id_with_another_file_name_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.md", quicktakes("one", id=5))
    second = write(tmp_path, "b.md", quicktakes("two", id=5))
    result = load_content(tmp_path)
    assert len(result.articles) == 1 and not result.warnings
    [error] = result.errors
    assert (error.path, error.line) == (second, 3) and "id 5" in error.message


def test_cross_listing_warns_and_keeps_both(tmp_path: Path) -> None:
    first = write(tmp_path, "economics/x.md", quicktakes("x", id=9, subject="Economics"))
    second = write(tmp_path, "maths/x.md", quicktakes("x", id=9, subject="Mathematics"))
    write(tmp_path, "physics/x.md", quicktakes("x", id=10, subject="Physics"))
    result = load_content(tmp_path)
    assert not result.errors
    [warning] = result.warnings
    assert warning.path == second and str(first) in warning.message
    assert str(second) in warning.message
    assert [article.key for article in result.articles] == [
        "x--economics", "x--mathematics", "x"]


def test_clashing_slugs_get_numeric_suffixes(tmp_path: Path) -> None:
    write(tmp_path, "a.md", quicktakes("x", id=1, subject="Economics"))
    write(tmp_path, "b.md", quicktakes("x", id=2, subject="Physics", file_name="b.md"))
    write(tmp_path, "c.md", quicktakes("x", id=3, subject="Mathematics", file_name="c.md"))
    result = load_content(tmp_path)
    assert not result.errors and not result.warnings
    assert [article.key for article in result.articles] == ["x", "x-2", "x-3"]
    assert [article.slug for article in result.articles] == ["x", "x", "x"]


def test_subject_spellings_fold_to_the_most_frequent(tmp_path: Path) -> None:
    write(tmp_path, "a.md", quicktakes("a", id=1, subject="Computer science"))
    write(tmp_path, "b.md", quicktakes("b", id=2, subject="Computer science"))
    write(tmp_path, "c.md", quicktakes("c", id=3, subject="Computer Science"))
    write(tmp_path, "d.md", quicktakes("d", id=4, subject="Digital media"))
    write(tmp_path, "e.md", quicktakes("e", id=5, subject="Digital Media"))
    result = load_content(tmp_path)
    assert [article.subject for article in result.articles] == [
        "Computer science", "Computer science", "Computer science", "Digital Media",
        "Digital Media"]


def test_related_subjects_fold_too(tmp_path: Path) -> None:
    related = ("related_article1:\n    id: 2\n    title: B\n    subject: mathematics\n"
               "    url: /b\n")
    write(tmp_path, "a.md", quicktakes("a", id=1).replace("score: -1.0\n", related))
    [article] = load_content(tmp_path).articles
    assert article.related[0].subject == "Mathematics"


def test_load_order_is_sorted_by_path(tmp_path: Path) -> None:
    write(tmp_path, "z/a.md", quicktakes("za", id=1))
    write(tmp_path, "a/z.md", quicktakes("az", id=2))
    write(tmp_path, "m.md", quicktakes("m", id=3))
    slugs = [article.slug for article in load_content(tmp_path).articles]
    assert slugs == ["az", "m", "za"]
