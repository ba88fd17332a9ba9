"""What PDF/A-3u and PDF/UA-1 ask of a streamed book's catalog, written after its pieces.

Both want an XMP metadata stream that says which part of the standard the file follows
and agrees with the document information (WeasyPrint's own XMP writer makes it, as it
does for a document of its own); PDF/A wants an output intent with the sRGB
profile WeasyPrint ships. The structure tree (structure.py) and the marked flag are the
catalog's other entries for a tagged book.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping
from importlib.resources import files

from pikepdf import String
from weasyprint import __version__ as weasyprint_version
from weasyprint.pdf.metadata import DocumentMetadata

from pressroom_pdf.pdffile import PdfFile

PROFILE = "sRGB2014.icc"
XMP_HEAD = (b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/">')
XMP_TAIL = b'</x:xmpmeta>\n<?xpacket end="r"?>'
# variant → (XMP identification schema, part, conformance)
PARTS = {"pdf/a-3u": ("a", 3, "U"), "pdf/ua-1": ("ua", 1, None)}


def conforming_info(info: Mapping[str, str]) -> dict[str, str]:
    """The document information with the producer WeasyPrint's XMP names, without empty
    entries (the XMP leaves them out, and the two must agree)."""
    return {**{key: value for key, value in info.items() if value},
            "Producer": f"WeasyPrint {weasyprint_version}"}


def xmp_packet(info: Mapping[str, str], moment: dt.datetime, variant: str) -> bytes:
    """The XMP metadata of a `variant` book whose document information is `info`."""
    stamp = moment.astimezone(dt.UTC).isoformat(timespec="seconds")
    metadata = DocumentMetadata(
        title=info.get("Title"), authors=[info["Author"]] if info.get("Author") else [],
        description=info.get("Subject"),
        keywords=[info["Keywords"]] if info.get("Keywords") else [],
        generator=info.get("Creator"), created=stamp, modified=stamp)
    schema, part, conformance = PARTS[variant]
    return b"\n".join((XMP_HEAD, metadata.generate_rdf_metadata(schema, part, conformance),
                       XMP_TAIL))


def catalog_entries(file: PdfFile, variant: str, info: Mapping[str, str],
                    moment: dt.datetime) -> bytes:
    """Write the metadata stream (and PDF/A's output intent); the catalog entries
    naming them."""
    metadata = file.reserve()
    packet = xmp_packet(info, moment, variant)
    file.write_stream(metadata, b"<< /Type /Metadata /Subtype /XML /Length %d >>"
                      % len(packet), packet)
    entries = b"/Metadata %d 0 R" % metadata
    if PARTS[variant][0] == "a":
        profile = file.reserve()
        data = zlib.compress((files("weasyprint.pdf") / PROFILE).read_bytes())
        file.write_stream(profile, b"<< /N 3 /Filter /FlateDecode /Length %d >>" % len(data),
                          data)
        name = String(PROFILE).unparse()
        intent = file.reserve()
        file.write(intent, b"<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier "
                           b"%s /Info %s /DestOutputProfile %d 0 R >>" % (name, name, profile))
        entries += b" /OutputIntents [ %d 0 R ]" % intent
    return entries
