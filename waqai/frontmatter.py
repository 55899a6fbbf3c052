"""Front matter and YAML that keep their line numbers and read scalars as text.

YAML 1.1 would turn `time: 13:00` into 780 minutes and `date: 2021-02-30` into a
crash; here every scalar stays the string the editor typed, and each value keeps
the line it came from so that problems point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from waqai.problems import N_

Value: TypeAlias = str | list["Value"] | dict[str, "Value"] | None
"""Plain data as the editor wrote it: strings, lists, mappings and nulls."""

Key: TypeAlias = tuple[str | int, ...]
"""Where a value sits in a document: ("sources", 0, "url")."""

MAX_NODES = 100_000
"""Bound on values per document, so that alias bombs cannot exhaust memory."""


def _loader(stream: str) -> yaml.BaseLoader:
    """A loader without implicit typing (every plain scalar is a string), in C
    when PyYAML has libyaml: composing is most of the time a build spends
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
    loader = _loader(text)
    try:
        node = loader.get_single_node()
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
    lines: dict[Key, int] = {(): first_line}
    if node is None:
        return Document(None, lines, text, first_line)
    data = _plain(node, (), lines, first_line - 1, [0])
    return Document(data, lines, text, first_line)


def _plain(node: Node, key: Key, lines: dict[Key, int], offset: int, count: list[int]) -> Value:
    count[0] += 1
    if count[0] > MAX_NODES:
        raise YamlError(N_("malformed YAML: too many values (aliases nested too deep?)"), offset + 1)
    lines[key] = node.start_mark.line + 1 + offset
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_plain(item, (*key, i), lines, offset, count) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    result: dict[str, Value] = {}
    for key_node, value_node in node.value:
        name = key_node.value if isinstance(key_node, ScalarNode) else str(key_node.value)
        line = key_node.start_mark.line + 1 + offset
        if name in result:
            raise YamlError(N_("duplicate key '{key}'", key=name), line)
        result[name] = _plain(value_node, (*key, name), lines, offset, count)
        lines[(*key, name)] = line
    return result


def _scalar(node: ScalarNode) -> str | None:
    if not node.style and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return str(node.value)


@dataclass(frozen=True, slots=True)
class Split:
    """A Markdown file cut into its front matter and body."""

    front: str
    body: str
    body_line: int
    """1-based line of the body's first line in the file."""


def split_front_matter(text: str) -> Split | None:
    """Cut `---` front matter from a Markdown file; None if there is none."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return Split("".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2)
    return None


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
