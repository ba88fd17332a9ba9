"""Accessibility checks a publisher's checker runs, on every document the exporter writes."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
OPF_NS = "http://www.idpf.org/2007/opf"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"
HEADINGS = tuple(f"{{{XHTML_NS}}}h{n}" for n in range(1, 7))
# The DPUB-ARIA role each structural `epub:type` must carry (EPUB Accessibility techniques).
MATCHING_ROLES = {
    "abstract": "doc-abstract", "acknowledgments": "doc-acknowledgments",
    "afterword": "doc-afterword", "appendix": "doc-appendix", "backlink": "doc-backlink",
    "bibliography": "doc-bibliography", "biblioref": "doc-biblioref", "chapter": "doc-chapter",
    "colophon": "doc-colophon", "conclusion": "doc-conclusion", "cover": "doc-cover",
    "credits": "doc-credits", "dedication": "doc-dedication", "endnotes": "doc-endnotes",
    "epigraph": "doc-epigraph", "epilogue": "doc-epilogue", "errata": "doc-errata",
    "footnote": "doc-footnote", "foreword": "doc-foreword", "glossary": "doc-glossary",
    "glossref": "doc-glossref", "index": "doc-index", "introduction": "doc-introduction",
    "noteref": "doc-noteref", "notice": "doc-notice", "pagebreak": "doc-pagebreak",
    "page-list": "doc-pagelist", "part": "doc-part", "preface": "doc-preface",
    "prologue": "doc-prologue", "pullquote": "doc-pullquote", "qna": "doc-qna",
    "subtitle": "doc-subtitle", "tip": "doc-tip", "toc": "doc-toc",
}
REQUIRED_LANDMARKS = ("toc", "bodymatter")


@dataclass(frozen=True)
class Problem:
    """One broken rule in one document; `content` when the author's text is at fault."""

    rule: str
    message: str
    content: bool = False


def _has_text(element: etree._Element) -> bool:
    """Text, math or an image with alt text inside `element`."""
    if "".join(element.itertext()).strip():
        return True
    if element.find(f".//{{{MATHML_NS}}}math") is not None:
        return True
    return any((img.get("alt") or "").strip() for img in element.iter(f"{{{XHTML_NS}}}img"))


def _in_landmarks(element: etree._Element) -> bool:
    return any("landmarks" in (a.get(EPUB_TYPE) or "").split()
               for a in element.iterancestors(f"{{{XHTML_NS}}}nav"))


def language_problems(root: etree._Element) -> list[Problem]:
    """`lang` and `xml:lang` on the root element, equal and not empty."""
    lang, xml_lang = root.get("lang"), root.get(XML_LANG)
    if not lang or not xml_lang or lang != xml_lang:
        return [Problem("language", f"html element needs equal lang and xml:lang, has "
                        f"lang={lang!r} xml:lang={xml_lang!r}")]
    return []


def heading_problems(root: etree._Element) -> list[Problem]:
    """Headings start at h1 and never go down more than one level at a time."""
    problems, previous = [], 0
    for heading in root.iter(*HEADINGS):
        level = int(etree.QName(heading).localname[1])
        if level > previous + 1:
            text = " ".join("".join(heading.itertext()).split())[:60]
            problems.append(Problem("heading-order", f"h{level} {text!r} follows "
                                    f"{'h' + str(previous) if previous else 'no heading'}"))
        previous = level
    return problems


def table_problems(root: etree._Element) -> list[Problem]:
    """Every header cell has text (or math, or an image with alt text)."""
    empty = [th for th in root.iter(f"{{{XHTML_NS}}}th") if not _has_text(th)]
    return [Problem("empty-header", f"{len(empty)} empty table header cell(s)")] if empty else []


def image_problems(root: etree._Element) -> list[Problem]:
    """Every image has alt text: the author must say what it shows."""
    return [Problem("image-alt", f"image {img.get('src')!r} has no alt text", content=True)
            for img in root.iter(f"{{{XHTML_NS}}}img") if not (img.get("alt") or "").strip()]


def role_problems(root: etree._Element) -> list[Problem]:
    """Each structural `epub:type` has its matching ARIA role (landmark links excepted)."""
    problems = []
    for element in root.iter():
        types = (element.get(EPUB_TYPE) or "").split()
        roles = (element.get("role") or "").split()
        for kind in types:
            role = MATCHING_ROLES.get(kind)
            if role and role not in roles and not _in_landmarks(element):
                problems.append(Problem("epub-type-role", f"epub:type {kind!r} on "
                                        f"<{etree.QName(element).localname}> lacks role {role!r}"))
    return problems


def document_problems(root: etree._Element) -> list[Problem]:
    """Every document-level rule, for one XHTML content document."""
    return [*language_problems(root), *heading_problems(root), *table_problems(root),
            *image_problems(root), *role_problems(root)]


def landmark_problems(nav: etree._Element, expected: tuple[str, ...] = ()) -> list[Problem]:
    """The navigation document has a landmarks nav listing contents, body and `expected`."""
    landmarks = [n for n in nav.iter(f"{{{XHTML_NS}}}nav") if n.get(EPUB_TYPE) == "landmarks"]
    if not landmarks:
        return [Problem("landmarks", "the navigation document has no landmarks nav")]
    found = {a.get(EPUB_TYPE) for a in landmarks[0].iter(f"{{{XHTML_NS}}}a")}
    missing = [kind for kind in (*REQUIRED_LANDMARKS, *expected) if kind not in found]
    return [Problem("landmarks", f"landmarks lack {', '.join(missing)}")] if missing else []


def package_problems(opf: etree._Element) -> list[Problem]:
    """The package document declares its language with `xml:lang`."""
    language = opf.findtext(f"{{{OPF_NS}}}metadata/{{http://purl.org/dc/elements/1.1/}}language")
    if not opf.get(XML_LANG) or opf.get(XML_LANG) != language:
        return [Problem("language", f"package needs xml:lang={language!r}, has "
                        f"{opf.get(XML_LANG)!r}")]
    return []


def epub_problems(path: Path) -> list[str]:
    """Check a built EPUB file: package, landmarks and every content document in it."""
    found: list[str] = []
    with zipfile.ZipFile(path) as archive:
        opf_name = next(n for n in archive.namelist() if n.endswith(".opf"))
        opf = etree.fromstring(archive.read(opf_name))
        found += [f"{opf_name}: {p.message}" for p in package_problems(opf)]
        base = opf_name.rpartition("/")[0]
        for item in opf.iterfind(f"{{{OPF_NS}}}manifest/{{{OPF_NS}}}item"):
            if item.get("media-type") != "application/xhtml+xml":
                continue
            name = f"{base}/{item.get('href')}" if base else item.get("href")
            root = etree.fromstring(archive.read(name))
            problems = document_problems(root)
            if "nav" in (item.get("properties") or "").split():
                problems += landmark_problems(root)
            found += [f"{name}: {p.message}" for p in problems]
    return found

