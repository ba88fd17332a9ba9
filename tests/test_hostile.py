"""Hostile input: no script, no file leak, no escape from the output folder, no traceback."""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pressroom_pdf import PdfExporter
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject
from typer.testing import CliRunner

from pressroom.build import BuildResult
from pressroom.cli import EXIT_CONTENT, EXIT_EXPORTER, app
from pressroom.errors import ContentError
from pressroom.loader import load_content, load_file

from .conftest import BASE_URL, CONTENT, build, deny_reading

HOSTILE = Path(__file__).parent / "hostile"
FORMATS = ["epub", "pdf", "jsonld", "sitemap"]
TITLE = 'Is </script><script>alert(1)</script> & <b>bold</b> "quoted" safe?'
PAGE_TITLE = '</script><!-- ]]> & <i>"Raw"</i> body'
DESCRIPTION = ('Ends a CDATA ]]> and a comment --> and opens <![CDATA[ and <!-- too, '
               'with </script> & "quotes".')
KEYWORDS = ["cdata ]]> end", "comment --> end", "</script>", "a & b"]
# Every file with a bad url, and the line of its url (or permalink) field.
BAD_URLS = {
    "quicktakes/url-dot-segments.md": 12,
    "quicktakes/url-encoded-dots.md": 12,
    "quicktakes/url-foreign-host.md": 12,
    "quicktakes/url-javascript.md": 12,
    "quicktakes/url-protocol-relative.md": 12,
    "pages/bad-permalink.md": 4,
}
GOOD_LOCS = {
    f"{BASE_URL}/learn/hostile/questions/control-characters",
    f"{BASE_URL}/etc-raw-html",
    f"{BASE_URL}/learn/etc/questions/subject-absolute",
    f"{BASE_URL}/learn/hostile/questions/local-and-remote-images",
    f"{BASE_URL}/learn/hostile/questions/script-and-handlers",
    f"{BASE_URL}/learn/tmp/questions/subject-traversal",
}
BOOKS = {"hostile", "tmp", "etc", "pages"}
OUTPUT_NAME = re.compile(
    r"[a-z0-9]+(?:-[a-z0-9]+)*\.(?:epub|pdf|jsonld|ndjson)|sitemap\.xml|robots\.txt")
ACTIVE_ELEMENTS = {"script", "iframe", "style", "object", "embed", "form", "input", "frame",
                   "frameset", "applet", "base"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
PASSWD = "root:x:0:0"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "poster",
                  "{http://www.w3.org/1999/xlink}href")
PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE",
                      "/Rendition"}

runner = CliRunner()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, BuildResult]:
    """The hostile folder copied deep into a tmp root and built into every format there."""
    root = tmp_path_factory.mktemp("hostile")
    content = root / "site" / "content"
    shutil.copytree(HOSTILE, content)
    out = root / "site" / "a" / "b" / "out"
    return root, content, out, build(content, out, FORMATS)


def _files(root: Path) -> set[Path]:
    return {Path(folder) / name for folder, _, names in os.walk(root) for name in names}


def _outputs(out: Path, suffix: str) -> list[Path]:
    found = sorted(out.glob(f"*/*{suffix}"))
    assert found, f"no {suffix} written"
    return found


