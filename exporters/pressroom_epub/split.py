"""Split a chapter too large for reading systems into parts, between the answer's blocks."""

from __future__ import annotations

import copy

from lxml import etree

from pressroom_epub.documents import Page, chapter_name, page_from_tree, parse, x

_ANSWER = "//x:*[contains(concat(' ', normalize-space(@class), ' '), ' answer ')]"
_NS = {"x": "http://www.w3.org/1999/xhtml"}
PART_MARGIN = 2048


def _size(element: etree._Element) -> int:
    return len(etree.tostring(element, encoding="utf-8"))


def _sections(blocks: list[etree._Element]) -> list[list[etree._Element]]:
    """Runs of blocks that each start at a top-level (h2) heading of the answer."""
    runs: list[list[etree._Element]] = [[]]
    for block in blocks:
        if block.tag == x("h2") and runs[-1]:
            runs.append([])
        runs[-1].append(block)
    return runs


def _pack(blocks: list[etree._Element], budget: int) -> list[list[etree._Element]]:
    """Consecutive blocks in groups of at most `budget` bytes, cut before an h2 if possible.

    Whole sections keep a part's headings in sequence; only a section larger than the
    budget is cut between its blocks, and a single block larger than that stands alone.
    """
    groups: list[list[etree._Element]] = [[]]
    used = 0
    for run in _sections(blocks):
        sizes = [_size(block) for block in run]
        pieces = [list(zip(run, sizes, strict=True))]
        if sum(sizes) > budget:
            pieces = [[pair] for pair in zip(run, sizes, strict=True)]
        for piece in pieces:
            size = sum(s for _, s in piece)
            if groups[-1] and used + size > budget:
                groups.append([])
                used = 0
            groups[-1].extend(block for block, _ in piece)
            used += size
    return groups


def _continuation(root: etree._Element, key: str, part: int, question: str,
                  answer: etree._Element) -> tuple[etree._Element, etree._Element]:
    """A copy of the first part's page holding only a "(continued)" heading and an answer box."""
    tree = copy.deepcopy(root)
    section = tree.xpath(_ANSWER, namespaces=_NS)[0].getparent()
    for child in list(section):
        section.remove(child)
    section.set("id", f"{key}-part-{part}")
    section.set("aria-labelledby", f"{key}-part-{part}-title")
    heading = etree.SubElement(section, x("h1"), {"class": "question continued",
                                                   "id": f"{key}-part-{part}-title"})
    heading.text = f"{question} (continued)"
    box = etree.SubElement(section, answer.tag, {"class": answer.get("class", "answer")})
    tree.find(f"{x('head')}/{x('title')}").text = heading.text
    return tree, box


def _link_next(section: etree._Element, href: str) -> None:
    paragraph = etree.SubElement(section, x("p"), {"class": "continued-link"})
    link = etree.SubElement(paragraph, x("a"), {"href": href})
    link.text = "Continued"


def _relink(trees: list[tuple[str, etree._Element]]) -> None:
    """`#id` links whose target moved to another part point at that part's file."""
    home = {i: name for name, tree in trees for i in tree.xpath("//@id")}
    for name, tree in trees:
        for link in tree.iter(x("a")):
            href = link.get("href") or ""
            target = home.get(href[1:]) if href.startswith("#") else None
            if target is not None and target != name:
                link.set("href", f"{target.rpartition('/')[2]}{href}")


def split_chapter(first: Page, key: str, question: str, limit: int) -> list[Page]:
    """The chapter as one page when it fits in `limit` bytes, else as numbered parts.

    The answer's top-level blocks are shared out in order; the question opens the first
    part, what follows the answer (backlink, related lists) closes the last, each part
    links to the next, and in-page links follow their targets into other parts.
    """
    if first.size <= limit:
        return [first]
    root = parse(first.name, first.data)
    found = root.xpath(_ANSWER, namespaces=_NS)
    if not found:
        return [first]
    answer = found[0]
    section = answer.getparent()
    blocks = list(answer)
    trailing = list(answer.itersiblings())
    fixed = first.size - sum(_size(b) for b in blocks) - sum(_size(t) for t in trailing)
    groups = _pack(blocks, max(limit - fixed - PART_MARGIN, 1))
    if len(groups) == 1:
        return [first]
    for block in blocks[len(groups[0]):]:
        answer.remove(block)
    for element in trailing:
        section.remove(element)
    trees = [(chapter_name(key), root)]
    for part, group in enumerate(groups[1:], start=2):
        tree, box = _continuation(root, key, part, question, answer)
        box.extend(group)
        trees.append((chapter_name(key, part), tree))
    last_section = trees[-1][1].xpath(_ANSWER, namespaces=_NS)[0].getparent()
    last_section.extend(trailing)
    for (_, tree), (next_name, _) in zip(trees, trees[1:], strict=False):
        _link_next(tree.xpath(_ANSWER, namespaces=_NS)[0].getparent(),
                   next_name.rpartition("/")[2])
    _relink(trees)
    titles = [first.title] + [f"{question} (continued)"] * (len(trees) - 1)
    return [page_from_tree(name, title, tree) for (name, tree), title in zip(trees, titles,
                                                                             strict=True)]
