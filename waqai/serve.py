"""A local preview: the site served from memory, rebuilt on every save.

The preview never writes the site anywhere (the publishable output folder
stays as the last `build` left it): each page is rendered when a browser
asks for it, from the latest model. A save is seen by inotify (watchfiles),
and only what it touched is read and checked again; facts that did not
change keep their derivations (related incidents, timeline, registries).
After each rebuild every open page is told to reload, through a server-sent
event that /_preview/reload.js listens to.

While the content has errors, every page shows them instead (the terminal
lists them too); an exception in a rebuild is shown the same way, and the
server keeps running.
"""

from __future__ import annotations

import mimetypes
import sys
import threading
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles
from markupsafe import escape

from waqai.cache import FOLDER, ParseCache
from waqai.commands import bulk
from waqai.config import Config, UsageError, load_config
from waqai.derive import Model, derive
from waqai.load import Reader
from waqai.pages import all_routes, copied_files
from waqai.problems import Problems, report
from waqai.render import Renderer
from waqai.routes import Route
from waqai.validate import Memo, validate

_RELOAD_JS = b"""// The preview's reload: one event after each rebuild since the page was made.
var since = new URL(document.currentScript.src).searchParams.get("since") || "";
new EventSource("/_preview/events?since=" + since).addEventListener("message", () => location.reload());
"""


def reload_script(generation: int) -> bytes:
    """Put before `</body>` of every page the preview serves: a same-origin
    file (a Content-Security-Policy without inline scripts allows it), told
    which rebuild the page was made from, so that a rebuild that comes before
    the page's event stream connects still reloads it."""
    return b'<script src="/_preview/reload.js?since=%d" defer></script>\n' % generation


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the preview serves until the next rebuild."""

    model: Model | None
    renderer: Renderer | None
    pages: dict[str, Route]
    """Output path -> page."""
    copies: dict[str, Path]
    """Output path -> file copied as it is."""
    errors: tuple[str, ...] = ()
    """Content errors, or the traceback of a failed rebuild."""


class Preview:
    """The latest model of the site and the pages made from it."""

    def __init__(self, config: Config, *, drafts: bool = True) -> None:
        self.config = config
        self.drafts = drafts
        """Show drafts (those without errors), marked as drafts."""
        self.reader = Reader(config, ParseCache(config.root / FOLDER))
        self.memo = Memo()
        self.snapshot = Snapshot(None, None, {}, {})
        self.generation = 0
        self.changed = threading.Condition()
        self._lock = threading.Lock()
        self._rendered: dict[str, bytes] = {}

    def rebuild(self, changed: Iterable[Path] | None = None) -> Problems:
        """Read what changed (everything when None), check it, and serve the result."""
        try:
            with bulk():
                problems = self._rebuild(None if changed is None else list(changed))
        except Exception:  # a bug must not stop the preview: show it, keep serving
            text = traceback.format_exc()
            print(text, file=sys.stderr)
            self._publish(replace(self.snapshot, errors=(text,)))
            return Problems()
        return problems

    def _rebuild(self, changed: list[Path] | None) -> Problems:
        if changed is not None and any(not _is_content(self.config, p) for p in changed):
            changed = None  # config, templates or catalogues: everything again
            self._reload_config()
        raw, problems = self.reader.read(changed)
        site, found = validate(raw, self.config, is_preview=self.drafts, memo=self.memo)
        problems += found
        if problems.has_errors:
            self._publish(replace(self.snapshot, errors=tuple(str(p) for p in problems.errors)))
            return problems
        previous = self.snapshot.model
        model = derive(site, self.config, raw.digests, previous=previous)
        if previous is not None and model.facts is previous.facts and model.config is previous.config:
            pages = self.snapshot.pages  # the same facts make the same pages
        else:
            pages = {route.path: route for route in all_routes(model)}
        renderer = Renderer(model, self.snapshot.renderer)
        copies = {route.path: path for route, path in copied_files(model).items()}
        self._publish(Snapshot(model, renderer, pages, copies))
        return problems

    def _reload_config(self) -> None:
        config, problems = load_config(self.config.path, base_url=self.config.base_url)
        if config is None:
            raise ValueError("config.yaml has errors:\n" + "\n".join(str(p) for p in problems))
        self.config = config
        self.reader = Reader(config, self.reader.cache)
        self.snapshot = Snapshot(None, None, {}, {})

    def _publish(self, snapshot: Snapshot) -> None:
        with self._lock:
            self.snapshot = snapshot
            self._rendered = {}
        with self.changed:
            self.generation += 1
            self.changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int:
        """The generation after `seen`, once there is one (or `seen` after `timeout`)."""
        with self.changed:
            self.changed.wait_for(lambda: self.generation != seen, timeout=timeout)
            return self.generation

    def respond(self, path: str) -> tuple[int, str, bytes]:
        """Status, content type and body for a URL path."""
        generation = self.generation  # before the snapshot: never newer than what it shows
        snapshot = self.snapshot
        name = unquote(urlsplit(path).path).lstrip("/")
        name = name + "index.html" if name.endswith("/") or not name else name
        is_page = name.endswith(".html")
        if snapshot.errors and is_page:
            return 500, "text/html; charset=utf-8", error_page(snapshot.errors, generation)
        if name in snapshot.copies:
            return 200, _content_type(name), snapshot.copies[name].read_bytes()
        if name + "/index.html" in snapshot.pages:
            name += "/index.html"
        route = snapshot.pages.get(name)
        status = 200
        if route is None:
            route, status = snapshot.pages.get("404.html"), 404
            if route is None:
                return 404, "text/plain; charset=utf-8", b"Not found\n"
        return status, _content_type(route.path), self._render(snapshot, route, generation)

    def _render(self, snapshot: Snapshot, route: Route, generation: int) -> bytes:
        with self._lock:  # one renderer, one page at a time
            if snapshot is not self.snapshot or snapshot.renderer is None:
                snapshot = self.snapshot
            assert snapshot.renderer is not None
            data = self._rendered.get(route.path)
            if data is None:
                data = self._rendered[route.path] = snapshot.renderer.render(route)
        return with_reload(data, generation) if route.is_html else data


def _is_content(config: Config, path: Path) -> bool:
    return config.content in path.parents


def _content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/javascript"):
        kind += "; charset=utf-8"
    return kind


def with_reload(html: bytes, generation: int) -> bytes:
    """A page with the preview's reload script before `</body>`."""
    script = reload_script(generation)
    head, found, tail = html.rpartition(b"</body>")
    return head + script + found + tail if found else html + script


