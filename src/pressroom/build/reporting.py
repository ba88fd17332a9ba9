"""How a build reports: progress stages and warnings (a Protocol), and what it did."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pressroom.errors import ContentError
from pressroom.mathreport import SpanFallback


class Reporter(Protocol):
    """Where a build reports progress and warnings (the CLI draws bars, tests collect)."""

    def stage(self, label: str, total: int) -> None:
        """A new stage of `total` steps begins."""

    def advance(self, steps: int = 1) -> None:
        """Steps of the current stage are done."""

    def warn(self, message: str) -> None:
        """Something the user should read, that does not stop the build."""


class SilentReporter:
    """A reporter that collects warnings and draws nothing."""

    def __init__(self) -> None:
        self.warnings: list[str] = []

    def stage(self, label: str, total: int) -> None:
        """Ignore stages."""

    def advance(self, steps: int = 1) -> None:
        """Ignore progress."""

    def warn(self, message: str) -> None:
        """Keep the warning."""
        self.warnings.append(message)


@dataclass
class BuildResult:
    """What a build did: counts, files, content errors, warnings and failed exporters."""

    articles: int = 0
    books: int = 0
    files_read: int = 0
    articles_rendered: int = 0
    tasks_run: int = 0
    tasks_skipped: int = 0
    chunks_run: int = 0  # chunks of chunked tasks run (not taken from the chunk store)
    ambiguous_decodes: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0  # outputs found in place with the same bytes
    removed: list[Path] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    math_fallbacks: list[SpanFallback] = field(default_factory=list)
