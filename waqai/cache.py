"""What a build keeps between runs, in a git-ignored `.cache/` folder beside
config.yaml: each content file's parse, keyed by the hash of its bytes.

A parse depends on nothing but the file's bytes and the engine that read
them (front matter, body, the body's HTML with a stand-in for the page's
depth, and its images), so the key is the bytes' hash and the file is
written for one engine version, one Python and one set of the libraries
that read and write (`engine_version`): any other starts empty. Config,
registries and media are checked again on every build, so a cached parse
never hides a problem. A cache that cannot be read is ignored:
a wrong cache is worse than none.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any, TypeAlias

Parsed: TypeAlias = tuple[Any, str, str, int, str, tuple[tuple[int, str], ...], bool,
                         tuple[tuple[int, str], ...], tuple[tuple[int, str], ...], str]
"""(front matter data, its YAML text, body, body's first line, body HTML,
images, whether the front matter holds bidi controls, lines of raw HTML,
bidi controls of the body, fingerprint of the words): see load.parse_source."""

FOLDER = ".cache"
"""Beside config.yaml."""


@functools.cache
def engine_version() -> str:
    """A hash of the engine's own code and the versions of the libraries it
    reads and writes with: any change to them (a fix in how a page is made,
    an upgrade of the Markdown parser) makes every cached parse and rendered
    page out of date."""
    engine = hashlib.blake2b(digest_size=16)
    for path in sorted(Path(__file__).parent.glob("*.py")):
        engine.update(path.name.encode() + b"\0" + path.read_bytes())
    libraries = " ".join(f"{name} {metadata.version(name)}" for name in _LIBRARIES)
    return f"{engine.hexdigest()} python {sys.version_info[:3]} marshal {marshal.version} {libraries}"


_LIBRARIES = ("pyyaml", "markdown-it-py", "cmarkgfm", "jinja2", "markupsafe", "babel")
"""What turns content into pages besides the engine."""


class ParseCache:
    """Parses by the hash of the file's bytes; only what a build used is saved."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._stored: dict[str, Parsed] = _read(folder / "parsed.bin") if folder else {}
        self._used: dict[str, Parsed] = {}

    def get(self, digest: str) -> Parsed | None:
        """The parse of the file whose bytes have this hash, if known."""
        found = self._used.get(digest) or self._stored.get(digest)
        if found is not None:
            self._used[digest] = found
        return found

    def put(self, digest: str, parsed: Parsed) -> None:
        """Remember a parse."""
        self._used[digest] = parsed

    def save(self) -> None:
        """Write what this build used (a file and its rename, so readers never
        see half of it), unless nothing changed."""
        if self._is_saved():
            return
        self._write()
        self._stored, self._used = self._used, {}

    @contextmanager
    def saving(self) -> Iterator[None]:
        """`save` while the block runs: in a forked process, on the core the
        block leaves idle, where the system can fork and this process runs no
        other thread (a forked copy of a process with threads can deadlock);
        else before the block. Saved when the block ends."""
        if self._is_saved() or not hasattr(os, "fork") or threading.active_count() > 1:
            self.save()
            yield
            return
        writer = os.fork()
        if writer == 0:  # the copy: write, then end without running anything of the build's
            code = 1
            try:
                self._write()
                code = 0
            finally:
                os._exit(code)
        try:
            yield
        finally:
            _, status = os.waitpid(writer, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            self._write()  # killed? Here then
        self._stored, self._used = self._used, {}

    def _is_saved(self) -> bool:
        return self.folder is None or self._used.keys() == self._stored.keys()

    def _write(self) -> None:
        assert self.folder is not None
        keep(self.folder, "parsed.bin", _stamp(), marshal.dumps(self._used))  # not joined: no second copy

    def keep_all(self) -> None:
        """Start a new build: what the last one used is the cache now (the
        preview keeps one cache across its rebuilds)."""
        self._stored = {**self._stored, **self._used}
        self._used = {}


def _stamp() -> bytes:
    """The first line of a cache file: the engine that wrote it."""
    return engine_version().encode() + b"\n"


def _read(path: Path) -> dict[str, Parsed]:
    """The parses in `path`, if this engine wrote them (read no further
    otherwise: the cache of a large archive is tens of megabytes)."""
    try:
        with path.open("rb") as stream:
            if stream.readline() != _stamp():
                return {}
            entries = marshal.loads(stream.read())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def keep(folder: Path, name: str, *parts: bytes) -> None:
    """Write `parts`, one after the other, as the file `name` of the cache
    `folder` (see `write_atomic`). A cache that cannot be written (a
    read-only checkout, a file in the folder's place) is left out: builds
    stay right, only slower."""
    try:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        _ignore_in_git(folder)
        write_atomic(folder / name, *parts)
    except OSError:
        pass


def _ignore_in_git(folder: Path) -> None:
    """A cache folder says itself that git should ignore it."""
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def write_atomic(path: Path, *parts: bytes) -> None:
    """Write `parts`, one after the other, as `path`, through a temporary
    file and a rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            for part in parts:
                stream.write(part)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class Store:
    """Derived data worth keeping between builds (related incidents), each
    under a name and the digest of what it was derived from."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, name: str, key: str) -> Any:
        """What was kept under `name` for `key`, or None."""
        if self.folder is None:
            return None
        found = _read_entry(self.folder / f"{name}.bin")
        return found[1] if found is not None and found[0] == key else None

    def put(self, name: str, key: str, value: Any) -> None:
        """Keep `value` under `name` for `key` (replacing what was there)."""
        if self.folder is None:
            return
        keep(self.folder, f"{name}.bin", marshal.dumps((engine_version(), key, value)))


def _read_entry(path: Path) -> tuple[str, Any] | None:
    try:
        stamp, key, value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return (key, value) if stamp == engine_version() else None
