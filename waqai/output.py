"""Write the site: whole into a new folder swapped in, or only what changed.

A build keeps a manifest of its output in the cache folder: each file's
fingerprint (pages.Fingerprints), its size and mtime. The next build into
the same folder renders only the pages whose fingerprint changed (or whose
file was touched by hand), writes only those whose bytes changed (compared
with the file in place), and deletes the files no page makes any more. When
there is no usable manifest it builds everything into a fresh folder and
swaps it in.

Either way nothing is touched until every page has rendered: an incremental
build renders into a staging folder first, and its manifest is removed while
it moves files into place, so that a build interrupted then is followed by a
full one.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import marshal
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from waqai.cache import keep, write_atomic
from waqai.config import UsageError
from waqai.derive import Model
from waqai.pages import Fingerprints, all_routes, copied_files
from waqai.problems import N_
from waqai.render import InPlace, Written, render_pages
from waqai.routes import Route

MARKER = ".waqai-site"
"""Written into every output folder, so that only a folder Waqai made is replaced."""
STAGING = ".waqai-staging"
"""Written first into every folder a build stages files in (beside the
output, named after it), with the build's process id: a folder whose build
is no longer running was left by one that was killed, and the next build
removes it."""

Manifest = dict[str, list[object]]
"""Output path -> [fingerprint, size, mtime in ns]."""
MANIFEST_FORMAT = 2
"""Changed with the manifest's layout: a manifest of another is not read."""
Folders = dict[str, int]
"""Output folder ("" for the top) -> its mtime in ns: a folder whose mtime is
the same holds the same names, so only changed folders are listed again."""


def check_output_folder(out: Path, protected: tuple[Path, ...], inputs: tuple[Path, ...]) -> None:
    """Refuse an output folder that would swallow the project or a stranger's
    files: one of the `protected` folders or a parent of one (`/` is the
    parent of all), a folder inside the `inputs` (the next build would read
    its own output), or a folder of files no build wrote."""
    out = out.resolve()
    for path in protected + inputs:
        path = path.resolve()
        if out == path or out in path.parents:
            raise UsageError(N_("output folder {out} would replace {path}; choose another --out",
                                  out=str(out), path=str(path)))
    for path in inputs:
        if path.resolve() in out.parents:
            raise UsageError(N_("output folder {out} is inside {path}, which the build reads; "
                                "choose another --out", out=str(out), path=str(path.resolve())))
    if out.exists() and not out.is_dir():
        raise UsageError(N_("output {out} exists and is not a folder", out=str(out)))
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(N_("output folder {out} is not empty and was not made by a build; "
                            "remove it or choose another --out", out=str(out)))


@dataclass(frozen=True, slots=True)
class Plan:
    """What a build writes: every file's fingerprint, and which must be made."""

    fingerprints: dict[str, str]
    """Output path -> fingerprint, for every file of the site; without a
    manifest, only the copies': every page is made then, and its fingerprint
    with it, on the core that renders it (`fingerprinter`)."""
    fingerprinter: Fingerprints
    """Makes any page's fingerprint."""
    pages: list[Route]
    """Pages to render."""
    copies: dict[str, Path]
    """Output path -> source, for the files to copy."""
    intact: set[str]
    """Output paths of the files in place that nobody touched since they
    were written: where a page's bytes are theirs, it is not written again."""


def write_site(model: Model, out: Path, cache: Path | None) -> None:
    """Bring `out` up to date with `model`, incrementally when a manifest of
    it is in the `cache` folder."""
    out = out.resolve()
    remove_leftovers(out)
    manifest_path = _manifest_path(cache, out) if cache else None
    manifest, folders = _read_manifest(manifest_path, out)
    gc.disable()  # the plan makes many small objects and no garbage cycles (see commands.bulk)
    try:
        plan = _plan(model, out, manifest)
    finally:
        gc.enable()
    if manifest is None:
        done, fingerprints = _write_fresh(model, plan, out)
    elif _is_up_to_date(plan, manifest, out, folders):
        return
    else:
        if manifest_path is not None:  # until the new one is saved: see the module's docstring
            manifest_path.unlink()
        done = _write_changes(model, plan, out, manifest, folders)
        fingerprints = plan.fingerprints
    if manifest_path is not None:
        _save_manifest(manifest_path, out, fingerprints, done)


