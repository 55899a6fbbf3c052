"""A local preview: build, serve the output, rebuild on change, reload the browser.

When the content has errors, the previous output stays on disk and every page
of the preview shows the errors instead (the terminal lists them too), so an
editor sees at once what to fix; the next good build brings the site back.
"""

from __future__ import annotations

import mimetypes
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from livereload import Server
from markupsafe import escape

from waqai import commands
from waqai.config import Config
from waqai.problems import Problem, report

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(slots=True)
class Preview:
    """What the preview serves: the output folder and the last build's errors."""

    out: Path
    errors: list[Problem] = field(default_factory=list)


def serve(config: Config, *, host: str, port: int) -> int:
    """Serve the site until interrupted; returns the exit code."""
    preview = Preview(config.output.resolve())

    def rebuild() -> None:
        problems = commands.build(config, preview.out)
        report(problems, sys.stderr, sys.stdout, github=False)
        preview.errors = problems.errors
        status = "not rebuilt: fix the errors above" if preview.errors else "rebuilt"
        print(f"site {status}", file=sys.stderr)

    rebuild()
    server = Server(app=preview_app(preview))
    for path in (config.content, config.templates, config.locales, config.path):
        server.watch(str(path), rebuild)
    print(f"serving on http://{host}:{port}/", file=sys.stderr)
    server.serve(host=host, port=port, open_url_delay=None)
    return 0


def preview_app(preview: Preview) -> WsgiApp:
    """A WSGI app serving the output folder, or the errors while there are any."""

    def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = unquote(environ.get("PATH_INFO") or "/")
        if preview.errors and (path.endswith("/") or path.endswith(".html")):
            start_response("500 Content errors", [("Content-Type", "text/html; charset=utf-8")])
            return [error_page(preview.errors)]
        file = _resolve(preview.out, path)
        if file is None:
            start_response("404 Not Found", [("Content-Type", "text/html; charset=utf-8")])
            missing = preview.out / "404.html"
            return [missing.read_bytes() if missing.is_file() else b"<h1>Not found</h1>"]
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/json", "application/xml"):
            kind += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", kind)])
        return [file.read_bytes()]

    return app


def _resolve(out: Path, path: str) -> Path | None:
    """The file for a URL path inside `out` (a folder gives its index.html)."""
    target = (out / path.lstrip("/")).resolve()
    if target != out and out not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def error_page(errors: list[Problem]) -> bytes:
    """A page listing the content errors, one per line as in the terminal."""
    lines = "\n".join(f"<li><code>{escape(str(problem))}</code></li>" for problem in errors)
    return (
        '<!doctype html>\n<html lang="en" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
        "<title>Content errors</title>\n"
        "<style>body{font:1rem/1.6 system-ui,sans-serif;margin:2rem;max-inline-size:60rem}"
        "code{white-space:pre-wrap;unicode-bidi:plaintext}li{margin-block-end:.5rem}</style>\n"
        "</head>\n<body>\n<h1>The site was not rebuilt</h1>\n"
        f"<p>Fix these {len(errors)} problem(s); the page reloads by itself.</p>\n"
        f"<ul>\n{lines}\n</ul>\n</body>\n</html>\n"
    ).encode()
