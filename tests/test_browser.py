"""The sample site in headless Chromium, as a reader sees it: layout in both
directions on a phone, and the timeline's filters with and without JavaScript."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import chromium
from playwright.sync_api import Browser, Page, sync_playwright

from waqai import commands
from waqai.config import load_config

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = chromium()
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    config, _ = load_config(PROJECT / "config.yaml")
    assert config is not None
    out = tmp_path_factory.mktemp("browser") / "site"
    assert not commands.build(config, out).has_errors
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), (
        f"no Chromium at {CHROMIUM}: run 'make chromium', or set WAQAI_CHROMIUM to a Chromium binary")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def open_page(browser: Browser, url: str, *, width: int = 390, javascript: bool = True) -> Page:
    """A fresh page of the given width."""
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url)
    return page


PAGES = ["ar/", "en/", "ar/incidents/2021-01-27-palestine-street-protest/",
         "en/incidents/2021-01-qamishli-skirmishes/", "ar/places/hasakah-governorate/",
         "en/places/", "en/methodology/", ""]


@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_on_a_small_phone(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path, width=360)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.context.close()


@pytest.mark.parametrize(("lang", "side"), [("ar", "right"), ("en", "left")])
def test_layout_mirrors_with_the_language(browser: Browser, base_url: str, lang: str, side: str) -> None:
    page = open_page(browser, f"{base_url}{lang}/", width=1280)
    heading = page.locator("main h1").bounding_box()
    main = page.locator("main").bounding_box()
    assert heading is not None and main is not None
    if side == "right":
        assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 48
    else:
        assert abs(heading["x"] - main["x"]) < 48
    assert page.evaluate("getComputedStyle(document.querySelector('ol.timeline')).direction") == \
        ("rtl" if lang == "ar" else "ltr")
    page.context.close()


def visible_filters(page: Page) -> list[str]:
    """The data-filter of every timeline entry still shown."""
    return page.eval_on_selector_all(
        "li.event", "items => items.filter(i => !i.hidden && i.offsetParent).map(i => i.dataset.filter)")


def test_filter_in_place_and_keep_it_in_the_address(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/", width=1280)
    everything = visible_filters(page)
    page.locator(".filters summary", has_text="Types").click()
    page.locator('.filters a[data-filter-key="type:protest"]').click()
    shown = visible_filters(page)
    assert shown and len(shown) < len(everything)
    assert all("type:protest" in keys.split() for keys in shown)
    assert page.url == f"{base_url}en/?type=protest"
    assert page.locator(".filter-status").inner_text() == f"Incidents shown: {len(shown)}"

    shared = open_page(browser, page.url, width=1280)
    assert visible_filters(shared) == shown
    shared.locator(".filter-clear").click()
    assert visible_filters(shared) == everything
    assert shared.url == f"{base_url}en/"
    shared.context.close()
    page.context.close()


def test_filters_combine_and_hide_empty_months(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/?type=protest&place=hasakah", width=1280)
    shown = visible_filters(page)
    assert shown
    assert all({"type:protest", "place:hasakah"} <= set(keys.split()) for keys in shown)
    page.goto(f"{base_url}en/?actor=nobody-at-all")
    assert visible_filters(page) == []
    assert page.locator(".timeline-month:visible").count() == 0
    page.context.close()


def test_without_javascript_a_filter_link_opens_the_entry_page(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/", width=1280, javascript=False)
    page.locator(".filters summary", has_text="Places").click()
    page.locator('.filters a[data-filter-key="place:hasakah"]').click()
    page.wait_for_url(f"{base_url}en/places/hasakah/index.html")
    assert page.locator("h1").inner_text() == "Hasakah"
    assert page.locator("li.event").count() >= 1
    page.context.close()


A11Y_PAGES = ["", "ar/", "en/", "ar/incidents/2021-01-27-palestine-street-protest/",
              "en/incidents/2021-01-qamishli-skirmishes/", "en/places/", "ar/places/hasakah-governorate/",
              "ar/search/?q=%D8%AD%D8%B3%D9%83%D8%A9", "ar/about/", "en/methodology/"]


@pytest.mark.parametrize("path", A11Y_PAGES)
def test_no_accessibility_violations(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path, width=1280)
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    page.context.close()
