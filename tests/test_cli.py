"""The command line: exit codes, messages, JSON from `show`, plugin listing."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom import __version__
from pressroom.cli import EXIT_CONTENT, EXIT_USAGE, app

from .conftest import CONTENT

runner = CliRunner()
GOOD = CONTENT / "physics" / "how-are-frequency-wavelength-and-wave-speed-related.md"


@pytest.fixture
def broken_folder(tmp_path: Path) -> Path:
    """Two good articles and one whose YAML is broken on line 4."""
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(GOOD, folder / GOOD.name)
    shutil.copy(CONTENT / "notes" / "reading-a-stack-trace.md", folder / "notes.md")
    (folder / "broken.md").write_text("---\nid: 5\ntitle: ok\nsubject: [unclosed\n---\nbody\n")
    return folder


def test_check_passes_on_sample_content() -> None:
    result = runner.invoke(app, ["check", str(CONTENT)])
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.stdout


def test_check_reports_path_and_line_and_exits_1(broken_folder: Path) -> None:
    result = runner.invoke(app, ["check", str(broken_folder)])
    assert result.exit_code == EXIT_CONTENT
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1
    assert f"{broken_folder / 'broken.md'}:" in errors[0]
    line_number = errors[0].split("broken.md:")[1].split(":")[0]
    assert line_number.isdigit() and int(line_number) >= 4
    assert "2 articles loaded (3 files read), 1 errors" in result.stdout


def test_check_on_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope")])
    assert result.exit_code == EXIT_USAGE
    assert "does not exist" in result.stderr


def test_show_prints_the_decoded_article_as_json() -> None:
    result = runner.invoke(app, ["show", str(GOOD)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for field in ("id", "title", "question", "body", "subject", "url", "date", "keywords",
                  "description", "related", "profile", "source"):
        assert field in data
    assert data["profile"] == "quicktakes"
    assert data["subject"] == "Physics"
    assert "\\n" not in data["body"].replace("\\nu", "").replace("\\neq", "")
    assert "\\nu" in data["body"]
    assert isinstance(data["keywords"], list) and data["keywords"]
    assert len({r["id"] for r in data["related"]}) == len(data["related"])


def test_build_strict_writes_nothing_and_exits_1(broken_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = runner.invoke(app, ["build", str(broken_folder), "--out", str(out),
                                 "--format", "jsonld,sitemap", "--strict"])
    assert result.exit_code == EXIT_CONTENT
    assert not any(p.is_file() for p in out.rglob("*") if ".cache" not in p.parts)
    assert "--strict" in result.stderr


def test_build_without_strict_builds_the_good_files(broken_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = runner.invoke(app, ["build", str(broken_folder), "--out", str(out),
                                 "--format", "jsonld,sitemap"])
    assert result.exit_code == EXIT_CONTENT
    assert (out / "sitemap" / "sitemap.xml").is_file()
    assert list((out / "jsonld").glob("*.ndjson"))
    assert "2 articles" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(CONTENT), "--out", str(tmp_path), "-f", "docx"])
    assert result.exit_code == EXIT_USAGE
    assert "unknown format(s): docx" in result.stderr


def test_list_names_every_builtin_exporter_and_the_default_theme() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    for name in ("epub", "pdf", "jsonld", "sitemap", "atom", "jsonfeed"):
        assert f"  {name} " in result.stdout
    assert "default" in result.stdout


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


@pytest.fixture
def broken_math(tmp_path: Path) -> Path:
    """One article whose math uses a command no converter knows."""
    folder = tmp_path / "math"
    folder.mkdir()
    (folder / "x.md").write_text("---\ntitle: Broken math\ndate: 2024-01-01\n"
                                 "subject: Mathematics\n---\n\nThis $\\notacommand x$ fails, "
                                 "this $\\frac{1}{2}$ works.\n")
    return folder


def test_check_math_lists_each_fallback_with_file_and_excerpt(broken_math: Path) -> None:
    result = runner.invoke(app, ["check", str(broken_math), "--math"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("math fallback:")]
    assert len(lines) == 2
    assert all(f"{broken_math / 'x.md'}" in line and "\\notacommand x" in line for line in lines)
    assert "2 math spans (0 display): 1 to mathml, 1 to svg; 2 fallbacks" in result.stdout


def test_build_reports_math_fallbacks_and_still_writes_the_book(broken_math: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(broken_math), "--out", str(out), "-f", "epub"])
    assert result.exit_code == 0, result.output
    assert "math fallback:" in result.stderr and "1 math fallbacks" in result.stderr
    assert (out / "epub" / "mathematics.epub").is_file()


def test_study_and_jsonld_mode_flags_reach_their_exporters(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(CONTENT), "--out", str(out), "-f",
                                      "epub,jsonld", "--study", "--jsonld-mode", "faqpage",
                                      "--base-url", "https://www.example.org"])
    assert result.exit_code == 0, result.output
    pages = [json.loads(p.read_text()) for p in (out / "jsonld").rglob("*.jsonld")]
    types = {kind for page in pages for node in page["@graph"]
             for kind in ([node["@type"]] if isinstance(node["@type"], str) else node["@type"])}
    assert "FAQPage" in types and pages
    with zipfile.ZipFile(out / "epub" / "physics.epub") as book:
        chapters = "".join(book.read(n).decode() for n in book.namelist() if "text/" in n)
    assert "Show the answer" in chapters
