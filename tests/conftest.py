"""Shared fixtures: where the repo, the sample content and the shared corpus are; builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom.build import BuildResult, run_build
from pressroom.config import BuildConfig

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
QUICKTAKES = CORPUS / "quicktakes"
SCHEMAS = SHARED / "schemas"
BASE_URL = "https://www.example.org"
SEO_FORMATS = ("jsonld", "sitemap", "atom", "jsonfeed")


def deny_reading(monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
    """Make reading `paths` fail with EACCES, as for a root user no chmod can stop."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self in paths:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)


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
