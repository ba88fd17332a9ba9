"""Anki decks: one .apkg per collection, opened as Anki does (a zip holding SQLite)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html as lxml_html

from pressroom.build import BuildResult, run_build
from pressroom.config import BuildConfig
from pressroom.grouping import group_articles
from pressroom.loader import load_content
from tests.apkg import Deck, read_apkg
from tests.conftest import BASE_URL, CONTENT

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082")


def build(content: Path, out: Path, **overrides: object) -> BuildResult:
    config = BuildConfig(content=content, out=out, formats=["anki"], base_url=BASE_URL, jobs=1)
    result = run_build(config.with_overrides(**overrides))
    assert not result.failures and not result.errors, (result.failures, result.errors)
    return result


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Deck]:
    out = tmp_path_factory.mktemp("anki")
    build(CONTENT, out)
    return {p.stem: read_apkg(p) for p in sorted((out / "anki").glob("*.apkg"))}


def test_one_deck_per_collection_with_a_note_per_article(decks: dict[str, Deck]) -> None:
    collections = group_articles(load_content(CONTENT).articles, "subject")
    assert set(decks) == {c.slug for c in collections}
    for collection in collections:
        deck = decks[collection.slug]
        assert len(deck.notes) == len(collection.articles)
        assert len(deck.cards) == len(deck.notes)
        assert {nid for _, nid, _ in deck.cards} == {n.id for n in deck.notes}
        (name,) = [d["name"] for d in deck.decks.values() if d["name"] != "Default"]
        assert name == f"{collection.title} Study Guide"


def test_fields_hold_the_question_and_the_rendered_answer(decks: dict[str, Deck]) -> None:
    articles = {a.question: a for a in load_content(CONTENT).articles}
    for deck in decks.values():
        for note in deck.notes:
            question, answer, source = note.fields
            article = articles[lxml_html.fromstring(question).text_content()]
            assert source == f"{BASE_URL}{article.url}"
            assert answer.lstrip().startswith("<") and "&nbsp;" not in answer[:6]
            prose = re.sub(r"<pre>.*?</pre>|\\\(.*?\\\)|\\\[.*?\\\]", "", answer, flags=re.S)
            assert "\\n" not in prose  # the QuickTakes escapes are decoded
    math = [n.fields[1] for n in decks["mathematics"].notes]
    assert any(re.search(r'<span class="math math-inline">\\\(.+?\\\)</span>', a) for a in math)
    assert any(re.search(r"\\\[.+?\\\]", a, re.S) for a in math)
    assert not any("<math" in a or "<svg" in a for a in math)  # Anki's MathJax typesets TeX
    code = [n.fields[1] for d in decks.values() for n in d.notes if "<pre>" in n.fields[1]]
    assert code and all(re.search(r"<pre><code[^>]*>", a) for a in code)


def test_tags_come_from_the_subject_and_keywords(decks: dict[str, Deck]) -> None:
    by_question = {a.question: a for a in load_content(CONTENT).articles}
    for deck in decks.values():
        for note in deck.notes:
            article = by_question[lxml_html.fromstring(note.fields[0]).text_content()]
            assert note.tags[0] == article.subject.replace(" ", "_")
            assert all(" " not in tag for tag in note.tags)
            keywords = {k.casefold().replace(" ", "_") for k in article.keywords}
            assert {t.casefold() for t in note.tags[1:]} <= keywords
            assert len(note.tags) == len({t.casefold() for t in note.tags})


def test_the_cards_are_styled_by_the_theme(decks: dict[str, Deck]) -> None:
    (model,) = decks["physics"].models.values()
    assert "h1.question" in model["css"] and not re.search(r"var\(--[a-z]", model["css"])
    assert "{{Question}}" in model["tmpls"][0]["qfmt"]
    assert "{{Answer}}" in model["tmpls"][0]["afmt"]


def test_ids_and_guids_are_stable_across_builds_and_edits(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "physics", content / "physics")
    first = build(content, tmp_path / "one", cache=False)
    before = read_apkg(tmp_path / "one" / "anki" / "physics.apkg")
    assert first.written
    victim = sorted(content.glob("physics/*.md"))[0]
    victim.write_text(victim.read_text(encoding="utf-8").replace(
        "\n---\n", "\n---\n\nA sentence added later.\n", 1), encoding="utf-8")
    build(content, tmp_path / "two")
    after = read_apkg(tmp_path / "two" / "anki" / "physics.apkg")
    assert [(n.id, n.guid) for n in after.notes] == [(n.id, n.guid) for n in before.notes]
    assert [c[:2] for c in after.cards] == [c[:2] for c in before.cards]
    assert after.decks.keys() == before.decks.keys()
    assert [n.fields[1] for n in after.notes] != [n.fields[1] for n in before.notes]


def test_a_clean_and_an_incremental_build_give_the_same_bytes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "engineering", content / "engineering")
    out = tmp_path / "out"
    build(content, out)
    once = (out / "anki" / "engineering.apkg").read_bytes()
    build(content, tmp_path / "clean", cache=False)
    assert (tmp_path / "clean" / "anki" / "engineering.apkg").read_bytes() == once


def test_images_travel_as_media(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "img").mkdir(parents=True)
    (content / "img" / "dot.png").write_bytes(PNG)
    (content / "dot.md").write_text("---\ntitle: A dot\nsubject: Art\nurl: /art/dot\n---\n\n"
                                    "Look: ![a dot](img/dot.png)\n", encoding="utf-8")
    build(content, tmp_path / "out")
    deck = read_apkg(tmp_path / "out" / "anki" / "art.apkg")
    assert deck.media == {"img_dot.png": PNG}
    assert '<img src="img_dot.png" alt="a dot"' in deck.notes[0].fields[1]
