"""`build.py serve` end to end: an editor's autosaves, the reload events, the errors page.

The preview serves the site from memory at its own address, rebuilds on every change,
adds one reload script to every HTML page, and never writes into the output folder.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import MakeSite, build_site
from playwright.sync_api import expect, sync_playwright
from test_browser import CHROMIUM, FLAGS

PROJECT = Path(__file__).resolve().parent.parent
RELOAD_SCRIPT = re.compile(rb'<script src="/_preview/reload\.js\?since=\d+" defer></script>\n')
"""The preview's reload script, told which rebuild the page was made from."""
"""What the preview inserts immediately before `</body>` in every HTML page."""
TRANSLATION = "content/incidents/2021/2021-01-27-protest.en.md"
PAGE = "/en/incidents/2021-01-27-protest/"
TITLE = "title: Protest on Palestine Street"


# ---------------------------------------------------------------- helpers


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment() -> dict[str, str]:
    """The environment for build.py, without CI annotations."""
    return {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}


def fetch(url: str) -> tuple[int, str, bytes]:
    """Status, Content-Type and body of `url` (error statuses included)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def wait_until(url: str, status: int, seconds: float, containing: str = "") -> bytes:
    """Poll `url` until it answers `status` with `containing` in its body; the body."""
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            code, _, body = fetch(url)
        except OSError as error:
            last = f"no answer ({error})"
        else:
            if code == status and containing in body.decode("utf-8", "replace"):
                return body
            last = f"{code}, {len(body)} bytes"
        time.sleep(0.1)
    wanted = f" containing {containing!r}" if containing else ""
    raise AssertionError(f"{url} did not answer {status}{wanted} within {seconds} s (last: {last})")


def snapshot(folder: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `folder` (dot-files included): (sha256, inode, st_mtime_ns)."""
    return {path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                  path.stat().st_ino, path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}


