"""Problems found in content or config, collected and reported once.

An editor fixes content from the report alone, so every problem names its file
and line, what was found, and (where it helps) what was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, at a place an editor can open."""

    path: Path
    """Relative to the folder of config.yaml."""
    line: int | None
    message: str
    hint: str | None = None
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path.as_posix()}:{self.line}" if self.line else self.path.as_posix()
        text = f"{self.message}; {self.hint}" if self.hint else self.message
        return f"{where}: {self.severity}: {text}"

    def annotation(self) -> str:
        """The same problem as a GitHub Actions workflow command."""
        line = f",line={self.line}" if self.line else ""
        text = f"{self.message}; {self.hint}" if self.hint else self.message
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.path.as_posix()}{line}::{text}"


class Problems:
    """An ordered collection of problems; validation adds to it and keeps going."""

    def __init__(self, items: Iterable[Problem] = ()) -> None:
        self._items: list[Problem] = list(items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __iadd__(self, other: Iterable[Problem]) -> Problems:
        self._items.extend(other)
        return self

    def error(self, path: Path, line: int | None, message: str, hint: str | None = None) -> None:
        """Record an error."""
        self._items.append(Problem(path, line, message, hint))

    def warning(self, path: Path, line: int | None, message: str, hint: str | None = None) -> None:
        """Record a warning."""
        self._items.append(Problem(path, line, message, hint, "warning"))

    @property
    def has_errors(self) -> bool:
        """True when at least one problem is an error."""
        return any(p.severity == "error" for p in self._items)

    @property
    def errors(self) -> list[Problem]:
        """The errors only."""
        return [p for p in self._items if p.severity == "error"]

    def sorted(self) -> list[Problem]:
        """Problems ordered by file, then line, so reports read top to bottom."""
        return sorted(self._items, key=lambda p: (p.path.as_posix(), p.line or 0))


NAME_CUTOFF = 0.7
"""Similarity a field name needs to be suggested: short names look alike by
chance ('location' and 'verification' share most of their letters)."""


def did_you_mean(value: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """A "did you mean" hint for a mistyped id or key, or None."""
    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=cutoff)
    return f"did you mean '{close[0]}'?" if close else None


def report(problems: Problems, err: TextIO, out: TextIO, *, github: bool) -> None:
    """Print every problem on `err`, plus GitHub annotations on `out` if asked."""
    ordered = problems.sorted()
    for problem in ordered:
        print(problem, file=err)
    if github:
        for problem in ordered:
            print(problem.annotation(), file=out)
