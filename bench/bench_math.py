"""Benchmark: time per math span for each converter over the shared corpus (run by hand)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from pressroom.loader import load_content
from pressroom.render.markdown import markdown_to_html
from pressroom.render.math import convert_math

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "quicktakes"


def main(corpus: Path = CORPUS, rounds: int = 3) -> None:
    """Convert every span of the corpus `rounds` times per kind and print ms per span."""
    loaded = load_content(corpus)
    spans = [span for a in loaded.articles for span in markdown_to_html(a.body_md)[1]]
    print(f"{len(loaded.articles)} articles, {len(spans)} math spans")
    for kind in ("tex", "mathml", "svg"):
        start = time.perf_counter()
        fallbacks = 0
        for _ in range(rounds):
            for tex, display in spans:
                fallbacks += convert_math(tex, display, kind)[1] is not None
        per_span = (time.perf_counter() - start) / (rounds * len(spans)) * 1000
        print(f"{kind:>7}: {per_span:.4f} ms/span, {fallbacks // rounds} fallbacks")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
