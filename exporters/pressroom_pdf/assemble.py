"""Join typeset pieces into one PDF: pages in order, verso pages moved, links and outline.

pikepdf (qpdf) copies the pieces' pages, adds the internal links, named destinations,
outline and page labels, stamps the page furniture and saves with an identifier derived
from the content, so the same pieces always give the same bytes. qpdf copies a page's
data when the page is copied, so each piece is closed (and its bytes freed) at once; what
stays is the joined book itself, about 40 KB a page.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem, PageLocation

from pressroom_pdf.typeset import PageMarks, Typeset

FURNITURE = Name("/PressroomFurniture")


@dataclass(frozen=True)
class Spot:
    """Where an anchor landed in the assembled book: page index and position in points."""

    page: int
    x: float
    y: float


@dataclass(frozen=True)
class OutlineGroup:
    """A group of the outline and its entries, as (title, anchor) pairs."""

    title: str
    entries: tuple[tuple[str, str], ...]


class Assembly:
    """The pages of a book being assembled, with every page's marks beside it."""

    def __init__(self, pieces: Sequence[Typeset] = ()) -> None:
        self.pdf = pikepdf.new()
        self.marks: list[PageMarks] = []
        self._shared: dict[bytes, pikepdf.Object] = {}
        self._border = self.pdf.make_indirect(Array([0, 0, 0]))
        for piece in pieces:
            self.append(piece)

    def append(self, piece: Typeset) -> None:
        """Add a typeset piece's pages (and marks) at the end; the piece is not kept."""
        with pikepdf.open(io.BytesIO(piece.pdf)) as source:
            self.pdf.pages.extend(source.pages)
        self.marks.extend(piece.pages)

    def _stream(self, data: bytes) -> pikepdf.Object:
        """One content stream of `data` for every page that needs it (qpdf holds each
        object it is given, about a kilobyte apiece)."""
        if data not in self._shared:
            self._shared[data] = self.pdf.make_indirect(pikepdf.Stream(self.pdf, data))
        return self._shared[data]

    def add_blank(self, width: float, height: float) -> None:
        """Add an empty page (to start the body on a right-hand page)."""
        self.pdf.add_blank_page(page_size=(width, height))
        self.marks.append(PageMarks(width, height, {}, ()))

    def shift(self, index: int, dx: float) -> None:
        """Move one page's content, annotations and marks `dx` points sideways."""
        if not dx:
            return
        page = self.pdf.pages[index]
        page.contents_add(self._stream(f"q 1 0 0 1 {dx:.4f} 0 cm\n".encode()), prepend=True)
        page.contents_add(self._stream(b"\nQ"), prepend=False)
        for annot in page.obj.get(Name.Annots, Array()):
            rect = [float(v) for v in annot.Rect]
            annot.Rect = Array([rect[0] + dx, rect[1], rect[2] + dx, rect[3]])
        marks = self.marks[index]
        self.marks[index] = PageMarks(
            marks.width, marks.height,
            {name: (x + dx, y) for name, (x, y) in marks.anchors.items()},
            tuple((target, (r[0] + dx, r[1], r[2] + dx, r[3])) for target, r in marks.links))

    def spots(self) -> dict[str, Spot]:
        """Every anchor's first place in the book."""
        found: dict[str, Spot] = {}
        for index, marks in enumerate(self.marks):
            for name, (x, y) in marks.anchors.items():
                found.setdefault(name, Spot(index, x, y))
        return found

    def link(self, keep: set[str]) -> None:
        """Turn every internal link whose target exists into a link to a named destination.

        Named destinations are written for the link targets and for `keep`.
        """
        spots = self.spots()
        used = set(keep) & set(spots)
        for index, marks in enumerate(self.marks):
            page = self.pdf.pages[index]
            annots = [Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(list(rect)),
                                 Border=self._border, Dest=pikepdf.String(target))
                      for target, rect in marks.links if target in spots]
            used.update(target for target, _ in marks.links if target in spots)
            if annots:
                existing = list(page.obj.get(Name.Annots, Array()))
                page.obj.Annots = self.pdf.make_indirect(
                    Array(existing + [self.pdf.make_indirect(a) for a in annots]))
        names = pikepdf.NameTree.new(self.pdf)
        for name in sorted(used):
            spot = spots[name]
            names[name] = Array([self.pdf.pages[spot.page].obj, Name.XYZ, spot.x, spot.y, 0])
        self.pdf.Root.Names = Dictionary(Dests=names.obj)

    def outline(self, groups: Sequence[OutlineGroup], tail: Sequence[tuple[str, str]]) -> None:
        """An outline of groups, each holding its articles, then the `tail` entries."""
        spots = self.spots()

        def item(title: str, anchor: str) -> OutlineItem:
            spot = spots[anchor]
            return OutlineItem(title, spot.page, PageLocation.XYZ, left=spot.x, top=spot.y)

        with self.pdf.open_outline() as outline:
            for group in groups:
                entries = [(t, a) for t, a in group.entries if a in spots]
                if not entries:
                    continue
                parent = item(group.title, entries[0][1])
                parent.children.extend(item(title, anchor) for title, anchor in entries)
                outline.root.append(parent)
            outline.root.extend(item(title, anchor) for title, anchor in tail if anchor in spots)

    def label(self, body_start: int) -> None:
        """Page labels: roman numerals for the front matter, arabic from the body on."""
        nums: list[object] = [0, Dictionary(S=Name.r)]
        if body_start < len(self.pdf.pages):
            nums += [body_start, Dictionary(S=Name.D)]
        self.pdf.Root.PageLabels = Dictionary(Nums=Array(nums))

    def stamp(self, index: int, furniture: pikepdf.Pdf, sheet: int) -> None:
        """Lay sheet `sheet` of a furniture PDF over page `index` (under a fixed name)."""
        form = self.pdf.copy_foreign(furniture.pages[sheet].as_form_xobject())
        page = self.pdf.pages[index]
        # The pages of a piece share one resource dictionary: give this page its own.
        resources = Dictionary(dict(page.obj.get(Name.Resources, Dictionary()).items()))
        xobjects = Dictionary(dict(resources.get(Name.XObject, Dictionary()).items()))
        xobjects[FURNITURE] = form
        resources[Name.XObject] = xobjects
        page.obj.Resources = resources
        # The page's own content may leave its transformation set: keep it inside q … Q.
        page.contents_add(self._stream(b"q\n"), prepend=True)
        page.contents_add(self._stream(f"\nQ q {FURNITURE} Do Q".encode()), prepend=False)

    def save(self, handle: io.BufferedIOBase, info: dict[str, str], language: str) -> None:
        """Write the book with its document information, language and a content-derived id."""
        for key, value in info.items():
            self.pdf.docinfo[Name("/" + key)] = pikepdf.String(value)
        self.pdf.Root.Lang = pikepdf.String(language)
        self.pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        self.pdf.Root.PageMode = Name.UseOutlines
        self.pdf.save(handle, deterministic_id=True,
                      object_stream_mode=pikepdf.ObjectStreamMode.generate)