def clean_build(root: Path, work: Path, base_url: str) -> Path:
    """`build.py build --base-url` of a fresh copy of the project (no .cache, no site)."""
    fresh = work / "fresh-project"
    shutil.copytree(root, fresh, ignore=lambda folder, names: (
        [name for name in names if name in (".cache", "site")] if Path(folder) == root else []))
    out = work / "clean-site"
    done = subprocess.run([sys.executable, str(PROJECT / "build.py"), "build", "--out", str(out),
                           "--base-url", base_url], cwd=fresh, env=environment(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"the clean build failed:\n{done.stderr}"
    return out


def file_of(url_path: str) -> str:
    """The output file that a URL path names."""
    path = url_path.lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def without_reload_script(url_path: str, served: bytes) -> tuple[bytes, str]:
    """An HTML page as served, without the preview's reload script; a complaint
    if the script is not there exactly once, immediately before `</body>`."""
    found = RELOAD_SCRIPT.findall(served)
    is_before_body = len(found) == 1 and found[0] + b"</body>" in served
    if not is_before_body:
        return served, (f"{url_path}: the reload script is there {len(found)} time(s), "
                        f"{'' if found and found[0] + b'</body>' in served else 'not '}right before </body>")
    return served.replace(found[0] + b"</body>", b"</body>", 1), ""


class EventLog:
    """A background listener on the preview's `/_preview/events` stream."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.status: int | None = None
        self.content_type = ""
        self.failure = ""
        self.events: list[tuple[float, str]] = []
        """(time.monotonic() when read, the `data:` line)."""
        self.connected = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=300)
        try:
            target = f"{parts.path}?{parts.query}" if parts.query else parts.path
            connection.request("GET", target, headers={"Accept": "text/event-stream"})
            response = connection.getresponse()
            self.status, self.content_type = response.status, response.getheader("Content-Type") or ""
            self.connected.set()
            if response.status != 200:
                return
            for raw in response:
                line = raw.decode("utf-8").rstrip("\r\n")
                if line.startswith("data:"):
                    with self._lock:
                        self.events.append((time.monotonic(), line))
        except OSError as error:
            self.failure = repr(error)
        finally:
            self.connected.set()
            connection.close()

    def reloads_after(self, moment: float) -> list[float]:
        """When each `data: reload` event read after `moment` arrived."""
        with self._lock:
            return [when for when, line in self.events if line == "data: reload" and when > moment]

    def wait_for_reload(self, after: float, seconds: float) -> bool:
        """Whether a `data: reload` event arrives after `after`, waiting up to `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.reloads_after(after):
                return True
            time.sleep(0.05)
        return bool(self.reloads_after(after))

    def describe(self) -> str:
        """The stream as the test saw it, for failure messages."""
        with self._lock:
            seen = [f"{line} at {when:.2f}" for when, line in self.events]
        failure = f", {self.failure}" if self.failure else ""
        return f"{self.url} answered {self.status} ({self.content_type!r}){failure}; events: {seen}"


@dataclass
class Preview:
    """A running `build.py serve` on a test project."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    stderr_path: Path
    site_before: dict[str, tuple[str, int, int]]
    events: EventLog | None = None
    stderr: str = field(default="")

    @property
    def base_url(self) -> str:
        """The preview's own address, which its pages use as base_url."""
        return f"http://127.0.0.1:{self.port}/"

    def url(self, path: str) -> str:
        """The full URL of a path on the preview."""
        return self.base_url + path.lstrip("/")

    def stop(self) -> str:
        """Terminate the server (once) and return everything it wrote on stderr."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.stderr = self.stderr_path.read_text(encoding="utf-8", errors="replace")
        return self.stderr


def stop_without_traceback(preview: Preview) -> None:
    """Stop the server; it must not have printed a traceback."""
    errors = preview.stop()
    assert "Traceback" not in errors, f"the server printed a traceback:\n{errors}"


def autosave(root: Path) -> tuple[str, float]:
    """Write six versions of the translation's title 40 ms apart, as an editor's
    autosave does; the last title (unique) and when its write was done."""
    source = root / TRANSLATION
    original = source.read_text(encoding="utf-8")
    assert TITLE in original
    final = f"Autosaved title {uuid.uuid4().hex[:10]}"
    titles = [f"Protest on Palestine Street, draft {n}" for n in range(1, 6)] + [final]
    done = 0.0
    for n, title in enumerate(titles):
        if n:
            time.sleep(0.04)
        source.write_text(original.replace(TITLE, f"title: {title}"), encoding="utf-8")
        done = time.monotonic()
    return final, done


@pytest.fixture
def preview(make_site: MakeSite, tmp_path: Path) -> Iterator[Preview]:
    """`build.py serve` on a fresh site whose site/ folder was built beforehand,
    answering, with a listener on its reload events."""
    root = make_site()
    out, problems = build_site(root)
    assert not problems.has_errors, [str(p) for p in problems]
    port = free_port()
    stderr_path = tmp_path / "serve.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port)],
                                   cwd=root, env=environment(), stdout=subprocess.DEVNULL, stderr=stderr)
    server = Preview(root, port, process, stderr_path, snapshot(out))
    try:
        try:
            wait_until(server.url("/en/"), 200, 60)
        except AssertionError as error:
            raise AssertionError(f"{error}\nserver stderr:\n{server.stop()}") from None
        server.events = EventLog(server.url("/_preview/events"))
        server.events.connected.wait(10)
        yield server
    finally:
        server.stop()


# ---------------------------------------------------------------- tests


def test_preview_after_autosaves_serves_what_a_clean_build_makes(preview: Preview, tmp_path: Path) -> None:
    title, _ = autosave(preview.root)
    wait_until(preview.url(PAGE), 200, 20, containing=title)

    clean = clean_build(preview.root, tmp_path, preview.base_url)
    incidents = sorted(p.name for p in (clean / "en/incidents").iterdir() if p.is_dir())
    years = sorted(p.name for p in (clean / "en").iterdir() if re.fullmatch(r"\d{4}", p.name))
    assert incidents and years, "the clean build has no incident or year pages"
    paths = ["/", "/ar/", "/en/",
             *[f"/{lang}/incidents/{id_}/" for lang in ("ar", "en") for id_ in incidents],
             *[f"/{lang}/{year}/" for lang in ("ar", "en") for year in years],
             "/ar/places/hasakah/", "/en/places/hasakah/",
             "/en/feed.xml", "/sitemap.xml", "/en/incidents.json", "/en/search/manifest.js"]
    differences = []
    for path in paths:
        status, _, served = fetch(preview.url(path))
        if status != 200:
            differences.append(f"{path}: answered {status}")
            continue
        if file_of(path).endswith(".html"):
            served, complaint = without_reload_script(path, served)
            if complaint:
                differences.append(complaint)
                continue
        if served != (clean / file_of(path)).read_bytes():
            differences.append(f"{path}: differs from {file_of(path)} of a clean build")

    stop_without_traceback(preview)
    assert not differences, ("the preview does not serve the clean build's files:\n  "
                             + "\n  ".join(differences))


def test_preview_never_writes_the_output_folder(preview: Preview) -> None:
    title, _ = autosave(preview.root)
    wait_until(preview.url(PAGE), 200, 20, containing=title)
    stop_without_traceback(preview)

    out = preview.root / "site"
    assert out.is_dir(), "the preview removed site/"
    after = snapshot(out)
    changed = sorted(path for path in preview.site_before.keys() | after.keys()
                     if preview.site_before.get(path) != after.get(path))
    assert not changed, f"the preview wrote into site/: {changed}"


def test_a_browser_dropping_its_connection_is_not_reported(preview: Preview) -> None:
    """A reloading page resets the connections it kept alive: the server goes on
    serving and prints nothing about it."""
    for request in (b"", b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", preview.port), timeout=5) as client:
            client.sendall(request)
            if request:
                client.recv(65536)  # the page's first bytes: the server now waits for the next request
            time.sleep(0.2)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    time.sleep(0.2)
    assert fetch(preview.url("/en/"))[0] == 200
    stop_without_traceback(preview)


def test_preview_sends_a_reload_after_the_last_autosave(preview: Preview) -> None:
    assert preview.events is not None
    title, last_write = autosave(preview.root)
    wait_until(preview.url(PAGE), 200, 20, containing=title)

    reloaded = preview.events.wait_for_reload(after=last_write, seconds=10)

    stop_without_traceback(preview)
    assert preview.events.content_type.startswith("text/event-stream"), preview.events.describe()
    assert reloaded, (f"no 'data: reload' after the last write at {last_write:.2f}: "
                      f"{preview.events.describe()}")


def test_a_page_reloads_when_a_rebuild_comes_before_its_stream_connects(preview: Preview) -> None:
    """A save right after a page loaded, before its reload script listened."""
    page = preview.url("/en/incidents/2021-01-27-protest/")
    made = RELOAD_SCRIPT.search(fetch(page)[2])
    assert made is not None
    source = preview.root / TRANSLATION
    title = f"Saved before listening {uuid.uuid4().hex[:6]}"
    source.write_text(source.read_text(encoding="utf-8").replace(TITLE, f"title: {title}"), encoding="utf-8")
    wait_until(page, 200, 20, containing=title)
    since = made.group().split(b"since=")[1].split(b'"')[0].decode()
    late = EventLog(preview.url(f"/_preview/events?since={since}"))
    reloaded = late.wait_for_reload(after=0, seconds=5)
    stop_without_traceback(preview)
    assert reloaded, late.describe()


def test_preview_shows_errors_then_the_page_again(preview: Preview) -> None:
    assert preview.events is not None
    source = preview.root / TRANSLATION
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace(TITLE, f"{TITLE}\ntype: x"), encoding="utf-8")
    broken_at = time.monotonic()

    body = wait_until(preview.url("/en/"), 500, 20)
    shown = [item.get_text() for item in BeautifulSoup(body, "html.parser").select("li")]
    assert any(TRANSLATION in line and "fact field 'type' in a translation" in line for line in shown), (
        f"the error page does not list the error: {shown}")
    assert without_reload_script("/en/", body)[1] == "", "the error page does not reload by itself"
    assert preview.events.wait_for_reload(after=broken_at, seconds=10), (
        f"no 'data: reload' after the broken write: {preview.events.describe()}")

    source.write_text(original, encoding="utf-8")
    restored_at = time.monotonic()
    wait_until(preview.url("/en/"), 200, 20)
    wait_until(preview.url(PAGE), 200, 20, containing="Protest on Palestine Street")
    assert preview.events.wait_for_reload(after=restored_at, seconds=10), (
        f"no 'data: reload' after the fix: {preview.events.describe()}")
    stop_without_traceback(preview)


def test_an_open_page_reloads_itself_after_every_save(preview: Preview) -> None:
    """In a real browser: the page shows each saved title without being touched,
    saves that come within a second of each other included."""
    source = preview.root / TRANSLATION
    original = source.read_text(encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page()
            page.goto(preview.url("/en/incidents/2021-01-27-protest/"))
            expect(page.locator("h1")).to_contain_text("Palestine")  # no eval: the page's CSP forbids it
            page.wait_for_timeout(300)  # the event stream connects
            for n in range(3):
                title = f"Reloaded title {n} {uuid.uuid4().hex[:6]}"
                source.write_text(original.replace(TITLE, f"title: {title}"), encoding="utf-8")
                expect(page.locator("h1")).to_contain_text(title, timeout=10_000)
        finally:
            browser.close()
    stop_without_traceback(preview)
