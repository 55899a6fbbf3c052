"""Front matter and YAML that keep their line numbers and read scalars as text.

YAML 1.1 would turn `time: 13:00` into 780 minutes and `date: 2021-02-30` into a
crash; here every scalar stays the string the editor typed, and each value keeps
the line it came from so that problems point at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeAlias

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from waqai.problems import N_

Value: TypeAlias = str | list["Value"] | dict[str, "Value"] | None
"""Plain data as the editor wrote it: strings, lists, mappings and nulls."""

Key: TypeAlias = tuple[str | int, ...]
"""Where a value sits in a document: ("sources", 0, "url")."""

MAX_NODES = 100_000
"""Bound on values per document, aliases counted as often as they are used,
so that alias bombs cannot exhaust memory."""
MAX_DEPTH = 20
"""Bound on lists and mappings inside each other (a front matter needs 3)."""
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters: never meant in text (tab and line ends are allowed)."""


def _loader(stream: str) -> yaml.BaseLoader:
    """A loader without implicit typing (every plain scalar is a string), in C
    when PyYAML has libyaml: parsing is most of the time a build spends
    reading content."""
    if yaml.__with_libyaml__:
        return yaml.CBaseLoader(stream)  # type: ignore[return-value]
    return yaml.BaseLoader(stream)


class YamlError(Exception):
    """YAML that cannot be read, with the 1-based line of the problem."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(slots=True)
class Document:
    """A YAML document as plain values, with the line of every key and item."""

    data: Value
    found_lines: dict[Key, int] | None = None
    """1-based line of each value, keyed by its position; () is the document.
    None until asked for, when the document comes from the cache: lines are
    only needed to report a problem, and finding them again costs less than
    keeping them for every file."""
    source: str = ""
    """The YAML text, to find the lines from."""
    first_line: int = 1

    @property
    def lines(self) -> dict[Key, int]:
        """1-based line of each value, keyed by its position; () is the document."""
        if self.found_lines is None:
            self.found_lines = parse_yaml(self.source, self.first_line).lines
        return self.found_lines

    def line(self, key: Key) -> int:
        """The line of `key`, or of its nearest enclosing value that has one."""
        lines = self.lines
        while key not in lines and key:
            key = key[:-1]
        return lines.get(key, 1)


def parse_yaml(text: str, first_line: int = 1) -> Document:
    """Parse one YAML document; lines count from `first_line`."""
    control = CONTROL.search(text)
    if control is not None:
        raise YamlError(control_message(control.group()), text.count("\n", 0, control.start()) + first_line)
    loader = _loader(text)
    try:
        data, lines = _compose(loader, first_line - 1)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else first_line
        written = text.splitlines()
        found = written[mark.line] if mark and mark.line < len(written) else ""
        problem = explain(exc.problem or exc.context or "", found)
        raise YamlError(N_("malformed YAML: {problem}", problem=problem), line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(N_("malformed YAML: {problem}", problem=str(exc)), first_line) from exc
    finally:
        loader.dispose()
    return Document(data, lines, text, first_line)


def control_message(char: str) -> str:
    """The problem with a control character in a file."""
    return N_("control character {code} in text", code=f"U+{ord(char):04X}")


class _Open:
    """A list or mapping being read, with where it sits in the document."""

    __slots__ = ("anchor", "count", "key", "key_line", "name", "value")

    def __init__(self, value: list[Value] | dict[str, Value], key: Key, anchor: str | None,
                 count: int) -> None:
        self.value = value
        self.key = key
        self.anchor = anchor
        self.count = count
        """Values read before this one began: its size is the count at its end minus this."""
        self.name: str | None = None
        """In a mapping: the key read, whose value comes next."""
        self.key_line = 0


def _compose(loader: yaml.BaseLoader, offset: int) -> tuple[Value, dict[Key, int]]:
    """Plain values and their lines from the parser's events. A loop with its
    own stack rather than PyYAML's recursive composer: nesting is bounded by
    MAX_DEPTH and aliases by MAX_NODES, so that no file can exhaust the stack
    or the memory."""
    lines: dict[Key, int] = {(): offset + 1}
    anchors: dict[str, tuple[Value, int]] = {}
    stack: list[_Open] = []
    root: list[Value] = []
    count = 0
    while True:
        event = loader.get_event()  # type: ignore[no-untyped-call]
        kind = type(event)
        if kind is ScalarEvent:  # most events: tested first
            count += 1
            line = event.start_mark.line + 1 + offset
            top = stack[-1] if stack else None
            if top is not None and top.name is None and isinstance(top.value, dict):
                _name(top, _text(event, line), line)
                continue
            scalar = _scalar(event, line)
            if event.anchor is not None:
                anchors[event.anchor] = (scalar, 1)
            _place(stack, root, scalar, line, lines)
        elif kind is SequenceEndEvent or kind is MappingEndEvent:
            done = stack.pop()
            if done.anchor is not None:
                anchors[done.anchor] = (done.value, count - done.count)
            _place(stack, root, done.value, 0, lines, is_placed=True)
        elif kind is SequenceStartEvent or kind is MappingStartEvent:
            count += 1
            line = event.start_mark.line + 1 + offset
            if len(stack) >= MAX_DEPTH:
                raise YamlError(N_("malformed YAML: values nested more than {depth} deep", depth=MAX_DEPTH),
                                line)
            key = _key_of_next(stack, line, lines)
            stack.append(_Open([] if kind is SequenceStartEvent else {}, key, event.anchor, count))
        elif kind is AliasEvent:
            line = event.start_mark.line + 1 + offset
            if event.anchor not in anchors:
                raise YamlError(N_("malformed YAML: found undefined alias '{alias}'",
                                   alias=str(event.anchor)), line)
            value, size = anchors[event.anchor]
            count += size
            if stack and isinstance(stack[-1].value, dict) and stack[-1].name is None:
                if not isinstance(value, str):
                    raise YamlError(N_("malformed YAML: a key must be text"), line)
                _name(stack[-1], value, line)
            else:
                _place(stack, root, value, line, lines)
        elif kind is StreamEndEvent or event is None:
            return (root[0] if root else None), lines
        elif kind is DocumentStartEvent and root:
            line = event.start_mark.line + 1 + offset
            raise YamlError(N_("malformed YAML: expected a single document, found a second one"), line)
        if count > MAX_NODES:
            raise YamlError(N_("malformed YAML: too many values (aliases nested too deep?)"),
                            event.start_mark.line + 1 + offset)


def _text(event: ScalarEvent, line: int) -> str:
    """A scalar's text, which no control character may be in (parse_yaml
    refuses them as written; a double-quoted scalar may also escape one: "\\0")."""
    value: str = event.value
    control = CONTROL.search(value) if event.style == '"' else None
    if control is not None:
        raise YamlError(control_message(control.group()), line)
    return value


def _scalar(event: ScalarEvent, line: int) -> str | None:
    value = _text(event, line)
    if not event.style and value in ("", "~", "null", "Null", "NULL"):
        return None
    return value


def _name(mapping: _Open, name: str, line: int) -> None:
    """Read a mapping's key."""
    assert isinstance(mapping.value, dict)
    if name in mapping.value:
        raise YamlError(N_("duplicate key '{key}'", key=name), line)
    mapping.name, mapping.key_line = name, line


