"""What a streamed book's file ends with: page tree root, named destinations, outline,
page labels, catalog and document information, written once every piece is out (and a
tagged book's structure tree, whose parent tree leaves were written as the pieces went).

They need only the object numbers of the pages and where each anchor landed; strings and
names are serialised by pikepdf, numbers here.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pikepdf import Name, String

from pressroom_pdf.pdffile import PdfFile
from pressroom_pdf.structure import StructureTree

NAMES_PER_LEAF = 128  # named destinations in one leaf of the name tree


@dataclass(frozen=True, slots=True)
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


def _number(value: float) -> bytes:
    """A real number as PDF writes it (four decimals, no trailing zeros)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return b"0" if text in ("", "-0") else text.encode()


def _string(text: str) -> bytes:
    return String(text).unparse()


class BookEnds:
    """The book-wide objects, written after the pieces into `file`."""

    def __init__(self, file: PdfFile, tagged: bool = False) -> None:
        self.file = file
        self.root_pages = file.reserve()  # 1 and 2 (3: the structure's Document element),
        self.catalog = file.reserve()  # below any number a piece takes
        self.structure = StructureTree(file) if tagged else None
        self.page_numbers = array("q")  # the object number of every page, in order
        self.nodes: list[int] = []

    def add_piece(self, node: int, pages: Sequence[int]) -> None:
        """Record a piece's page-tree node and its pages' object numbers."""
        self.nodes.append(node)
        self.page_numbers.extend(pages)

    def _dest(self, spot: Spot) -> bytes:
        return b"[ %d 0 R /XYZ %s %s 0 ]" % (self.page_numbers[spot.page], _number(spot.x),
                                              _number(spot.y))

    def _object(self, body: bytes) -> int:
        number = self.file.reserve()
        self.file.write(number, body)
        return number

    def names(self, spots: Mapping[str, Spot], used: Iterable[str]) -> int:
        """A name tree of the `used` anchors' destinations (leaves of NAMES_PER_LEAF); its
        root's object number."""
        ordered = sorted((name for name in used if name in spots),
                         key=lambda name: bytes(String(name)))
        leaves = []
        for start in range(0, len(ordered), NAMES_PER_LEAF):
            run = ordered[start:start + NAMES_PER_LEAF]
            pairs = b" ".join(b"%s %s" % (_string(n), self._dest(spots[n])) for n in run)
            leaves.append(self._object(b"<< /Limits [ %s %s ] /Names [ %s ] >>"
                                       % (_string(run[0]), _string(run[-1]), pairs)))
        if not leaves:
            return self._object(b"<< /Names [ ] >>")
        return self._object(b"<< /Kids [ %s ] >>" % b" ".join(b"%d 0 R" % n for n in leaves))

    def outline(self, spots: Mapping[str, Spot], groups: Sequence[OutlineGroup],
                tail: Sequence[tuple[str, str]]) -> int:
        """An outline of groups, each holding its articles, then the `tail` entries (all
        open); the object number of its root."""
        tree: list[tuple[str, str, list[tuple[str, str]]]] = []
        for group in groups:
            entries = [(t, a) for t, a in group.entries if a in spots]
            if entries:
                tree.append((group.title, entries[0][1], entries))
        tree.extend((title, anchor, []) for title, anchor in tail if anchor in spots)
        root = self.file.reserve()
        numbers = [self.file.reserve() for _ in tree]
        for n, (title, anchor, entries) in enumerate(tree):
            children = [self.file.reserve() for _ in entries]
            for c, (child_title, child_anchor) in enumerate(entries):
                self.file.write(children[c], self._item(
                    child_title, spots[child_anchor], numbers[n], children, c, b""))
            kids = (b" /First %d 0 R /Last %d 0 R /Count %d"
                    % (children[0], children[-1], len(children)) if children else b"")
            self.file.write(numbers[n], self._item(title, spots[anchor], root, numbers, n, kids))
        count = len(tree) + sum(len(entries) for _, _, entries in tree)
        first = b" /First %d 0 R /Last %d 0 R" % (numbers[0], numbers[-1]) if numbers else b""
        self.file.write(root, b"<< /Type /Outlines%s /Count %d >>" % (first, count))
        return root

    def _item(self, title: str, spot: Spot, parent: int, siblings: Sequence[int], n: int,
              kids: bytes) -> bytes:
        prev = b" /Prev %d 0 R" % siblings[n - 1] if n else b""
        after = b" /Next %d 0 R" % siblings[n + 1] if n + 1 < len(siblings) else b""
        return (b"<< /Title %s /Parent %d 0 R%s%s%s /Dest %s >>"
                % (_string(title), parent, prev, after, kids, self._dest(spot)))

    def finish(self, names: int, outline: int, body_start: int, info: Mapping[str, str],
               language: str, extra: bytes = b"") -> None:
        """The page tree's root, the catalog (page labels: roman numerals for the front
        matter, arabic from the body on, then the `extra` entries, and a tagged book's
        structure), the document information; then end the file."""
        if self.structure is not None:
            extra += b" /StructTreeRoot %d 0 R /MarkInfo << /Marked true >>" % (
                self.structure.finish())
        kids = b" ".join(b"%d 0 R" % node for node in self.nodes)
        self.file.write(self.root_pages, b"<< /Type /Pages /Kids [ %s ] /Count %d >>"
                        % (kids, len(self.page_numbers)))
        labels = b" ".join(([b"0 << /S /r >>"] if body_start else [])
                           + ([b"%d << /S /D >>" % body_start]
                              if body_start < len(self.page_numbers) else []))
        self.file.write(self.catalog,
            b"<< /Type /Catalog /Pages %d 0 R /Names << /Dests %d 0 R >> /Outlines %d 0 R "
            b"/PageLabels << /Nums [ %s ] >> /PageMode /UseOutlines /Lang %s "
            b"/ViewerPreferences << /DisplayDocTitle true >>%s >>"
            % (self.root_pages, names, outline, labels, _string(language),
               b" " + extra.strip() if extra.strip() else b""))
        entries = b" ".join(b"%s %s" % (Name("/" + key).unparse(), _string(value))
                            for key, value in info.items())
        self.file.close(self.catalog, self._object(b"<< %s >>" % entries))
