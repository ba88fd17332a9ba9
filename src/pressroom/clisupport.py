"""The command line's shared parts: exit codes, options, consoles, progress bars, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from pressroom import __version__
from pressroom.build import BuildBusy, OutputUnwritable, UnsafeOutput
from pressroom.config import BuildConfig, ConfigError, load_config
from pressroom.errors import ContentError
from pressroom.registry import RegistryError
from pressroom.themes import ThemeError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_EXPORTER = 0, 1, 2, 3
EXIT_CODES_HELP = (
    "Exit codes: 0 success, 1 content errors, 2 usage or configuration error, "
    "3 an exporter failed or the output folder cannot be written (full, read-only, busy)."
)

T = TypeVar("T")

out_console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

OutOption = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Output folder; each format writes below OUT/<format>/, the build "
    "store and manifest live in OUT/.cache/. [default: dist]", show_default=False)]
NoCacheOption = Annotated[bool, typer.Option(
    "--no-cache", help="Ignore the build store: read, parse and render everything again "
    "(the results still refresh the store).")]
BaseUrlOption = Annotated[str | None, typer.Option(
    help="Site address that article URLs are joined to in feeds, e.g. https://www.example.org.",
    show_default=False)]
ThemeOption = Annotated[str | None, typer.Option(
    help="Theme name or folder with theme.toml. [default: default]", show_default=False)]
JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, help="Worker processes for parsing, rendering and typesetting "
    "(Dask workers for a LocalCluster). [default: the number of cores]", show_default=False)]
ConfigOption = Annotated[Path | None, typer.Option(
    "--config", help="Config file to use instead of the nearest pressroom.toml / "
    "pyproject.toml.", show_default=False)]
ProfileOption = Annotated[str | None, typer.Option(
    "--profile", help="How to read the files: hugo, jekyll, generic or quicktakes. "
    "[default: auto: a hugo.toml/config.toml or _config.yml beside the content, its "
    "layout, else each file's front matter]", show_default=False)]
DraftsOption = Annotated[bool | None, typer.Option(
    "--drafts/--no-drafts", help="Include drafts (Hugo `draft: true`, Jekyll `_drafts/` and "
    "`published: false`). [default: no]", show_default=False)]
ContentArg = Annotated[
    Path | None,
    typer.Argument(help="Folder of Markdown articles (default: `content` from the config, "
                   "else ./content).", show_default=False),
]


class ProgressReporter:
    """Draws one progress bar per build stage on stderr."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: int | None = None

    def stage(self, label: str, total: int) -> None:
        """Start a new bar."""
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[-1].total)
        self.task = self.progress.add_task(label, total=total)

    def advance(self, steps: int = 1) -> None:
        """Move the current bar on."""
        if self.task is not None:
            self.progress.advance(self.task, steps)

    def warn(self, message: str) -> None:
        """Print a warning above the bars."""
        self.progress.console.print(f"[yellow]warning:[/] {message}", markup=True,
                                    highlight=False)


class BarsOnlyReporter(ProgressReporter):
    """Draws the bars but drops warnings: an audit reports each problem once, itself."""

    def warn(self, message: str) -> None:
        """Say nothing."""


def progress_bars(transient: bool = False) -> Progress:
    """Progress bars on stderr: stage name, bar, done/total, elapsed time."""
    return Progress(TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err_console, transient=transient)


def usage_error(message: str) -> typer.Exit:
    """Print `message` as one error line; the exit to raise for a usage error."""
    err_console.print(f"error: {message}", markup=False, highlight=False)
    return typer.Exit(EXIT_USAGE)


def config_for(content: Path | None, config_file: Path | None) -> BuildConfig:
    """The config for `content` (nearest pressroom.toml / pyproject.toml, or `config_file`)."""
    try:
        config = load_config(content or Path.cwd(), config_file)
    except ConfigError as exc:
        raise usage_error(str(exc)) from exc
    return config.with_overrides(content=content)


def guarded(work: Callable[[], T]) -> T:
    """Run build work; turn environment problems into one line and the right exit code."""
    try:
        return work()
    except (OutputUnwritable, BuildBusy) as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(EXIT_EXPORTER) from exc
    except (RegistryError, ThemeError, UnsafeOutput, ValueError) as exc:
        raise usage_error(str(exc)) from exc


def exporter_flags(tables: dict[str, dict[str, Any]],
                    flags: dict[tuple[str, str], Any]) -> dict[str, dict[str, Any]] | None:
    """The config's exporter tables with the exporter options given as flags set in them."""
    given = {key: value for key, value in flags.items() if value is not None}
    if not given:
        return None
    merged = {name: dict(table) for name, table in tables.items()}
    for (exporter, option), value in given.items():
        merged.setdefault(exporter, {})[option] = value
    return merged


def print_errors(errors: list[ContentError]) -> None:
    """Each content error as one `error: path:line: …` line on stderr."""
    for error in errors:
        err_console.print(f"error: {error}", markup=False, highlight=False)


def print_version(value: bool) -> None:
    """The --version callback: print the version and stop."""
    if value:
        out_console.print(f"pressroom {__version__}", markup=False)
        raise typer.Exit()
