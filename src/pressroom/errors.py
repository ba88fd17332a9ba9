"""The one error type for bad input, and its warning twin."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentError(Exception):
    """Bad input in one file: where it is, what is wrong and how to fix it."""

    path: Path
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        """Render as `path:line: message (hint)`, the form editors jump to."""
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def __reduce__(self) -> tuple[type[ContentError], tuple[Path, int | None, str, str]]:
        """Pickle by fields (the build store and worker processes carry errors)."""
        return (type(self), (self.path, self.line, self.message, self.hint))


@dataclass(frozen=True)
class ContentWarning(ContentError):
    """Input that builds, but that the author should look at."""


_EXCEPTION_STATE = frozenset({"__cause__", "__context__", "__traceback__",
                              "__suppress_context__", "__notes__"})


def _setattr(self: ContentError, name: str, value: object) -> None:
    """Fields stay frozen; exception state (`__cause__`…) stays settable, as unpicklers need."""
    if name not in _EXCEPTION_STATE:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")
    BaseException.__setattr__(self, name, value)


# tblib (loaded with Dask) unpickles exceptions by setting __cause__ through setattr.
ContentError.__setattr__ = _setattr  # type: ignore[method-assign,assignment]
ContentWarning.__setattr__ = _setattr  # type: ignore[method-assign,assignment]
