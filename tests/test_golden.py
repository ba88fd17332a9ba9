"""Golden files: the text outputs of three fixed articles, byte for byte.

The articles are tests/golden/content/; the expected outputs tests/golden/outputs/ (JSON-LD,
NDJSON, sitemap, robots.txt, Atom, JSON Feed, and each EPUB chapter's XHTML). When an
output changes on purpose, regenerate them and review the diff before committing:

    PRESSROOM_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
    git diff tests/golden/outputs/
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from pressroom.build import run_build
from pressroom.config import BuildConfig

GOLDEN = Path(__file__).parent / "golden"
CONTENT = GOLDEN / "content"
EXPECTED = GOLDEN / "outputs"
FORMATS = ["jsonld", "sitemap", "atom", "jsonfeed", "epub"]
UPDATE = os.environ.get("PRESSROOM_UPDATE_GOLDEN") == "1"
TEXT_SUFFIXES = (".jsonld", ".ndjson", ".xml", ".txt", ".json", ".xhtml")


def text_outputs(out: Path) -> dict[str, str]:
    """Every text output of the build by its path under OUT, EPUB chapters unpacked."""
    found: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts):
        relative = path.relative_to(out).as_posix()
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as book:
                for name in sorted(book.namelist()):
                    if name.startswith("EPUB/text/") and name.endswith(".xhtml"):
                        found[f"{relative}/{name}"] = book.read(name).decode("utf-8")
        elif path.suffix in TEXT_SUFFIXES:
            found[relative] = path.read_text(encoding="utf-8")
    return found


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("golden")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)  # dates come from the articles
        result = run_build(BuildConfig(content=CONTENT, out=out, formats=FORMATS,
                                       base_url="https://golden.example.org", jobs=1,
                                       cache=False))
    assert not result.errors and not result.failures, (result.errors, result.failures)
    found = text_outputs(out)
    if UPDATE:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for relative, text in found.items():
            target = EXPECTED / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return found


def expected() -> dict[str, str]:
    return {p.relative_to(EXPECTED).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(EXPECTED.rglob("*")) if p.is_file()}


def test_the_same_files_come_out(outputs: dict[str, str]) -> None:
    assert sorted(outputs) == sorted(expected())
    kinds = {name.split("/")[0] for name in outputs}
    assert kinds == set(FORMATS)
    assert any("/EPUB/text/" in name for name in outputs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_output_matches_its_golden_file(outputs: dict[str, str], fmt: str) -> None:
    golden = {k: v for k, v in expected().items() if k.split("/")[0] == fmt}
    assert golden, f"no golden files for {fmt}: run with PRESSROOM_UPDATE_GOLDEN=1"
    for name, text in golden.items():
        assert outputs.get(name) == text, f"{name} differs from tests/golden/outputs/{name}"
