"""Typed readers for front-matter and registry values, reporting at their lines.

Each reader returns a usable value (or None) and records a problem for anything
wrong, so that validation keeps going and reports everything in one run.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from waqai.dates import PartialDate, parse_date, parse_day, parse_time
from waqai.definitions import FINGERPRINT_PATTERN, MAX_COUNT
from waqai.frontmatter import Document, Key, Value
from waqai.model import Entry
from waqai.problems import N_, NAME_CUTOFF, Message, Problems, did_you_mean

BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
SAFE_SCHEMES = ("http", "https")
FINGERPRINT = re.compile(FINGERPRINT_PATTERN)
"""A translation's `translated_from`: 12 lowercase hexadecimal digits (see translations.py)."""
LIST_PROBLEMS = 10
"""Problems reported one by one in a list; the rest are counted in one more,
so that a list of thousands of wrong ids is reported in a moment."""
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Fields:
    """A document being read, with where to report what is wrong in it."""

    doc: Document
    path: Path
    problems: Problems

    def line(self, key: Key) -> int:
        """The line of a value."""
        return self.doc.line(key)

    def get(self, key: Key) -> Value:
        """The raw value at `key`, or None."""
        value = self.doc.data
        if len(key) == 1 and isinstance(value, dict):  # most reads: a top-level field
            return value.get(key[0]) if isinstance(key[0], str) else None
        for part in key:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def error(self, key: Key, message: str, hint: str | None = None) -> None:
        """Record an error at the line of `key`; a missing field is reported at
        the line of the value that should hold it, or line 1 at the top level."""
        line = self.line(key) if key in self.doc.lines or len(key) > 1 else 1
        self.problems.error(self.path, line, message, hint)

    def warning(self, key: Key, message: str, hint: str | None = None) -> None:
        """Record a warning at the line of `key`."""
        self.problems.warning(self.path, self.line(key), message, hint)

    def check_keys(self, key: Key, allowed: Iterable[str], what: str) -> None:
        """Report every key of the mapping at `key` that is not `allowed`."""
        value = self.get(key)
        allowed = tuple(allowed)
        if isinstance(value, dict):
            for name in value:
                if name not in allowed:
                    self.error((*key, name), N_("unknown {what} '{name}'", what=_word(what), name=name),
                               did_you_mean(name, allowed, NAME_CUTOFF))

    def text(self, key: Key, *, required: bool = False) -> str | None:
        """A text value; lists and mappings are errors."""
        value = self.get(key)
        if value is None:
            if required:
                self.error(key, N_("missing required field '{field}'", field=_name(key)))
            return None
        if not isinstance(value, str):
            self.error(key, N_("'{field}' must be text, not a {kind}", field=_name(key), kind=_kind(value)))
            return None
        if required and not value.strip():
            self.error(key, N_("'{field}' is empty", field=_name(key)))
            return None
        return value

    def boolean(self, key: Key) -> bool:
        """`true` or `false`; absent is false."""
        value = self.text(key)
        if value is None:
            return False
        if value.lower() not in ("true", "false"):
            self.error(key, N_("'{field}' must be true or false, not '{value}'", field=_name(key),
                               value=value))
            return False
        return value.lower() == "true"

    def count(self, key: Key) -> int | None:
        """A whole number, zero to MAX_COUNT."""
        value = self.text(key)
        if value is None:
            return None
        if not value.strip().isdecimal():  # not isdigit: "²" is a digit that int() refuses
            self.error(key, N_("'{field}' must be a whole number of zero or more, not '{value}'",
                               field=_name(key), value=value))
            return None
        if int(value) > MAX_COUNT:
            self.error(key, N_("'{field}' must be a number from {low} to {high}, not '{value}'",
                               field=_name(key), low="0", high=f"{MAX_COUNT:,}", value=value))
            return None
        return int(value)

    def number(self, key: Key, low: float, high: float) -> float | None:
        """A decimal number between `low` and `high`."""
        value = self.text(key)
        if value is None:
            return None
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not low <= number <= high:
            self.error(key, N_("'{field}' must be a number from {low} to {high}, not '{value}'",
                               field=_name(key), low=f"{low:g}", high=f"{high:g}", value=value))
            return None
        return number

    def date(self, key: Key, *, required: bool = False) -> PartialDate | None:
        """A date of any precision."""
        value = self.text(key, required=required)
        return self._parsed(key, value, parse_date)

    def day(self, key: Key) -> datetime.date | None:
        """A full YYYY-MM-DD date."""
        return self._parsed(key, self.text(key), parse_day)

    def time(self, key: Key) -> datetime.time | None:
        """A HH:MM time."""
        return self._parsed(key, self.text(key), parse_time)

    def _parsed(self, key: Key, value: str | None, parse: Callable[[str], _T]) -> _T | None:
        if value is None:
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.error(key, exc.args[0])  # a Message
            return None

    def fingerprint(self, key: Key) -> str | None:
        """The fingerprint of an original's text, as `new --translate` writes it."""
        value = self.text(key)
        if value is None:
            return None
        if not FINGERPRINT.fullmatch(value.strip()):
            self.error(key, N_("'{field}' must be 12 hexadecimal digits, the original's fingerprint, "
                               "not '{value}'", field=_name(key), value=value),
                       N_("'python build.py status' shows the current one"))
            return None
        return value.strip()

    def choice(self, key: Key, choices: tuple[str, ...], default: str) -> str:
        """One of `choices`."""
        value = self.text(key)
        if value is None:
            return default
        if value not in choices:
            self.error(key, N_("'{field}' must be one of {choices}, not '{value}'", field=_name(key),
                               choices=", ".join(choices), value=value),
                       did_you_mean(value, choices))
            return default
        return value

    def url(self, key: Key, *, required: bool = False) -> str | None:
        """An absolute http(s) URL; other schemes are unsafe."""
        value = self.text(key, required=required)
        if value is None:
            return None
        if not _is_web_address(value.strip()):
            self.error(key, N_("unsafe or relative URL '{value}' in '{field}'", value=value,
                               field=_name(key)),
                       N_("use an absolute http:// or https:// address"))
            return None
        return value.strip()

    def items(self, key: Key) -> list[Value]:
        """A list (a single value counts as a list of one)."""
        value = self.get(key)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def ids(self, key: Key, known: Mapping[str, object], what: str) -> tuple[str, ...]:
        """A list of ids that must be in `known`; unknown ones get a hint."""
        result: dict[str, None] = {}
        found = Problems()
        reader = Fields(self.doc, self.path, found)
        for i, value in enumerate(self.items(key)):
            item = (*key, i) if isinstance(self.get(key), list) else key
            if not isinstance(value, str):
                reader.error(item, N_("'{field}' must list {what} ids, not a {kind}", field=_name(key),
                                     what=_word(what), kind=_kind(value)))
            elif value not in known:
                reader.unknown_id(item, value, known, what)
            elif value in result:
                reader.error(item, N_("{what} '{value}' is listed twice", what=_word(what), value=value))
            else:
                result[value] = None
            if len(found) > LIST_PROBLEMS:
                break
        self.report_list(key, found)
        return tuple(result)

    def report_list(self, key: Key, found: Problems) -> None:
        """The problems found in the list at `key`: the first LIST_PROBLEMS,
        then one line for the rest, so that thousands of bad items read quickly."""
        listed = list(found)
        problems = self.problems
        problems += listed[:LIST_PROBLEMS]
        if len(listed) > LIST_PROBLEMS:
            self.error(key, N_("more problems in '{field}' than are listed here", field=_name(key)),
                       N_("fix these, then check again"))

    def unknown_id(self, key: Key, value: str, known: Mapping[str, object], what: str) -> None:
        """Report an id that is not in `known`; an entry's name (in any language,
        or one of its aliases) written for its id gets the id."""
        wanted = value.strip().casefold()
        named = next((id_ for id_, entry in known.items() if isinstance(entry, Entry) and wanted in
                      {name.strip().casefold() for name in (*entry.name.values(), *entry.aliases)}), None)
        if named:
            self.error(key, N_("'{value}' is the name of {what} '{id}', not its id", value=value,
                               what=_word(what), id=named), N_("write '{id}'", id=named))
        else:
            self.error(key, *unknown_id(what, value, known))

    def per_language(self, key: Key, languages: Iterable[str], *, required: bool) -> dict[str, str]:
        """A mapping of language code to text, such as a registry entry's name."""
        value = self.get(key)
        languages = tuple(languages)
        if value is None:
            if required:
                self.error(key, N_("missing required field '{field}'", field=_name(key)))
            return {}
        if not isinstance(value, dict):
            self.error(key, N_("'{field}' must map each language to text, such as {example}",
                               field=_name(key),
                               example=f"{{{', '.join(f'{code}: ...' for code in languages)}}}"))
            return {}
        self.check_keys(key, languages, "language")
        result = {}
        for code in languages:
            text = self.text((*key, code))
            if text:
                result[code] = text
            elif required:
                self.error(key, N_("'{field}' has no '{language}' value", field=_name(key), language=code))
        return result

    def warn_bidi_controls(self) -> None:
        """Warn about bidi control characters anywhere in the document."""
        for key, value in _strings(self.doc.data, ()):
            if BIDI_CONTROLS.search(value):
                self.warning(key, bidi_warning(value))


