"""The fast YAML path (yaml_rs) gives exactly libyaml's results, or steps aside for libyaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom import yamlload
from pressroom.loader import load_file
from pressroom.yamlload import _precise_check, fast_path_safe, libyaml_load, load_yaml

pytest.importorskip("yaml_rs")

# Scalars on which YAML 1.1 (libyaml) and 1.2 (yaml_rs) disagree, and ones they share.
TRICKY = ["yes", "No", "on", "OFF", "y", "0o12", "012", "0x1F", "1e3", "1_000", "1:30",
          "-.5", ".inf", "+1", "2013-05-06 02:12:52 +0200", "2024-12-03T10:00:00Z", "~",
          "null", "True", "'quoted: yes'", '"esc\\u00e9"', "<<", "=", "[1, yes]",
          "{a: on}", "&anchor x", "*anchor", "!!str 5", "- item", "2024-12-03", "-1.0",
          "81148", "plain text: with colon", "Computer Science", ">-\n    folded yes"]


def _front_matter(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("---", 2)[1]


def test_yaml_rs_and_libyaml_agree_on_the_whole_shared_corpus(corpus_dir: Path) -> None:
    files = sorted(f for f in corpus_dir.parent.rglob("*.md") if f.read_text().startswith("---"))
    fast = [f for f in files if fast_path_safe(_front_matter(f))]
    assert len(fast) >= len(files) * 3 // 4, "most real files should take the fast path"
    for path in files:
        text = _front_matter(path)
        assert load_yaml(text) == yaml.load(text, Loader=yaml.CSafeLoader), path  # noqa: S506


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["id", "on", "1", "title", "tags", "seo"]),
                          st.sampled_from(TRICKY)), min_size=1, max_size=6))
def test_the_fast_path_never_changes_a_result(entries: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in entries)
    try:
        expected = libyaml_load(text)
    except yaml.YAMLError:
        expected = "error"
    try:
        got = load_yaml(text)
    except yaml.YAMLError:
        got = "error"
    assert got == expected


_PIECES = ["key", "on", "yes", "y", "Off", "No", "1", "012", "2024-12-03", "<<", "=", "- ",
           "-", ": ", ":", " ", "  ", "\xa0", "\u3000", ">-", "|", "?", "...", "---", "#",
           '"', "'", "\\", "[", "&a", "*a", "!t", "1e3", "-.5", "text", "\n", "\n  ",
           "\n    ", "\n- "]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_the_quick_scan_never_passes_what_the_line_check_refuses(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert fast_path_safe(text) == (bool(text.strip()) and "\t" not in text
                                    and _precise_check(text))


def test_aliases_are_still_refused_at_their_line(tmp_path: Path) -> None:
    path = tmp_path / "alias.md"
    path.write_text("---\ntitle: &t Hello\nquestion: *t\nurl: /q\nanswer: x\n---\n")
    from pressroom.errors import ContentError
    with pytest.raises(ContentError, match="aliases") as error:
        load_file(path)
    assert error.value.line == 3


def test_libyaml_alone_gives_the_same_articles(corpus_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(corpus_dir.glob("*.md"))[:20]
    fast = [load_file(f) for f in files]
    monkeypatch.setattr(yamlload, "yaml_rs", None)
    assert [load_file(f) for f in files] == fast
