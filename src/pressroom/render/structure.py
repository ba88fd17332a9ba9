"""Accessible structure of an answer: headings nested under the question, header cells named."""

from __future__ import annotations

from lxml import html as lxml_html

ANSWER_TOP_LEVEL = 2
MAX_LEVEL = 6
HIDDEN_CLASS = "visually-hidden"
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def nest_headings(root: lxml_html.HtmlElement, top: int = ANSWER_TOP_LEVEL) -> None:
    """Renumber headings so the first level is `top` and no level is ever skipped.

    Every exporter shows the question as an `h1`, so an answer's headings start at `h2`.
    A heading nests one level under the nearest earlier heading of a higher source level,
    so `###`, `#####`, `###` becomes h2, h3, h2 and the outline keeps its shape.
    """
    stack: list[tuple[int, int]] = []
    for element in root.iter(*_HEADINGS):
        source = int(element.tag[1])
        while stack and stack[-1][0] >= source:
            stack.pop()
        level = min(stack[-1][1] + 1 if stack else top, MAX_LEVEL)
        stack.append((source, level))
        element.tag = f"h{level}"


def _is_empty(cell: lxml_html.HtmlElement) -> bool:
    """A cell with no text and no image that has alt text: a checker would call it empty."""
    if cell.text_content().strip():
        return False
    return not any((img.get("alt") or "").strip() for img in cell.iter("img"))


def name_header_cells(root: lxml_html.HtmlElement) -> None:
    """Leave no header cell empty: an all-empty header row goes, an empty cell gets a label.

    Markdown forces a header row, so authors write `| | |` above a table that has none:
    that row holds nothing and is dropped. A single empty cell (the corner above row
    labels) gets a visually hidden "Column n" label, so screen readers name the column.
    """
    for row in list(root.iter("tr")):
        cells = [cell for cell in row if cell.tag in ("th", "td")]
        headers = [cell for cell in cells if cell.tag == "th"]
        if not headers or not any(_is_empty(cell) for cell in headers):
            continue
        if all(_is_empty(cell) for cell in cells):
            _drop_row(row)
            continue
        for column, cell in enumerate(cells, start=1):
            if cell.tag == "th" and _is_empty(cell):
                label = lxml_html.Element("span", {"class": HIDDEN_CLASS})
                label.text = f"Column {column}"
                cell.insert(0, label)


def _drop_row(row: lxml_html.HtmlElement) -> None:
    """Remove a row, and its table section when that leaves the section empty."""
    section = row.getparent()
    section.remove(row)
    if section.tag in ("thead", "tbody", "tfoot") and len(section) == 0:
        section.getparent().remove(section)


def accessible_structure(root: lxml_html.HtmlElement) -> None:
    """Apply every structural repair an answer needs before it reaches an exporter."""
    nest_headings(root)
    name_header_cells(root)
