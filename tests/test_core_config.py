"""Registry, themes, config and grouping: the contracts the exporters rely on."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from pressroom import registry
from pressroom.config import ConfigError, load_config
from pressroom.exporter import Exporter
from pressroom.grouping import group_articles
from pressroom.loader import load_content
from pressroom.themes import Theme, ThemeError
from tests.conftest import CONTENT


def test_builtin_exporters_are_found_through_entry_points() -> None:
    found = registry.discover_exporters()
    assert set(found) >= {"epub", "pdf", "jsonld", "sitemap"}
    for name, info in found.items():
        assert info.cls.name == name
        assert info.cls.suffix.startswith(".")


def test_two_plugins_with_one_name_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    eps = [EntryPoint("epub", "pressroom_epub:EpubExporter", registry.EXPORTER_GROUP),
           EntryPoint("epub", "someone_else:Epub", registry.EXPORTER_GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: eps)
    with pytest.raises(registry.RegistryError, match="two exporters are named 'epub'"):
        registry.select_exporters(["epub"])


class LatexExporter(Exporter):
    """An exporter asking for a math kind nobody converts to."""

    name = "latex"
    suffix = ".tex"
    math = "latex"


def test_an_unknown_math_kind_is_refused_when_the_registry_loads_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    eps = [EntryPoint("latex", f"{__name__}:LatexExporter", registry.EXPORTER_GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: eps)
    with pytest.raises(registry.RegistryError, match="asks for math 'latex'; known kinds: tex"):
        registry.select_exporters(["latex"])


def test_unknown_exporter_option_is_reported_with_the_known_ones() -> None:
    cls = registry.select_exporters(["sitemap"])[0].cls
    with pytest.raises(ValueError, match="unknown option.*gzipp.*known:.*gzip"):
        cls.make_options({"gzipp": True})


def test_project_theme_overrides_one_template_and_inherits_the_rest(tmp_path: Path) -> None:
    theme_dir = tmp_path / "themes" / "mytheme"
    (theme_dir / "templates").mkdir(parents=True)
    (theme_dir / "theme.toml").write_text('name = "mine"\nparent = "default"\n'
                                          '[stylesheets]\nepub = ["extra.css"]\n')
    (theme_dir / "extra.css").write_text("h1 { color: red; }")
    (theme_dir / "templates" / "article.html.j2").write_text("<p>{{ article.question }}</p>")
    theme = Theme.load("mytheme", tmp_path)
    assert [f.name for f in theme.chain] == ["mine", "default"]
    assert theme.env.get_template("article.html.j2").filename.startswith(str(theme_dir))
    assert theme.find("templates/epub/chapter.xhtml.j2") is not None
    css = theme.css("epub")
    assert css.index("h1 { color: red; }") > css.index("font-family")


def test_unknown_theme_names_the_installed_ones() -> None:
    with pytest.raises(ThemeError, match="not found.*default"):
        Theme.load("no-such-theme")


def test_config_from_pressroom_toml_beside_the_content(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "pressroom.toml").write_text(
        'base_url = "https://docs.example"\nformats = "epub, sitemap"\n'
        '[exporters.sitemap]\ngzip = true\n')
    config = load_config(tmp_path / "content")
    assert config.base_url == "https://docs.example"
    assert config.formats == ["epub", "sitemap"]
    assert config.exporters == {"sitemap": {"gzip": True}}
    assert config.with_overrides(base_url="https://flag.example", out=None).base_url == \
        "https://flag.example"


def test_unknown_config_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.pressroom]\nbase_ulr = "x"\n')
    with pytest.raises(ConfigError, match="unknown key.*base_ulr"):
        load_config(tmp_path)


def test_collections_per_subject_in_id_order_or_one_for_all() -> None:
    articles = load_content(CONTENT).articles
    by_subject = group_articles(articles, "subject")
    assert [c.title for c in by_subject] == sorted({a.subject for a in articles})
    for collection in by_subject:
        ids = [a.id for a in collection.articles]
        assert ids == sorted(ids, key=lambda i: (not isinstance(i, int), str(i).zfill(12)))
    everything = group_articles(articles, "none", site_title="Everything")
    assert len(everything) == 1 and len(everything[0].articles) == len(articles)
    with pytest.raises(ValueError, match="unknown grouping"):
        group_articles(articles, "tag")