def _is_up_to_date(plan: Plan, manifest: Manifest, out: Path, folders: Folders) -> bool:
    """True when nothing is to be made, nothing is stale and nobody added a file."""
    return (not plan.pages and not plan.copies and manifest.keys() == plan.fingerprints.keys()
            and not _files_in_changed_folders(out, folders) - manifest.keys())


def _plan(model: Model, out: Path, manifest: Manifest | None) -> Plan:
    fingerprints = Fingerprints(model)
    prints: dict[str, str] = {}
    pages: list[Route] = []
    copies: dict[str, Path] = {}
    intact: set[str] = set()
    for route in all_routes(model):
        if manifest is None:
            pages.append(route)
            continue
        fingerprint = prints[route.path] = fingerprints.of(route)
        if not _is_current(out, route.path, fingerprint, manifest, intact):
            pages.append(route)
    for route, source in copied_files(model).items():
        fingerprint = prints[route.path] = _copy_fingerprint(model, source)
        if not _is_current(out, route.path, fingerprint, manifest or {}, intact):
            copies[route.path] = source
    return Plan(prints, fingerprints, pages, copies, intact)


def _copy_fingerprint(model: Model, source: Path) -> str:
    known = model.digests.get(model.config.relative(source).as_posix())
    return known or hashlib.blake2b(source.read_bytes(), digest_size=16).hexdigest()


def _is_current(out: Path, path: str, fingerprint: str, manifest: Manifest,
                intact: set[str]) -> bool:
    """True when the file was made from the same inputs and nobody touched it
    since; a file nobody touched is added to `intact`."""
    known = manifest.get(path)
    if known is None:
        return False
    try:
        stat = os.stat(f"{out}/{path}")
    except OSError:
        return False
    if [stat.st_size, stat.st_mtime_ns] != known[1:]:
        return False
    intact.add(path)
    return known[0] == fingerprint


def _write_fresh(model: Model, plan: Plan, out: Path) -> tuple[list[Written], dict[str, str]]:
    """Every file into a new folder beside `out`, then put it in `out`'s
    place; what was written, and every file's fingerprint."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging(out)
    try:
        written = _render_and_copy(model, plan, staging, None, plan.fingerprinter.of)
        fingerprints = {**plan.fingerprints, **{w.path: w.fingerprint for w in written}}
        (staging / MARKER).write_text(_marker(fingerprints), encoding="utf-8")
        staging.chmod(0o755)
        _swap(staging, out)
        (out / STAGING).unlink()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written, fingerprints


def _write_changes(model: Model, plan: Plan, out: Path, manifest: Manifest,
                   folders: Folders) -> list[Written]:
    """Render what changed into a staging folder, then move it into `out` and
    delete what no page makes any more."""
    staging = _staging(out)
    try:
        written = _render_and_copy(model, plan, staging, InPlace(str(out), frozenset(plan.intact)))
        moved = [w.path for w in written if w.is_written]
        present = set(manifest) | _files_in_changed_folders(out, folders)
        stale = sorted(present - set(plan.fingerprints) - {MARKER})
        for path in moved:
            target = out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, target)
        for path in stale:
            (out / path).unlink(missing_ok=True)
            _remove_empty_parents(out / path, out)
        marker = _marker(plan.fingerprints)
        if (out / MARKER).read_text(encoding="utf-8") != marker:
            write_atomic(out / MARKER, marker.encode())
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _render_and_copy(model: Model, plan: Plan, folder: Path, in_place: InPlace | None,
                     fingerprint: Callable[[Route], str] | None = None) -> list[Written]:
    """Render and copy what the plan makes into `folder` (pages whose bytes
    are those `in_place` are not written), each with its `fingerprint` when asked."""
    written: list[Written] = render_pages(model, plan.pages, folder, in_place, fingerprint)
    for path, source in sorted(plan.copies.items()):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(Written(path, True, plan.fingerprints[path]))  # its bytes' hash
    return written


def _marker(fingerprints: Mapping[str, str]) -> str:
    """The marker's text names what the build made its files from, so that
    the same site gives the same marker and a manifest can tell it describes
    this folder."""
    content = hashlib.blake2b(json.dumps(sorted(fingerprints.items())).encode(), digest_size=16)
    return f"Built by build.py; replaced as a whole on each full build.\ncontent {content.hexdigest()}\n"


def _swap(staging: Path, out: Path) -> None:
    """Put `staging` in the place of `out` in one step where the system can
    (Linux: renameat2 exchanges two folders), so that no moment is without
    the site; the old site is then removed."""
    if not out.exists():
        os.replace(staging, out)
        return
    if _exchange(staging, out):
        (staging / STAGING).write_text(f"{os.getpid()}\n", encoding="utf-8")
        shutil.rmtree(staging, ignore_errors=True)
        return
    retired = _staging(out)
    os.replace(out, retired / out.name)
    os.replace(staging, out)
    shutil.rmtree(retired, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two folders atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    return bool(renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), exchange) == 0)


def _staging(out: Path) -> Path:
    """A new folder beside `out` to stage files in, marked as this build's."""
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    (staging / STAGING).write_text(f"{os.getpid()}\n", encoding="utf-8")
    return staging


