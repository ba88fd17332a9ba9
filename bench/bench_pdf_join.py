"""Benchmark: the PDF joining process alone at book sizes too slow to typeset for real.

    python bench/bench_pdf.py /tmp/pdfcorpus --counts 1000 --jobs 2 --bare-max 0
    python bench/bench_pdf_join.py /tmp/bench-pdf/1000/many/.cache/chunks/pdf \
        --counts 1000,10000,40000

The real chunks a build kept (`.cache/chunks/pdf`, untagged) are replicated until the book
has N articles, every copy's anchors, links and article keys given a fresh prefix, and
joined by binding.py's `assemble_book` in a process of its own (one per size), each chunk
loaded from disk as it is reached, as a build's joining process does. What WeasyPrint
typesets in that process (contents and index pieces, furniture runs) is replaced by
synthetic PDFs of the same shape: a page per CONTENTS_LINES contents lines or
INDEX_LOCATORS locators, each link and anchor on its page, one sheet per body page; a
piece's WeasyPrint peak is bounded by the piece's size, so it is a constant of the
process, not growth (bench/README.md has it measured). Reported: VmRSS at the stages of
the join, the peak (VmHWM), CPU seconds, pages, and with `--trace` the tracemalloc
growth by line between the join's start and the end of writing. `--checkout` puts
another checkout's exporters and src first on the path (to measure main as "before").
"""

from __future__ import annotations

import argparse
import ctypes
import io
import json
import math
import os
import pickle
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

CONTENTS_LINES = 17  # contents lines on a page (a 1,000-article book: 58 pages)
INDEX_LOCATORS = 520  # index locators on a page (11,500 on 22 pages)
SHEETS_PER_RUN = 400
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="#([^"]+)"')


