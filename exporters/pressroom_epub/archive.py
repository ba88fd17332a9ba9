"""Write an ebooklib package to bytes reproducibly: fixed modified time and zip timestamps."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ebooklib import epub
from lxml import etree

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WRITER_OPTIONS = {"epub3_pages": False, "raise_exceptions": True}
ZIP_EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


class Writer(epub.EpubWriter):
    """ebooklib's writer, with the package document's language declared by `xml:lang`."""

    def _write_opf_file(self, root: etree._Element) -> None:
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


def package_bytes(package: epub.EpubBook, modified: dt.datetime) -> bytes:
    """The EPUB bytes: ebooklib writes the package, then every zip entry gets `modified`."""
    raw = io.BytesIO()
    writer = Writer(raw, package, {**WRITER_OPTIONS, "mtime": modified})
    writer.process()
    writer.write()
    return normalise_zip(raw.getvalue(), modified)


def normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Rewrite a zip with one timestamp and fixed permissions, keeping order and compression."""
    date_time = max(stamp, ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = info.compress_type
            entry.create_system = 3
            entry.external_attr = 0o100644 << 16
            target.writestr(entry, source.read(info), compresslevel=9)
    return out.getvalue()