def test_bad_urls_are_one_error_each_naming_file_and_line(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, content, _, result = hostile
    got = {(error.path.relative_to(content).as_posix(), error.line) for error in result.errors}
    assert got == set(BAD_URLS.items())
    assert len(result.errors) == len(BAD_URLS)
    assert all(error.message.startswith("bad url ") for error in result.errors)
    assert result.failures == []
    assert result.articles == len(GOOD_LOCS)


def test_foreign_url_is_one_loader_error_at_the_url_line(tmp_path: Path) -> None:
    source = HOSTILE / "quicktakes" / "url-foreign-host.md"
    shutil.copy(source, tmp_path / source.name)
    loaded = load_content(tmp_path)
    assert loaded.articles == ()
    assert [(e.path, e.line) for e in loaded.errors] == [(tmp_path / source.name, 12)]
    assert "https://evil.example/x" in loaded.errors[0].message
    assert str(loaded.errors[0]).startswith(f"{tmp_path / source.name}:12: bad url ")


def test_everything_written_lies_inside_out_with_safe_names(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    root, content, out, result = hostile
    written = _files(root) - _files(content)
    assert written, "the build wrote nothing"
    assert all(out.resolve() in path.resolve().parents for path in written)
    finals = {p for p in written if ".cache" not in p.relative_to(out).parts}
    assert {p.relative_to(out).parts[0] for p in finals} == set(FORMATS)
    assert all(OUTPUT_NAME.fullmatch(p.name) for p in finals), sorted(finals)
    assert sorted(map(Path.resolve, result.written)) == sorted(map(Path.resolve, finals))
    assert {p.stem for p in finals if p.suffix in (".epub", ".pdf", ".ndjson")} == BOOKS
    assert not any(p.name.endswith(".tmp") for p in written)
    assert not Path("/tmp/escaped.md").exists() and not Path("/x.md").exists()


def _epub_xml(path: Path) -> Iterator[tuple[str, etree._Element]]:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            assert not name.startswith("/") and ".." not in name.split("/"), name
            data = archive.read(name)
            assert PASSWD.encode() not in data and b"evil.example" not in data, name
            if name.endswith((".xhtml", ".opf", ".ncx", ".svg", ".xml")):
                yield name, etree.fromstring(data)


def _bad_url(value: str) -> bool:
    squashed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squashed.startswith(BAD_SCHEMES) or "evil.example" in squashed


def test_epub_has_no_active_content_or_leaks(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, _, out, _ = hostile
    for epub in _outputs(out, ".epub"):
        with zipfile.ZipFile(epub) as archive:
            images = [n for n in archive.namelist() if "/images/" in n or n.endswith(".png")]
        assert images == ["EPUB/images/cover.png"], (epub, images)
        for name, tree in _epub_xml(epub):
            for element in tree.iter(etree.Element):
                tag = etree.QName(element).localname
                assert tag not in ACTIVE_ELEMENTS, (epub.name, name, tag)
                if tag == "link":
                    assert element.get("rel") == "stylesheet", (name, element.attrib)
                for attribute, value in element.attrib.items():
                    assert not etree.QName(attribute).localname.lower().startswith("on"), (
                        name, attribute)
                    if attribute in URL_ATTRIBUTES:
                        assert not _bad_url(value), (epub.name, name, attribute, value)


def test_epub_shows_hostile_titles_as_text(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, _, out, _ = hostile
    xhtml = "{http://www.w3.org/1999/xhtml}"
    trees = dict(_epub_xml(out / "epub" / "hostile.epub"))
    chapter = trees["EPUB/text/script-and-handlers.xhtml"]
    assert chapter.findtext(f"{xhtml}head/{xhtml}title") == TITLE
    heading = chapter.find(f".//{xhtml}h1")
    assert heading is not None and heading.text == TITLE and len(heading) == 0
    answer = chapter.find(f".//{xhtml}div[@class='answer']")
    assert answer is not None
    assert [b.text for b in answer.iter(f"{xhtml}b")] == ["bold"]
    # script and data links are unwrapped (no `<a>` without href); `#` is the article's top
    assert [a.get("href") for a in answer.iter(f"{xhtml}a")] == ["#script-and-handlers"]
    text = "".join(answer.itertext())
    assert not any(body in text for body in ('alert("x")', "alert(10)", "display: none"))
    related = chapter.find(f".//{xhtml}aside//{xhtml}a")
    assert related is not None and related.text == "Which images may be embedded?"  # its title now
    page = dict(_epub_xml(out / "epub" / "pages.epub"))["EPUB/text/etc-raw-html.xhtml"]
    assert page.find(f".//{xhtml}h1").text == PAGE_TITLE  # type: ignore[union-attr]
    links = {a.text: a.get("href") for a in page.iter(f"{xhtml}a") if a.text != PAGE_TITLE}
    # a site path is a page of the site; a missing file and a missing anchor are unwrapped
    assert links == {"ok": "https://example.com/ok", "local": BASE_URL + "/etc/passwd"}
    unwrapped = {s.text for s in page.iter(f"{xhtml}span") if s.get("class") == "unresolved-link"}
    assert unwrapped == {"relative"}


def _pdf_objects(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from the trailer, each once."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            yield item
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def test_pdf_has_no_script_actions_or_leaks(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, _, out, _ = hostile
    for pdf in _outputs(out, ".pdf"):
        reader = PdfReader(pdf)
        assert reader.pages, pdf
        catalog = reader.trailer["/Root"].get_object()
        assert "/OpenAction" not in catalog and "/AA" not in catalog
        assert "/JavaScript" not in catalog.get("/Names", {})
        assert "/EmbeddedFiles" not in catalog.get("/Names", {})
        uris = []
        for obj in _pdf_objects(reader):
            assert "/JS" not in obj and "/AA" not in obj, pdf.name
            assert obj.get("/S") not in PDF_ACTIVE_ACTIONS, (pdf.name, obj.get("/S"))
            assert obj.get("/Type") != "/EmbeddedFile" and obj.get("/Subtype") != "/FileAttachment"
            if "/URI" in obj:
                uris.append(str(obj["/URI"]))
        assert not any(_bad_url(uri) for uri in uris), (pdf.name, uris)
        assert all(uri.startswith(("https://", "http://")) for uri in uris), uris
        text = "".join(page.extract_text() for page in reader.pages)
        assert PASSWD not in text and "evil.example" not in text
    hostile_text = " ".join(p.extract_text() for p in PdfReader(out / "pdf" / "hostile.pdf").pages)
    assert "</script><script>alert(1)</script>" in " ".join(hostile_text.split())


def test_refused_images_and_links_are_reported_with_the_article(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, content, _, result = hostile
    images = content / "quicktakes" / "local-and-remote-images.md"
    [refused] = [w for w in result.warnings if w.startswith(f"{images}: 5 images refused")]
    for src in ("/etc/passwd", "http://example.com/x.png", "../../../etc/passwd", "/dev/zero"):
        assert repr(src) in refused
    page = content / "pages" / "raw-html-body.md"
    for href, why in (("../../secret.md", "no page of the site"), ("#top", "no heading")):
        assert any(w.startswith(f"{page}: link {href!r} unlinked: {why}")
                   for w in result.warnings), result.warnings


def _strings(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield key, value
            else:
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from (("", value),) if isinstance(value, str) else _strings(value)


def _nodes(feed: Path) -> list[dict[str, Any]]:
    """Every node of a feed: NDJSON, one `@graph` document per article and line."""
    documents = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    assert all(doc["@context"] == "https://schema.org" for doc in documents)
    return [node for doc in documents for node in doc["@graph"]]


def test_jsonld_escapes_script_ends_and_keeps_urls_on_site(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, _, out, _ = hostile
    for feed in _outputs(out, ".ndjson"):
        raw = feed.read_text(encoding="utf-8")
        assert "<" not in raw and ">" not in raw and "&" not in raw, feed.name
        graph = _nodes(feed)
        for key, value in _strings(graph):
            assert not _bad_url(value) and PASSWD not in value, (feed.name, key, value)
            if key in ("url", "@id", "item") or key == "" and value.startswith("http"):
                assert value.startswith(BASE_URL + "/"), (feed.name, key, value)
    graph = _nodes(out / "jsonld" / "hostile.ndjson")
    page = next(n for n in graph if n.get("url", "").endswith("/script-and-handlers")
                and n["@type"] == "WebPage")
    assert (page["name"], page["description"]) == (TITLE, DESCRIPTION)
    article = next(n for n in graph if n["@id"] == page["mainEntity"]["@id"])
    assert article["keywords"] == KEYWORDS
    assert "\\u003c/script\\u003e" in (out / "jsonld" / "hostile.ndjson").read_text()


def test_xml_illegal_characters_are_dropped_everywhere(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, _, out, _ = hostile
    title = "Formfeed, verticaltab, NUL and U+FFFE in a title"
    chapter = dict(_epub_xml(out / "epub" / "hostile.epub"))["EPUB/text/control-characters.xhtml"]
    assert chapter.find(".//{http://www.w3.org/1999/xhtml}h1").text == title  # type: ignore[union-attr]
    assert "XML forbids these characters, so they are dropped." in "".join(chapter.itertext())
    graph = _nodes(out / "jsonld" / "hostile.ndjson")
    page = next(n for n in graph if n.get("name") == title)
    assert page["description"] == "Bell and escape in a description"


def test_sitemap_lists_only_good_urls_on_the_base_host(
        hostile: tuple[Path, Path, Path, BuildResult]) -> None:
    _, _, out, _ = hostile
    tree = etree.parse(str(out / "sitemap" / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert set(tree.xpath("//s:url/s:loc/text()", namespaces=ns)) == GOOD_LOCS
    assert (out / "sitemap" / "robots.txt").read_text() == f"Sitemap: {BASE_URL}/sitemap.xml\n"


def _copy_hostile(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(HOSTILE, content)
    return content


def test_cli_exits_1_with_content_errors(tmp_path: Path) -> None:
    content, out = _copy_hostile(tmp_path), tmp_path / "out"
    result = runner.invoke(app, ["build", str(content), "--out", str(out), "--format",
                                 "jsonld,sitemap", "--base-url", BASE_URL])
    assert result.exit_code == EXIT_CONTENT, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    for name, line in BAD_URLS.items():
        assert f"error: {content / name}:{line}: bad url " in result.output
    assert f"{len(BAD_URLS)} errors" in result.output
    assert (out / "sitemap" / "sitemap.xml").is_file()


def test_cli_strict_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    content, out = _copy_hostile(tmp_path), tmp_path / "out"
    before = _files(tmp_path)
    result = runner.invoke(app, ["build", str(content), "--out", str(out), "--strict",
                                 "--base-url", BASE_URL])
    assert result.exit_code == EXIT_CONTENT, result.output
    assert "nothing written: --strict" in result.output
    assert _files(tmp_path) - before == {p for p in _files(tmp_path) if ".cache" in p.parts}


def test_failed_exporter_exits_3_and_the_others_still_write(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self: PdfExporter, books: object, ctx: object) -> list[Path]:
        raise RuntimeError("typesetter on fire")

    monkeypatch.setattr(PdfExporter, "export", explode)
    content, out = _copy_hostile(tmp_path), tmp_path / "out"
    result = runner.invoke(app, ["build", str(content), "--out", str(out),
                                 "--base-url", BASE_URL])
    assert result.exit_code == EXIT_EXPORTER, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert result.output.count("exporter failed: pdf: ") == len(BOOKS)
    assert "RuntimeError: typesetter on fire" in result.output
    assert f"{len(BOOKS)} exporter failures" in result.output
    assert f"{len(BAD_URLS)} errors" in result.output
    assert not (out / "pdf").exists() or not any((out / "pdf").iterdir())
    assert {p.stem for p in (out / "epub").iterdir()} == BOOKS
    assert {p.stem for p in (out / "jsonld").glob("*.ndjson")} == BOOKS
    assert (out / "sitemap" / "sitemap.xml").is_file()


def test_failed_exporter_on_clean_content_exits_3(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(self: PdfExporter, books: object, ctx: object) -> list[Path]:
        raise RuntimeError("typesetter on fire")

    monkeypatch.setattr(PdfExporter, "export", explode)
    content = tmp_path / "content"
    shutil.copytree(CONTENT / "physics", content / "physics")
    result = runner.invoke(app, ["build", str(content), "--out", str(tmp_path / "out"),
                                 "--format", "pdf,sitemap", "--base-url", BASE_URL])
    assert result.exit_code == EXIT_EXPORTER, result.output
    assert "0 errors" in result.output and "1 exporter failures" in result.output
    assert (tmp_path / "out" / "sitemap" / "sitemap.xml").is_file()


GOOD = "---\ntitle: Fine\ndate: 2024-01-01\n---\nA good body.\n"
# name -> (bytes, the error line, or None when the file must load)
BAD_FILES: dict[str, tuple[bytes, int | None]] = {
    "invalid-utf8.md": (b"---\ntitle: x\n---\nbody \xff\n", 4),
    "bom.md": (b"\xef\xbb\xbf" + GOOD.replace("Fine", "Bom").encode(), None),
    "crlf.md": (GOOD.replace("Fine", "Crlf").replace("\n", "\r\n").encode(), None),
    "crlf-bad-url.md": (b"---\r\ntitle: x\r\nurl: //evil.example/\r\n---\r\nbody\r\n", 3),
    "unclosed.md": (b"---\ntitle: x\nbody\n", 1),
    "tabs.md": (b"---\ntitle: x\n\tsubject: y\n---\nbody\n", 3),
    "bad-indent.md": (b"---\ntitle: x\nsubject: y\n  date: 2020-01-01\n---\nbody\n", 4),
    "bad-list-indent.md": (b"---\ntitle: x\ntags:\n  - a\n - b\n---\nbody\n", 5),
    "alias-bomb.md": (b"---\ntitle: x\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
                      b"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n---\nbody\n", 4),
    "empty.md": (b"", 1),
    "blank.md": (b"\n \n\t\n", 1),
    "not-a-mapping.md": (b"---\n- a\n- b\n---\nbody\n", 2),
    "unreadable.md": (GOOD.encode(), 1),
    "huge.md": (b"", 1),  # written sparse below
}


@pytest.fixture
def bad_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One good article, every kind of bad file, and a folder called `x.md`."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "good.md").write_text(GOOD)
    for name, (data, _) in BAD_FILES.items():
        (content / name).write_bytes(data)
    with (content / "huge.md").open("wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(50 * 1024 * 1024)
    (content / "x.md").mkdir()
    (content / "x.md" / "inside.md").write_text(GOOD.replace("Fine", "Inside"))
    unreadable = content / "unreadable.md"
    unreadable.chmod(0)
    if os.access(unreadable, os.R_OK):  # root reads anything: simulate the refusal
        deny_reading(monkeypatch, unreadable)
    return content


def test_each_bad_file_is_one_path_line_error(bad_folder: Path) -> None:
    loaded = load_content(bad_folder)
    expected = {(bad_folder / name, line) for name, (_, line) in BAD_FILES.items()
                if line is not None}
    assert {(e.path, e.line) for e in loaded.errors} == expected
    assert len(loaded.errors) == len(expected)
    assert all(isinstance(e, ContentError) and e.hint for e in loaded.errors)
    assert sorted(a.title for a in loaded.articles) == ["Bom", "Crlf", "Fine", "Inside"]
    messages = {e.path.name: e.message for e in loaded.errors}
    assert "larger than" in messages["huge.md"]
    assert "cannot read" in messages["unreadable.md"]
    assert "aliases" in messages["alias-bomb.md"]
    assert "tab" in next(e.hint for e in loaded.errors if e.path.name == "tabs.md")


def test_a_folder_passed_as_a_file_is_an_error(bad_folder: Path) -> None:
    with pytest.raises(ContentError, match="is a folder"):
        load_file(bad_folder / "x.md")


def test_bad_files_never_traceback_and_good_ones_build(bad_folder: Path) -> None:
    out = bad_folder.parent / "out"
    result = runner.invoke(app, ["build", str(bad_folder), "--out", str(out), "--format",
                                 "jsonld", "--base-url", BASE_URL])
    assert result.exit_code == EXIT_CONTENT, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    error_lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert len(error_lines) == sum(1 for _, line in BAD_FILES.values() if line is not None)
    for name, (_, line) in BAD_FILES.items():
        if line is not None:
            assert sum(f"{bad_folder / name}:{line}: " in e for e in error_lines) == 1, name
    names = {node["name"] for feed in _outputs(out, ".ndjson")
             for node in _nodes(feed) if node["@type"] == "WebPage"}
    assert names == {"Bom", "Crlf", "Fine", "Inside"}
