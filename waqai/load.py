"""content/ -> raw records: parsed YAML with line numbers and rendered
Markdown, not yet checked.

Parsing is most of what reading content costs, and it depends on nothing but
a file's bytes, so each file's parse is kept in a `ParseCache` keyed by the
hash of its bytes (see cache.py). A large cold read shares the cores
(cores.py).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from waqai.cache import ParseCache, Parsed
from waqai.config import Config
from waqai.cores import share
from waqai.definitions import ID_PATTERN
from waqai.fields import BIDI_CONTROLS
from waqai.fields import shown as show
from waqai.frontmatter import CONTROL, Document, YamlError, control_message, parse_yaml, split_front_matter
from waqai.markdown import render_markdown
from waqai.model import REGISTRIES
from waqai.problems import N_, Problem, Problems
from waqai.translations import fingerprint

_NAME = re.compile(r"(?P<id>[^.]+)\.(?P<lang>[^.]+)\.md")
ID = re.compile(ID_PATTERN)
Kind = Literal["incident", "page"]
PARALLEL_FROM = 2000
"""Files to parse from which the work is shared between processes."""


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
    html: str
    """The body rendered, with markdown.ROOT for the way to the top folder."""
    images: tuple[tuple[int, str], ...]
    """(0-based line in the body, src) of the body's images."""
    digest: str
    """Hash of the file's bytes."""
    has_bidi_controls: bool = False
    """Whether the front matter holds bidi control characters (most has none,
    and then need not be searched value by value)."""
    raw_html: tuple[tuple[int, str], ...] = ()
    """(0-based line in the body, first tag) of the body's lines with raw HTML."""
    body_bidi_controls: tuple[tuple[int, str], ...] = ()
    """(0-based line in the body, the character) of each bidi control in the body."""
    words: str = ""
    """translations.fingerprint of its title, summary and body ("" when it
    has no title)."""


@dataclass(frozen=True, slots=True)
class RawContent:
    """Everything read from content/, in a stable order."""

    files: tuple[RawFile, ...]
    registries: dict[str, tuple[Path, Document]]
    """Registry name -> (shown path, document); missing files are absent."""
    media: tuple[Path, ...]
    digests: Mapping[str, str]
    """Every content file read (registries and media included), by shown
    path -> hash of its bytes: what a rebuild compares."""
    unread: frozenset[str] = frozenset()
    """Ids of files that could not be read: their siblings are not orphans."""


def load_content(config: Config, cache: ParseCache | None = None) -> tuple[RawContent, Problems]:
    """Read every content file; unreadable ones become problems."""
    return Reader(config, cache).read()


@dataclass(frozen=True, slots=True)
class _Read:
    """What one Markdown file gave: its record, or its problems."""

    order: tuple[bool, list[str]]
    """Incidents first, then pages, each in path order."""
    shown: str
    """The path as problems show it."""
    raw: RawFile | None
    problems: tuple[Problem, ...]
    digest: str


class Reader:
    """Reads content/ and keeps what each Markdown file gave, so that a
    rebuild (the preview's) reads again only the files it is told changed."""

    def __init__(self, config: Config, cache: ParseCache | None = None) -> None:
        self.config = config
        self.cache = cache if cache is not None else ParseCache()
        self._files: dict[str, _Read] = {}
        """Absolute path -> what the file gave."""
        self._registries: dict[str, Document] = {}

    def read(self, changed: Iterable[Path] | None = None) -> tuple[RawContent, Problems]:
        """Everything in content/: every file again, or only the Markdown files
        `changed` (registries and media, which are few, are always read)."""
        if changed is None or not self._is_known_change(changed):
            self._files = {path: read for path, read in self._read_all()}
            self._registries = {}
        else:
            for path in changed:
                if path.suffix == ".md":
                    self._files.pop(str(path), None)
                    if path.is_file():
                        self._files.update(self._read_all([path]))
        return self._content()

    def _is_known_change(self, changed: Iterable[Path]) -> bool:
        """True when every change is a Markdown file of content/ (a folder moved
        or deleted means reading everything again)."""
        folders = (self.config.content / "incidents", self.config.content / "pages")
        for path in changed:
            if path.is_dir() or (path.suffix == ".md" and not any(f in path.parents for f in folders)):
                return False
            inside = str(path) + os.sep  # a folder that is gone held files we know
            if not path.exists() and any(known.startswith(inside) for known in self._files):
                return False
        return bool(self._files)

    def _read_all(self, only: list[Path] | None = None) -> Iterator[tuple[str, _Read]]:
        sources = _sources(self.config, only)
        _parse_missing(sources, self.cache)
        for kind, path, shown, data, digest in sources:
            order = (kind != "incident", shown.split("/"))
            problems = Problems()
            if not isinstance(data, bytes):
                for line, message, hint in data:
                    problems.error(Path(shown), line, message, hint)
                yield path, _Read(order, shown, None, tuple(problems), "")
                continue
            raw = _raw_file(kind, path, Path(shown), data, digest, self.cache, problems)
            yield path, _Read(order, shown, raw, tuple(problems), digest)

    def _content(self) -> tuple[RawContent, Problems]:
        config = self.config
        problems = Problems()
        files, unread, digests = [], set(), {}
        for read in sorted(self._files.values(), key=lambda read: read.order):
            problems += read.problems
            if read.digest:
                digests[read.shown] = read.digest
            if read.raw is not None:
                files.append(read.raw)
            elif match := _NAME.fullmatch(os.path.basename(read.shown)):
                unread.add(match["id"])
        registries = {}
        for name in REGISTRIES:
            registry = config.content / f"{name}.yaml"
            doc = (_read_yaml(registry, config, problems, digests, self._registries)
                   if registry.is_file() else None)
            if doc is not None:
                registries[name] = (config.relative(registry), doc)
        media = _media(config, problems, digests)
        return RawContent(tuple(files), registries, media, digests, frozenset(unread)), problems


