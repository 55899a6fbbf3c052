"""Problems found in content or config, collected and reported once.

An editor fixes content from the report alone, so every problem names its file
and line, what was found, and (where it helps) what was probably meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

Severity = Literal["error", "warning"]
Gettext = Callable[[str], str]
"""A catalogue's lookup: English words -> the interface language's."""


def english(text: str) -> str:
    """The identity lookup: messages as they are written."""
    return text


class Message(str):
    """Words for an editor: a str in English, which also keeps its template and
    values, so that it can be said in the interface language when printed.

    `N_("unknown {what} '{value}'", what=N_("place"), value="hasaka")` is the
    str "unknown place 'hasaka'"; `.translated(gettext)` looks the template
    (and every value that is itself a Message) up in the catalogue. Values
    that are not Messages (ids, paths, field names) are never translated.
    """

    template: str
    values: Mapping[str, object]

    def __new__(cls, template: str, values: Mapping[str, object]) -> Message:
        message = super().__new__(cls, template.format(**values) if values else template)
        message.template = template
        message.values = values
        return message

    def __reduce__(self) -> tuple[object, ...]:
        return Message, (self.template, dict(self.values))

    def translated(self, gettext: Gettext) -> str:
        """The message in the catalogue's language."""
        values = {name: translated(value, gettext) for name, value in self.values.items()}
        return gettext(self.template).format(**values) if values else gettext(self.template)


def N_(template: str, /, **values: object) -> Message:
    """A message for editors, with named placeholders: `make messages` collects
    its template into the catalogues, and it is translated where it is printed."""
    return Message(template, values)


def translated(value: object, gettext: Gettext) -> str:
    """A Message in the catalogue's language; anything else as it is."""
    return value.translated(gettext) if isinstance(value, Message) else str(value)


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
        return self.line_text(english)

    def text(self, gettext: Gettext = english) -> str:
        """The message and its hint, in the catalogue's language."""
        if not self.hint:
            return translated(self.message, gettext)
        return N_("{message}; {hint}", message=self.message, hint=self.hint).translated(gettext)

    def line_text(self, gettext: Gettext = english) -> str:
        """`PATH:LINE: error: MESSAGE; HINT`: the place and the severity stay as
        they are in every language, so that editors and CI can read them."""
        where = f"{self.path.as_posix()}:{self.line}" if self.line else self.path.as_posix()
        return f"{where}: {self.severity}: {self.text(gettext)}"

    def annotation(self, gettext: Gettext = english) -> str:
        """The same problem as a GitHub Actions workflow command."""
        line = f",line={self.line}" if self.line else ""
        text = self.text(gettext).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
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


def did_you_mean(value: str, choices: Iterable[str], cutoff: float = 0.6) -> Message | None:
    """A "did you mean" hint for a mistyped id or key, or None."""
    close = difflib.get_close_matches(value, sorted(choices), n=1, cutoff=cutoff)
    return N_("did you mean '{meant}'?", meant=close[0]) if close else None


def report(problems: Problems, err: TextIO, out: TextIO, *, github: bool,
           gettext: Gettext = english) -> None:
    """Print every problem on `err`, plus GitHub annotations on `out` if asked,
    in the catalogue's language."""
    ordered = problems.sorted()
    for problem in ordered:
        print(problem.line_text(gettext), file=err)
    if github:
        for problem in ordered:
            print(problem.annotation(gettext), file=out)
