"""The `pressroom` command: thin Typer commands over the build, loader and registry."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Annotated

import typer

from pressroom.audit import AuditResult, audit
from pressroom.build import check_content, run_build
from pressroom.build import clean as clean_outputs
from pressroom.build.executors import EXECUTORS
from pressroom.clisupport import (
    EXIT_CODES_HELP,
    EXIT_CONTENT,
    EXIT_EXPORTER,
    EXIT_OK,
    EXIT_USAGE,
    BarsOnlyReporter,
    BaseUrlOption,
    ConfigOption,
    ContentArg,
    DraftsOption,
    JobsOption,
    NoCacheOption,
    OutOption,
    ProfileOption,
    ProgressReporter,
    ThemeOption,
    config_for,
    err_console,
    exporter_flags,
    guarded,
    out_console,
    print_errors,
    print_version,
    progress_bars,
    usage_error,
)
from pressroom.config import BuildConfig
from pressroom.errors import ContentError
from pressroom.folding import by_kind
from pressroom.loader import load_file, load_source, read_source
from pressroom.mathreport import math_report
from pressroom.registry import discover
from pressroom.richresults import PAGE_TYPE_HELP
from pressroom.scaffold import new_theme
from pressroom.serialize import article_as_dict, decode_note_lines
from pressroom.serve import PAGES, Rebuilder, bind
from pressroom.serve import serve as serve_forever
from pressroom.themes import Theme, ThemeError, builtin_themes, project_themes

__all__ = ["EXIT_CONTENT", "EXIT_EXPORTER", "EXIT_OK", "EXIT_USAGE", "app"]

app = typer.Typer(
    help="Turn Markdown articles with YAML front matter into EPUB 3 study ebooks, printable "
    f"PDFs, JSON-LD and XML sitemaps.\n\n{EXIT_CODES_HELP}",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

@app.callback()
def main(
    version: Annotated[bool, typer.Option("--version", callback=print_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """pressroom: study ebooks, printable PDFs and SEO feeds from one Markdown corpus."""


@app.command()
def build(
    content: ContentArg = None,
    out: OutOption = None,
    formats: Annotated[str | None, typer.Option("--format", "-f", help="Comma-separated "
                       "formats, e.g. epub,pdf,jsonld,sitemap (see `pressroom list`). "
                       "[default: all six]", show_default=False)] = None,
    base_url: BaseUrlOption = None,
    theme: ThemeOption = None,
    group_by: Annotated[str | None, typer.Option(help="One book per `subject`, per "
                        "`section` (top folder), or `none` for one book of everything. "
                        "[default: subject]", show_default=False)] = None,
    order: Annotated[str | None, typer.Option(help="Order inside a book: id, title, date, "
                     "url or weight. [default: auto: weight for Hugo, date for Jekyll, else "
                     "id]", show_default=False)] = None,
    profile: ProfileOption = None,
    drafts: DraftsOption = None,
    strict: Annotated[bool | None, typer.Option("--strict/--no-strict", help="Stop before "
                      "writing anything when any file has an error.", show_default=False)] = None,
    jobs: JobsOption = None,
    executor: Annotated[str | None, typer.Option(help="Where export tasks run: `local` "
                        "(a process pool) or `dask` (a cluster; see --scheduler). "
                        "[default: local]", show_default=False)] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. "
                         "tcp://10.0.0.5:8786; without it --executor dask starts a "
                         "LocalCluster.", show_default=False)] = None,
    no_cache: NoCacheOption = False,
    study: Annotated[bool | None, typer.Option("--study/--no-study", help="EPUB study mode: "
                     "each question first, its answer behind a link at the end of the "
                     "chapter, related questions linked both ways (exporter option "
                     "epub.study).", show_default=False)] = None,
    jsonld_mode: Annotated[str | None, typer.Option(
        "--jsonld-mode", help=f"article, qapage or faqpage. {PAGE_TYPE_HELP} (exporter options "
        "jsonld.page_type and html.page_type, so pages embed the same graph)",
        show_default=False)] = None,
    paper: Annotated[str | None, typer.Option(help="PDF paper: a4 or letter (exporter "
                     "option pdf.paper). [default: a4]", show_default=False)] = None,
    pdf_variant: Annotated[str | None, typer.Option(
        "--pdf-variant", help="pdf/a-3u or pdf/ua-1: an archival or accessible PDF, typeset "
        "in one piece (exporter option pdf.variant).", show_default=False)] = None,
    config_file: ConfigOption = None,
) -> None:
    """Build books and feeds from CONTENT into OUT (by default content/ into dist/).

    Builds are incremental: only changed files are read, only changed articles are
    rendered, and only outputs whose inputs changed are written again.
    """
    base = config_for(content, config_file)
    config = base.with_overrides(
        out=out, base_url=base_url, theme=theme, group_by=group_by, strict=strict, jobs=jobs,
        executor=executor, scheduler=scheduler, cache=False if no_cache else None,
        order=order, profile=profile, drafts=drafts,
        formats=[f.strip() for f in formats.split(",") if f.strip()] if formats else None,
        exporters=exporter_flags(base.exporters, {("epub", "study"): study,
                                                   ("jsonld", "page_type"): jsonld_mode,
                                                   ("html", "page_type"): jsonld_mode,
                                                   ("pdf", "paper"): paper,
                                                   ("pdf", "variant"): pdf_variant}),
    )
    if config.executor not in EXECUTORS:
        raise usage_error(f"unknown executor {config.executor!r}; choose one of: "
                           f"{', '.join(EXECUTORS)}")
    if not config.content.is_dir():
        raise usage_error(f"content folder {config.content} does not exist; pass the folder "
                           "of Markdown articles as the first argument")
    with progress_bars() as progress:
        result = guarded(lambda: run_build(config, ProgressReporter(progress)))
    print_errors(result.errors)
    for fallback in result.math_fallbacks:
        err_console.print(f"math fallback: {fallback}", markup=False, highlight=False)
    for failure in result.failures:
        err_console.print(f"exporter failed: {failure}", markup=False, highlight=False)
    stopped = " (nothing written: --strict)" if config.strict and result.errors else ""
    err_console.print(
        f"{result.articles} articles ({result.files_read} files read, "
        f"{result.articles_rendered} rendered), {result.books} books, "
        f"{len(result.written)} files written, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed in {config.out}; {len(result.errors)} errors, "
        f"{len(result.warnings)} warnings, {len(result.math_fallbacks)} math fallbacks, "
        f"{result.ambiguous_decodes} ambiguous decodes (see check --explain), "
        f"{len(result.failures)} exporter failures{stopped}",
        markup=False, highlight=False,
    )
    if result.failures:
        raise typer.Exit(EXIT_EXPORTER)
    if result.errors:
        raise typer.Exit(EXIT_CONTENT)


SERVE_FORMATS = ("html", "epub", "pdf")


@app.command()
def serve(
    content: ContentArg = None,
    out: OutOption = None,
    formats: Annotated[str | None, typer.Option("--format", "-f", help="Comma-separated "
                       "formats to build besides the html pages, offered for download. "
                       "[default: epub,pdf]", show_default=False)] = None,
    base_url: BaseUrlOption = None,
    theme: ThemeOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on; 0 picks "
                    "a free one.")] = 0,
    jobs: JobsOption = None,
    config_file: ConfigOption = None,
) -> None:
    """Build, then serve the html pages and the EPUB/PDF downloads, rebuilding on every save.

    Open pages reload by themselves after a rebuild. A save that breaks an article is not
    built: its error (path:line) shows on the page and the last good version stays.
    """
    chosen = [f.strip() for f in formats.split(",") if f.strip()] if formats else SERVE_FORMATS
    config = config_for(content, config_file).with_overrides(
        out=out, base_url=base_url, theme=theme, jobs=jobs,
        formats=list(dict.fromkeys([PAGES, *chosen])))
    if not config.content.is_dir():
        raise usage_error(f"content folder {config.content} does not exist; pass the folder "
                           "of Markdown articles as the first argument")
    try:
        sock = bind(host, port)
    except OSError as exc:
        raise usage_error(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    def say(message: str) -> None:
        err_console.print(message, markup=False, highlight=False)

    rebuilder = Rebuilder(config, publish=lambda status: None, log=say)
    with progress_bars() as progress:
        result = guarded(lambda: rebuilder.first_build(ProgressReporter(progress)))
    print_errors(result.errors)
    say(f"{result.articles} articles, {len(result.written)} files written, "
        f"{len(result.errors)} errors; watching {config.content} and the theme")
    theme_used = guarded(lambda: Theme.load(config.theme, config.project_dir))
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C once it is done
        serve_forever(rebuilder, theme_used, sock, lambda url: out_console.print(
            f"Serving {config.out / PAGES} at {url} (Ctrl-C stops)", markup=False,
            highlight=False))
    say("stopped")


@app.command()
def clean(
    content: ContentArg = None,
    out: OutOption = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Config file to use.",
                           show_default=False)] = None,
) -> None:
    """Remove the build store and every output the manifest lists (nothing else)."""
    config = config_for(content, config_file).with_overrides(out=out)
    done = guarded(lambda: clean_outputs(config))
    out_console.print(f"{len(done.removed)} outputs removed from {config.out}, build store "
                      "cleared", markup=False, highlight=False)


@app.command()
def check(
    content: ContentArg = None,
    out: OutOption = None,
    no_cache: NoCacheOption = False,
    profile: ProfileOption = None,
    drafts: DraftsOption = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="Config file to use.",
                           show_default=False)] = None,
    math: Annotated[bool, typer.Option("--math", help="Also convert every math span to "
                    "MathML and SVG and list each one that falls back to plain TeX.")] = False,
    explain: Annotated[bool, typer.Option("--explain", help="List every `\\n` escape in math "
                       "the decoder had to guess at, with the rule that decided it.")] = False,
    a11y: Annotated[bool, typer.Option("--a11y", help="Also build the formats that check "
                    "accessibility (EPUB) into a scratch folder and list every book and "
                    "chapter that breaks a rule: language, heading order, empty header "
                    "cells, alt text, ARIA roles, landmarks.")] = False,
) -> None:
    """Load and validate every article; print each error as path:line and exit 1 if any."""
    config = config_for(content, config_file).with_overrides(
        out=out, cache=False if no_cache else None, profile=profile, drafts=drafts)
    if not config.content.is_dir():
        raise usage_error(f"content folder {config.content} does not exist")
    with progress_bars(transient=True) as progress:
        loaded = guarded(lambda: check_content(config, ProgressReporter(progress),
                                                records=explain or math))
    for warning in loaded.warnings:
        err_console.print(f"warning: {warning}", markup=False, highlight=False)
    print_errors(list(loaded.errors))
    out_console.print(f"{loaded.articles} articles loaded ({loaded.read} files read), "
                      f"{len(loaded.errors)} errors, {len(loaded.warnings)} warnings, "
                      f"{len(loaded.sections)} section pages, {len(loaded.skipped)} skipped "
                      f"(profile {loaded.site.profile})", markup=False, highlight=False)
    for label, messages in (("errors", [e.message for e in loaded.errors]),
                            ("warnings", [w.message for w in loaded.warnings]),
                            ("skipped", [s.reason for s in loaded.skipped])):
        for kind, count in by_kind(messages):
            out_console.print(f"  {label}: {count} × {kind}", markup=False, highlight=False)
    if explain:
        notes = [line for record in loaded.records for line in decode_note_lines(record)]
        for line in notes:
            out_console.print(line, markup=False, highlight=False)
        out_console.print(f"{len(notes)} ambiguous decodes", markup=False, highlight=False)
    if math:
        report = math_report(load_source(Path(r.source), read_source(Path(r.source)),
                                         loaded.site) for r in loaded.records)
        for fallback in report.fallbacks:
            out_console.print(f"math fallback: {fallback}", markup=False, highlight=False)
        converted = ", ".join(f"{n} to {kind}" for kind, n in report.converted.items())
        out_console.print(f"{report.spans} math spans ({report.display} display): {converted}; "
                          f"{len(report.fallbacks)} fallbacks", markup=False, highlight=False)
    found = _audit(config, "a11y", {str(e) for e in loaded.errors}) if a11y else None
    if found and found.failures:
        raise typer.Exit(EXIT_EXPORTER)
    if loaded.errors or (found and (found.problems or found.errors)):
        raise typer.Exit(EXIT_CONTENT)


def _audit(config: BuildConfig, check: str, known: set[str]) -> AuditResult:
    """Run one audit and print what it finds that `check` has not printed already."""
    with progress_bars(transient=True) as progress:
        found = guarded(lambda: audit(config, check, BarsOnlyReporter(progress)))
    found.errors = [e for e in found.errors if str(e) not in known]
    print_errors(found.errors)
    for failure in found.failures:
        err_console.print(f"exporter failed: {failure}", markup=False, highlight=False)
    for problem in found.problems:
        out_console.print(f"{check}: {problem}", markup=False, highlight=False)
    formats = ", ".join(found.formats) or "no installed exporter offers this check"
    out_console.print(f"{check}: {found.files} files checked ({formats}), "
                      f"{len(found.problems)} problems, {len(found.errors)} content errors",
                      markup=False, highlight=False)
    return found


@app.command("list")
def list_plugins(
    content: ContentArg = None,
    config_file: ConfigOption = None,
) -> None:
    """List the exporters (installed and the project's local ones) and themes, and where each
    comes from; report plugins that fail to load (exit 2 when a name is claimed twice)."""
    config = config_for(content, config_file)
    found = discover(config.project_dir)
    out_console.print("exporters:", markup=False)
    for name, info in sorted(found.found.items()):
        out_console.print(f"  {name:<10} {info.cls.description:<48} {info.origin}",
                          markup=False, highlight=False)
    for message in [*found.broken.values(), *found.duplicates.values()]:
        err_console.print(f"error: {message}", markup=False, highlight=False)
    out_console.print("themes:", markup=False)
    try:
        installed = builtin_themes()
        themes = {name: str(path) for name, path in installed.items()}
        for name, path in project_themes(config.project_dir).items():
            if name not in installed:
                themes[name] = f"{path} (project)"
            elif path.resolve() != installed[name].resolve():
                themes[name] = f"{path} (project, over {installed[name]})"
    except ThemeError as exc:
        raise usage_error(str(exc)) from exc
    for name, where in sorted(themes.items()):
        out_console.print(f"  {name:<10} {where}", markup=False, highlight=False)
    if found.duplicates:
        raise typer.Exit(EXIT_USAGE)


theme_app = typer.Typer(help="Theme tools.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(theme_app, name="theme")


@theme_app.command("new")
def theme_new(
    name: Annotated[str, typer.Argument(help="Name of the new theme (a folder name).")],
    project: Annotated[Path | None, typer.Option(help="Project folder to create "
                       "themes/NAME/ in. [default: the config file's folder, else .]",
                       show_default=False)] = None,
) -> None:
    """Scaffold themes/NAME/: a child of the default theme, its override points commented."""
    folder_of = project or config_for(None, None).source
    where = project or (folder_of.parent if folder_of else Path.cwd())
    try:
        folder = new_theme(where, name)
    except ThemeError as exc:
        raise usage_error(str(exc)) from exc
    out_console.print(f"created {folder}; build with --theme {name}", markup=False,
                      highlight=False)


@app.command()
def show(
    file: Annotated[Path, typer.Argument(help="One Markdown article.")],
    profile: Annotated[str, typer.Option(help="Field profile: auto, hugo, jekyll, generic "
                       "or quicktakes.")] = "auto",
) -> None:
    """Print one loaded article as JSON, exactly as the renderer will see it."""
    try:
        article = load_file(file, profile)
    except ContentError as exc:
        print_errors([exc])
        raise typer.Exit(EXIT_CONTENT) from exc
    except ValueError as exc:
        raise usage_error(str(exc)) from exc
    typer.echo(json.dumps(article_as_dict(article), ensure_ascii=False, indent=2))
