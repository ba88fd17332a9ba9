"""Themes: project overrides, inheritance and its loops, shadowing, `theme new`, the docs
page of templates, and one accent colour and body font reaching EPUB, PDF and flashcards."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import jinja2.meta
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from pressroom.build import run_build
from pressroom.cli import app
from pressroom.config import BuildConfig
from pressroom.themes import Theme, ThemeError, builtin_themes
from tests.apkg import read_apkg
from tests.conftest import BASE_URL, CONTENT
from tests.plugin_install import write_distribution

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "themes" / "default"
runner = CliRunner()


def project_with(tmp_path: Path, subject: str = "physics") -> Path:
    """A project folder whose content is one subject of the sample articles."""
    project = tmp_path / "project"
    shutil.copytree(CONTENT / subject, project / "content" / subject)
    return project


def build(project: Path, out: Path, formats: list[str], theme: str = "default") -> None:
    result = run_build(BuildConfig(content=project / "content", out=out, formats=formats,
                                   base_url=BASE_URL, theme=theme, jobs=1))
    assert not result.failures and not result.errors, (result.failures, result.errors)


def epub_member(path: Path, pattern: str) -> str:
    """The text of the first member of an EPUB whose name matches `pattern`."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in sorted(archive.namelist()) if re.search(pattern, n))
        return archive.read(name).decode("utf-8")


def test_a_project_overrides_one_template_and_one_stylesheet(tmp_path: Path) -> None:
    project = project_with(tmp_path)
    layer = project / "themes" / "default"
    (layer / "templates").mkdir(parents=True)
    (layer / "css").mkdir()
    article = (DEFAULT / "templates" / "article.html.j2").read_text(encoding="utf-8")
    (layer / "templates" / "article.html.j2").write_text(
        article.replace('<h1 class="question"', '<h1 data-mine="yes" class="question"'))
    (layer / "css" / "epub.css").write_text("h1.question { letter-spacing: 0.31em; }\n")
    theme = Theme.load("default", project)
    assert [f.path for f in theme.chain] == [layer.resolve(), DEFAULT.resolve()]
    build(project, tmp_path / "out", ["epub"])
    book = tmp_path / "out" / "epub" / "physics.epub"
    assert 'data-mine="yes"' in epub_member(book, r"text/.*\.xhtml$")
    css = epub_member(book, r"\.css$")
    assert "letter-spacing: 0.31em" in css  # the project's epub.css…
    assert "nav#toc ol" not in css  # …replaced the default's
    assert "line-height: 1.45" in css  # and base.css still comes from the default


def test_themes_inherit_by_name_and_a_loop_is_an_error(tmp_path: Path) -> None:
    for name, parent in (("a", "b"), ("b", "a")):
        (tmp_path / "themes" / name).mkdir(parents=True)
        (tmp_path / "themes" / name / "theme.toml").write_text(f'parent = "{parent}"\n')
    with pytest.raises(ThemeError, match="theme inheritance loops: a -> b -> a"):
        Theme.load("a", tmp_path)
    (tmp_path / "themes" / "b" / "theme.toml").write_text('parent = "default"\n')
    assert [f.name for f in Theme.load("a", tmp_path).chain] == ["a", "b", "default"]


def test_a_third_party_theme_cannot_shadow_a_builtin(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "fancy_theme" / "default").mkdir(parents=True)
    (site / "fancy_theme" / "__init__.py").write_text("")
    (site / "fancy_theme" / "default" / "theme.toml").write_text('name = "default"\n')
    write_distribution(site, "fancy-theme", "1.0", {
        "pressroom.themes": {"default": "fancy_theme:default"}})
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(ThemeError) as raised:
        builtin_themes()
    assert "two installed themes are named 'default'" in str(raised.value)
    assert "from pressroom" in str(raised.value) and "from fancy-theme" in str(raised.value)
    with pytest.raises(ThemeError, match="two installed themes"):
        Theme.load("default")