def error_page(errors: Iterable[str], generation: int) -> bytes:
    """A page listing the content errors, one per line as in the terminal."""
    errors = list(errors)
    lines = "\n".join(f"<li><code>{escape(error)}</code></li>" for error in errors)
    page = (
        '<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        "<title>Content errors</title>\n"
        "<style>body{font:1rem/1.6 system-ui,sans-serif;margin:2rem;max-inline-size:60rem}"
        "code{white-space:pre-wrap;unicode-bidi:plaintext}li{margin-block-end:.5rem}</style>\n"
        "</head>\n<body>\n<h1>The site was not rebuilt</h1>\n"
        f"<p>Fix these {len(errors)} problem(s); the page reloads by itself.</p>\n"
        f"<ul>\n{lines}\n</ul>\n</body>\n</html>\n"
    ).encode()
    return with_reload(page, generation)


# The server ------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    preview: ClassVar[Preview]
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path.startswith("/_preview/events"):
            self._events()
            return
        if self.path.startswith("/_preview/reload.js"):
            status, kind, body = 200, "text/javascript; charset=utf-8", _RELOAD_JS
        else:
            status, kind, body = self.preview.respond(self.path)
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: `data: reload` after every rebuild, until the page goes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        with preview.changed:
            seen = preview.generation
        since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
        seen = int(since) if since.isdigit() else seen
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                now = preview.wait(seen, timeout=15)
                self.wfile.write(b"data: reload\n\n" if now != seen else b": waiting\n\n")
                self.wfile.flush()
                seen = now
        except (BrokenPipeError, ConnectionResetError):
            return

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for content problems."""


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that drops its connection (a reloading page closes the ones it
        kept alive) is not a problem to report; anything else still is."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def serve(config: Config, *, host: str, port: int, drafts: bool = True) -> int:
    """Serve the site until interrupted (with its drafts unless told not to);
    returns the exit code."""
    preview = Preview(config, drafts=drafts)
    handler = type("Handler", (_Handler,), {"preview": preview})
    try:
        server = _Server((host, port), handler)
    except OSError as exc:
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror}; choose another --port") from None
    _report(preview.rebuild())
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(preview, stop), daemon=True)
    watcher.start()
    print(f"serving on http://{host}:{port}/", file=sys.stderr)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0


def _watch(preview: Preview, stop: threading.Event) -> None:
    """Rebuild after every batch of saves (inotify; a batch ends 20 ms after its last save)."""
    config = preview.config
    watched = [str(p) for p in (config.content, config.templates, config.locales, config.path)]
    for changes in watchfiles.watch(*watched, debounce=400, step=20, stop_event=stop,
                                    rust_timeout=1000, yield_on_timeout=False):
        _report(preview.rebuild(Path(path) for _, path in changes))


def _report(problems: Problems) -> None:
    report(problems, sys.stderr, sys.stdout, github=False)
    status = "not rebuilt: fix the errors above" if problems.has_errors else "rebuilt"
    print(f"site {status}", file=sys.stderr)

