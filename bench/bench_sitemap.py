"""Benchmark: the SEO exporters on 170,000 synthetic in-memory articles (time and memory).

    python bench/bench_sitemap.py --count 170000

"export peak" is the most memory (tracemalloc) an exporter held above what its input
already took: flat from 1,000 to 170,000 articles for a streaming exporter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from pressroom_atom import AtomExporter
from pressroom_jsonfeed import JsonFeedExporter
from pressroom_jsonld import JsonLdExporter
from pressroom_sitemap import SitemapExporter

from pressroom.exporter import ExportContext, Exporter
from pressroom.model import Article, Book, Collection, RelatedLink, RenderedArticle

BASE_URL = "https://www.example.org"
SUBJECTS = ("Computer Science", "Mathematics", "Engineering", "Digital Media", "Economics",
            "Physics", "Education Studies")
ANSWER = ("An answer of a few sentences, about the length of a real one's plain text. " * 12)


def synthetic_books(count: int) -> list[Book]:
    """`count` articles spread over the subjects, each with two related links."""
    groups: dict[str, list[RenderedArticle]] = {s: [] for s in SUBJECTS}
    for n in range(count):
        subject = SUBJECTS[n % len(SUBJECTS)]
        slug = subject.lower().replace(" ", "-")
        url = f"/learn/{slug}/questions/what-is-question-number-{n}"
        related = tuple(RelatedLink(m, f"Question {m}?", subject,
                                    f"/learn/{slug}/questions/what-is-question-number-{m}")
                        for m in ((n + 7) % count, (n + 14) % count))
        article = Article(
            id=n, key=f"q{n}", slug=f"q{n}", title=f"What is question number {n}?",
            question=f"What is question number {n}?", body_md="", subject=subject, url=url,
            source=Path(f"content/{slug}/q{n}.md"), profile="quicktakes",
            date=dt.date(2020, 1, 1) + dt.timedelta(days=n % 1500), author="QuickTakes",
            description=f"A short description of question {n}.",
            keywords=("alpha", "beta", "gamma"), related=related)
        groups[subject].append(RenderedArticle(article, f"<p>{ANSWER}</p>", ANSWER, (), "tex"))
    return [
        Book(Collection(s.lower().replace(" ", "-"), s, tuple(r.article for r in items)),
             tuple(items), f"{s} Study Guide", "QuickTakes", "en", BASE_URL, f"urn:{s}",
             dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        for s, items in groups.items()
    ]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(label: str, make: Callable[[], Exporter], books: list[Book], out: Path) -> None:
    """Time one exporter over the books (per book unless it takes the whole site)."""
    exporter = make()
    ctx = ExportContext(out_dir=out / exporter.name, theme=None,  # type: ignore[arg-type]
                        base_url=BASE_URL, content_dir=out, warn=lambda m: None)
    tracemalloc.start()
    start = time.perf_counter()
    if exporter.whole_site:
        exporter.export(books, ctx)
    else:
        for book in books:
            exporter.export([book], ctx)
    seconds = time.perf_counter() - start
    held = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    size = sum(p.stat().st_size for p in ctx.written) / 2**20
    print(f"{label:<22} {seconds:7.2f} s  {len(ctx.written):6d} files  {size:8.1f} MB  "
          f"export peak {held / 2**20:7.1f} MB  peak RSS {peak_rss_mb():7.1f} MB", flush=True)


def main(argv: list[str] | None = None) -> None:
    """Generate the articles, then time each exporter and print seconds and peak RSS."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=170_000)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    books = synthetic_books(args.count)
    print(f"{'generate articles':<22} {time.perf_counter() - start:7.2f} s  "
          f"{args.count} articles in {len(books)} books  peak RSS {peak_rss_mb():7.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run("sitemap", SitemapExporter, books, out)
        run("sitemap (gzip)", lambda: SitemapExporter(
            SitemapExporter.make_options({"gzip": True})), books, out / "gz")
        run("jsonld", JsonLdExporter, books, out)
        run("atom", AtomExporter, books, out)
        run("jsonfeed", JsonFeedExporter, books, out)
    print(f"python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