def _key_of_next(stack: list[_Open], line: int, lines: dict[Key, int]) -> Key:
    """Where the value that begins at `line` sits, now recorded with its line."""
    if not stack:
        lines[()] = line
        return ()
    top = stack[-1]
    if isinstance(top.value, list):
        key: Key = (*top.key, len(top.value))
        lines[key] = line
        return key
    if top.name is None:
        raise YamlError(N_("malformed YAML: a key must be text, not a list or mapping"), line)
    key = (*top.key, top.name)
    lines[key] = top.key_line
    return key


def _place(stack: list[_Open], root: list[Value], value: Value, line: int, lines: dict[Key, int],
           *, is_placed: bool = False) -> None:
    """Put a value read into the list or mapping that holds it (a list or
    mapping that ends had its line recorded when it began: `is_placed`)."""
    if not stack:
        if not is_placed:
            lines[()] = line
        root.append(value)
        return
    top = stack[-1]
    if isinstance(top.value, list):
        if not is_placed:
            lines[(*top.key, len(top.value))] = line
        top.value.append(value)
        return
    assert top.name is not None
    if not is_placed:
        lines[(*top.key, top.name)] = top.key_line
    top.value[top.name] = value
    top.name = None


@dataclass(frozen=True, slots=True)
class Split:
    """A Markdown file cut into its front matter and body."""

    front: str
    body: str
    body_line: int
    """1-based line of the body's first line in the file."""


def split_front_matter(text: str) -> Split | None:
    """Cut `---` front matter from a Markdown file; None if there is none.
    Lines end at `\n` only (with an optional `\r`), as for YAML and Markdown."""
    text = text.removeprefix("\ufeff")
    first, newline, rest = text.partition("\n")
    if first.rstrip() != "---" or not newline:
        return None
    close = _CLOSING.search(rest)
    if close is None:
        return None
    front = rest[: close.start()]
    after = rest.find("\n", close.end())
    return Split(front, "" if after < 0 else rest[after + 1 :], front.count("\n") + 3)


_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t\r]*$", re.MULTILINE)


def explain(problem: str, line: str) -> str:
    """PyYAML's words for a problem, with what to do for the usual slips:
    a tab used to indent, an unquoted ': ' inside a value."""
    indent = line[: len(line) - len(line.lstrip())]
    if "\t" in indent or "tab character" in problem:
        return N_("a tab is used for indentation; indent with spaces (YAML does not allow tabs)")
    key, colon, value = line.partition(":")
    if problem.startswith("mapping values are not allowed") and colon and ": " in value:
        value = value.strip()
        quoted = f"'{value.replace(chr(39), chr(39) * 2)}'" if '"' in value else f'"{value}"'
        return N_("the value of '{key}' has ': ' in it; put the value in quotes: {fixed}",
                  key=key.strip().lstrip("- "), fixed=f"{key.strip()}: {quoted}")
    return problem
