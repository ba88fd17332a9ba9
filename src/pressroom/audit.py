"""`pressroom check --a11y` and the like: build the formats that audit, then audit each file.

An exporter names the audits it offers in `Exporter.audits` and checks one finished file
in `Exporter.audit`; the core knows neither the rules nor the formats. The books are built
into a scratch folder that is removed afterwards, so checking never touches OUT's outputs.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.build import Reporter, run_build
from pressroom.config import BuildConfig
from pressroom.errors import ContentError
from pressroom.registry import discover_exporters


@dataclass
class AuditResult:
    """What an audit found: one line per problem, files checked, and the build's own troubles."""

    check: str
    formats: list[str] = field(default_factory=list)
    files: int = 0
    problems: list[str] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def audit(config: BuildConfig, check: str, reporter: Reporter | None = None) -> AuditResult:
    """Build every format that offers `check` into a scratch folder and audit each file.

    A problem reads `<format>/<file>: <where inside>: <message>`; content errors the
    build finds (each `path:line`) and exporter failures are passed on as they are.
    """
    infos = discover_exporters()
    found = AuditResult(check, [name for name, info in infos.items() if check in info.cls.audits])
    if not found.formats:
        return found
    with tempfile.TemporaryDirectory(prefix="pressroom-audit-") as scratch:
        out = Path(scratch)
        result = run_build(config.with_overrides(out=out, formats=found.formats),
                           reporter)
        found.errors, found.failures = result.errors, result.failures
        for name in found.formats:
            cls = infos[name].cls
            exporter = cls(cls.make_options(config.exporters.get(name, {})))
            for path in sorted(p for p in (out / name).rglob("*") if p.is_file()):
                found.files += 1
                where = path.relative_to(out).as_posix()
                found.problems += [f"{where}: {line}" for line in exporter.audit(check, path)]
    return found
