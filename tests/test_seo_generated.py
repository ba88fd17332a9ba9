"""Every SEO output of a generated corpus (bench/generate_corpus.py): valid, complete, no errors."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from pressroom.build import BuildResult
from tests.conftest import BASE_URL, REPO, SEO_FORMATS, build
from tests.test_feeds import check_atom, check_json_feed
from tests.test_jsonld import check_graph, page_graph
from tests.test_sitemap import locs, valid

COUNT = 150


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """COUNT synthetic QuickTakes articles built into the four SEO formats."""
    spec = importlib.util.spec_from_file_location("generate_corpus",
                                                  REPO / "bench" / "generate_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    root = tmp_path_factory.mktemp("generated")
    module.generate(root / "content", COUNT, seed=8)
    return root / "out", build(root / "content", root / "out", list(SEO_FORMATS))


def test_generated_corpus_builds_without_errors(generated: tuple[Path, BuildResult]) -> None:
    _, result = generated
    assert result.articles == COUNT and not result.errors and not result.failures


def test_every_generated_page_has_valid_json_ld(generated: tuple[Path, BuildResult]) -> None:
    out, result = generated
    pages = sorted((out / "jsonld").rglob("*.jsonld"))
    assert len(pages) == COUNT
    urls = {check_graph(page_graph(path), BASE_URL)["url"] for path in pages}
    lines = [json.loads(line) for feed in (out / "jsonld").glob("*.ndjson")
             for line in feed.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == COUNT and len(urls) == COUNT


def test_generated_sitemap_and_feeds_agree(generated: tuple[Path, BuildResult]) -> None:
    out, result = generated
    listed = set(locs(valid(out / "sitemap" / "sitemap.xml")))
    assert len(listed) == COUNT
    entries = check_atom(out / "atom" / "feed.xml")
    items = check_json_feed(out / "jsonfeed" / "feed.json")
    atom_ids = [entry.findtext("{http://www.w3.org/2005/Atom}id") for entry in entries]
    assert atom_ids == [item["id"] for item in items] and set(atom_ids) <= listed
    for stem in {p.parent.name for p in (out / "atom").glob("*/feed.xml")}:
        check_atom(out / "atom" / stem / "feed.xml")
        check_json_feed(out / "jsonfeed" / stem / "feed.json")
