"""`pressroom check --a11y`: every book and chapter that breaks an accessibility rule, exit 1."""

from __future__ import annotations

import re
from pathlib import Path

from pressroom_epub import EpubExporter
from typer.testing import CliRunner

from pressroom.audit import audit
from pressroom.cli import EXIT_CONTENT, app
from pressroom.config import BuildConfig
from tests.conftest import CONTENT
from tests.test_epub import tiny_png

runner = CliRunner()
SUMMARY = re.compile(r"a11y: (\d+) files checked \(epub\), (\d+) problems, (\d+) content errors")
PROBLEM = re.compile(r"^a11y: (epub/[^:]+\.epub): (EPUB/[^:]+): (.+)$", re.MULTILINE)


def article(folder: Path, name: str, body: str) -> None:
    """Write one generic-profile article."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(f"---\ntitle: About {name}\ndate: 2024-01-02\n---\n{body}\n",
                                       encoding="utf-8")


def check_a11y(content: Path, out: Path) -> tuple[int, str, tuple[int, int, int]]:
    """Run the command; its exit code, output, and the summary's three counts."""
    result = runner.invoke(app, ["check", str(content), "--out", str(out), "--a11y"])
    summary = SUMMARY.search(result.output)
    assert summary, result.output
    files, problems, errors = (int(n) for n in summary.groups())
    return result.exit_code, result.output, (files, problems, errors)


def test_every_content_book_passes(tmp_path: Path) -> None:
    # The corpus books are held to the same rules in test_epub_a11y, on the built books.
    code, output, (files, problems, errors) = check_a11y(CONTENT, tmp_path / "out")
    assert code == 0, output
    assert files >= 4 and (problems, errors) == (0, 0), output
    assert not (tmp_path / "out" / "epub").exists()  # the books went to a scratch folder


def test_an_image_without_alt_text_names_the_chapter_and_the_file(tmp_path: Path) -> None:
    content = tmp_path / "content"
    article(content, "words", "Plain words.")
    article(content, "diagram", "The diagram:\n\n![](dot.png)")
    (content / "dot.png").write_bytes(tiny_png())
    code, output, (_, problems, errors) = check_a11y(content, tmp_path / "out")
    assert code == EXIT_CONTENT
    assert PROBLEM.findall(output) == [("epub/articles.epub", "EPUB/text/diagram.xhtml",
                                        "image 'dot.png' has no alt text")]
    assert (problems, errors) == (1, 1)
    assert f"error: {content / 'diagram.md'}" in output  # the source to fix


def test_a_theme_that_skips_heading_levels_and_roles_is_reported(tmp_path: Path) -> None:
    content = tmp_path / "site" / "content"
    article(content, "first", "## Overview\n\nText.")
    theme = tmp_path / "site" / "themes" / "loose"
    (theme / "templates" / "epub").mkdir(parents=True)
    (theme / "theme.toml").write_text('name = "loose"\nparent = "default"\n', encoding="utf-8")
    (theme / "templates" / "epub" / "chapter.xhtml.j2").write_text(
        '{% extends "epub/base.xhtml.j2" %}\n{% block body %}<h3>Read this first</h3>\n'
        '<section epub:type="chapter">{{ fragment }}</section>{% endblock %}\n',
        encoding="utf-8")
    (tmp_path / "site" / "pressroom.toml").write_text('theme = "loose"\n',
                                                      encoding="utf-8")
    code, output, (_, problems, errors) = check_a11y(content, tmp_path / "out")
    assert code == EXIT_CONTENT and errors == 0, output
    found = {(chapter, message) for _, chapter, message in PROBLEM.findall(output)}
    assert found == {
        ("EPUB/text/first.xhtml", "h3 'Read this first' follows no heading"),
        ("EPUB/text/first.xhtml", "epub:type 'chapter' on <section> lacks role 'doc-chapter'"),
    }, output
    assert problems == 2 and "warning:" not in output  # each problem once, as an a11y line


def test_a_check_no_exporter_offers_builds_nothing(tmp_path: Path) -> None:
    config = BuildConfig(content=CONTENT, out=tmp_path / "out")
    found = audit(config, "spelling")
    assert (found.formats, found.files, found.problems) == ([], 0, [])
    assert not (tmp_path / "out").exists()
    assert EpubExporter.audits == ("a11y",) and EpubExporter().audit("spelling", CONTENT) == []
