"""content/ -> raw records: parsed YAML with line numbers, not yet checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from waqai.config import Config
from waqai.frontmatter import Document, YamlError, parse_yaml, split_front_matter
from waqai.model import REGISTRIES
from waqai.problems import Problems

_NAME = re.compile(r"(?P<id>[^.]+)\.(?P<lang>[^.]+)\.md")
ID = re.compile(r"[a-z0-9][a-z0-9-]*")
Kind = Literal["incident", "page"]


@dataclass(frozen=True, slots=True)
class RawFile:
    """One incident or page file: its name parts, front matter and body."""

    kind: Kind
    id: str
    lang: str
    path: Path
    """Relative to the config's folder, as shown in problems."""
    front: Document
    body: str
    body_line: int


@dataclass(frozen=True, slots=True)
class RawContent:
    """Everything read from content/, in a stable order."""

    files: tuple[RawFile, ...]
    registries: dict[str, tuple[Path, Document]]
    """Registry name -> (shown path, document); missing files are absent."""
    media: tuple[Path, ...]
    unread: frozenset[str] = frozenset()
    """Ids of files that could not be read: their siblings are not orphans."""


def load_content(config: Config) -> tuple[RawContent, Problems]:
    """Read every content file; unreadable ones become problems."""
    problems = Problems()
    root = config.content
    folders: tuple[tuple[Kind, Path], ...] = (("incident", root / "incidents"), ("page", root / "pages"))
    files, unread = [], set()
    for kind, folder in folders:
        for path in sorted(folder.rglob("*.md")):
            raw = _read_file(kind, path, config, problems)
            if raw is not None:
                files.append(raw)
            elif match := _NAME.fullmatch(path.name):
                unread.add(match["id"])
    registries = {}
    for name in REGISTRIES:
        path = root / f"{name}.yaml"
        doc = _read_yaml(path, config, problems) if path.is_file() else None
        if doc is not None:
            registries[name] = (config.relative(path), doc)
    media_root = root / "media"
    media = tuple(sorted(p for p in media_root.rglob("*") if p.is_file()))
    return RawContent(tuple(files), registries, media, frozenset(unread)), problems


def _read_file(kind: Kind, path: Path, config: Config,
               problems: Problems) -> RawFile | None:
    shown = config.relative(path)
    match = _NAME.fullmatch(path.name)
    if not match:
        problems.error(shown, None, f"file name '{path.name}' is not <id>.<lang>.md",
                       "name it like 2021-01-27-hasakah-protest.ar.md")
        return None
    if not ID.fullmatch(match["id"]):
        problems.error(shown, None, f"invalid id '{match['id']}'",
                       "use lowercase ASCII letters, digits and hyphens")
        return None
    text = _read_text(path, shown, problems)
    if text is None:
        return None
    split = split_front_matter(text)
    if split is None:
        problems.error(shown, 1, "no front matter: the file must start with a '---' line "
                       "and the YAML must end with another '---' line")
        return None
    try:
        front = parse_yaml(split.front, first_line=2)
    except YamlError as exc:
        problems.error(shown, exc.line, exc.message)
        return None
    return RawFile(kind, match["id"], match["lang"], shown, front, split.body, split.body_line)


def _read_yaml(path: Path, config: Config, problems: Problems) -> Document | None:
    shown = config.relative(path)
    text = _read_text(path, shown, problems)
    if text is None:
        return None
    try:
        return parse_yaml(text.removeprefix("\ufeff"))
    except YamlError as exc:
        problems.error(shown, exc.line, exc.message)
        return None


def _read_text(path: Path, shown: Path, problems: Problems) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.error(shown, None, f"not UTF-8 text (byte {exc.start})", "save the file as UTF-8")
    except OSError as exc:
        problems.error(shown, None, f"cannot read file: {exc.strerror}")
    return None
