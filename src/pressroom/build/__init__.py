"""The build core: scan, parse, index, render, plan, execute, commit (see run.py)."""

from pressroom.build.guard import BuildBusy, UnsafeOutput
from pressroom.build.render import MATH_CACHE
from pressroom.build.reporting import BuildResult, Reporter, SilentReporter
from pressroom.build.run import MANIFEST, STORE, check_content, clean, run_build
from pressroom.build.tasks import OutputUnwritable

__all__ = ["MANIFEST", "MATH_CACHE", "STORE", "BuildBusy", "BuildResult", "OutputUnwritable",
           "Reporter", "SilentReporter", "UnsafeOutput", "check_content", "clean", "run_build"]
