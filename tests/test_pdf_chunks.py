"""A book typeset in chunks prints as the same book typeset in one piece, at any --jobs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from pressroom.build import BuildResult, run_build
from pressroom.config import BuildConfig

from .conftest import BASE_URL, CONTENT, revise_answer
from .test_incremental import age, outputs

BOOK = "mathematics"  # five articles: chunks of two make three chunks


def build_pdf(out: Path, chunk_articles: int, jobs: int, **more: object) -> BuildResult:
    """Build the sample content's PDFs with the given chunk size."""
    config = BuildConfig(content=CONTENT, out=out, formats=["pdf"], base_url=BASE_URL,
                         jobs=jobs, exporters={"pdf": {"chunk_articles": chunk_articles}})
    result = run_build(config.with_overrides(**more))
    assert not result.failures, result.failures
    return result


class Printed:
    """What a reader sees of a PDF: pages, labels, contents, outline and where links go."""

    def __init__(self, path: Path) -> None:
        self.reader = PdfReader(path)
        self.labels = self.reader.page_labels
        self.texts = [" ".join(p.extract_text().split()) for p in self.reader.pages]
        self.body = self.labels.index("1")

    def outline(self) -> list[object]:
        """Titles and target page labels, nested as the outline nests them."""
        def walk(items: list) -> list[object]:
            return [walk(item) if isinstance(item, list) else
                    (item.title, self.labels[self.reader.get_destination_page_number(item)])
                    for item in items]
        return walk(self.reader.outline)

    def contents_numbers(self) -> list[str]:
        """The page numbers the contents prints, in order."""
        return re.findall(r"\. (\d+)\b", " ".join(self.texts[:self.body]))

    def links(self) -> list[tuple[str, str, str]]:
        """(page label, target name, target page label) of every internal link."""
        dests = {name: self.labels[self.reader.get_destination_page_number(dest)]
                 for name, dest in self.reader.named_destinations.items()}
        found = []
        for label, page in zip(self.labels, self.reader.pages, strict=True):
            for annot in page.get("/Annots") or []:
                annot = annot.get_object()
                assert isinstance(annot, DictionaryObject)
                if "/Dest" in annot:
                    found.append((label, str(annot["/Dest"]), dests[str(annot["/Dest"])]))
        return found