Failure = list[tuple[int | None, str, str | None]]
"""What is wrong with a file that cannot be read or parsed: (line, message, hint)."""


def _media(config: Config, problems: Problems, digests: dict[str, str]) -> tuple[Path, ...]:
    """The files of content/media/, copied with the site as they are; a
    symbolic link out of content/ is refused, its target never read."""
    inside = _inside(config)
    media = []
    for path in sorted(_files(str(config.content / "media"))):
        shown = config.relative(Path(path))
        if not _is_inside(path, inside):
            problems.error(shown, 1, N_("symbolic link to a file outside the content folder; it is not read"),
                           N_("copy what it points to into the content folder"))
        elif os.path.isfile(path):
            try:
                with open(path, "rb") as stream:
                    digests[shown.as_posix()] = _digest(stream.read())
            except OSError as exc:
                problems.error(shown, 1, N_("cannot read file: {reason}", reason=str(exc.strerror)))
                continue
            media.append(Path(path))
    return tuple(media)


def _files(folder: str) -> Iterator[str]:
    """Every file under `folder`; symbolic links to folders are not followed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _files(entry.path)
        else:
            yield entry.path


Source = tuple[Kind, str, str, "bytes | Failure", str]
"""A content file: its kind, absolute path, path as shown, its bytes (or why
they could not be read) and their hash."""


def _sources(config: Config, only: list[Path] | None = None) -> list[Source]:
    """Every incident and page file (or `only` these) with its bytes, in path
    order. Paths stay strings: making Path objects of thousands of files costs
    more than reading them."""
    folders: tuple[tuple[Kind, Path], ...] = (
        ("incident", config.content / "incidents"), ("page", config.content / "pages"))
    root = str(config.root) + os.sep
    inside = _inside(config)
    found: list[Source] = []
    for kind, folder in folders:
        paths = ([(str(p), os.path.islink(p)) for p in only if folder in p.parents] if only is not None
                 else _markdown_files(str(folder)) if _is_inside(str(folder), inside)
                 else [(str(folder), True)])
        # In path order, folder by folder (NUL sorts before any character of a name).
        for path, is_link in sorted(paths, key=lambda p: p[0].replace(os.sep, "\0")):
            shown = path[len(root):] if path.startswith(root) else path
            data = read_file(path, config.max_file_size, inside if is_link else None)
            if data is not None:
                found.append((kind, path, shown, data, _digest(data) if isinstance(data, bytes) else ""))
    return found


def _inside(config: Config) -> str:
    """The real path of content/, which every file read must be in."""
    return os.path.realpath(config.content) + os.sep


def _is_inside(path: str, inside: str) -> bool:
    return os.path.realpath(path).startswith(inside)


def read_file(path: str, limit: int, inside: str | None) -> bytes | Failure | None:
    """A content file's bytes, or why they are not read: a symbolic link out
    of the folder `inside` (its target is never opened; None when `path` is
    known not to be a link), anything but a regular file (a named pipe would
    block), or more than `limit` bytes (refused before it is read). None for
    a link to a folder inside content/, whose files are read where they are."""
    if inside is not None and not _is_inside(path, inside):
        what = "folder" if os.path.isdir(path) else "file"
        message = N_("symbolic link to a folder outside the content folder; it is not read") \
            if what == "folder" else N_("symbolic link to a file outside the content folder; it is not read")
        return [(1, message, N_("copy what it points to into the content folder"))]
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return [(None, N_("cannot read file: {reason}", reason=str(exc.strerror)), None)]
    try:  # system calls, not a file object: a third less time for thousands of small files
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            return None
        if not stat.S_ISREG(info.st_mode):
            return [(1, N_("not a regular file; it is not read"), None)]
        # As many bytes as the file holds, and one more to see it grow: a buffer
        # of `limit` bytes, shrunk after, would keep a memory mapping per file
        # (the system allows about 65,000: 50,000 incidents could not be read).
        data = _read_up_to(handle, info.st_size + 1) if info.st_size <= limit else b""
        if len(data) > info.st_size:  # it grew since
            data += _read_up_to(handle, limit + 1 - len(data))
    finally:
        os.close(handle)
    if info.st_size > limit or len(data) > limit:
        return [(1, N_("file of {size} is larger than max_file_size ({limit}); it is not read",
                       size=_size(max(info.st_size, len(data))), limit=_size(limit)),
                 N_("split it, or raise max_file_size in config.yaml"))]
    return data


def _read_up_to(handle: int, count: int) -> bytes:
    """At most `count` bytes, fewer only at the end of the file."""
    parts = []
    while count > 0 and (part := os.read(handle, count)):
        parts.append(part)
        count -= len(part)
    return b"".join(parts)


def _size(count: int) -> str:
    """A size as an editor reads it: `20.0 MB`, `900 KB`, `12 bytes`."""
    if count >= 1 << 20:
        return f"{count / (1 << 20):.1f} MB"
    return f"{count // 1024} KB" if count >= 1 << 10 else f"{count} bytes"


def _markdown_files(folder: str) -> Iterator[tuple[str, bool]]:
    """`*.md` files under `folder` and symbolic links to folders (which are
    not followed: `read_file` says what they are), each with whether it is
    a symbolic link (os.scandir: a third of the time of Path.rglob)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _markdown_files(entry.path)
        elif entry.name.endswith(".md") or (entry.is_symlink() and entry.is_dir()):
            yield entry.path, entry.is_symlink()


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _raw_file(kind: Kind, path: str, shown: Path, data: bytes, digest: str, cache: ParseCache,
              problems: Problems) -> RawFile | None:
    name = os.path.basename(path)
    match = _NAME.fullmatch(name)
    if not match:
        problems.error(shown, None, N_("file name '{name}' is not <id>.<lang>.md", name=show(name)),
                       N_("name it like {example}", example="2021-01-27-hasakah-protest.ar.md"))
        return None
    if not ID.fullmatch(match["id"]):
        problems.error(shown, None, N_("invalid id '{id}'", id=show(match["id"])),
                       N_("use lowercase ASCII letters, digits and hyphens"))
        return None
    parsed: Parsed | Failure | None = cache.get(digest)
    if parsed is None:
        parsed = parse_source(data)
        if isinstance(parsed, tuple):
            cache.put(digest, parsed)
    if isinstance(parsed, list):
        for line, message, hint in parsed:
            problems.error(shown, line, message, hint)
        return None
    front, source, body, body_line, html, images, has_bidi_controls, raw_html, body_bidi, words = parsed
    return RawFile(kind, match["id"], match["lang"], shown, Document(front, None, source, 2), body,
                   body_line, html, images, digest, has_bidi_controls, raw_html, body_bidi, words)