def test_theme_new_scaffolds_a_commented_child_of_default(tmp_path: Path) -> None:
    result = runner.invoke(app, ["theme", "new", "ocean", "--project", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "themes" / "ocean"
    manifest = (folder / "theme.toml").read_text(encoding="utf-8")
    assert 'parent = "default"' in manifest and "# accent = " in manifest
    assert "Override points" in (folder / "css" / "ocean.css").read_text(encoding="utf-8")
    theme = Theme.load("ocean", tmp_path)
    assert [f.name for f in theme.chain] == ["ocean", "default"]
    assert theme.stylesheets("epub")[-1] == (folder / "css" / "ocean.css").resolve()
    assert theme.find("templates/epub/chapter.xhtml.j2") is not None
    again = runner.invoke(app, ["theme", "new", "ocean", "--project", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output
    shadow = runner.invoke(app, ["theme", "new", "default", "--project", str(tmp_path)])
    assert shadow.exit_code == 2 and "installed theme" in shadow.output


def documented_rows() -> dict[str, str]:
    """Each template row of docs/themes.md: name → the row's text."""
    text = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    return {m.group(1): m.group(0) for m in re.finditer(r"^\| `([\w/.]+\.j2)` \|.*$", text,
                                                        re.MULTILINE)}


def test_the_templates_page_lists_every_template_and_its_variables() -> None:
    theme = Theme.load()
    rows = documented_rows()
    assert set(rows) == set(theme.env.list_templates())
    for name in rows:
        source = theme.env.loader.get_source(theme.env, name)[0]  # type: ignore[union-attr]
        parsed = theme.env.parse(source)
        documented = rows[name] + "".join(rows[base] for base in
                                          jinja2.meta.find_referenced_templates(parsed) if base)
        for variable in jinja2.meta.find_undeclared_variables(parsed):
            assert f"`{variable}`" in documented, (name, variable)


def pdf_facts(path: Path) -> tuple[set[str], set[bytes]]:
    """The font names and fill colours used on a PDF's pages."""
    reader = PdfReader(path)
    fonts: set[str] = set()
    colours: set[bytes] = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
        colours |= set(re.findall(rb"[\d.]+ [\d.]+ [\d.]+ rg", page.get_contents().get_data()))
    return fonts, colours


def test_accent_and_body_font_change_in_one_place_for_epub_pdf_and_cards(
        tmp_path: Path) -> None:
    project = project_with(tmp_path)
    runner.invoke(app, ["theme", "new", "plum", "--project", str(project)])
    manifest = project / "themes" / "plum" / "theme.toml"
    manifest.write_text(manifest.read_text().replace('# accent = "#7a1f5c"', 'accent = "#7a1f5c"')
                        .replace("# body_font = '\"DejaVu Sans\", Arial, sans-serif'",
                                 "body_font = '\"DejaVu Sans Mono\", monospace'"))
    formats = ["epub", "pdf", "anki"]
    build(project, tmp_path / "plain", formats)
    build(project, tmp_path / "plum", formats, theme="plum")
    outputs = {}
    for variant in ("plain", "plum"):
        out = tmp_path / variant
        css = epub_member(out / "epub" / "physics.epub", r"\.css$")
        fonts, colours = pdf_facts(out / "pdf" / "physics.pdf")
        (model,) = read_apkg(out / "anki" / "physics.apkg").models.values()
        outputs[variant] = (css, fonts, colours, model["css"])
    css, fonts, colours, cards = outputs["plain"]
    assert "color: #1f4e79" in css and "color: #1f4e79" in cards
    assert b"0.121569 0.305882 0.47451 rg" in colours  # #1f4e79 in the PDF
    assert "DejaVu-Serif" in fonts and "DejaVu-Sans-Mono" not in fonts
    assert 'font-family: "DejaVu Serif", Georgia, serif' in css + cards
    css, fonts, colours, cards = outputs["plum"]
    assert "color: #7a1f5c" in css and "color: #7a1f5c" in cards and "#1f4e79" not in css
    assert b"0.478431 0.121569 0.360784 rg" in colours and \
        b"0.121569 0.305882 0.47451 rg" not in colours
    assert "DejaVu-Sans-Mono" in fonts and "DejaVu-Serif" not in fonts
    assert 'font-family: "DejaVu Sans Mono", monospace' in css
    assert 'font-family: "DejaVu Sans Mono", monospace' in cards
