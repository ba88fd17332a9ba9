"""A PDF/A or PDF/UA book typeset in chunks: one structure tree, the one-piece book's pages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Name

from pressroom.build import run_build
from pressroom.config import BuildConfig

from .conftest import BASE_URL, CONTENT
from .test_incremental import outputs
from .test_pdf_chunks import BOOK, Printed

VARIANTS = ("pdf/a-3u", "pdf/ua-1")


def build_variant(content: Path, out: Path, variant: str, chunk_articles: int,
                  jobs: int, chunks: int) -> Path:
    """Build the content's PDFs as `variant` typeset in `chunks` chunks; the output folder."""
    config = BuildConfig(content=content, out=out, formats=["pdf"], base_url=BASE_URL,
                         jobs=jobs, exporters={"pdf": {"variant": variant,
                                                       "chunk_articles": chunk_articles}})
    result = run_build(config)
    assert not result.failures, result.failures
    assert result.chunks_run == chunks
    return out


@pytest.fixture(scope="module")
def variant_books(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The five-article book as each variant: in chunks of two on two workers, and whole."""
    root = tmp_path_factory.mktemp("variant-chunks")
    content = root / "content"
    shutil.copytree(CONTENT / BOOK, content / BOOK)
    found = {}
    for variant in VARIANTS:
        name = variant.replace("/", "-")
        for kind, chunk, jobs, chunks in (("chunked", 2, 2, 3), ("whole", 1000, 1, 0)):
            out = build_variant(content, root / f"{name}-{kind}", variant, chunk, jobs, chunks)
            found[variant, kind] = out / "pdf" / f"{BOOK}.pdf"
    return found


def number_tree(node: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree, checking each kid's limits."""
    for n in range(0, len(node.get(Name.Nums, [])), 2):
        yield int(node.Nums[n]), node.Nums[n + 1]
    for kid in node.get(Name.Kids, []):
        pairs = list(number_tree(kid))
        assert [int(v) for v in kid.Limits] == [pairs[0][0], pairs[-1][0]]
        yield from pairs


def elements(root: pikepdf.Object) -> list[pikepdf.Object]:
    """Every structure element under the structure tree root, in reading order."""
    found, stack = [], list(reversed(list(root.K)))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or element.get(Name.Type) == Name.OBJR:
            continue
        found.append(element)
        stack.extend(reversed(list(element.get(Name.K, []))))
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_chunks_print_the_one_piece_book(variant_books: dict[tuple[str, str], Path],
                                         variant: str) -> None:
    chunked, whole = (Printed(variant_books[variant, kind]) for kind in ("chunked", "whole"))
    assert len(chunked.reader.pages) == len(whole.reader.pages)
    assert chunked.labels == whole.labels
    assert chunked.contents_numbers() == whole.contents_numbers() != []
    assert chunked.outline() == whole.outline()
    assert chunked.links() == whole.links() != []
    assert chunked.texts == whole.texts


@pytest.mark.parametrize("variant", VARIANTS)
def test_one_structure_tree_holds_every_piece(variant_books: dict[tuple[str, str], Path],
                                              variant: str) -> None:
    with pikepdf.open(variant_books[variant, "chunked"]) as pdf, \
            pikepdf.open(variant_books[variant, "whole"]) as whole:
        root = pdf.Root.StructTreeRoot
        (document,) = root.K
        assert Name.Document == document.S and document.P.objgen == root.objgen
        parents = dict(number_tree(root.ParentTree))
        assert int(root.ParentTreeNextKey) == max(parents) + 1
        keys = [int(page.obj.StructParents) for page in pdf.pages
                if Name.StructParents in page.obj]
        assert len(keys) >= len(pdf.pages) - 3 and len(set(keys)) == len(keys)
        for key in keys:
            assert all(e.get(Name.Type) == Name.StructElem for e in parents[key])
        links = 0
        for page in pdf.pages:
            for annot in page.obj.get(Name.Annots, []):
                element = parents[int(annot.StructParent)]
                assert Name.Link == element.S
                assert any(kid.get(Name.Obj) is not None and kid.Obj.objgen == annot.objgen
                           for kid in element.K if isinstance(kid, pikepdf.Dictionary))
                links += 1
        assert links > 10
        tree = elements(root)
        assert [e.S for e in tree] == [e.S for e in elements(whole.Root.StructTreeRoot)]
        assert sum(Name.Figure == e.S for e in tree) > 0
        ids = [str(e.ID) for e in tree if Name.ID in e]
        assert len(ids) == len(set(ids))
        assert pdf.Root.MarkInfo.Marked is True


def test_pdf_a_metadata_agrees_with_the_document_information(
        variant_books: dict[tuple[str, str], Path]) -> None:
    with pikepdf.open(variant_books["pdf/a-3u", "chunked"]) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "U"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert meta["pdf:Producer"] == str(pdf.docinfo.Producer)
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == Name.GTS_PDFA1 and len(intent.DestOutputProfile.read_bytes()) > 1000
        assert len(pdf.trailer.ID) == 2


def test_variant_bytes_are_the_same_at_any_jobs(variant_books: dict[tuple[str, str], Path],
                                               tmp_path: Path) -> None:
    content = variant_books["pdf/ua-1", "chunked"].parents[2] / "content"
    one = build_variant(content, tmp_path, "pdf/ua-1", 2, jobs=1, chunks=3)
    assert outputs(one) == outputs(variant_books["pdf/ua-1", "chunked"].parents[1])