def unknown_id(what: str, value: str, known: Iterable[str]) -> tuple[str, str | None]:
    """The message and hint for an id that is not in `known`: an invisible
    character in it is named, as the editor cannot see it."""
    hidden = invisible(value)
    if hidden:
        return (N_("unknown {what} '{value}': it holds the invisible character {character}",
                   what=_word(what), value=shown(value), character=hidden[0]),
                did_you_mean("".join(c for c in value if c.isprintable() and not c.isspace()), known))
    return N_("unknown {what} '{value}'", what=_word(what), value=value), did_you_mean(value, known)


def invisible(text: str) -> list[str]:
    """The invisible characters of `text` (format, control and separator
    characters other than the space), as `U+200B`."""
    return [f"U+{ord(c):04X}" for c in text if c != " " and (not c.isprintable() or c.isspace()
                                                            or unicodedata.category(c) == "Cf")]


def shown(text: str) -> str:
    """`text` with its invisible characters written out: `hasakah<U+200B>`."""
    if not invisible(text):
        return text
    return "".join(f"<{invisible(c)[0]}>" if invisible(c) else c for c in text)


def bidi_warning(text: str) -> str:
    """The warning for text that holds bidi control characters."""
    found = sorted({f"U+{ord(c):04X}" for c in BIDI_CONTROLS.findall(text)})
    return N_("bidi control character {found} in text; it is isolated when shown", found=", ".join(found))