def remove_leftovers(out: Path) -> None:
    """Remove the staging folders beside `out` whose build is no longer
    running (it was killed before it could clean up)."""
    try:
        siblings = list(os.scandir(out.parent))
    except OSError:
        return
    for entry in siblings:
        if entry.name.startswith(f".{out.name}.") and entry.is_dir(follow_symlinks=False):
            try:
                pid = int(Path(entry.path, STAGING).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if not _is_running(pid):
                shutil.rmtree(entry.path, ignore_errors=True)


def _is_running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _files_in_changed_folders(out: Path, folders: Folders) -> set[str]:
    """The files of the folders whose names changed since the manifest was
    saved (a file added or removed by hand), and of the folders new since."""
    found: set[str] = set()
    top = str(out)
    for folder, mtime in folders.items():
        path = f"{top}/{folder}" if folder else top
        try:
            if os.stat(path).st_mtime_ns == mtime:
                continue
        except OSError:
            continue
        found |= _files_in(path, f"{folder}/" if folder else "", folders)
    return found


def _files_in(folder: str, prefix: str, known: Folders | None = None) -> set[str]:
    """The files under `folder`, as output paths, without descending into the
    `known` folders (listed on their own)."""
    found: set[str] = set()
    with os.scandir(folder) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                found.add(prefix + entry.name)
            elif known is None or f"{prefix}{entry.name}" not in known:
                found |= _files_in(entry.path, f"{prefix}{entry.name}/")
    return found


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


# The manifest ----------------------------------------------------------------------


def _manifest_path(cache: Path, out: Path) -> Path:
    name = hashlib.blake2b(str(out).encode(), digest_size=8).hexdigest()
    return cache / "outputs" / f"{name}.bin"


def _read_manifest(path: Path | None, out: Path) -> tuple[Manifest | None, Folders]:
    """The manifest of `out` and its folders, if it describes the folder as it is now."""
    if path is None or not (out / MARKER).is_file():
        return None, {}
    try:
        data = marshal.loads(path.read_bytes())
        marker = (out / MARKER).read_text(encoding="utf-8")
    except (OSError, EOFError, ValueError, TypeError):
        return None, {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or data.get("out") != str(out) \
            or data.get("marker") != marker:
        return None, {}
    files, folders = data.get("files"), data.get("folders")
    if not isinstance(files, dict) or not isinstance(folders, dict):
        return None, {}
    return files, folders


def _save_manifest(path: Path, out: Path, fingerprints: Mapping[str, str], done: list[Written]) -> None:
    top = str(out)  # strings: Path objects cost more than the system calls
    written = {w.path: w.stat for w in done if w.stat}
    files: Manifest = {}
    for name, fingerprint in fingerprints.items():
        made = written.get(name)
        if made:  # moved into place since, which keeps both
            files[name] = [fingerprint, *made]
            continue
        stat = os.stat(f"{top}/{name}")
        files[name] = [fingerprint, stat.st_size, stat.st_mtime_ns]
    folders: Folders = {}
    for name in files:
        while name:
            name = name.rpartition("/")[0]
            if name in folders:
                break
            folders[name] = os.stat(f"{top}/{name}" if name else top).st_mtime_ns
    marker = (out / MARKER).read_text(encoding="utf-8")
    keep(path.parent, path.name, marshal.dumps({"format": MANIFEST_FORMAT, "out": str(out), "marker": marker,
                                                "files": files, "folders": folders}))
