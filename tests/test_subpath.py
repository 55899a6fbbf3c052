"""The sample site served under a sub-path, checked by a real link checker.

The output folder is served at http://127.0.0.1:PORT/some/sub/path/ by a small
threaded HTTP server; every page is crawled and every internal link (href,
src, and the absolute URLs in the sitemap, feeds, robots.txt and exports)
must answer 200 there, without a redirect and without leaving the sub-path.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from waqai import commands
from waqai.config import load_config

PROJECT = Path(__file__).resolve().parent.parent
PREFIX = "/some/sub/path/"
DEADLINE = 120.0
"""Seconds the whole crawl may take."""
LINKS = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"),
         ("iframe", "src"), ("form", "action"))


def handler_for(folder: Path) -> type[SimpleHTTPRequestHandler]:
    """A handler that serves `folder` under PREFIX and nothing anywhere else."""

    class SubPathHandler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def translate_path(self, path: str) -> str:
            if not path.startswith(PREFIX):
                return str(folder / "-not-under-the-prefix-")
            return super().translate_path("/" + path.removeprefix(PREFIX))

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output quiet

    return SubPathHandler


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    """A server on a free port of 127.0.0.1; its handler is set by the test."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def fetch(port: int, url: str) -> tuple[int, str, bytes]:
    """GET without following redirects: status, content type, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", urlsplit(url).path)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def links_of(url: str, content_type: str, body: bytes, base: str) -> set[str]:
    """Every URL a page or data file points at, absolute and without fragment."""
    if content_type.startswith("text/html"):
        page = BeautifulSoup(body.decode("utf-8"), "html.parser")
        found = {urljoin(url, str(tag[attribute]))
                 for name, attribute in LINKS for tag in page.find_all(name) if tag.get(attribute)}
    else:  # sitemap, feeds, robots.txt, JSON and CSV exports: the absolute URLs in them
        found = set(re.findall(re.escape(base) + r"[^\s\"'<>&;,]*", body.decode("utf-8-sig")))
    return {urldefrag(link).url for link in found}


def test_every_internal_link_resolves_under_a_sub_path(server: ThreadingHTTPServer,
                                                       tmp_path: Path) -> None:
    port = server.server_address[1]
    base = f"http://127.0.0.1:{port}{PREFIX}"
    config, problems = load_config(PROJECT / "config.yaml", base_url=base)
    assert config is not None, [str(p) for p in problems]
    out = tmp_path / "site"
    assert not commands.build(config, out).has_errors
    server.RequestHandlerClass = handler_for(out)

    data = [f"{lang}/{name}" for lang in config.languages for name in ("incidents.json", "timeline.json")]
    queue = [base + path for path in ("", "sitemap.xml", "robots.txt", "404.html", "incidents.csv", *data)]
    seen: dict[str, str] = {url: "(start)" for url in queue}
    broken: list[str] = []
    started = time.monotonic()
    while queue:
        assert time.monotonic() - started < DEADLINE, f"crawl took longer than {DEADLINE}s"
        url = queue.pop()
        status, content_type, body = fetch(port, url)
        if status != 200:
            broken.append(f"{url} -> {status} (linked from {seen[url]})")
            continue
        for link in sorted(links_of(url, content_type, body, base)):
            parts = urlsplit(link)
            if parts.netloc != f"127.0.0.1:{port}" or link in seen:
                continue  # another origin, or already queued
            seen[link] = url
            if not link.startswith(base):
                broken.append(f"{link} leaves the sub-path (linked from {url})")
                continue
            queue.append(link)

    assert broken == []
    assert fetch(port, f"http://127.0.0.1:{port}/index.html")[0] == 404  # only the sub-path is served
    pages = {base + p.relative_to(out).as_posix().removesuffix("index.html") for p in out.rglob("*.html")}
    assert pages <= set(seen), f"never reached: {sorted(pages - set(seen))}"
    assert base + "static/style.css" in seen
    assert base + "ar/feed.xml" in seen