def parse_source(data: bytes) -> Parsed | Failure:
    """A Markdown file's front matter and rendered body, or why it cannot be
    read; with what the file alone tells of its text (its bidi controls, the
    fingerprint of its words), worked out here, where files are parsed side
    by side and kept in the cache, rather than where the site is checked."""
    text = decode(data)
    if isinstance(text, list):
        return text
    split = split_front_matter(text)
    if split is None:
        return [(1, N_("no front matter: the file must start with a '---' line "
                    "and the YAML must end with another '---' line"), None)]
    try:
        front = parse_yaml(split.front, first_line=2)
    except YamlError as exc:
        return [(exc.line, exc.message, None)]
    too_much = _too_much_markup(split.body, split.body_line)
    if too_much:
        return too_much
    rendered = render_markdown(split.body)
    body_bidi = tuple((split.body.count("\n", 0, found.start()), found.group())
                      for found in BIDI_CONTROLS.finditer(split.body))
    return (front.data, split.front, split.body, split.body_line, rendered.html, rendered.images,
            bool(BIDI_CONTROLS.search(split.front)), rendered.raw_html, body_bidi,
            _words(front.data, split.body))


MAX_MARKS = 20_000
"""Markdown marks (`[`, `]`, `*`, `_`, backticks) a body may hold: a narrative
with hundreds of links and emphases has a few thousand. Runs of tens of
thousands (`[[[[…`, `a*a*a*…`, `[x](![x](…`) take markdown-it-py several
microseconds each, seconds for a file under max_file_size."""
MAX_LINES = 10_000
"""Lines a body may hold (a list of 100,000 items took 2.7 s to render)."""
_MARKS = "[]*_`"