def status_kb(field: str) -> int:
    """A field of /proc/self/status, in KB (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def malloc_mb() -> tuple[float, float]:
    """The C heap (glibc malloc: qpdf, and Python's larger blocks): MB in use, MB free
    but kept by the allocator."""
    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    return (round((info.uordblks + info.hblkhd) / 2**20, 1),
            round(info.fordblks / 2**20, 1))


def kept_results(folder: Path) -> list[Path]:
    """The kept chunk outcomes of `folder`, in chunk order."""
    found = []
    for path in folder.glob("*.pickle"):
        with path.open("rb") as handle:
            report = pickle.load(handle)  # noqa: S301 (a build's own file)
        found.append((report.chunk_id, path))
    return [path for _, path in sorted(found)]


def load_result(path: Path) -> Any:
    """The chunk result inside a kept outcome (as two pickles, or an older single one)."""
    with path.open("rb") as handle:
        report = pickle.load(handle)  # noqa: S301
        data = report.result if isinstance(report.result, bytes) else pickle.load(handle)  # noqa: S301
    return pickle.loads(data)  # noqa: S301


def renamed(result: Any, prefix: str) -> Any:
    """A chunk result whose anchors, link targets and article keys start with `prefix`."""
    from pressroom_pdf.printing import ChunkResult
    from pressroom_pdf.typeset import PageMarks, Typeset

    pages = tuple(PageMarks(p.width, p.height,
                            {prefix + name: place for name, place in p.anchors.items()},
                            tuple((prefix + target, rect) for target, rect in p.links))
                  for p in result.typeset.pages)
    tagged = tuple((prefix + key, words) for key, words in result.tagged)
    return ChunkResult(Typeset(result.typeset.pdf, pages), tagged)


class Replicated(Sequence[Any]):
    """`copies` × the kept chunks, each loaded and renamed when it is reached."""

    def __init__(self, paths: Sequence[Path], count: int) -> None:
        self._paths = list(paths)
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if not 0 <= index < self._count:
            raise IndexError(index)
        copy, n = divmod(index, len(self._paths))
        return renamed(load_result(self._paths[n]), f"r{copy}-")


def synthetic_pdf(pages: int, width: float, height: float) -> bytes:
    """A PDF of `pages` pages, each with a few lines of text in a standard font."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font,
                                                Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for n in range(pages):
        pdf.add_blank_page(page_size=(width, height))
        pdf.pages[-1].obj.Resources = resources
        pdf.pages[-1].obj.Contents = pdf.make_stream(
            b"BT /F1 10 Tf 72 720 Td (line of page %d) Tj ET\n" % n * 30)
    buffer = io.BytesIO()
    pdf.save(buffer)
    return buffer.getvalue()


def synthetic_typeset(parts: list[tuple[str, ...]]) -> Callable[..., Any]:
    """A stand-in for `typeset` on front matter and index pieces: their anchors and links
    read from the HTML, laid on as many pages as the real piece would have."""
    from pressroom_pdf.typeset import PageMarks, Typeset

    def typeset(html: str, *_: Any, **__: Any) -> Any:
        front = bool({"front", "contents"} & set(parts[-1]))
        ids, hrefs = _ID.findall(html), _HREF.findall(html)
        per_page = CONTENTS_LINES if front else INDEX_LOCATORS
        count = max(1, math.ceil(len(hrefs) / per_page)) + (2 if "front" in parts[-1] else 0)
        width, height = 595.28, 841.89
        pages = []
        for page in range(count):
            anchors = {name: (72.0, 800.0) for name in ids[page::count]}
            run = hrefs[page * per_page:(page + 1) * per_page]
            links = tuple((target, (72.0 + k % 5 * 90, 700.0 - k % 40 * 15,
                                    150.0 + k % 5 * 90, 712.0 - k % 40 * 15))
                          for k, target in enumerate(run))
            pages.append(PageMarks(width, height, anchors, links))
        return Typeset(synthetic_pdf(count, width, height), tuple(pages))

    return typeset


def synthetic_furniture(*args: Any) -> Iterator[tuple[int, Any]]:
    """A stand-in for `furniture_runs`: runs of SHEETS_PER_RUN sheets, a folio each."""
    import pikepdf

    wanted = args[5]
    for start in range(0, len(wanted), SHEETS_PER_RUN):
        count = min(SHEETS_PER_RUN, len(wanted) - start)
        yield start, pikepdf.open(io.BytesIO(synthetic_pdf(count, 595.28, 841.89)))


def synthetic_book(results: Replicated, title: str) -> Any:
    """The book the replicated chunks make: an index record per article (questions and
    subjects made up from the keywords, in runs of 250 articles a subject)."""
    import datetime as dt

    from pressroom.model import ArticleRecord, Book, Collection

    records = []
    for n in range(len(results)):
        for key, words in results[n].tagged:
            question = f"What is {words[0] if words else key}, and how is it used?"
            subject = f"Subject {len(records) // 250:03d}"
            records.append(ArticleRecord("", None, key, key, question, question, subject,
                                         f"/{key}/", f"{key}.md", None, "", f"{key}.md",
                                         (), {}))
    moment = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    return Book(Collection("book", title, tuple(records)), (), title, "Pressroom", "en",
                "urn:bench", moment, {})


def staged(module: Any, name: str, stage: str, seen: dict[str, int],
           heaps: dict[str, tuple[float, float]], snapshots: dict[str, Any],
           peaks: dict[str, int]) -> None:
    """Record VmRSS (and a tracemalloc snapshot) each time `module.name` is called."""
    if not hasattr(module, name):
        return
    inner = getattr(module, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        seen[stage] = status_kb("VmRSS")
        heaps[stage] = malloc_mb()
        if tracemalloc.is_tracing():
            snapshots[stage] = tracemalloc.take_snapshot()
            peaks[stage] = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
        return inner(*args, **kwargs)

    setattr(module, name, wrapper)


def traced_growth(snapshots: dict[str, Any], top: int = 8) -> list[str]:
    """Per stage, the traced memory held beyond the start's and the lines holding most."""
    lines = []
    start = snapshots["start"]
    for stage, snapshot in snapshots.items():
        if stage == "start":
            continue
        stats = snapshot.compare_to(start, "lineno")
        total = sum(stat.size_diff for stat in stats)
        lines.append(f"{stage}: {total / 2**20:.1f} MB traced beyond the start")
        lines.extend(f"  {stat.size_diff / 1024:9.0f} KB {stat.count_diff:8d} blocks "
                     f"{stat.traceback[0].filename.split('/')[-1]}:{stat.traceback[0].lineno}"
                     for stat in stats[:top])
    return lines


def join_once(folder: Path, articles: int, out: Path, trace: bool) -> dict[str, Any]:
    """Join a book of about `articles` articles; what was measured."""
    import pressroom_pdf.binding as binding
    import pressroom_pdf.bookends as bookends
    from pressroom_pdf.options import PdfOptions

    from pressroom.exporter import ExportContext
    from pressroom.themes import Theme

    paths = kept_results(folder)
    per_chunk = len(load_result(paths[0]).tagged)
    results = Replicated(paths, max(1, round(articles / per_chunk)))
    book = synthetic_book(results, "Joined")
    ctx = ExportContext(out_dir=out.parent, theme=Theme.load(), base_url="https://example.org")
    parts: list[tuple[str, ...]] = [()]
    book_html = binding.book_html

    def recording_html(theme: Any, book: Any, part: tuple[str, ...], **kwargs: Any) -> str:
        parts.append(tuple(part))
        return book_html(theme, book, part, **kwargs)

    binding.book_html = recording_html
    binding.typeset = synthetic_typeset(parts)
    binding.furniture_runs = synthetic_furniture
    seen: dict[str, int] = {}
    snapshots: dict[str, Any] = {}
    heaps: dict[str, tuple[float, float]] = {}
    peaks: dict[str, int] = {}
    staged(binding, "keyword_index", "marks read", seen, heaps, snapshots, peaks)
    staged(binding, "index_pieces", "front matter typeset", seen, heaps, snapshots, peaks)
    staged(binding, "SheetRuns", "index typeset", seen, heaps, snapshots, peaks)
    staged(bookends.BookEnds, "names", "pieces written", seen, heaps, snapshots, peaks)
    if trace:
        tracemalloc.start(1)
    seen["start"] = status_kb("VmRSS")
    heaps["start"] = malloc_mb()
    if trace:
        snapshots["start"] = tracemalloc.take_snapshot()
    cpu = time.process_time()
    with out.open("wb") as handle:
        binding.assemble_book(book, results, ctx, PdfOptions(), handle)
    cpu = time.process_time() - cpu
    seen["end"] = status_kb("VmRSS")
    heaps["end"] = malloc_mb()
    if trace:
        snapshots["end"] = tracemalloc.take_snapshot()
        peaks["end"] = tracemalloc.get_traced_memory()[1]
    report: dict[str, Any] = {
        "articles": len(book.collection.articles), "chunks": len(results),
        "cpu": round(cpu, 1), "peak_mb": round(status_kb("VmHWM") / 1024, 1),
        "stages_mb": {k: round(v / 1024, 1) for k, v in seen.items()},
        "malloc_mb": heaps, "bytes": out.stat().st_size,
    }
    if trace:
        report["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        report["growth_by_line"] = traced_growth(snapshots)
        report["traced_peak_before_mb"] = {k: round(v / 2**20, 1) for k, v in peaks.items()}
    from pypdf import PdfReader

    report["pages"] = len(PdfReader(out).pages)
    return report


def main() -> None:
    """Run each size in a process of its own and print a table row per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chunks", type=Path, help="a build's kept chunks (.cache/chunks/pdf)")
    parser.add_argument("--counts", default="1000,10000,40000")
    parser.add_argument("--checkout", type=Path, help="another checkout to measure")
    parser.add_argument("--trace", action="store_true", help="tracemalloc growth by line")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-pdf-join"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.checkout:
        sys.path[:0] = [str(args.checkout / "exporters"), str(args.checkout / "src")]
    if args.one:
        args.work.mkdir(parents=True, exist_ok=True)
        report = join_once(args.chunks, args.one, args.work / f"{args.one}.pdf", args.trace)
        print(json.dumps(report))
        return
    print("| articles | chunks | pages | CPU (s) | peak RSS (MB) | stages (VmRSS, MB) |")
    print("| --- | --- | --- | --- | --- | --- |")
    for count in [int(c) for c in args.counts.split(",")]:
        command = [sys.executable, __file__, str(args.chunks), "--one", str(count),
                   "--work", str(args.work)]
        if args.checkout:
            command += ["--checkout", str(args.checkout)]
        if args.trace:
            command.append("--trace")
        done = subprocess.run(command, check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
        report = json.loads(done.stdout.splitlines()[-1])
        stages = ", ".join(f"{k} {v}" for k, v in report["stages_mb"].items())
        print(f"| {report['articles']} | {report['chunks']} | {report['pages']} | "
              f"{report['cpu']} | {report['peak_mb']} | {stages} |", flush=True)
        print("    C heap (in use, free) by stage, MB: " + ", ".join(
            f"{k} {v[0]}/{v[1]}" for k, v in report["malloc_mb"].items()))
        if "traced_peak_before_mb" in report:
            print("    traced peak on the way to each stage, MB: " + ", ".join(
                f"{k} {v}" for k, v in report["traced_peak_before_mb"].items()))
        for line in report.get("growth_by_line", []):
            print("    " + line)
        (args.work / f"{count}.pdf").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
