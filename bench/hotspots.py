"""Print the top functions of a cProfile file by cumulative time, only pressroom's own code.

    python -m cProfile -o /tmp/b.prof -m pressroom build /tmp/c20k -f jsonld,sitemap \
        --jobs 1 --no-cache --out /tmp/o20k
    python bench/hotspots.py /tmp/b.prof --top 10
"""

from __future__ import annotations

import argparse
import pstats

OWN_CODE = ("/src/pressroom/", "/exporters/pressroom_", "/themes/")


def hotspots(path: str, top: int, markers: tuple[str, ...] = OWN_CODE
             ) -> list[tuple[str, str, int, int, float, float]]:
    """(function, file, line, calls, own seconds, cumulative seconds) for our code, by cumtime."""
    stats = pstats.Stats(path).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.items():
        if any(marker in filename for marker in markers):
            rows.append((name, filename, line, calls, own, cumulative))
    rows.sort(key=lambda row: row[5], reverse=True)
    return rows[:top]


def main(argv: list[str] | None = None) -> None:
    """Parse flags and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args(argv)
    print(f"{'cumulative s':>12} {'own s':>8} {'calls':>9}  function (file:line)")
    for name, filename, line, calls, own, cumulative in hotspots(args.profile, args.top):
        short = filename.split("/work/main/")[-1]
        print(f"{cumulative:12.2f} {own:8.2f} {calls:9d}  {name} ({short}:{line})")


if __name__ == "__main__":
    main()
