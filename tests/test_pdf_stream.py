"""A book written as a stream of pieces: a valid PDF, and memory that does not grow with it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pikepdf
from pressroom_pdf.assemble import Piece
from pressroom_pdf.bookends import BookEnds, OutlineGroup, Spot
from pressroom_pdf.furniture import SheetRuns
from pressroom_pdf.pdffile import PdfFile
from pressroom_pdf.typeset import PageMarks, Typeset
from pypdf import PdfReader

PAGES, LINKS = 4, 60  # per piece: what a body chunk of a keyword-rich book looks like


def helvetica(pdf: pikepdf.Pdf) -> pikepdf.Dictionary:
    """Resources naming one standard font as /F1."""
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    return pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))


def synthetic_piece(n: int, pieces: int) -> Typeset:
    """Piece `n` of PAGES pages, each with some text, an anchor and LINKS internal links
    to pages of the book's `pieces` pieces."""
    pdf = pikepdf.new()
    resources = helvetica(pdf)
    marks = []
    for page in range(PAGES):
        pdf.add_blank_page(page_size=(595, 842))
        pdf.pages[-1].obj.Resources = resources
        text = b"BT /F1 12 Tf 72 720 Td (piece %d page %d) Tj ET\n" % (n, page) * 40
        pdf.pages[-1].obj.Contents = pdf.make_stream(text)
        links = tuple((f"a{(n + k) % pieces}-{k % PAGES}", (72.0, 700.0 - k, 200.0, 712.0 - k))
                      for k in range(LINKS))
        marks.append(PageMarks(595, 842, {f"a{n}-{page}": (72.0, 800.0)}, links))
    buffer = io.BytesIO()
    pdf.save(buffer)
    return Typeset(buffer.getvalue(), tuple(marks))


def furniture_runs() -> Iterator[tuple[int, pikepdf.Pdf]]:
    """Endless runs of ten furniture sheets (a folio each)."""
    first = 0
    while True:
        run = pikepdf.new()
        resources = helvetica(run)
        for sheet in range(10):
            run.add_blank_page(page_size=(595, 842))
            run.pages[-1].obj.Resources = resources
            run.pages[-1].obj.Contents = run.make_stream(
                b"BT /F1 9 Tf 300 30 Td (%d) Tj ET" % (first + sheet))
        yield first, run
        first += 10


def rss_kb() -> int:
    """This process's resident set, in KB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def write_book(handle: io.BufferedIOBase, pieces: int, probe: int | None = None
               ) -> dict[int, int]:
    """Stream a book of `pieces` synthetic pieces into `handle`, as binding does; RSS (KB)
    after each multiple of `probe` pieces."""
    ends = BookEnds(PdfFile(handle))  # type: ignore[arg-type]
    runs = SheetRuns(furniture_runs())
    spots = {f"a{n}-{p}": Spot(n * PAGES + p, 72.0, 800.0)
             for n in range(pieces) for p in range(PAGES)}
    used: set[str] = set()
    sample = synthetic_piece(0, pieces)
    seen: dict[int, int] = {}
    for n in range(pieces):
        piece = Piece(synthetic_piece(n, pieces) if probe is None else sample, ends.file)
        for offset in range(len(piece)):
            piece.stamp(offset, *runs.sheet(n * PAGES + offset))
            if offset % 2:
                piece.shift(offset, 10.0)
        used |= piece.link(spots)
        ends.add_piece(piece.node_number, piece.write(ends.root_pages))
        if probe and (n + 1) % probe == 0:
            seen[n + 1] = rss_kb()
    runs.close()
    groups = [OutlineGroup("All", tuple((f"Piece {n}", f"a{n}-0") for n in range(pieces)))]
    ends.finish(ends.names(spots, used), ends.outline(spots, groups, []), 0,
                {"Title": "Streamed"}, "en")
    return seen


def test_a_streamed_book_is_a_valid_pdf_with_working_links(tmp_path: Path) -> None:
    path = tmp_path / "book.pdf"
    with path.open("wb") as handle:
        write_book(handle, 12)
    with pikepdf.open(path, attempt_recovery=False) as pdf:  # the xref is right as written
        assert pdf.check_pdf_syntax() == []
    reader = PdfReader(path)
    assert len(reader.pages) == 12 * PAGES
    assert reader.metadata is not None and reader.metadata.title == "Streamed"
    dests = {name: reader.get_destination_page_number(dest)
             for name, dest in reader.named_destinations.items()}
    assert dests == {f"a{n}-{p}": n * PAGES + p for n in range(12) for p in range(PAGES)}
    targets = [str(annot.get_object()["/Dest"]) for page in reader.pages
               for annot in page["/Annots"]]
    assert len(targets) == 12 * PAGES * LINKS and set(targets) <= set(dests)
    assert [reader.get_destination_page_number(item) for item in reader.outline[1]] == \
        [n * PAGES for n in range(12)]
    texts = [page.extract_text() for page in reader.pages]
    assert "piece 11 page 3" in texts[-1] and texts[-1].rstrip().endswith(str(12 * PAGES - 1))


def test_the_same_pieces_give_the_same_bytes() -> None:
    first, second = io.BytesIO(), io.BytesIO()
    write_book(first, 3)
    write_book(second, 3)
    assert first.getvalue() == second.getvalue()


def test_memory_does_not_grow_with_the_number_of_pieces() -> None:
    """Joined in one pikepdf document, each further piece here held about 0.7 MB of qpdf
    objects (copied pages, furniture, 240 link annotations); streamed, the process stays
    flat once its first pieces are through."""
    with open("/dev/null", "wb") as handle:
        seen = write_book(handle, 300, probe=50)
    growth = seen[300] - seen[50]
    assert growth < 20_000, f"RSS grew {growth} KB over 250 pieces: {seen}"
