"""The preview server: the site while content is valid, the errors while not."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from conftest import MakeSite, build_site

from waqai.problems import Problem
from waqai.serve import Preview, error_page, preview_app

PROJECT = Path(__file__).resolve().parent.parent


def call(app: Any, path: str) -> tuple[str, dict[str, str], bytes]:
    """One request to a WSGI app: status, headers, body."""
    seen: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": "GET"}, start_response))
    return seen["status"], seen["headers"], body


def test_preview_serves_the_site_and_keeps_inside_it(make_site: MakeSite) -> None:
    out, _ = build_site(make_site())
    app = preview_app(Preview(out.resolve()))
    status, headers, body = call(app, "/en/")
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (out / "en/index.html").read_bytes()
    assert call(app, "/static/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert call(app, "/../config.yaml")[0] == "404 Not Found"
    assert call(app, "/nowhere/")[2] == (out / "404.html").read_bytes()


def test_preview_shows_the_errors_instead_of_pages(make_site: MakeSite) -> None:
    out, _ = build_site(make_site())
    problem = Problem(Path("content/x.ar.md"), 3, "unknown place '<hasaka>'", "did you mean 'hasakah'?")
    app = preview_app(Preview(out.resolve(), [problem]))
    status, _, body = call(app, "/ar/index.html")
    assert status == "500 Content errors"
    assert body == error_page([problem])
    shown = [li.text for li in BeautifulSoup(body, "html.parser").select("li")]
    assert shown == ["content/x.ar.md:3: error: unknown place '<hasaka>'; did you mean 'hasakah'?"]
    assert call(app, "/static/style.css")[0] == "200 OK"


def free_port() -> int:
    """A port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    """Status and text of a page (errors included)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(url: str, status: int, seconds: float = 20) -> str:
    """Poll `url` until it answers with `status`; its text."""
    deadline = time.monotonic() + seconds
    last: tuple[int, str] = (0, "")
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
        except OSError:
            last = (0, "")
        if last[0] == status:
            return last[1]
        time.sleep(0.2)
    raise AssertionError(f"{url} answered {last[0]}, not {status}")


def test_serve_rebuilds_on_change_and_shows_errors(make_site: MakeSite) -> None:
    root = make_site()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    server = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port)],
                              cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    page = f"http://127.0.0.1:{port}/en/incidents/2021-01-27-protest/"
    source = root / "content/incidents/2021/2021-01-27-protest.en.md"
    try:
        assert "Protest on Palestine Street" in wait_for(page, 200)
        edited = source.read_text().replace("title: Protest", "title: Rally")
        source.write_text(edited.replace("---\n", "---\ntype: x\n", 1))
        assert "fact field &#39;type&#39; in a translation" in wait_for(page, 500)
        source.write_text(edited)
        assert "Rally on Palestine Street" in wait_for(page, 200)
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=10)
    assert "Traceback" not in errors.decode()
