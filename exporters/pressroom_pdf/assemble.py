"""One piece of a book finished in a pikepdf document of its own, then written out.

A piece (front matter, a body chunk, an index piece) is opened from its typeset bytes into
a small pikepdf (qpdf) document whose objects are numbered as the final file numbers them:
the piece's page-tree node takes the first free number of the file and qpdf gives every
object after it the next one. Verso pages are moved, the furniture stamped and internal
links added as annotations naming their destination; then each object is written with
qpdf's own serialisation and the document is closed. Memory holds one piece at a time.
A tagged piece brings its structure tree along (structure.py), keeps the links WeasyPrint
made (they are in that tree), and has its furniture marked as an artifact.
"""

from __future__ import annotations

import io
from collections.abc import Container

import pikepdf
from pikepdf import Array, Dictionary, Name

from pressroom_pdf.pdffile import PdfFile
from pressroom_pdf.structure import StructureTree, carry_structure
from pressroom_pdf.typeset import PageMarks, Typeset

FURNITURE = Name("/PressroomFurniture")


class Piece:
    """The pages of one typeset piece, with their marks, numbered from `file`'s next object
    (its structure, if tagged, carried into `structure`)."""

    def __init__(self, typeset: Typeset, file: PdfFile,
                 structure: StructureTree | None = None) -> None:
        self._file = file
        self.node_number = file.reserve()
        self.pdf = pikepdf.new()
        if self.node_number <= max(obj.objgen[0] for obj in self.pdf.objects):
            raise ValueError(f"object {self.node_number} is taken in a new pikepdf document")
        self.pdf._replace_object((self.node_number, 0), Dictionary(Type=Name.Pages))
        self._node = self.pdf.get_object((self.node_number, 0))
        self._source = pikepdf.open(io.BytesIO(typeset.pdf))
        if Name.Names in self._source.Root:  # a tagged piece's stand-in destinations
            del self._source.Root.Names
        for page in self._source.pages:  # the book's name tree holds the destinations
            self.pdf.pages.append(page)
        self._structure = structure
        self.carried = None if structure is None else carry_structure(
            self._source, self.pdf, structure.document, structure.next_key,
            f"{self.node_number}-")
        self.marks = list(typeset.pages)
        self._shared: dict[bytes, pikepdf.Object] = {}

    def __len__(self) -> int:
        return len(self.marks)

    def _stream(self, data: bytes) -> pikepdf.Object:
        """One content stream of `data` for every page of the piece that needs it."""
        if data not in self._shared:
            self._shared[data] = self.pdf.make_indirect(pikepdf.Stream(self.pdf, data))
        return self._shared[data]

    def add_blank(self, width: float, height: float) -> None:
        """Add an empty page at the end (to start the body on a right-hand page)."""
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
        drawn = f"{FURNITURE} Do"
        if self.carried is not None:
            drawn = f"/Artifact BMC {drawn} EMC"
        page.contents_add(self._stream(f"\nQ q {drawn} Q".encode()), prepend=False)

    def link(self, names: Container[str]) -> set[str]:
        """Add a link annotation for every internal link whose target is in `names` (a
        named destination of the book); the targets linked. A tagged piece has its links:
        those to a target not in `names` lose their destination."""
        if self.carried is not None:
            return self._keep_links(names)
        used: set[str] = set()
        border = None
        for index, marks in enumerate(self.marks):
            links = [(target, rect) for target, rect in marks.links if target in names]
            if not links:
                continue
            border = border or self.pdf.make_indirect(Array([0, 0, 0]))
            page = self.pdf.pages[index].obj
            annots = [self.pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Link, Rect=Array(list(rect)), Border=border,
                Dest=pikepdf.String(target))) for target, rect in links]
            existing = page.get(Name.Annots)
            if existing is not None and existing.is_indirect:
                existing.extend(annots)
            else:
                page.Annots = Array(list(existing or ()) + annots)
            used.update(target for target, _ in links)
        return used

    def _keep_links(self, names: Container[str]) -> set[str]:
        used: set[str] = set()
        for page in self.pdf.pages:
            for annot in page.obj.get(Name.Annots, Array()):
                if Name.Dest not in annot or not isinstance(annot.Dest, pikepdf.String):
                    continue
                if str(annot.Dest) in names:
                    used.add(str(annot.Dest))
                else:
                    del annot.Dest
        return used

    def write(self, parent: int) -> list[int]:
        """Write the piece's objects and its page-tree node (under object `parent`), hand
        its structure to the book's, close the piece; the object numbers of its pages."""
        pages = [page.obj for page in self.pdf.pages]
        numbers = [page.objgen[0] for page in pages]
        for page in pages:
            page.Parent = self._node
        last = max(obj.objgen[0] for obj in self.pdf.objects)
        self._file.reserve_until(last)
        kids = b" ".join(b"%d 0 R" % number for number in numbers)
        self._file.write(self.node_number, b"<< /Type /Pages /Parent %d 0 R /Kids [ %s ] "
                                           b"/Count %d >>" % (parent, kids, len(numbers)))
        for number in range(self.node_number + 1, last + 1):
            self._write_object(number, self.pdf.get_object((number, 0)))
        if self.carried is not None and self._structure is not None:
            self._structure.add(self.carried.numbers(), self.carried.serialised(),
                                self.carried.next_key)
        self.close()
        return numbers

    def _write_object(self, number: int, obj: pikepdf.Object) -> None:
        if isinstance(obj, pikepdf.Stream):
            data = obj.read_raw_bytes()
            dictionary = Dictionary(dict(obj.stream_dict.items()))
            dictionary.Length = len(data)
            self._file.write_stream(number, dictionary.unparse(), data)
        else:
            self._file.write(number, obj.unparse(resolved=True))

    def close(self) -> None:
        """Free the piece's documents."""
        self.pdf.close()
        self._source.close()
