"""Time what users run, on synthetic archives, and print a Markdown table.

    python bench/run.py [--sizes 1000,10000] [--runs 3]

Each corpus is generated once into bench/corpus/<N>/ (ignored by git; made
again when bench/generate.py changes). Every measurement runs the real command
line, `python build.py ...`, from the project root, `--runs` times:

- full build: no cache (bench/corpus/<N>/.cache) and no output folder, as
  on a fresh clone, with the content files in the system's page cache, as
  they are for the yardstick that reads them right after (every file is read
  once before: the outputs of earlier runs may have pushed them out of
  memory, and reading them from the disk is not the build's work). Each run
  builds into a new folder beside the corpora (bench/corpus/outputs-*/, as a
  project's site/ sits beside its content),
  and all are removed at the end: on a file system without a journal (ext4
  on the benchmark machine), making files where many were deleted shortly
  before costs several times as much (ext4 skips inodes freed recently), so
  removing one run's output, or building in a /tmp that every run churns,
  would time the benchmark's own deletions rather than the build;
- warm rebuild: the same build again, nothing changed;
- check: `build.py check` after a build;
- serve, body edit: seconds from saving an English body until the incident's
  page shows it; serve, title edit: until the page and /en/ both show it;
- processor time of the full build, in user mode and in the kernel, of its
  process and every helper: the first grows with the engine's work, the second
  also with the machine's (its file system, and memory the virtual machine has
  not touched yet), so that the two tell where a larger archive's time went;
- memory of the full build: the peak, sampled every 0.2 s, of the summed Pss
  of the process and all its descendants, and the largest single process's
  max RSS;
- yardstick: bench/yardstick.py, a bare read-parse-render-write loop over
  the same files that does not change with the engine;
- what a reader downloads, in headless Chromium (Debian's) over a local HTTP
  server, from the last full build: the largest HTML page, the Arabic home,
  the Arabic search page before a query, and for a few queries the time
  from typing to results listed and what the query fetched.

The machines are shared and noisy: compare medians, and ratios within one run.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import http.client
import http.server
import itertools
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The project: every command runs from here, as users run it."""
BENCH = ROOT / "bench"
SAMPLE_EVERY = 0.2
"""Seconds between memory samples. A sample costs the machine about 10 ms of
processor time at 10,000 incidents (the kernel walks every page of the
processes for their Pss): taken every 50 ms, samples took a sixth of a core
from the build they measured. The peak is a plateau of several seconds (the
rendering), which samples this far apart still catch."""
WAIT = 120.0
"""Seconds an edit may take to show in the preview before it counts as a timeout."""
POLL_EVERY = 0.01
"""Seconds between two requests while waiting for an edit to show."""


class BenchError(Exception):
    """A command failed: the figures would mean nothing."""


# --- corpora ----------------------------------------------------------------


def corpus(size: int) -> Path:
    """bench/corpus/<size>/config.yaml, generated unless the corpus there was
    made by this very generator."""
    root = BENCH / "corpus" / str(size)
    stamp = root / ".generator"
    version = hashlib.sha256((BENCH / "generate.py").read_bytes()).hexdigest()
    if (root / "config.yaml").is_file() and stamp.is_file() and stamp.read_text() == version:
        return root / "config.yaml"
    shutil.rmtree(root, ignore_errors=True)
    print(f"generating {size:,} incidents into {root.relative_to(ROOT)}/", file=sys.stderr)
    subprocess.run([sys.executable, "bench/generate.py", str(size), str(root)], cwd=ROOT, check=True)
    stamp.write_text(version)
    return root / "config.yaml"


def count_files(folder: Path) -> int:
    """How many files a build wrote."""
    return sum(len(files) for _, _, files in os.walk(folder))


