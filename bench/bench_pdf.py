"""Benchmark: one book as a PDF, pressroom (one process, chunked on N workers) against bare
WeasyPrint rendering the same HTML as one document; pages per second and peak RSS.

    python ../shared/tools/mkcorpus.py ../shared/corpus/quicktakes /tmp/pdfcorpus 1000
    python bench/bench_pdf.py /tmp/pdfcorpus --counts 200,1000 --jobs 2

Each run is its own process; peak RSS is that of the largest process of its tree. The
bare run renders the HTML pressroom dumps (`dump_html`), with its stylesheets inlined;
it needs about 3.6 GB at 1,000 articles, so it runs only up to `--bare-max` articles (the
anchor of the larger books is the same run's). The chunked build keeps its chunks; the
"join again" row deletes the PDF and builds once more, so only the joining process runs
(chunks come from the store): its peak RSS is the joining process's own. `--variant`
prints the books as pdf/a-3u or pdf/ua-1; `--bare-max 0` leaves bare WeasyPrint out
(no ratios); `--work` keeps the books apart from another run's.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pypdf import PdfReader

BARE = """
import sys
from weasyprint import HTML
HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
"""


def measured(command: list[str]) -> tuple[float, float, float]:
    """Run a command: wall seconds, CPU seconds of its whole tree, and the peak RSS (MB) of
    its largest process (CPU is the fairer figure on a shared machine)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def book_folder(work: Path, corpus: Path, count: int) -> Path:
    """A project with the first `count` articles of the corpus."""
    root = work / f"{count}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "content").mkdir(parents=True)
    for path in sorted(corpus.glob("*.md"))[:count]:
        (root / "content" / path.name).symlink_to(path.resolve())
    return root


def configure(root: Path, options: str) -> None:
    """One book of every article, with the PDF options given."""
    (root / "content" / "pressroom.toml").write_text(
        f'title_pattern = "Study Guide"\n[exporters.pdf]\nmax_articles = 100000\n{options}\n',
        encoding="utf-8")


def pressroom(root: Path, out: str, jobs: int, cache: bool = False) -> list[str]:
    """The pressroom command building the one book of `root` as a PDF (a fresh output
    folder: with the cache on, a first build still typesets every chunk)."""
    return [sys.executable, "-m", "pressroom", "build", str(root / "content"), "--out",
            str(root / out), "--format", "pdf", "--group-by", "none", "--jobs", str(jobs),
            *([] if cache else ["--no-cache"])]


def pages(pdf: Path) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(pdf).pages)


def run(corpus: Path, count: int, jobs: int, one_process: bool,
        anchor: tuple[float, float] | None, bare: bool, work: Path, options: str
        ) -> tuple[float, float] | None:
    """Measure one book size and print a table row per run, with ratios to bare WeasyPrint
    (this size's when `bare`, else the `anchor` of a smaller book in the same run, per
    page; none without either)."""
    root = book_folder(work, corpus, count)
    rows = []
    if bare:
        configure(root, f"dump_html = true\n{options}")
        subprocess.run(pressroom(root, "dump", jobs), check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        (html,) = (root / "dump" / "pdf").glob("*.html")
        bare_pdf = root / "bare.pdf"
        timing = measured([sys.executable, "-c", BARE, str(html), str(bare_pdf)])
        rows.append(("bare WeasyPrint, same HTML, one document (anchor)", timing,
                     pages(bare_pdf)))
        anchor = (timing[0] / rows[0][2], timing[1] / rows[0][2])
        print(f"\n{count} articles, {html.stat().st_size / 1e6:.1f} MB of HTML", flush=True)
    else:
        print(f"\n{count} articles (anchor: bare WeasyPrint's seconds per page above, if any)")
    configure(root, options)
    if one_process:
        rows.append(("pressroom --jobs 1", measured(pressroom(root, "one", 1)), 0))
    rows.append((f"pressroom --jobs {jobs} (chunked)", measured(pressroom(root, "many", jobs,
                                                                          cache=True)), 0))
    (book,) = (root / "many" / "pdf").glob("*.pdf")
    book.unlink()
    rows.append(("join again (chunks kept: the joining process alone)",
                 measured(pressroom(root, "many", jobs, cache=True)), 0))
    printed = pages(book)
    print("| run | wall (s) | × anchor | CPU (s) | × anchor | pages | pages/s | peak RSS (MB) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, (wall, cpu, rss), count_pages in rows:
        count_pages = count_pages or printed
        ratio_wall = f"{wall / (anchor[0] * count_pages):.2f}" if anchor else "-"
        ratio_cpu = f"{cpu / (anchor[1] * count_pages):.2f}" if anchor else "-"
        print(f"| {label} | {wall:.1f} | {ratio_wall} | {cpu:.1f} | {ratio_cpu} "
              f"| {count_pages} | {count_pages / wall:.1f} | {rss:.0f} |", flush=True)
    return anchor


def main() -> None:
    """Parse the arguments and run each book size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--counts", default="200,1000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--one-process-max", type=int, default=200,
                        help="time pressroom --jobs 1 too for books up to this many articles")
    parser.add_argument("--bare-max", type=int, default=1000,
                        help="run bare WeasyPrint for books up to this many articles; larger "
                             "ones are compared per page with the last anchor measured")
    parser.add_argument("--variant", default="", choices=["", "pdf/a-3u", "pdf/ua-1"])
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-pdf"))
    args = parser.parse_args()
    options = f'variant = "{args.variant}"' if args.variant else ""
    anchor = None
    for count in (int(c) for c in args.counts.split(",")):
        anchor = run(args.corpus, count, args.jobs, count <= args.one_process_max, anchor,
                     count <= args.bare_max, args.work, options)


if __name__ == "__main__":
    main()
