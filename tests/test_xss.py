"""No script from content, ever: every payload of data/xss_payloads.txt in
every text field of a site (incident titles, summaries, bodies, sources and
media, registry names, descriptions and aliases, page titles and bodies, the
config's titles) and in every URL field. `check` refuses it, or the built
site shows it as text: each page is read as HTML, then opened in headless
Chromium, where no dialog may open, no script run but the theme's, nothing
violate the Content-Security-Policy and nothing load from another origin."""

from __future__ import annotations

import functools
import re
import threading
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
import test_browser
import yaml
from bs4 import BeautifulSoup
from conftest import CONFIG, MakeSite, check_site, config_of
from playwright.sync_api import Browser, Page
from test_browser import QuietHandler

from waqai import commands

DATA = Path(__file__).parent / "data" / "xss_payloads.txt"
PAYLOADS = [line.rstrip("\n").replace("\\n", "\n") for line in DATA.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("# ")]
URLS = [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "javascript://a.example/%0Aalert(1)", "&#106;avascript:alert(1)", "jav&#x09;ascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "DATA:text/html,x",
    "vbscript:msgbox(1)", "VBScript:msgbox(1)", "//evil.example/x", "/relative", "evil.example/x",
    "https:evil.example", "file:///etc/passwd", "about:blank",
    "https://a.example/\"><script>alert(1)</script>", "https://a.example/' onmouseover='alert(1)",
    "https://a.example/?q=<img src=x onerror=alert(1)>",
    "https://user:pass@a.example/#\"><svg onload=alert(1)>",
    "http://a.example/{{ 7*191 }}",
]
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'")
SAFE_SCHEMES = ("http", "https", "mailto", "tel", "")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcset", "data", "poster", "xlink:href",
                  "background")
THEME_SCRIPTS = re.compile(r".*/(static/(waqai|timeline|search)\.js"
                           r"|[a-z]+/search/(manifest|terms/\d+|records/\d+)\.js|data/[a-z]+/[a-z0-9-]+\.js)")
"""The theme's scripts, and the data scripts the build writes (JSON escaped by share.script_json)."""
ELEMENTS_NEVER_SHOWN = ("iframe", "object", "embed", "svg:not(.map-svg, .chart-svg)", "math", "base",
                        "form:not(.search-form)", "style", "frame", "applet", "input:not(#search-query)",
                        "textarea", "select", "video", "audio",
                        "details[open]", "marquee", "xss", "img[onerror]", "source")
browser = test_browser.browser
"""Chromium, as test_browser launches it."""
THEIRS = "1337"
"""7*191: what a template that evaluated `{{ 7*191 }}` would write."""


def test_the_corpus_is_large_enough() -> None:
    assert len(PAYLOADS) >= 60
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)