@pytest.fixture(scope="module")
def chunked_and_whole(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sample content printed in chunks of two articles (2 workers), and in one piece."""
    root = tmp_path_factory.mktemp("chunks")
    result = build_pdf(root / "chunked", 2, jobs=2)
    assert result.tasks_run == 4
    build_pdf(root / "whole", 1000, jobs=1)
    return root / "chunked", root / "whole"


def test_chunks_print_the_same_book_as_one_piece(chunked_and_whole: tuple[Path, Path]) -> None:
    chunked_out, whole_out = chunked_and_whole
    for pdf in sorted((whole_out / "pdf").glob("*.pdf")):
        chunked, whole = Printed(chunked_out / "pdf" / pdf.name), Printed(pdf)
        assert len(chunked.reader.pages) == len(whole.reader.pages), pdf.name
        assert chunked.labels == whole.labels
        assert chunked.contents_numbers() == whole.contents_numbers() != []
        assert chunked.outline() == whole.outline()
        assert chunked.links() == whole.links()
        assert chunked.texts == whole.texts


def test_internal_links_reach_the_article_across_chunks(
        chunked_and_whole: tuple[Path, Path]) -> None:
    printed = Printed(chunked_and_whole[0] / "pdf" / f"{BOOK}.pdf")
    starts = {title: label for title, label in
              (entry for group in printed.outline()[1::2] for entry in group)}  # type: ignore
    links = printed.links()
    assert len({target for _, target, _ in links}) >= 6  # five articles and the index
    body_links = [(label, to) for label, _, to in links if label.isdigit()]
    assert any(abs(int(label) - int(to)) > 2 for label, to in body_links), \
        "a related or index link should cross a chunk boundary"
    for _, _, to in links:
        assert to in printed.labels
    for title, label in starts.items():
        assert title in printed.texts[printed.labels.index(label)]


def test_page_numbers_never_restart(chunked_and_whole: tuple[Path, Path]) -> None:
    printed = Printed(chunked_and_whole[0] / "pdf" / f"{BOOK}.pdf")
    body = printed.labels[printed.body:]
    assert body == [str(n) for n in range(1, len(body) + 1)]
    folios = [re.search(r"Page (\d+) of (\d+)", text) for text in printed.texts[printed.body:]]
    assert [int(f.group(1)) for f in folios if f] == list(range(1, len(body) + 1))
    assert {int(f.group(2)) for f in folios if f} == {len(body)}


def test_chunked_bytes_are_the_same_at_any_jobs_and_rebuild(tmp_path: Path,
                                                           chunked_and_whole: tuple[Path, Path]
                                                           ) -> None:
    one = tmp_path / "one"
    build_pdf(one, 2, jobs=1)
    assert outputs(one) == outputs(chunked_and_whole[0])
    again = build_pdf(one, 2, jobs=1)
    assert again.tasks_run == 0 and outputs(one) == outputs(chunked_and_whole[0])


def test_letter_paper_with_mirrored_margins(tmp_path: Path) -> None:
    config = BuildConfig(content=CONTENT, out=tmp_path, formats=["pdf"], base_url=BASE_URL,
                         jobs=1, exporters={"pdf": {"paper": "letter", "chunk_articles": 2}})
    assert not run_build(config).failures
    lefts: dict[bool, set[float]] = {True: set(), False: set()}
    for path in sorted((tmp_path / "pdf").glob("*.pdf")):
        reader = PdfReader(path)
        assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
                for p in reader.pages} == {(612, 792)}
        labels = reader.page_labels
        for dest in reader.named_destinations.values():
            label = labels[reader.get_destination_page_number(dest)]
            if label.isdigit():  # an article (or the index) starts at the text's left edge
                lefts[int(label) % 2 == 1].add(round(float(dest.left), 1))
    mm = 72 / 25.4
    assert lefts == {True: {round(24 * mm, 1)}, False: {round(16 * mm, 1)}}


def test_a_theme_can_run_articles_on_after_a_rule(tmp_path: Path) -> None:
    theme = tmp_path / "runon"
    theme.mkdir()
    (theme / "theme.toml").write_text('name = "runon"\nparent = "default"\n\n[options]\n'
                                      'pdf_article_break = "rule"\n', encoding="utf-8")
    runs = {}
    for name, chosen in (("page", "default"), ("rule", str(theme))):
        config = BuildConfig(content=CONTENT, out=tmp_path / name, formats=["pdf"],
                             base_url=BASE_URL, jobs=1, theme=chosen)
        assert not run_build(config).failures
        runs[name] = PdfReader(tmp_path / name / "pdf" / f"{BOOK}.pdf")
    assert len(runs["rule"].pages) < len(runs["page"].pages)
    top_of_text = 842 - 22 * 72 / 25.4  # A4 height less the top margin, in points
    tops = [float(dest.top) for name, dest in runs["rule"].named_destinations.items()
            if name != "index"]
    assert min(tops) < top_of_text - 100, "an article runs on below the one before it"
    assert all(float(dest.top) == pytest.approx(top_of_text, abs=1) for name, dest
               in runs["page"].named_destinations.items() if name != "index")


def test_an_edit_typesets_one_chunk_again_and_gives_the_clean_bytes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    age(content)
    out = tmp_path / "out"
    build_pdf(out, 2, jobs=1, content=content, formats=["pdf"])
    target = sorted((content / "mathematics").glob("*.md"))[-1]
    revise_answer(target)
    age(content)
    again = build_pdf(out, 2, jobs=1, content=content)
    assert again.chunks_run == 1 and again.tasks_run == 1
    clean = build_pdf(tmp_path / "clean", 2, jobs=1, content=content, cache=False)
    assert clean.chunks_run > 3  # every chunk of every book
    assert outputs(out) == outputs(tmp_path / "clean")
    text = " ".join(p.extract_text() for p in PdfReader(out / "pdf" / f"{BOOK}.pdf").pages)
    assert "Revised." in text