def _strings(value: Value, key: Key) -> Iterable[tuple[Key, str]]:
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*key, i))
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _strings(item, (*key, name))


def _name(key: Key) -> str:
    return ".".join(str(part) for part in key if isinstance(part, str)) or "value"


def _kind(value: Value) -> Message:
    return N_("list") if isinstance(value, list) else N_("mapping") if isinstance(value, dict) else N_("text")


_WORDS = {
    "field": N_("field"), "language": N_("language"), "source field": N_("source field"),
    "media field": N_("media field"), "casualties field": N_("casualties field"),
    "acled field": N_("acled field"), "setting in 'related'": N_("setting in 'related'"),
    "weight": N_("weight"), "type": N_("type"), "place": N_("place"), "actor": N_("actor"),
    "tag": N_("tag"),
}
"""What a value is, as validation names it ("unknown place 'x'"), to translate."""


def _is_web_address(value: str) -> bool:
    """True when urlsplit reads an http(s) scheme and a host in `value`.
    Most addresses are plain ASCII with a host of letters, digits, dots and
    hyphens: those are read by a pattern (a tenth of urlsplit's time,
    tens of thousands of sources), the rest by urlsplit."""
    if _PLAIN_WEB_ADDRESS.fullmatch(value):
        return True
    try:
        parts = urlsplit(value)
    except ValueError:  # such as "https://[": an address no browser can open
        return False
    return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.netloc)


_PLAIN_WEB_ADDRESS = re.compile(r"(?i:https?)://[A-Za-z0-9.-]+(?::[0-9]*)?(?:[/?#][!-~]*)?")
"""An address urlsplit reads as http(s) with a host: the host and port stop
at the first `/`, `?` or `#`, and the rest is visible ASCII."""


def _word(what: str) -> str:
    return _WORDS.get(what, what)