def hostile_files() -> dict[str, str | None]:
    """A site whose incidents, actors, places and pages each hold two payloads,
    one per language (and the other in their other text fields)."""
    actors, places = {}, {}
    files: dict[str, str | None] = {"content/media/x.png": "not really a png"}
    types = {f"type-{n}": {"name": {"ar": p, "en": p}, "description": {"ar": p, "en": p}}
             for n, p in enumerate(PAYLOADS[:3])}
    tags = {"tag-0": {"name": {"ar": PAYLOADS[3], "en": PAYLOADS[4]}}}
    for k in range((len(PAYLOADS) + 1) // 2):
        one, two = PAYLOADS[2 * k], PAYLOADS[(2 * k + 1) % len(PAYLOADS)]
        actors[f"actor-{k}"] = {"name": {"ar": one, "en": two}, "description": {"ar": two, "en": one}}
        places[f"place-{k}"] = {"name": {"ar": two, "en": one}, "description": {"ar": one, "en": two},
                                "aliases": [one, two]}
        front = {
            "title": one, "summary": two, "date": f"2020-{k % 12 + 1:02d}-{k % 28 + 1:02d}",
            "type": f"type-{k % 3}", "places": [f"place-{k}"], "actors": [f"actor-{k}"], "tags": ["tag-0"],
            "sources": [{"url": "https://a.example/", "publisher": one, "title": two},
                        {"url": "https://b.example/", "publisher": two, "title": one}],
            "media": [{"kind": "image", "url": "https://media.example/x", "caption": one, "credit": two},
                      {"kind": "post", "url": "https://media.example/y", "caption": two, "credit": one}],
        }
        files[f"content/incidents/x-{k}.ar.md"] = f"---\n{dump(front)}---\n{one}\n\n* {two}\n"
        files[f"content/incidents/x-{k}.en.md"] = f"---\n{dump({'title': two, 'summary': one})}---\n> {two}\n"
        files[f"content/pages/page-{k}.ar.md"] = f"---\n{dump({'title': one})}---\n{one}\n"
        files[f"content/pages/page-{k}.en.md"] = f"---\n{dump({'title': two})}---\n{two}\n"
    files["content/actors.yaml"] = dump(actors)
    files["content/places.yaml"] = dump(places)
    files["content/types.yaml"] = dump(types)
    files["content/tags.yaml"] = dump(tags)
    return files


def hostile_config() -> str:
    title = dump({"title": {"ar": PAYLOADS[0] + PAYLOADS[-6], "en": PAYLOADS[24] + PAYLOADS[-5]}})
    return title + CONFIG.split("\n", 1)[1]


def url_incident(n: int, url: str) -> str:
    front = {"title": f"URL {n}", "date": "2020-06-01", "type": "type-0", "places": ["place-0"],
             "sources": [{"url": url, "publisher": "P", "archive_url": url}],
             "media": [{"kind": "video", "url": url}]}
    return f"---\n{dump(front)}---\n"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile site with the URLs `check` accepts, built; the refused
    ones are checked to be refused at their lines."""
    root = tmp_path_factory.mktemp("xss") / "project"
    files = {**hostile_files(), **{f"content/incidents/url-{n}.ar.md": url_incident(n, url)
                                   for n, url in enumerate(URLS)}}
    write(root, {"config.yaml": hostile_config(), **files})
    problems = check_site(root)
    errors = [p for p in problems if ": error: " in p]
    refused = {int(p.split("/url-")[1].split(".")[0]) for p in errors}
    for line in errors:
        assert "/url-" in line and ("unsafe or relative URL" in line or "control character" in line), line
    for n in refused:  # every URL field of the incident says it
        assert sum(f"/url-{n}.ar.md:" in p for p in errors) == 3
        (root / f"content/incidents/url-{n}.ar.md").unlink()
    assert {URLS[n] for n in refused} >= {u for u in URLS if not u.lower().startswith("http")}
    assert len(refused) < len(URLS), "some hostile URLs are valid http(s) and must be shown inert"
    assert not commands.build(config_of(root), root / "site").has_errors
    return root / "site"


def write(root: Path, files: dict[str, str | None]) -> None:
    for path, text in files.items():
        if text is not None:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_page_holds_only_inert_text(hostile_site: Path) -> None:
    """What the browser would parse: only the theme's scripts and markup."""
    found = pages(hostile_site)
    assert len(found) > 4 * len(PAYLOADS)  # each payload's incident, actor, place and page
    for path in found:
        text = path.read_text(encoding="utf-8")
        assert THEIRS not in text, path
        document = BeautifulSoup(text, "html.parser")
        name = path.relative_to(hostile_site).as_posix()
        policy = document.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None and policy["content"] == CSP, name
        others = [m for m in document.find_all("meta", attrs={"http-equiv": True}) if m is not policy]
        assert others == [], name
        for script in document.find_all("script"):
            if script.get("type") == "application/ld+json":
                assert not script.get("src") and "<" not in script.string, name
            else:
                assert script.get("src") and not script.string, name
                assert THEME_SCRIPTS.fullmatch(script["src"]), name
        for element in document.find_all(True):
            for attribute, value in element.attrs.items():
                assert not attribute.lower().startswith("on"), (name, element)
                assert attribute.lower() != "style", (name, element)
                if attribute.lower() in URL_ATTRIBUTES:
                    scheme = urlsplit("".join(str(value).split()).lower()).scheme
                    assert scheme in SAFE_SCHEMES, (name, element)
        for selector in ELEMENTS_NEVER_SHOWN:
            assert document.select(selector) == [], (name, selector)


def test_feeds_and_data_stay_well_formed(hostile_site: Path) -> None:
    for path in sorted(hostile_site.rglob("*.xml")):
        ElementTree.parse(path)
        assert THEIRS not in path.read_text(encoding="utf-8")
    for path in sorted(hostile_site.rglob("*.json")):
        assert THEIRS not in path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def server(hostile_site: Path) -> Iterator[str]:
    http = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(hostile_site)))
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_address[1]}/"
    http.shutdown()
    http.server_close()


TRIPWIRE = """
window.__seen = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__seen.push("csp " + event.violatedDirective + " " + event.blockedURI);
});
"""


class Watch:
    """One browser page that records dialogs, requests and what the CSP blocked."""

    def __init__(self, browser: Browser, origin: str) -> None:
        self.origin = origin
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.add_init_script(TRIPWIRE)
        self.page: Page = self.context.new_page()
        self.events: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)
        self.page.on("pageerror", lambda error: self.events.append(f"page error {error}"))

    def _dialog(self, dialog: Any) -> None:
        self.events.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Any) -> None:
        url = request.url
        if not url.startswith(self.origin):
            self.events.append(f"request to another origin: {url}")
        elif request.resource_type == "script" and not THEME_SCRIPTS.fullmatch(url):
            self.events.append(f"script the theme did not ship: {url}")

    def visit(self, url: str) -> list[str]:
        """What happened while `url` loaded."""
        self.events = []
        self.page.goto(url, wait_until="load")
        seen: list[str] = self.page.evaluate("window.__seen")
        return self.events + seen


def test_no_page_runs_anything_in_chromium(browser: Browser, server: str, hostile_site: Path) -> None:
    watch = Watch(browser, server)
    urls = [server + path.relative_to(hostile_site).as_posix() for path in pages(hostile_site)]
    for lang in ("ar", "en"):
        urls += [f"{server}{lang}/search/?q={quote(q)}" for q in ("alert", "script", "img", "7*191", "svg")]
        urls += [f"{server}{lang}/?type={quote(PAYLOADS[8])}&place=%22%3E%3Csvg%20onload%3Dalert(1)%3E"]
    happened = {url: events for url in urls if (events := watch.visit(url))}
    assert happened == {}
    found = watch.page.goto(f"{server}en/search/?q=alert")
    assert found is not None and watch.page.locator("ol.search-results li").count() > 10, \
        "the search listed the hostile titles, as text"
    assert watch.context.cookies() == []
    watch.context.close()


def test_check_refuses_a_hostile_url_at_its_line(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-02-01-x.ar.md": "---\ntitle: t\ndate: 2021-02-01\n"
                      "type: protest\nplaces: [hasakah]\nsources:\n  - url: ' JaVaScRiPt:alert(1)'\n"
                      "    publisher: P\n---\n"})
    assert check_site(root) == [
        "content/incidents/2021/2021-02-01-x.ar.md:7: error: unsafe or relative URL ' JaVaScRiPt:alert(1)' "
        "in 'sources.url'; use an absolute http:// or https:// address"]
