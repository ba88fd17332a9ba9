"""The real corpus in ../shared/corpus loads cleanly, with decoded answers and three twins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressroom.loader import LoadResult, load_content

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

# Checked independently of the decoder: fenced blocks out, then any `\n` left must start
# one of these TeX control words.
TEX_N_WORDS = {"neq", "ne", "nu", "nabla", "not", "notin", "ni", "newline", "neg"}
FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,}).*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
LITERAL_N = re.compile(r"(?<!\\)\\(n[A-Za-z]*)")
CROSSLISTED = {135359, 159013, 169217}


@pytest.fixture(scope="module")
def result() -> LoadResult:
    """The whole corpus, loaded once."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    return load_content(CORPUS)


def count_md(root: Path) -> int:
    """Markdown articles on disk (README files excluded)."""
    return sum(1 for path in root.rglob("*.md") if path.name.lower() != "readme.md")


def test_everything_loads(result: LoadResult) -> None:
    assert result.errors == ()
    assert len(result.articles) == count_md(CORPUS) == 97


def test_exactly_the_three_cross_listings_warn(result: LoadResult) -> None:
    assert len(result.warnings) == 3
    assert {warning.path.name for warning in result.warnings} == {
        "how-are-the-normal-equations-used-in-ols.md",
        "how-is-sql-used-in-database-management-and-what-are-its-primary-functions.md",
        "how-can-you-manage-layers-effectively-in-rhino-when-working-with-shape-files.md",
    }
    for warning in result.warnings:
        assert "crosslisted" in warning.message and "quicktakes" in str(warning.path)
    twins = [article for article in result.articles if article.id in CROSSLISTED]
    assert len(twins) == 6
    assert len({article.url for article in twins}) == 6


def test_keys_and_urls_are_unique(result: LoadResult) -> None:
    assert len({article.key for article in result.articles}) == len(result.articles)
    assert len({article.url for article in result.articles}) == len(result.articles)


def test_subjects_have_one_spelling(result: LoadResult) -> None:
    subjects = {article.subject for article in result.articles}
    subjects |= {link.subject for article in result.articles for link in article.related}
    assert len({subject.casefold() for subject in subjects}) == len(subjects)
    assert {"Computer Science", "Digital Media", "Mathematics"} <= subjects


def test_no_literal_newline_escapes_left(result: LoadResult) -> None:
    for article in result.articles:
        prose = FENCED.sub("", article.body_md)
        leftovers = [word for word in LITERAL_N.findall(prose) if word not in TEX_N_WORDS]
        assert leftovers == [], article.source
        assert "\n" in article.body_md, article.source


def body(result: LoadResult, file_prefix: str) -> str:
    """The body of the one quicktakes article whose file name starts with `file_prefix`."""
    [article] = [
        article for article in result.articles
        if article.source.parent.name == "quicktakes"
        and article.source.name.startswith(file_prefix)
    ]
    return article.body_md


def test_tex_commands_and_row_breaks_survive(result: LoadResult) -> None:
    assert "$\\gamma \\neq 0$" in body(result, "what-is-the-purpose-of-ramseys-reset-test")
    assert "\\beta_j \\neq 0 $$" in body(result, "how-is-hypothesis-testing-conducted")
    assert body(result, "can-you-explain-the-concept-of-gradient").count("\\nabla J") == 2
    rotation = body(result, "how-does-a-270-degrees-counterclockwise-rotation")
    assert "0 & 1 \\\\\n-1 & 0" in rotation
    parametric = body(result, "what-is-the-parametric-vector-form")
    assert "x_1 \\\\\nx_2" in parametric and "\nx_2 \n\\begin{pmatrix}" in parametric


def test_code_string_escapes_survive(result: LoadResult) -> None:
    code = body(result, "how-do-you-install-and-set-up-c-programming")
    assert 'printf("Hello, World!\\n");\n    return 0;' in code


def test_related_lists_have_unique_ids(result: LoadResult) -> None:
    with_related = [article for article in result.articles if article.related]
    on_disk = [path for path in CORPUS.rglob("*.md") if "\nrelated_article" in path.read_text()]
    assert len(with_related) == len(on_disk) == 76
    for article in with_related:
        ids = [link.id for link in article.related]
        assert len(ids) == len(set(ids)), article.source
        assert all(link.url.startswith("/learn/") for link in article.related)


def test_every_quicktakes_field_is_mapped(result: LoadResult) -> None:
    for article in result.articles:
        assert article.profile == "quicktakes"
        assert isinstance(article.id, int) and article.date is not None
        assert article.title and article.question and article.subject and article.file_name
        assert article.keywords and article.description and article.seo_title
        assert article.author == "QuickTakes" and article.posted_label == "Posted on"
        assert article.date_format == "MMM DD, YYYY"
        assert set(article.extra) == set(), article.extra