# --- memory -----------------------------------------------------------------


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc/<pid>/task/*/children."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with suppress(OSError):  # the thread or process has just ended
                pending += [int(child) for child in children.read_text().split()]
    return found


def memory_kb(pid: int) -> tuple[int, str]:
    """The process's Pss in kB (VmRSS when smaps_rollup cannot be read), and
    which of the two it is; (0, "") for a process that has gone."""
    for path, key, kind in ((f"/proc/{pid}/smaps_rollup", "Pss:", "Pss"),
                            (f"/proc/{pid}/status", "VmRSS:", "RSS")):
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            continue
        for line in lines:
            if line.startswith(key):
                return int(line.split()[1]), kind
    return 0, ""


class MemorySampler(threading.Thread):
    """Samples the summed memory of a process tree until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.kinds: set[str] = set()
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Sample every SAMPLE_EVERY seconds."""
        while not self._stop_event.is_set():
            total = 0
            for pid in process_tree(self.pid):
                kb, kind = memory_kb(pid)
                total += kb
                self.kinds.add(kind)
            self.peak_kb = max(self.peak_kb, total)
            self._stop_event.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        """Stop sampling and wait for the last sample."""
        self._stop_event.set()
        self.join()


# --- one command --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    """One timed command."""

    seconds: float
    peak_mb: float = 0.0
    """Peak of the summed Pss of the process tree (0 when not sampled)."""
    max_rss_mb: float = 0.0
    """Max RSS of the largest single process of the tree (waited-for ones)."""
    memory_kinds: frozenset[str] = frozenset()
    user_seconds: float = 0.0
    """Processor time in user mode of the process and its waited-for descendants."""
    system_seconds: float = 0.0
    """Processor time in the kernel, the same way."""


def timed(argv: Sequence[str], log: Path, *, sample: bool = False) -> Run:
    """Run `python ARGV` from the project root and time it; output goes to `log`."""
    with log.open("wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, *argv], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        sampler = MemorySampler(process.pid) if sample else None
        if sampler:
            sampler.start()
        # wait4 also gives the child's resource usage, its own and that of the
        # descendants it waited for: ru_maxrss is the largest RSS of them, in kB.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if sampler:
        sampler.stop()
    if process.returncode:
        raise BenchError(f"`python {' '.join(argv)}` exited with {process.returncode}:\n{tail(log)}")
    if sampler is None:
        return Run(seconds, user_seconds=usage.ru_utime, system_seconds=usage.ru_stime)
    return Run(seconds, sampler.peak_kb / 1024, usage.ru_maxrss / 1024,
               frozenset(sampler.kinds - {""}), usage.ru_utime, usage.ru_stime)


def tail(log: Path, lines: int = 20) -> str:
    """The end of a command's output, to show why it failed."""
    text = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


# --- results -------------------------------------------------------------------


ROWS = {  # key: (label, unit)
    "full": ("full build", "s"),
    "user": ("full build: processor time in user mode, all processes", "s"),
    "system": ("full build: processor time in the kernel, all processes", "s"),
    "warm": ("warm rebuild, nothing changed", "s"),
    "check": ("`check`, warm", "s"),
    "body": ("serve: body edit → incident page", "s"),
    "title": ("serve: title edit → incident page + /en/", "s"),
    "pss": ("full build: peak memory, Pss of the process tree", "MB"),
    "rss": ("full build: max RSS of the largest process", "MB"),
    "yardstick": ("yardstick (bare read-parse-render-write loop)", "s"),
    "largest": ("reader: largest HTML page", "KB"),
    "home": ("reader: `/ar/` home, HTML", "KB"),
    "search": ("reader: `/ar/search/` before a query, transferred", "KB"),
    "query": ("reader: query → results listed", "ms"),
    "fetched": ("reader: what a query fetches", "KB"),
}
QUERIES = ("مصادر", "شباط 2015", "٢٠١٥", "المدينة الشرقية", "حي")
"""Queries on the generated archive's Arabic search page: a common word, a
month and year, a year in Arabic-Indic digits, two words, a short prefix."""
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(slots=True)
class Results:
    """The figures of one corpus size; None stands for a timeout."""

    size: int
    files: int = 0
    values: dict[str, list[float | None]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    """Row -> why it has no figures (the server never came up, ...)."""
    memory_kinds: set[str] = field(default_factory=set)
    largest: str = ""
    """The largest HTML page, relative to the site."""

    def add(self, row: str, value: float | None) -> None:
        """Record one run of `row`."""
        self.values.setdefault(row, []).append(value)
        shown = "timeout" if value is None else f"{value:.2f} {ROWS[row][1]}"
        print(f"[{self.size:,}] {ROWS[row][0]}: {shown}", file=sys.stderr)

    def median(self, row: str) -> float | None:
        """The median of the runs that finished, if any."""
        done = [v for v in self.values.get(row, []) if v is not None]
        return statistics.median(done) if done else None

    def cell(self, row: str) -> str:
        """`median unit (min–max)`, with timeouts counted."""
        if row in self.notes:
            return self.notes[row]
        values = self.values.get(row, [])
        done = [v for v in values if v is not None]
        timeouts = len(values) - len(done)
        if not done:
            return f"timeout (> {WAIT:.0f} s) ×{timeouts}" if timeouts else "–"
        unit = ROWS[row][1]
        digits = 2 if unit == "s" else 0
        median, low, high = (f"{v:.{digits}f}" for v in (statistics.median(done), min(done), max(done)))
        text = f"{median} {unit} ({low}–{high})"
        return text + (f", {timeouts} timeout(s) (> {WAIT:.0f} s)" if timeouts else "")


# --- builds ----------------------------------------------------------------------


def read_all(folder: Path) -> None:
    """Read every file under `folder`, so that it is in the system's page cache."""
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()


def measure_builds(config: Path, runs: int, tmp: Path, results: Results) -> Path:
    """Per run: a full build (memory sampled), the same build again, a check,
    and the yardstick, one after the other so that they share the machine's mood;
    the last full build's output folder. Every run writes into folders of its
    own, removed only at the end of the benchmark (see the module's docstring)."""
    shown = str(config.relative_to(ROOT))
    out = tmp
    for run in range(1, runs + 1):
        out = tmp / f"site-{run}"
        build = ["build.py", "build", "--config", shown, "--out", str(out)]
        shutil.rmtree(config.parent / ".cache", ignore_errors=True)
        read_all(config.parent / "content")
        full = timed(build, tmp / "build.log", sample=True)
        results.files = count_files(out)
        results.memory_kinds |= full.memory_kinds
        results.add("full", full.seconds)
        results.add("user", full.user_seconds)
        results.add("system", full.system_seconds)
        results.add("pss", full.peak_mb)
        results.add("rss", full.max_rss_mb)
        results.add("warm", timed(build, tmp / "build.log").seconds)
        results.add("check", timed(["build.py", "check", "--config", shown], tmp / "check.log").seconds)
        argv = ["bench/yardstick.py", str(config.parent / "content"), str(tmp / f"yardstick-{run}")]
        results.add("yardstick", timed(argv, tmp / "yardstick.log").seconds)
    return out


# --- readers -------------------------------------------------------------------------


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


QUERY = """async (query) => {
  const form = document.querySelector("form[data-search]");
  const status = document.querySelector(".search-status");
  const input = form.querySelector("input[name=q]");
  status.textContent = "";
  performance.setResourceTimingBufferSize(100000);
  performance.clearResourceTimings();
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event("input"));
  while (form.hasAttribute("aria-busy") || status.textContent === "") {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const took = performance.now() - start;
  const fetched = performance.getEntriesByType("resource")
    .reduce((sum, entry) => sum + entry.encodedBodySize, 0);
  return [took, fetched];
}"""
"""Milliseconds from typing `query` on the search page to its results listed,
and the bytes of what the page fetched for it meanwhile (counted in the
page, where a browser event of the last file could come after the query
ends); the budget test also runs it, to wait for the results."""


def measure_reader(site: Path, results: Results) -> None:
    """What a reader downloads from the built site, and how soon a query answers."""
    pages = [(path.stat().st_size, path) for path in site.rglob("*.html")]
    size, largest = max(pages)
    results.add("largest", size / 1024)
    results.largest = largest.relative_to(site).as_posix()
    results.add("home", (site / "ar" / "index.html").stat().st_size / 1024)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        for row in ("search", "query", "fetched"):
            results.notes[row] = "– (needs playwright: `make test` installs it)"
        return
    if not Path(CHROMIUM).exists():
        for row in ("search", "query", "fetched"):
            results.notes[row] = "– (needs Debian's chromium)"
        return
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
            page = browser.new_context().new_page()
            loaded: list[int] = []
            page.on("requestfinished", lambda request: loaded.append(request.sizes()["responseBodySize"]))
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/ar/search/")
            # Everything the page fetches before a query, its scripts' own
            # fetches included (they may end after the load event).
            page.wait_for_load_state("networkidle")
            results.add("search", sum(loaded) / 1024)
            for query in QUERIES:
                took, fetched = page.evaluate(QUERY, query)
                results.add("query", took)
                results.add("fetched", fetched / 1024)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()


# --- serve --------------------------------------------------------------------------


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""Straight to 127.0.0.1, whatever proxy the environment names."""


class ServerDown(BenchError):
    """The preview server never answered, or exited."""

    def __init__(self, summary: str, log: Path) -> None:
        super().__init__(f"{summary}:\n{tail(log)}")
        self.summary = summary
        """What the table shows instead of figures."""


def fetch(url: str, timeout: float) -> str | None:
    """The page at `url` when it answers 200; None for anything else (no
    connection yet, a 5xx or 404 while rebuilding, a slow answer)."""
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace") if response.status == 200 else None
    except (OSError, http.client.HTTPException):
        return None


@dataclass(frozen=True, slots=True)
class Preview:
    """A running `build.py serve`."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def wait(self, start: float, paths: Sequence[str], marker: str, *,
             present: bool = True, timeout: float = WAIT) -> float | None:
        """Seconds from `start` until every page in `paths` answers 200 with
        `marker` in it (without it if not `present`); None after `timeout`."""
        pending = list(paths)
        while pending:
            left = start + timeout - time.perf_counter()
            if left <= 0:
                return None
            if self.process.poll() is not None:
                raise ServerDown(f"server exited with {self.process.returncode}", self.log)
            pending = [path for path in pending if not self._shows(path, marker, present, left)]
            if pending:
                time.sleep(POLL_EVERY)
        return time.perf_counter() - start

    def _shows(self, path: str, marker: str, present: bool, left: float) -> bool:
        page = fetch(self.base + path, min(left, 10.0))
        return page is not None and (marker in page) == present


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(config: Path, tmp: Path, startup: float) -> Iterator[Preview]:
    """Start `build.py serve` and wait until /en/ answers 200; stop it afterwards."""
    port, log = free_port(), tmp / "serve.log"
    argv = ["build.py", "serve", "--config", str(config.relative_to(ROOT)), "--port", str(port)]
    with log.open("wb") as out:  # its own session, so that stopping it stops its workers too
        process = subprocess.Popen([sys.executable, *argv], cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    preview = Preview(process, f"http://127.0.0.1:{port}", log)
    try:
        if preview.wait(time.perf_counter(), ["/en/"], "", timeout=startup) is None:
            raise ServerDown(f"server: no 200 from /en/ within {startup:.0f} s", log)
        yield preview
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the server's process group and wait for it."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def edited(path: Path, change: Callable[[str], str]) -> Iterator[float]:
    """Save `change(text)` into `path` and yield the time right after the file
    is closed; the original bytes are put back afterwards, whatever happens."""
    original = path.read_bytes()
    changed = change(original.decode("utf-8"))
    try:
        with path.open("w", encoding="utf-8") as file:
            file.write(changed)
        yield time.perf_counter()
    finally:
        path.write_bytes(original)


def measure_edit(preview: Preview, path: Path, change: Callable[[str], str], marker: str,
                 pages: Sequence[str]) -> float | None:
    """Seconds from saving the change until every page shows `marker`; after
    restoring the file, waits (untimed) until no page shows it any more."""
    with edited(path, change) as saved:
        seconds = preview.wait(saved, pages, marker)
    if preview.wait(time.perf_counter(), pages, marker, present=False) is None:
        print(f"warning: the restored {path.name} did not show within {WAIT:.0f} s", file=sys.stderr)
    return seconds


def append_sentence(marker: str) -> Callable[[str], str]:
    """A change that adds a paragraph holding `marker` at the end of the body."""
    return lambda text: text.rstrip("\n") + f"\n\nA sentence added by the benchmark: {marker}.\n"


def retitle(marker: str) -> Callable[[str], str]:
    """A change that replaces the front matter's title with one holding `marker`."""
    return lambda text: re.sub(r"^title:.*$", f"title: Benchmark title {marker}", text, count=1, flags=re.M)


def measure_serve(config: Path, runs: int, tmp: Path, results: Results) -> None:
    """`runs` body edits, then `runs` title edits, in one server."""
    translated = {path.name.removesuffix(".en.md"): path
                  for path in sorted((config.parent / "content" / "incidents").rglob("*.en.md"))}
    if not translated:
        results.notes["body"] = results.notes["title"] = "no translated incident"
        return
    body_id = sorted(translated)[len(translated) // 2]  # from the middle of the archive
    try:
        with serving(config, tmp, startup=300 + 0.1 * results.size) as preview:
            for _ in range(runs):
                marker = f"waqaibench{time.time_ns()}"
                results.add("body", measure_edit(preview, translated[body_id], append_sentence(marker),
                                                 marker, [f"/en/incidents/{body_id}/"]))
            home = fetch(preview.base + "/en/", WAIT) or ""
            title_id = next((id_ for id_ in re.findall(r"incidents/([a-z0-9][a-z0-9-]*)/", home)
                             if id_ in translated), None)
            if title_id is None:
                results.notes["title"] = "no translated incident linked from /en/"
                return
            for _ in range(runs):
                marker = f"waqaibench{time.time_ns()}"
                results.add("title", measure_edit(preview, translated[title_id], retitle(marker),
                                                  marker, [f"/en/incidents/{title_id}/", "/en/"]))
    except ServerDown as exc:
        print(f"[{results.size:,}] serve: {exc}", file=sys.stderr)
        for row in ("body", "title"):
            if row not in results.values:
                results.notes[row] = exc.summary


# --- report ---------------------------------------------------------------------------


def report(all_results: Sequence[Results], runs: int) -> None:
    """The Markdown table, then the ratio to the yardstick per size."""
    print(f"{os.cpu_count()} cores (os.cpu_count()), Python {platform.python_version()}; "
          f"{runs} run(s) per cell: median (min–max)")
    print()
    sizes = [f"{r.size:,} incidents ({r.files:,} files)" for r in all_results]
    print(f"| measurement | {' | '.join(sizes)} |")
    print(f"| --- |{' ---: |' * len(all_results)}")
    for row, (label, _) in ROWS.items():
        print(f"| {label} | {' | '.join(r.cell(row) for r in all_results)} |")
    print()
    for r in all_results:
        if r.largest:
            print(f"largest page at {r.size:,} incidents: {r.largest}")
    for r in all_results:
        full, yardstick = r.median("full"), r.median("yardstick")
        if full is not None and yardstick:
            print(f"full build = {full / yardstick:.1f} × yardstick ({r.size:,} incidents)")
    for smaller, larger in itertools.pairwise(all_results):  # how the times grow with the archive
        growth = {row: _growth(smaller.median(row), larger.median(row))
                  for row in ("full", "yardstick", "user", "system")}
        if growth["full"] and growth["yardstick"]:
            print(f"full build at {larger.size:,} incidents = {growth['full']:.2f} × its time at "
                  f"{smaller.size:,} (yardstick: {growth['yardstick']:.2f} ×)")
        if growth["user"] and growth["system"]:  # the engine's work, and the kernel's for it
            print(f"its processor time grew {growth['user']:.2f} × in user mode and "
                  f"{growth['system']:.2f} × in the kernel")
    if any("RSS" in r.memory_kinds for r in all_results):
        print("(peak memory counts VmRSS for processes whose smaps_rollup was unreadable: an overestimate)")


def main() -> int:
    """Generate the corpora as needed, measure each size, print the table."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000",
                        type=lambda text: [int(size) for size in text.split(",")],
                        help="comma-separated incident counts (default: 1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each measurement (default: 3)")
    args = parser.parse_args()
    done: list[Results] = []
    (BENCH / "corpus").mkdir(exist_ok=True)
    outputs = tempfile.mkdtemp(prefix="outputs-", dir=BENCH / "corpus")  # see the docstring
    try:
        for size in args.sizes:
            config = corpus(size)
            results = Results(size)
            tmp = Path(outputs) / str(size)
            tmp.mkdir()
            site = measure_builds(config, args.runs, tmp, results)
            measure_reader(site, results)
            measure_serve(config, args.runs, tmp, results)
            done.append(results)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        if done:
            report(done, args.runs)
        return 1
    finally:
        shutil.rmtree(outputs, ignore_errors=True)
    report(done, args.runs)
    return 0


def _growth(before: float | None, after: float | None) -> float | None:
    """How many times `before` the `after` is, when both were measured."""
    return after / before if before and after else None


if __name__ == "__main__":
    sys.exit(main())
