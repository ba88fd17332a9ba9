"""Plan memo: when nothing a plan reads has changed, the last plan stands and nothing runs.

A full plan of 170,000 articles decodes every record, groups them, resolves every link
and hashes every book: tens of seconds to learn that nothing moved. Its inputs are the
checked index (the scan's summary key covers every file's parse key), the build options,
the theme and each exporter's identity and extra inputs, and the image files fragments
looked at. With the same inputs the plan is the same: its task ids and keys are kept, and
when the manifest still has every task at that key with its outputs as written, the
build is done. Anything else, or any doubt, takes the full path.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from pressroom.build.commit import all_up_to_date
from pressroom.build.manifest import Manifest
from pressroom.build.plan import PlannedTask, exporter_identity
from pressroom.build.render import probes_valid
from pressroom.build.store import digest
from pressroom.config import BuildConfig
from pressroom.exporter import Exporter
from pressroom.mathreport import SpanFallback

# What only decides how the work runs, never what it makes.
_HOW_IT_RUNS = {"jobs": 0, "executor": "", "scheduler": None}


class MemoTask(NamedTuple):
    """A planned task as the memo keeps it: which collection's book it came from (-1 for
    whole-site tasks) and the keys of the chunks it is made from."""

    id: str
    exporter: str
    key: str
    owner: int
    chunks: tuple[str, ...]

    @classmethod
    def of(cls, task: PlannedTask, owner: int) -> MemoTask:
        """The memo entry of a task just planned."""
        return cls(task.id, task.exporter.name, task.key, owner,
                   tuple(c.key for c in task.chunks))


@dataclass(frozen=True)
class PlanMemo:
    """What the last plan found: its tasks and chunks, and what it reported."""

    tasks: tuple[MemoTask, ...]
    probes: tuple[bytes, ...]  # the image files the fragments looked at, as they were
    books: int
    ambiguous_decodes: int
    warnings: tuple[str, ...]  # the render's and link resolution's warnings
    math_fallbacks: tuple[SpanFallback, ...]

    @classmethod
    def of(cls, tasks: Sequence[MemoTask], probes: Iterable[bytes], books: int,
           ambiguous_decodes: int, warnings: Sequence[str],
           math_fallbacks: Sequence[SpanFallback]) -> PlanMemo:
        """The memo of a plan just made."""
        return cls(tuple(tasks), tuple(sorted(set(probes))), books, ambiguous_decodes,
                   tuple(warnings), tuple(math_fallbacks))

    def current(self, manifest: Manifest, moved: frozenset[str]) -> bool:
        """Every task stands in the manifest at its key, none with outputs `moved` (see
        `moved_outputs`), and every image the fragments looked at is as it was."""
        return all_up_to_date({t.id: t.key for t in self.tasks}, manifest, moved) \
            and all(probes_valid(probes) for probes in self.probes)


def plan_key(config: BuildConfig, summary_key: str, context: str,
             exporters: dict[str, Exporter]) -> str:
    """A hash of everything a plan reads: the checked index, the build options that shape
    books and outputs, the theme and content folder (`context`) and every exporter."""
    options = dataclasses.replace(config, **_HOW_IT_RUNS)  # type: ignore[arg-type]
    identities = [f"{name}\0{exporter_identity(exporter)}\0"
                  f"{exporter.options.extra_inputs(config.content)}"
                  for name, exporter in sorted(exporters.items())]
    return digest("plan", summary_key, context, repr(options),
                  os.environ.get("SOURCE_DATE_EPOCH", ""), *identities)
