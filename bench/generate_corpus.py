"""Write a deterministic synthetic corpus of QuickTakes-format articles (for benchmarks)."""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# (subject, weight, a rarer second spelling seen in the wild or None)
SUBJECTS: tuple[tuple[str, int, str | None], ...] = (
    ("Computer Science", 30, "Computer science"),
    ("Mathematics", 28, None),
    ("Engineering", 14, None),
    ("Digital Media", 8, "Digital media"),
    ("Economics", 7, None),
    ("Physics", 6, None),
    ("Education Studies", 4, "Education studies"),
    ("Biology", 3, None),
)
VARIANT_RATE = 0.06  # share of articles in a two-spelling subject that use the rarer spelling
TWIN_RATE = 0.002  # share of articles cross-listed: same id and file_name under another subject

TOPICS: dict[str, tuple[str, ...]] = {
    "Computer Science": (
        "binary search", "hash tables", "insertion sort", "merge sort", "quicksort",
        "dynamic programming", "recursion", "linked lists", "binary trees", "graph traversal",
        "dijkstra's algorithm", "virtual memory", "process scheduling", "deadlocks",
        "TCP congestion control", "DNS resolution", "IPv6 addressing", "static routing",
        "garbage collection", "type inference", "lexical analysis", "SQL joins",
        "database normalization", "B-trees", "consistent hashing", "gradient descent",
        "support vector machines", "the kernel trick", "overfitting", "cross-validation",
        "public key cryptography", "TLS handshakes", "buffer overflows", "unit testing",
        "version control", "pointers in C", "memory allocation", "thread synchronization",
        "MapReduce", "Big O notation",
    ),
    "Mathematics": (
        "eigenvalues", "the binomial distribution", "the chain rule", "integration by parts",
        "Taylor series", "the Laplace transform", "matrix inversion", "linear independence",
        "the central limit theorem", "Bayes' theorem", "the epsilon-delta definition",
        "continuous random variables", "Bessel's correction", "OLS estimation",
        "the stars and bars method", "modular arithmetic", "prime factorization",
        "vector spaces", "determinants", "partial derivatives", "Lagrange multipliers",
        "Fourier series", "the mean value theorem", "hypothesis testing", "confidence intervals",
        "conditional probability", "Markov chains", "set theory", "mathematical induction",
        "complex numbers",
    ),
    "Engineering": (
        "boost converters", "operational amplifiers", "Thevenin equivalents", "Norton equivalents",
        "PID control", "Bode plots", "stress and strain", "beam deflection", "heat exchangers",
        "Kirchhoff's laws", "RC circuits", "transfer functions", "sampling theorem",
        "finite element analysis", "fluid viscosity", "the Bernoulli equation",
        "three-phase power", "transformer efficiency", "signal filtering", "feedback loops",
    ),
    "Digital Media": (
        "color grading", "video compression", "typography", "responsive design", "storyboarding",
        "audio mixing", "vector graphics", "frame rates", "user experience research",
        "content management systems", "search engine optimization", "motion graphics",
    ),
    "Economics": (
        "price elasticity", "opportunity cost", "marginal utility", "comparative advantage",
        "inflation targeting", "the Phillips curve", "game theory", "market equilibrium",
        "Ramsey's RESET test", "heteroskedasticity", "monopolistic competition", "fiscal policy",
    ),
    "Physics": (
        "Newton's second law", "angular momentum", "the photoelectric effect", "entropy",
        "wave interference", "special relativity", "Coulomb's law", "simple harmonic motion",
        "the Doppler effect", "quantum tunneling",
    ),
    "Education Studies": (
        "formative assessment", "scaffolding", "differentiated instruction", "Bloom's taxonomy",
        "constructivism", "classroom management", "inclusive education", "curriculum design",
    ),
    "Biology": (
        "cellular respiration", "photosynthesis", "DNA replication", "natural selection",
        "enzyme kinetics", "the cell cycle", "protein synthesis", "homeostasis",
    ),
}
CONTEXTS = (
    "practice", "real-world systems", "data analysis", "large datasets", "exam problems",
    "modern applications", "introductory courses", "industry", "research", "everyday examples",
)
TITLE_TEMPLATES = (
    "What is {t} and how is it used in {c}?",
    "How does {t} work?",
    "Can you explain the concept of {t} and its importance in {c}?",
    "What are the main differences between {t} and {u}?",
    "Can you provide an example of {t} in {c}?",
    "How do you apply {t} to {c}?",
    "What are the key steps in understanding {t}?",
    "Why is {t} important when studying {u}?",
    "What are common mistakes when using {t} in {c}?",
    "How is {t} related to {u} in {c}?",
)
ADJECTIVES = (
    "simple", "efficient", "robust", "common", "practical", "fundamental", "iterative",
    "stable", "linear", "general", "specific", "careful", "powerful", "classic", "useful",
    "flexible", "consistent", "accurate", "intuitive", "standard",
)
NOUNS = (
    "method", "approach", "model", "technique", "process", "structure", "result", "value",
    "property", "system", "framework", "principle", "step", "element", "component",
    "function", "parameter", "variable", "condition", "example",
)
VERBS = (
    "describes", "improves", "reduces", "measures", "defines", "supports", "simplifies",
    "explains", "controls", "connects", "limits", "extends", "summarises", "predicts",
)
OBJECTS = (
    "the overall behaviour", "each input", "the final result", "the error term", "the output",
    "the underlying data", "every iteration", "the remaining cases", "the boundary conditions",
    "the total cost", "the expected value", "the initial state",
)
HEADINGS = (
    "Overview", "Key Concepts", "Algorithm Steps", "Example", "Formula", "Applications",
    "Advantages", "Limitations", "Practical Tips", "Summary", "Common Pitfalls", "Definitions",
)
# Math spans: a few very common ones, and templates whose `{k}`/`{v}` become random numbers
# and variable names, so most spans are unique as in the real corpus (the math cache is keyed
# by span text).
INLINE_MATH = (
    r"$x_1$", r"$n$", r"$O(n^2)$", r"\( \nu \)",
    r"$x_{{k}} \neq x_{{v}}$", r"\( \frac{{v}}{{k}} \)", r"\( f({v}) = {v}^{k} \)",
    r"$\nu = \frac{c}{{k}\lambda}$", r"\( \alpha_{{k}} \neq 0 \)",
    r"$\sum_{i=1}^{{k}} {v}_i$", r"${v} = {k}$",
)
DISPLAY_MATH = (
    r"$$\n\frac{\partial f}{\partial {v}} = \nu \cdot {v}_{{k}}\n$$",
    r"$$\nP(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)} = 0.{k}\n$$",
    r"$$\n\hat{\beta} = (X^T X)^{-1} X^T y, \quad \beta_{{k}} \neq 0\n$$",
    r"\[\n\nabla J(\theta) = \frac{1}{{k}} \sum_{i=1}^{{k}} (h({v}_i) - y_i) {v}_i\n\]",
    r"$$\nD = 1 - \frac{V_{in}}{V_{out}} = \frac{{k}}{100}\n$$",
    r"$$\n\nu_{max} = \frac{k_B T}{h} \neq {k}\n$$",
)
VARIABLES = "abcxyztuw"
CODE_BLOCKS = (
    r"```c\n#include <stdio.h>\n\nint main(void) {\n    int x = {k};\n"
    r'    printf("%d\n", x);\n    return 0;\n}\n```',
    r"```python\ndef step(values):\n    total = 0\n    for v in values:\n"
    r'        total += v * {k}\n    print("total:", total)\n    return total\n```',
    r"```\nfor i from 1 to n:\n    key = arr[i]\n    j = i - {k}\n```",
)


