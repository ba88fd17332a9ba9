"""Whole builds: parallel equals serial, bad options stop early, the math cache is reused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pressroom.build import MATH_CACHE
from pressroom.cli import EXIT_USAGE, app
from pressroom.render.mathcache import MathCache
from tests.conftest import CONTENT, build

FORMATS = ["epub", "jsonld", "sitemap"]


def outputs(out: Path) -> dict[str, bytes]:
    """Every output file under `out` (not the cache), by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


def test_two_processes_write_the_same_bytes_as_one(tmp_path: Path) -> None:
    serial = build(CONTENT, tmp_path / "serial", FORMATS, jobs=1)
    parallel = build(CONTENT, tmp_path / "parallel", FORMATS, jobs=2)
    assert not serial.failures and not parallel.failures
    one, two = outputs(tmp_path / "serial"), outputs(tmp_path / "parallel")
    assert len(one) == 4 + (4 + serial.articles) + 2  # epub, jsonld ndjson + pages, sitemap
    assert one == two
    assert len(serial.written) == len(parallel.written)


def test_bad_exporter_option_stops_before_anything_is_written(tmp_path: Path) -> None:
    config = tmp_path / "pressroom.toml"
    config.write_text("[exporters.sitemap]\nmax_urls = 0\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(CONTENT), "--out", str(out), "--config",
                                      str(config), "-f", "sitemap"])
    assert result.exit_code == EXIT_USAGE
    assert "max_urls" in result.stderr
    assert not out.exists()


def test_second_build_takes_math_from_the_cache(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(CONTENT, out, ["epub"])
    cache = MathCache(out / MATH_CACHE)
    try:
        cache.convert(r"\nabla \cdot \mathbf{E} = \frac{\rho}{\varepsilon_0}", True, "mathml")
        assert (cache.hits, cache.misses) == (1, 0)
    finally:
        cache.close()


@pytest.mark.parametrize("jobs", [0, -1])
def test_jobs_must_be_positive(tmp_path: Path, jobs: int) -> None:
    result = CliRunner().invoke(app, ["build", str(CONTENT), "--out", str(tmp_path),
                                      "--jobs", str(jobs)])
    assert result.exit_code == EXIT_USAGE


def test_cross_listed_twins_are_two_chapters_in_one_book(tmp_path: Path,
                                                         corpus_dir: Path) -> None:
    result = build(corpus_dir.parent, tmp_path, ["epub", "sitemap"], group_by="none")
    assert not result.failures and not result.errors
    assert sum("cross-listed" in w for w in result.warnings) == 3
    with zipfile.ZipFile(tmp_path / "epub" / "all-articles.epub") as archive:
        chapters = [n for n in archive.namelist() if n.startswith("EPUB/text/")]
    assert len(chapters) == len(set(chapters)) == result.articles == 97
    twins = [c for c in chapters if "how-are-the-normal-equations-used-in-ols" in c]
    assert sorted(twins) == ["EPUB/text/how-are-the-normal-equations-used-in-ols--economics.xhtml",
                             "EPUB/text/how-are-the-normal-equations-used-in-ols--mathematics.xhtml"]
    sitemap = (tmp_path / "sitemap" / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count("<url>") == 97


def test_relative_base_url_is_a_usage_error_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["build", str(CONTENT), "--out", str(out),
                                      "--base-url", "/site", "-f", "jsonld,sitemap"])
    assert result.exit_code == EXIT_USAGE
    assert "base_url must be an absolute http(s) address" in result.stderr
    assert not out.exists()
