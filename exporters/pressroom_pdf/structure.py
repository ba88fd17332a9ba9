"""The tagged structure of a book typeset in pieces, joined under one Document element.

A tagged piece (WeasyPrint's `pdf_tags`) has a structure tree of its own: one Document
element holding the piece's elements, and a parent tree mapping each page's
/StructParents and each annotation's /StructParent to elements. Joined, the elements of
every piece hang under one Document element (a number the file reserves before any
piece), the integer keys are moved past those of the pieces before, table header
identifiers are made unique to their piece, and the parent tree is written as a number
tree, a leaf at a time as the pieces go by: memory holds the Document's kids and a leaf.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from pressroom_pdf.pdffile import PdfFile

PARENTS_PER_LEAF = 128  # parent tree entries in one leaf of the number tree


@dataclass(frozen=True)
class Carried:
    """A piece's structure once copied: its top elements, its parent tree entries (keys
    already moved) and the first key the next piece may use."""

    kids: tuple[pikepdf.Object, ...]
    entries: tuple[tuple[int, pikepdf.Object], ...]
    next_key: int

    def numbers(self) -> list[int]:
        """The object numbers of the top elements."""
        return [kid.objgen[0] for kid in self.kids]

    def serialised(self) -> list[tuple[int, bytes]]:
        """The parent tree entries as (key, value as PDF writes it)."""
        return [(key, value.unparse()) for key, value in self.entries]


def _pairs(tree: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree, in order."""
    nums = tree.get(Name.Nums)
    if nums is not None:
        for n in range(0, len(nums), 2):
            yield int(nums[n]), nums[n + 1]
    for kid in tree.get(Name.Kids, Array()):
        yield from _pairs(kid)


def _elements(value: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The structure elements one parent tree value names."""
    for element in (value if isinstance(value, Array) else [value]):
        if isinstance(element, Dictionary):
            yield element


def _under(document: pikepdf.Object, values: Sequence[pikepdf.Object]) -> list[pikepdf.Object]:
    """Every element whose parent is `document`: its kids, and those WeasyPrint leaves
    out of the tree but in the parent tree (the page margins' content)."""
    found = {kid.objgen: kid for kid in document.K}
    seen: set[tuple[int, int]] = set()
    for value in values:
        for element in _elements(value):
            while element.objgen not in seen:
                seen.add(element.objgen)
                parent = element.get(Name.P)
                if parent is None:
                    break
                if parent.objgen == document.objgen:
                    found.setdefault(element.objgen, element)
                    break
                element = parent
    return list(found.values())


def _tag_headers(kids: Sequence[pikepdf.Object], prefix: str) -> None:
    """Prefix the table header identifiers (and the cells' references to them) of the
    elements under `kids`: WeasyPrint numbers them by object, unique in one piece only."""
    stack = list(kids)
    while stack:
        element = stack.pop()
        if Name.ID in element:
            element.ID = String(prefix + str(element.ID))
        attributes = element.get(Name.A)
        if isinstance(attributes, Dictionary) and Name.Headers in attributes:
            attributes.Headers = Array([String(prefix + str(h)) for h in attributes.Headers])
        stack.extend(kid for kid in element.get(Name.K, Array())
                     if isinstance(kid, Dictionary) and kid.get(Name.Type) != Name.OBJR)


def carry_structure(source: pikepdf.Pdf, pdf: pikepdf.Pdf, document: int, offset: int,
                    prefix: str) -> Carried | None:
    """Copy the structure tree of `source` into `pdf` (whose pages were copied from it),
    its top elements under object `document`, every key moved by `offset`; None when
    `source` is not tagged."""
    tree = source.Root.get(Name.StructTreeRoot)
    if tree is None:
        return None
    (own,) = tree.K
    pairs = list(_pairs(tree.ParentTree))
    tops = _under(own, [value for _, value in pairs])
    for element in tops:
        del element.P
    if (document, 0) in {obj.objgen for obj in pdf.objects}:
        raise ValueError(f"object {document} is taken in the piece being joined")
    pdf._replace_object((document, 0), Dictionary())
    parent = pdf.get_object((document, 0))
    for element in tops:
        pdf.copy_foreign(element).P = parent
    kids = tuple(pdf.copy_foreign(kid) for kid in own.K)
    entries = tuple((key + offset, Array([pdf.copy_foreign(e) for e in value])
                     if isinstance(value, Array) else pdf.copy_foreign(value))
                    for key, value in pairs)
    for page in pdf.pages:
        if Name.StructParents in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annot in page.obj.get(Name.Annots, Array()):
            if Name.StructParent in annot:
                annot.StructParent = int(annot.StructParent) + offset
    _tag_headers(kids, prefix)
    next_key = max((key for key, _ in pairs), default=-1) + 1 + offset
    return Carried(kids, entries, next_key)


class StructureTree:
    """The book's structure tree, written into `file` as the pieces go by."""

    def __init__(self, file: PdfFile) -> None:
        self._file = file
        self.document = file.reserve()  # before any piece, below every number one takes
        self.next_key = 0
        self._kids = array("q")
        self._leaves: list[tuple[int, int, int]] = []  # object, first key, last key
        self._pending: list[tuple[int, bytes]] = []

    def add(self, kids: Sequence[int], entries: Sequence[tuple[int, bytes]],
            next_key: int) -> None:
        """Take a written piece's top elements and parent tree entries (in key order)."""
        self._kids.extend(kids)
        for entry in entries:
            self._pending.append(entry)
            if len(self._pending) == PARENTS_PER_LEAF:
                self._flush()
        self.next_key = next_key

    def _flush(self) -> None:
        if not self._pending:
            return
        number = self._file.reserve()
        nums = b" ".join(b"%d %s" % entry for entry in self._pending)
        first, last = self._pending[0][0], self._pending[-1][0]
        self._file.write(number, b"<< /Limits [ %d %d ] /Nums [ %s ] >>" % (first, last, nums))
        self._leaves.append((number, first, last))
        self._pending = []

    def finish(self) -> int:
        """Write the parent tree's root, the Document element and the structure tree
        root; the root's object number."""
        self._flush()
        parents = self._file.reserve()
        self._file.write(parents, b"<< /Kids [ %s ] >>"
                         % b" ".join(b"%d 0 R" % leaf for leaf, _, _ in self._leaves))
        root = self._file.reserve()
        self._file.write(self.document, b"<< /Type /StructElem /S /Document /P %d 0 R "
                                        b"/K [ %s ] >>"
                         % (root, b" ".join(b"%d 0 R" % kid for kid in self._kids)))
        self._file.write(root, b"<< /Type /StructTreeRoot /K [ %d 0 R ] /ParentTree %d 0 R "
                               b"/ParentTreeNextKey %d >>"
                         % (self.document, parents, self.next_key))
        return root