def _too_much_markup(body: str, first_line: int) -> Failure | None:
    """Why `body` is refused before it is rendered, if it is made of more
    markup than any narrative needs."""
    lines = body.count("\n")
    if lines > MAX_LINES:
        return [(first_line + MAX_LINES, N_("the text has {count} lines, more than {limit}",
                                            count=f"{lines:,}", limit=f"{MAX_LINES:,}"),
                 N_("split it into several incidents, or shorten it"))]
    marks = sum(body.count(mark) for mark in _MARKS)
    if marks > MAX_MARKS:
        return [(first_line, N_("the text has {count} Markdown marks ([, ], *, _, `), more than {limit}",
                                count=f"{marks:,}", limit=f"{MAX_MARKS:,}"),
                 N_("remove the marks that are not links or emphasis"))]
    return None


def _words(data: object, body: str) -> str:
    """The fingerprint of an incident's original's words as validation will
    read them (its title trimmed and summary's spaces collapsed change no
    word); "" for a translation, whose words no one compares, and for a
    plain page, whose original is known later (translations.text_fingerprint
    works it out when asked)."""
    if not isinstance(data, dict) or "date" not in data:
        return ""
    title, summary = data.get("title"), data.get("summary")
    if not isinstance(title, str):
        return ""
    return fingerprint(title, summary if isinstance(summary, str) else "", body)


def decode(data: bytes) -> str | Failure:
    """A file's text, in Unicode's composed form (NFC: an id, a name and a
    search query then compare equal however they were typed), or why it is
    not text: not UTF-8, or holding control characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return [(line, N_("not UTF-8 text (byte {byte})", byte=exc.start), N_("save the file as UTF-8"))]
    control = CONTROL.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        return [(line, control_message(control.group()), N_("delete it; it may be invisible in an editor"))]
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def _parse_missing(sources: list[Source], cache: ParseCache) -> None:
    """Parse the files the cache lacks, sharing the cores when they are many."""
    missing = {}
    for _, _, _, data, digest in sources:
        if isinstance(data, bytes) and cache.get(digest) is None:
            missing[digest] = data
    if len(missing) < PARALLEL_FROM:
        return
    pieces = list(missing.items())
    chunks = [pieces[i:i + CHUNK] for i in range(0, len(pieces), CHUNK)]
    for parsed in share(chunks, _parse_chunk, takes_part=False):  # parsed files are large: receiving is work
        for digest, result in marshal.loads(parsed):
            cache.put(digest, result)


CHUNK = 64
"""Files parsed one after the other by one process before it takes more."""


def _parse_chunk(chunk: list[tuple[str, bytes]]) -> bytes:
    """The files of `chunk` that parse, as marshal writes them (as the cache
    does: a third of the time pickle takes); those that do not are parsed
    again where their problems are reported."""
    parsed = ((digest, parse_source(data)) for digest, data in chunk)
    return marshal.dumps([(digest, result) for digest, result in parsed if isinstance(result, tuple)])


def _read_yaml(path: Path, config: Config, problems: Problems, digests: dict[str, str],
               known: dict[str, Document]) -> Document | None:
    """A registry file; `known` keeps documents by the hash of their bytes."""
    shown = config.relative(path)
    data = read_file(str(path), config.max_file_size, _inside(config) if path.is_symlink() else None)
    if data is not None and not isinstance(data, bytes):
        for line, message, hint in data:
            problems.error(shown, line, message, hint)
    if not isinstance(data, bytes):
        return None
    digest = digests[shown.as_posix()] = _digest(data)
    if digest not in known:
        text = decode(data)
        if isinstance(text, list):
            for line, message, hint in text:
                problems.error(shown, line, message, hint)
            return None
        try:
            known[digest] = parse_yaml(text.removeprefix("\ufeff"))
        except YamlError as exc:
            problems.error(shown, exc.line, exc.message)
            return None
    return known[digest]
