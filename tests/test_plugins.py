"""Third-party and project-local exporters: the documented example installed, listed, built;
duplicate names, broken plugins, typed options and the contract every exporter honours."""

from __future__ import annotations

import csv
import inspect
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom import registry
from pressroom.books import make_book
from pressroom.build import run_build
from pressroom.build.tasks import TaskPayload
from pressroom.cli import app
from pressroom.config import BuildConfig
from pressroom.exporter import Exporter, ExporterOptions
from pressroom.loader import load_content, load_file
from pressroom.model import Asset, Collection
from pressroom.profiles import PROFILES
from pressroom.profiles.protocol import Profile
from pressroom.render import render_article
from tests.conftest import BASE_URL, CONTENT
from tests.plugin_install import install_project, write_distribution

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "plugins" / "csvindex"
runner = CliRunner()


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty site-packages folder on sys.path, as a fresh install target."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    return folder


@pytest.fixture
def example(site: Path) -> Path:
    """The docs' example exporter, installed."""
    install_project(EXAMPLE, site)
    return site


def test_the_docs_show_the_example_exporter_as_it_is_tested() -> None:
    docs = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    code = (EXAMPLE / "pressroom_csvindex.py").read_text(encoding="utf-8")
    assert code in docs
    assert 25 <= len(code.splitlines()) <= 45
    assert '[project.entry-points."pressroom.exporters"]' in docs


def test_an_installed_exporter_is_listed_with_its_distribution(example: Path) -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0, result.output
    line = next(li for li in result.output.splitlines() if li.strip().startswith("csvindex"))
    assert "pressroom_csvindex:CsvIndexExporter (pressroom-csvindex 1.0.0)" in line
    assert "epub" in result.output