@dataclass
class Entry:
    """One planned article: what other articles need to know to link to it."""

    id: int
    subject: str
    spelling: str
    title: str
    slug: str
    url: str
    topic: str


def slugify(text: str) -> str:
    """Lower-case ASCII slug: letters and digits joined by single hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def _a(word: str) -> str:
    return "an" if word[0] in "aeio" else "a"


def _sentence_pool(rng: random.Random, size: int) -> list[str]:
    """Plain sentences built from the word lists, to be reused across articles."""
    pool = []
    for _ in range(size):
        a, n, v, o = (rng.choice(ADJECTIVES), rng.choice(NOUNS), rng.choice(VERBS),
                      rng.choice(OBJECTS))
        a2, n2 = rng.choice(ADJECTIVES), rng.choice(NOUNS)
        pool.append(rng.choice((
            f"{_a(a).capitalize()} {a} {n} {v} {o} without extra work.",
            f"This {n} {v} {o}, which makes the {a2} {n2} easier to follow.",
            f"In most cases the {a} {n} {v} {o} and keeps the {n2} {a2}.",
            f"The {n} {v} {o}; {_a(a2)} {a2} {n2} is usually enough.",
            f"When the {n2} changes, the {a} {n} {v} {o} again.",
        )))
    return pool


def plan(count: int, seed: int) -> list[Entry]:
    """Ids, subjects, titles and unique urls for `count` articles (twins share an id)."""
    rng = random.Random(seed)
    names = [s[0] for s in SUBJECTS]
    weights = [s[1] for s in SUBJECTS]
    variants = {s[0]: s[2] for s in SUBJECTS}
    subjects = rng.choices(names, weights, k=count)
    used: set[str] = set()
    entries: list[Entry] = []
    base_id = 30000 + rng.randrange(1000)
    for n, subject in enumerate(subjects):
        if entries and rng.random() < TWIN_RATE:  # cross-list an earlier article
            twin = entries[rng.randrange(len(entries))]
            other = rng.choice([s for s in names if s != twin.subject])
            url = f"/learn/{slugify(other)}/questions/{twin.slug}"
            if url not in used:
                used.add(url)
                entries.append(Entry(twin.id, other, other, twin.title, twin.slug, url,
                                     twin.topic))
                continue
        topics = TOPICS[subject]
        t, u = rng.choice(topics), rng.choice(topics)
        title = rng.choice(TITLE_TEMPLATES).format(t=t, u=u, c=rng.choice(CONTEXTS))
        title = title[0].upper() + title[1:]
        base = slugify(title)
        slug, k = base, 1
        url = f"/learn/{slugify(subject)}/questions/{slug}"
        while url in used:
            k += 1
            slug = f"{base}-{k}"
            url = f"/learn/{slugify(subject)}/questions/{slug}"
        used.add(url)
        variant = variants[subject]
        spelling = variant if variant and rng.random() < VARIANT_RATE else subject
        entries.append(Entry(base_id + n, subject, spelling, title, slug, url, t))
    return entries


def _answer(rng: random.Random, entry: Entry, pool: list[str]) -> str:
    """The answer on one line: Markdown with literal `\\n` escapes, math and code sometimes."""
    topic = entry.topic
    pick = rng.sample
    adjective = rng.choice(ADJECTIVES)
    parts = [f"{topic[0].upper()}{topic[1:]} is {_a(adjective)} {adjective} "
             f"{rng.choice(NOUNS)} in {entry.spelling}. " + " ".join(pick(pool, 3))]
    math = rng.random() < 0.45
    for h in pick(HEADINGS, rng.randint(2, 4)):
        parts.append(f"\\n\\n### {h}:\\n")
        if rng.random() < 0.5:
            items = [f"{i}. **{rng.choice(NOUNS).title()}**: {s}"
                     for i, s in enumerate(pick(pool, rng.randint(2, 5)), 1)]
        else:
            items = [f"- {s}" for s in pick(pool, rng.randint(2, 5))]
        if math:
            items[-1] += f" Here {_math(rng, INLINE_MATH)} and {_math(rng, INLINE_MATH)} hold."
        parts.append("\\n".join(items))
        parts.append("\\n\\n" + " ".join(pick(pool, 2)))
    if math and rng.random() < 0.6:
        parts.append(f" This can be written as:\\n\\n{_math(rng, DISPLAY_MATH)}\\n\\n"
                     f"where {_math(rng, INLINE_MATH)} is the {rng.choice(NOUNS)}.")
    if rng.random() < 0.15:
        rows = "\\n".join(f"| {rng.choice(NOUNS)} | {rng.choice(ADJECTIVES)} | {i} |"
                          for i in range(rng.randint(2, 5)))
        parts.append(f"\\n\\n| Term | Quality | Rank |\\n|---|---|---|\\n{rows}")
    if rng.random() < 0.15:
        code = rng.choice(CODE_BLOCKS).replace("{k}", str(rng.randint(1, 99)))
        parts.append(f"\\n\\nAn example in code:\\n\\n{code}")
    parts.append(f"\\n\\nOverall, {topic} is {rng.choice(ADJECTIVES)}. " + pick(pool, 1)[0])
    return "".join(parts)


def _math(rng: random.Random, spans: tuple[str, ...]) -> str:
    """One math span with its placeholders filled in."""
    span = rng.choice(spans)
    return span.replace("{k}", str(rng.randint(2, 999))).replace("{v}", rng.choice(VARIABLES))


def _folded(key: str, value: str, indent: str = "") -> str:
    return f"{indent}{key}: >-\n{indent}    {value}\n"


def render(rng: random.Random, entry: Entry, entries: list[Entry], pool: list[str],
           same_subject: dict[str, list[Entry]]) -> str:
    """The whole .md file for one entry."""
    date = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(730))
    topic = entry.topic
    keywords = ", ".join(dict.fromkeys(
        [topic, *rng.sample(TOPICS[entry.subject], 3), *rng.sample(NOUNS, 4)]))
    out = [
        "---\n_schema: default\n",
        f"id: {entry.id}\ndate: {date.isoformat()}\n",
        _folded("title", entry.title),
        _folded("article_title", entry.title),
        "date_format: MMM DD, YYYY\npost_on_text: Posted on\nseo:\n",
        f"  title: QuickTakes | {entry.spelling}\n",
        _folded("page_description", f"{topic[0].upper()}{topic[1:]} explained: "
                + " ".join(rng.sample(pool, 2)), "  "),
        _folded("page_keywords", keywords, "  "),
        "author: QuickTakes\n",
        _folded("question", entry.title),
        _folded("answer", _answer(rng, entry, pool)),
        f"subject: {entry.spelling}\nfile_name: {entry.slug}.md\nurl: {entry.url}\n",
    ]
    roll = rng.random()
    if roll < 0.75:
        out.append("score: -1.0\n")
    elif roll < 0.95:
        out.append(f"score: {rng.random():.2f}\n")
    near = same_subject[entry.subject]
    links = [near[rng.randrange(len(near))] if rng.random() < 0.8
             else entries[rng.randrange(len(entries))] for _ in range(rng.randint(1, 4))]
    if len(links) > 1 and rng.random() < 0.3:
        links[-1] = links[0]  # the real site repeats related articles
    for k, link in enumerate(links, 1):
        out.append(f"related_article{k}:\n    id: {link.id}\n"
                   + _folded("title", link.title, "    ")
                   + f"    subject: {link.spelling}\n    url: {link.url}\n")
    out.append("---\n\n&nbsp;")
    return "".join(out)


def generate(out_dir: Path, count: int, seed: int = 1) -> tuple[int, int]:
    """Write `count` articles under `out_dir/<subject-slug>/`; return (files, bytes)."""
    entries = plan(count, seed)
    rng = random.Random(seed + 1)
    pool = _sentence_pool(rng, 4000)
    folders = {slugify(name): out_dir / slugify(name) for name, _, _ in SUBJECTS}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    same_subject: dict[str, list[Entry]] = {name: [] for name, _, _ in SUBJECTS}
    for entry in entries:
        same_subject[entry.subject].append(entry)
    total = 0
    # File creation is mostly kernel time and releases the GIL: overlap it with the text work.
    with ThreadPoolExecutor(max_workers=4) as pool_writer:
        pending = []
        for entry in entries:
            text = render(rng, entry, entries, pool, same_subject).encode("utf-8")
            path = folders[slugify(entry.subject)] / f"{entry.slug}.md"
            pending.append(pool_writer.submit(path.write_bytes, text))
            total += len(text)
            if len(pending) >= 2048:
                for future in pending:
                    future.result()
                pending.clear()
        for future in pending:
            future.result()
    return len(entries), total


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and write the corpus."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    files, size = generate(args.out_dir, args.count, args.seed)
    print(f"wrote {files} files, {size / 2**20:.1f} MB, in {time.perf_counter() - start:.1f} s "
          f"to {args.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
