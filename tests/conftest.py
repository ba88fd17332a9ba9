"""Shared fixtures: where the repo, the sample content and the shared corpus are; builds."""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import settings

from pressroom.build import BuildResult, run_build
from pressroom.config import BuildConfig
from tests.epubcheck_batch import check_books

# The same draws on every run, so CI passes or fails on the code, not on luck; set
# HYPOTHESIS_PROFILE=explore to draw afresh while hunting for new failures.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
QUICKTAKES = CORPUS / "quicktakes"
SCHEMAS = SHARED / "schemas"
BASE_URL = "https://www.example.org"
SEO_FORMATS = ("jsonld", "sitemap", "atom", "jsonfeed")
DAY = 86_400 * 1_000_000_000


def age(folder: Path) -> None:
    """Date files written in the last minute a day back, as if edited before the last build."""
    for path in folder.rglob("*.md"):
        stat = path.stat()
        if stat.st_mtime_ns > time.time_ns() - 60 * 1_000_000_000:
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - DAY))


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the sample content, aged a day (so a scan trusts its stamps)."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    age(copy)
    return copy


def revise_answer(path: Path) -> None:
    """Put a word in front of an article's answer: its text moves, no index value does."""
    text = path.read_text(encoding="utf-8")
    assert "answer: >-\n    " in text, f"{path} has no folded answer"
    path.write_text(text.replace("answer: >-\n    ", "answer: >-\n    Revised. ", 1),
                    encoding="utf-8")


def deny_reading(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make reading `paths` fail with EACCES, as for a root user no chmod can stop: opening
    them (`os.open`, what the loader reads with) and `Path.read_bytes`."""
    real_read, real_open = Path.read_bytes, os.open

    def read_bytes(self: Path) -> bytes:
        if self in paths:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    def open_file(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if Path(path) in paths:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "open", open_file)


def build(content: Path, out: Path, formats: list[str], **overrides: object) -> BuildResult:
    """Run a real build of `content` into `out` for the given formats."""
    config = BuildConfig(content=content, out=out, formats=formats, base_url=BASE_URL)
    return run_build(config.with_overrides(**overrides))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real QuickTakes corpus, or a clean skip where ../shared is absent."""
    if not QUICKTAKES.is_dir():
        pytest.skip("../shared/corpus/quicktakes is not here")
    return QUICKTAKES


@pytest.fixture(scope="session")
def content_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The sample content/ built once into every format."""
    out = tmp_path_factory.mktemp("content-dist")
    return out, build(CONTENT, out, ["epub", "pdf", *SEO_FORMATS])


@pytest.fixture(scope="session")
def corpus_build(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
                 ) -> tuple[Path, BuildResult]:
    """The shared corpus built once into every format."""
    out = tmp_path_factory.mktemp("corpus-dist")
    return out, build(corpus_dir, out, ["epub", "pdf", *SEO_FORMATS])


# EPUB variants, built once per session (EPUB only, so they are quick), for the EPUB tests.
STUDY = {"study": True}
EPUB_VARIANTS = {
    "content-study": (False, {"exporters": {"epub": STUDY}}),
    "content-small": (False, {"group_by": "none",
                              "exporters": {"epub": {**STUDY, "max_articles": 6,
                                                     "max_file_kb": 8}}}),
    "corpus-study": (True, {"exporters": {"epub": STUDY}}),
    "corpus-sections": (True, {"group_by": "none",
                               "exporters": {"epub": {**STUDY, "max_articles": 40}}}),
}


@pytest.fixture(scope="session")
def epub_variants(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                  ) -> dict[str, tuple[Path, BuildResult]]:
    """Each EPUB variant built once: study mode, small volumes and files, sectioned books.

    The corpus variants are left out where ../shared is absent.
    """
    built = {}
    for name, (from_corpus, overrides) in EPUB_VARIANTS.items():
        if from_corpus and not QUICKTAKES.is_dir():
            continue
        out = tmp_path_factory.mktemp(name)
        built[name] = out, build(QUICKTAKES if from_corpus else CONTENT, out, ["epub"],
                                 **overrides)
    return built


def epub_files(build_out: tuple[Path, BuildResult]) -> dict[str, Path]:
    """The EPUBs a fixture build wrote, by book slug; fails on an epub exporter failure."""
    out, result = build_out
    failures = [f for f in result.failures if f.startswith("epub")]
    assert not failures, failures
    return {p.stem: p for p in sorted((out / "epub").glob("*.epub"))}


@pytest.fixture(scope="session")
def content_epubs(content_build: tuple[Path, BuildResult]) -> dict[str, Path]:
    """The EPUBs built from content/."""
    return epub_files(content_build)


@pytest.fixture(scope="session")
def corpus_epubs(corpus_build: tuple[Path, BuildResult]) -> dict[str, Path]:
    """The EPUBs built from the shared corpus."""
    return epub_files(corpus_build)


@pytest.fixture(scope="session")
def epub_sets(content_epubs: dict[str, Path], request: pytest.FixtureRequest,
              epub_variants: dict[str, tuple[Path, BuildResult]]) -> dict[str, dict[str, Path]]:
    """Every set of EPUBs this session builds, by name: content, corpus and the variants."""
    sets = {"content": content_epubs}
    with contextlib.suppress(pytest.skip.Exception):
        sets["corpus"] = request.getfixturevalue("corpus_epubs")
    return {**sets, **{name: epub_files(built) for name, built in epub_variants.items()}}


@pytest.fixture(scope="session")
def broken_epub(content_epubs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
                ) -> Path:
    """A content/ book with its stylesheet taken out: EPUBCheck must report it."""
    broken = tmp_path_factory.mktemp("broken") / "broken.epub"
    with zipfile.ZipFile(content_epubs["physics"]) as source, \
            zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if info.filename != "EPUB/styles/epub.css":
                target.writestr(info, source.read(info))
    return broken


@pytest.fixture(scope="session")
def epubcheck_results(epub_sets: dict[str, dict[str, Path]], broken_epub: Path
                      ) -> dict[Path, list[str]]:
    """EPUBCheck problems for every book of every set (and the broken one), in batches."""
    books = [path for books in epub_sets.values() for path in books.values()]
    return check_books([*books, broken_epub])


@pytest.fixture(scope="session")
def content_checks(content_epubs: dict[str, Path],
                   epubcheck_results: dict[Path, list[str]]) -> dict[str, list[str]]:
    """EPUBCheck problems per content/ book."""
    return {slug: epubcheck_results[path] for slug, path in content_epubs.items()}


@pytest.fixture(scope="session")
def corpus_checks(corpus_epubs: dict[str, Path],
                  epubcheck_results: dict[Path, list[str]]) -> dict[str, list[str]]:
    """EPUBCheck problems per corpus book."""
    return {slug: epubcheck_results[path] for slug, path in corpus_epubs.items()}


@pytest.fixture(scope="session")
def all_epubs(epub_sets: dict[str, dict[str, Path]]) -> list[Path]:
    """Every EPUB built in this session: content/, the corpus when it is here, variants."""
    return [path for books in epub_sets.values() for path in books.values()]