def test_an_installed_exporter_builds_with_typed_options(example: Path, tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    config = tmp_path / "project" / "pressroom.toml"
    config.write_text(f'base_url = "{BASE_URL}"\n[exporters.csvindex]\ndelimiter = ";"\n')
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(CONTENT), "--out", str(out), "--format",
                                 "csvindex", "--config", str(config), "-j", "1"])
    assert result.exit_code == 0, result.output
    articles = load_content(CONTENT).articles
    rows = []
    for path in sorted((out / "csvindex").glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            table = list(csv.reader(handle, delimiter=";"))
        assert table[0] == ["id", "question", "url", "words"]
        rows += table[1:]
    assert sorted(r[2] for r in rows) == sorted(f"{BASE_URL}{a.url}" for a in articles)
    assert all(int(r[3]) > 10 for r in rows)
    cls = registry.select_exporters(["csvindex"])[0].cls
    assert cls.Options.__name__ == "CsvIndexOptions"
    assert cls.make_options({"delimiter": ";"}).delimiter == ";"  # type: ignore[attr-defined]


def test_an_unknown_option_key_is_reported(example: Path, tmp_path: Path) -> None:
    config = tmp_path / "pressroom.toml"
    config.write_text('[exporters.csvindex]\ndelimitter = ";"\n')
    result = runner.invoke(app, ["build", str(CONTENT), "--out", str(tmp_path / "out"),
                                 "--format", "csvindex", "--config", str(config)])
    assert result.exit_code == 2
    assert re.search(r"unknown option\(s\) for exporter 'csvindex': delimitter; known: "
                     r"delimiter, words", result.output)


def test_a_duplicate_name_is_an_error_naming_both_distributions(example: Path) -> None:
    write_distribution(example, "csv-rival", "2.0", {
        "pressroom.exporters": {"csvindex": "csv_rival:Exporter"}})
    with pytest.raises(registry.RegistryError) as raised:
        registry.select_exporters(["csvindex"])
    message = str(raised.value)
    assert "pressroom-csvindex 1.0.0" in message and "csv-rival 2.0" in message
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 2
    assert "two exporters are named 'csvindex'" in result.output
    assert "sitemap" in result.output  # the others are still listed
    assert registry.select_exporters(["sitemap"])[0].name == "sitemap"


def test_a_broken_plugin_is_reported_and_leaves_the_rest_working(site: Path,
                                                                 tmp_path: Path) -> None:
    (site / "broken_plugin.py").write_text("import no_such_module_anywhere\n")
    write_distribution(site, "broken-plugin", "0.1", {
        "pressroom.exporters": {"broken": "broken_plugin:BrokenExporter"}})
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert re.search(r"error: exporter 'broken' \(broken_plugin:BrokenExporter \(broken-plugin "
                     r"0\.1\)\) cannot be loaded: ModuleNotFoundError", result.output)
    assert "jsonld" in result.output
    out = tmp_path / "out"
    built = run_build(BuildConfig(content=CONTENT, out=out, formats=["sitemap"],
                                  base_url=BASE_URL, jobs=1))
    assert not built.failures and (out / "sitemap" / "sitemap.xml").is_file()
    with pytest.raises(registry.RegistryError, match="cannot be loaded"):
        registry.select_exporters(["broken"])


LOCAL_EXPORTER = '''
from pressroom.exporter import Exporter


class TitlesExporter(Exporter):
    """One line per question, per book."""

    name = "titles"
    suffix = ".txt"
    description = "question titles"

    def export(self, books, ctx):
        for book in books:
            ctx.write(book.slug + self.suffix,
                      "".join(r.article.question + "\\n" for r in book.articles))
'''


def local_project(tmp_path: Path) -> Path:
    """A project with a config file, a content folder and one local exporter file."""
    project = tmp_path / "project"
    (project / "exporters").mkdir(parents=True)
    shutil.copytree(CONTENT, project / "content")
    (project / "pressroom.toml").write_text(f'base_url = "{BASE_URL}"\nformats = ["titles"]\n')
    (project / "exporters" / "titles.py").write_text(LOCAL_EXPORTER)
    return project


def test_a_local_exporter_is_listed_and_builds(tmp_path: Path) -> None:
    project = local_project(tmp_path)
    listed = runner.invoke(app, ["list", str(project / "content")])
    assert listed.exit_code == 0, listed.output
    assert re.search(r"titles\s+question titles\s+local: .*exporters/titles\.py", listed.output)
    result = runner.invoke(app, ["build", str(project / "content"), "--out",
                                 str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    lines = sorted(line for path in (tmp_path / "out" / "titles").glob("*.txt")
                   for line in path.read_text(encoding="utf-8").splitlines())
    assert lines == sorted(a.question for a in load_content(CONTENT).articles)


def test_a_broken_local_file_is_reported_and_the_others_build(tmp_path: Path) -> None:
    project = local_project(tmp_path)
    (project / "exporters" / "oops.py").write_text("def broken(:\n")
    listed = runner.invoke(app, ["list", str(project / "content")])
    assert "local exporter file" in listed.output and "oops.py cannot be loaded: SyntaxError" \
        in listed.output
    assert "local:" in listed.output
    result = runner.invoke(app, ["build", str(project / "content"), "--out",
                                 str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output


def test_pressroom_own_exporter_packages_are_not_local_exporters() -> None:
    found = registry.discover(ROOT)
    assert not found.broken and not found.duplicates
    assert not any(info.local for info in found.found.values())


def test_every_exporter_honours_the_contract() -> None:
    for name, info in registry.discover_exporters().items():
        cls = info.cls
        assert not cls.contract_problems(), name
        assert not hasattr(cls, "binary"), name
        assert inspect.signature(cls.export).return_annotation in (None, "None"), name
    sources = list((ROOT / "exporters").rglob("*.py"))
    assert sources and not [p for p in sources if "content_dir" in p.read_text()]


def test_the_options_type_comes_from_the_type_argument() -> None:
    class Bare(Exporter):
        name = "bare"

    assert Bare.Options is ExporterOptions
    assert registry.select_exporters(["sitemap"])[0].cls.Options.__name__ == "SitemapOptions"


def test_an_unknown_math_kind_is_refused_at_load(site: Path) -> None:
    (site / "latex_plugin.py").write_text(
        "from pressroom.exporter import Exporter\n\n\nclass LatexExporter(Exporter):\n"
        "    name = 'latex'\n    math = 'latex'\n")
    write_distribution(site, "latex-plugin", "1", {
        "pressroom.exporters": {"latex": "latex_plugin:LatexExporter"}})
    with pytest.raises(registry.RegistryError, match="asks for math 'latex'; known kinds"):
        registry.select_exporters(["latex"])


def test_every_profile_satisfies_the_typed_protocol() -> None:
    assert list(PROFILES) == ["quicktakes", "hugo", "jekyll", "generic"]  # detection order
    for name, profile in PROFILES.items():
        assert isinstance(profile, Profile), name
        assert name == profile.NAME and profile.URL_FIELDS and profile.ORDER
        assert all(isinstance(f, str) for f in profile.URL_FIELDS)


def test_a_shipped_task_carries_its_assets_bytes(tmp_path: Path) -> None:
    image = tmp_path / "img" / "dot.png"
    image.parent.mkdir()
    image.write_bytes(b"\x89PNG dot")
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\nurl: /a\n---\n\n![dot](img/dot.png)\n")
    article = load_file(source)
    rendered = render_article(article, content_dir=tmp_path)
    assert rendered.assets == (Asset("img/dot.png", image.resolve()),)
    assert 'src="img/dot.png"' in rendered.html
    book = make_book(Collection("a", "A", (article,)), [rendered], base_url=BASE_URL)
    payload = TaskPayload("anki: a", Exporter(), (book,), "default", tmp_path, BASE_URL,
                          tmp_path, None).shipped()
    image.unlink()  # a worker on another machine has no content folder
    (shipped,) = payload.books[0].articles
    assert [a.read() for a in shipped.assets] == [b"\x89PNG dot"]
