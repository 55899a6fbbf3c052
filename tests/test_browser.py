"""The sample site in headless Chromium, as a reader sees it: layout in both
directions on a phone, and the timeline's filters with and without JavaScript."""

from __future__ import annotations

import functools
import json
import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

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
         "en/places/", "en/methodology/", "ar/corrections/", "en/corrections/",
         "en/incidents/2021-01-hasakah-security-square-siege/", ""]


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


def top_level_rules(css: str) -> list[str]:
    """The preludes (selectors, at-rules) of a stylesheet's top-level rules, as written."""
    found, depth, start = [], 0, 0
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for position, char in enumerate(text):
        if char == "{":
            if depth == 0:
                found.append(" ".join(text[start:position].split()))
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                start = position + 1
        elif char == ";" and depth == 0:  # @import and the like
            found.append(" ".join(text[start:position].split()))
            start = position + 1
    assert depth == 0, "a brace is left open"
    return found


def test_the_browser_reads_every_rule_of_the_stylesheet(browser: Browser, base_url: str) -> None:
    """A brace left open makes every later rule a nested one that matches
    nothing, silently: Chromium must see each rule of style.css at its top level."""
    written = top_level_rules((PROJECT / "templates/static/style.css").read_text(encoding="utf-8"))
    page = open_page(browser, f"{base_url}en/", width=1280)
    read: list[list[str]] = page.evaluate("""() => {
      const sheet = [...document.styleSheets].find(s => (s.href || "").endsWith("style.css"));
      const inner = rule =>
        rule instanceof CSSStyleRule ? [...rule.cssRules].map(r => r.cssText.slice(0, 40)) : [];
      return [...sheet.cssRules].map(rule =>
        [rule.cssText.slice(0, rule.cssText.indexOf("{")).trim(), ...inner(rule)]);
    }""")
    page.context.close()
    nested = [rule for rule in read if len(rule) > 1]
    assert not nested, f"rules read inside another (a brace left open before them?): {nested[:1]}"
    assert len(read) == len(written)


def wait_until(page: Page, condition: str, timeout: float = 10.0) -> None:
    """Wait until the JavaScript expression `condition` holds in the page.
    (Playwright's wait_for_function compiles its code in the page, which the
    site's Content-Security-Policy forbids; evaluate() is not affected.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({condition})"):
        assert time.monotonic() < deadline, f"timed out waiting for {condition}"
        page.wait_for_timeout(20)


def filtered(page: Page) -> list[str]:
    """The incident ids the filters show, once they are shown."""
    wait_until(page, "document.querySelector('.filter-status').textContent !== ''")
    hrefs: list[str] = page.eval_on_selector_all(
        ".filter-results li a", "links => links.map(a => a.getAttribute('href'))")
    return [href.split("/incidents/")[1].split("/")[0] for href in hrefs]


def incidents(base_url: str) -> list[dict[str, Any]]:
    """The sample's incidents as the site exports them, in the chronology's order."""
    with urllib.request.urlopen(f"{base_url}en/incidents.json") as response:
        data: list[dict[str, Any]] = json.load(response)["incidents"]
    return data


def test_filters_show_the_whole_chronology_and_keep_it_in_the_address(browser: Browser,
                                                                       base_url: str) -> None:
    protests = [i["id"] for i in incidents(base_url) if i["type"]["id"] == "protest"]
    page = open_page(browser, f"{base_url}en/2021/", width=1280)
    assert page.locator(".timeline-month").first.is_visible()
    page.locator(".filters summary", has_text="Types").click()
    page.locator('.filters a[data-filter-key="type:protest"]').click()
    assert filtered(page) == protests
    assert not page.locator(".timeline-month").first.is_visible()
    assert page.url == f"{base_url}en/2021/?type=protest"
    assert page.locator(".filter-status").inner_text() == f"Incidents shown: {len(protests)}"
    assert page.locator('a[data-filter-key="type:protest"]').get_attribute("aria-pressed") == "true"

    shared = open_page(browser, page.url, width=1280)
    assert filtered(shared) == protests
    shared.locator(".filter-clear").click()
    assert shared.locator(".timeline-month").first.is_visible()
    assert shared.locator(".filter-results").is_hidden()
    assert shared.url == f"{base_url}en/2021/"
    shared.context.close()
    page.context.close()


def test_filters_combine_and_space_toggles_them(browser: Browser, base_url: str) -> None:
    expected = [i["id"] for i in incidents(base_url) if i["type"]["id"] == "protest"
                and any("hasakah" in (p["id"], p["within"]) for p in i["places"])]
    page = open_page(browser, f"{base_url}en/?type=protest&place=hasakah", width=1280)
    assert filtered(page) == expected and expected
    page.goto(f"{base_url}en/?actor=nobody-at-all")
    assert filtered(page) == []
    assert page.locator(".filter-status").inner_text() == "No incident matches these filters."
    page.goto(f"{base_url}en/")
    page.locator(".filters summary", has_text="Years").click()
    page.locator('a[data-filter-key="year:2021"]').focus()
    page.keyboard.press("Space")
    assert len(filtered(page)) == len(incidents(base_url))
    assert page.url == f"{base_url}en/?year=2021"
    page.context.close()


def test_filter_counts_in_the_page_digits(browser: Browser, tmp_path: Path) -> None:
    """With `digits: arab`, Arabic pages count in Arabic-Indic digits, English ones do not."""
    text = (PROJECT / "config.yaml").read_text(encoding="utf-8").replace("digits: latn", "digits: arab")
    text = text.replace("content: content", f"content: {PROJECT}/content")
    (tmp_path / "config.yaml").write_text(text, encoding="utf-8")
    config, _ = load_config(tmp_path / "config.yaml")
    assert config is not None
    out = tmp_path / "site"
    assert not commands.build(config, out).has_errors
    for lang, count in (("en", "12"), ("ar", "١٢")):
        page = open_page(browser, (out / lang / "index.html").as_uri() + "?year=2021", width=1280)
        filtered(page)
        assert page.locator(".filter-status").inner_text().endswith(f" {count}"), lang
        page.context.close()


def test_without_javascript_a_filter_link_opens_the_entry_page(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/", width=1280, javascript=False)
    page.locator(".filters summary", has_text="Places").click()
    page.locator('.filters a[data-filter-key="place:hasakah"]').click()
    page.wait_for_url(f"{base_url}en/places/hasakah/index.html")
    assert page.locator("h1").inner_text() == "Hasakah"
    assert page.locator("li.event").count() >= 1
    page.context.close()


A11Y_PAGES = ["", "ar/", "en/", "ar/2021/", "en/2021/?type=protest",
              "ar/incidents/2021-01-27-palestine-street-protest/",
              "en/incidents/2021-01-qamishli-skirmishes/", "en/places/", "ar/places/hasakah-governorate/",
              "ar/search/?q=%D8%AD%D8%B3%D9%83%D8%A9", "en/search/?q=hasakah", "ar/about/",
              "en/methodology/", "404.html", "ar/corrections/", "en/corrections/",
              "en/incidents/2021-01-hasakah-security-square-siege/"]


SCREENSHOTS = PROJECT / "screenshots" / "pages"
PICTURED = {"ar/": "timeline-ar", "en/": "timeline-en",
            "ar/incidents/2021-01-27-palestine-street-protest/": "incident-ar",
            "en/incidents/2021-01-qamishli-skirmishes/": "incident-en",
            "ar/search/?q=%D8%AD%D8%B3%D9%83%D8%A9": "search-ar", "en/search/?q=hasakah": "search-en"}
"""Pages whose screenshots the accessibility test writes to SCREENSHOTS (README)."""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", A11Y_PAGES)
def test_no_accessibility_violations(browser: Browser, base_url: str, path: str, width: int,
                                     scheme: str) -> None:
    """axe-core on every kind of page, on a phone and a desktop, in the light
    and the dark scheme, after the scripts have run (filters, results)."""
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    if path in PICTURED:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{PICTURED[path]}-{width}-{scheme}.png"), full_page=True)
    context.close()


def focused(page: Page) -> dict[str, Any]:
    """The element that has the focus, and how it shows it."""
    found: dict[str, Any] = page.evaluate("""() => {
      const element = document.activeElement;
      element.dataset.visit ||= String(document.querySelectorAll("[data-visit]").length);
      const style = getComputedStyle(element);
      // A link of a map or a chart shows its focus on its drawing (a dot, a bar: strokes).
      const drawing = element instanceof SVGElement ? element.querySelector("path") : null;
      const stroke = drawing ? getComputedStyle(drawing) : null;
      return {html: element.outerHTML.slice(0, 80), id: element.id, tag: element.tagName,
              visit: element.dataset.visit, inFooter: !!element.closest(".site-footer"),
              ring: (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
                    || (stroke !== null && stroke.stroke !== "none" && parseFloat(stroke.strokeOpacity) > 0),
              visible: element.checkVisibility({opacityProperty: true, visibilityProperty: true})};
    }""")
    return found


@pytest.mark.parametrize("path", ["en/2021/", "ar/incidents/2021-01-27-palestine-street-protest/"])
def test_the_keyboard_reaches_everything_and_shows_where_it_is(browser: Browser, base_url: str,
                                                               path: str) -> None:
    """The first Tab shows the skip link, which moves to the content; every
    later Tab lands on a visible element with a focus ring, and the focus
    moves on through the page to its footer: nothing traps it."""
    page = open_page(browser, base_url + path, width=1280)
    page.keyboard.press("Tab")
    skip = focused(page)
    assert "skip-link" in skip["html"] and skip["visible"] and skip["ring"], skip
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    seen: list[str] = []
    for _ in range(400):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["tag"] == "BODY":  # past the last element: the page is done
            break
        assert now["visible"] and now["ring"], str(now)
        seen.append(now["visit"])
        if now["inFooter"]:
            break
    else:
        pytest.fail("the focus never reached the footer")
    assert len(set(seen)) == len(seen), "the focus came back to an element: trapped"
    assert focused(page)["inFooter"]
    page.context.close()


def test_search_works_from_the_keyboard_alone(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/search/", width=390)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    else:
        pytest.fail("Tab never reached the search box")
    page.keyboard.type("hasakah")
    wait_until(page, "document.querySelectorAll('.search-results a').length > 0")
    page.keyboard.press("Tab")
    assert focused(page)["ring"]
    assert page.evaluate("!!document.activeElement.closest('form[data-search], .search-results')")
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["ar/", "en/incidents/2021-01-qamishli-skirmishes/", "en/search/?q=hasakah"])
def test_text_zoomed_to_200_percent_loses_nothing(browser: Browser, base_url: str, path: str,
                                                  width: int) -> None:
    """Text twice as large (a reader's font setting) still fits: no sideways
    scrolling, and the heading grew with it."""
    page = open_page(browser, base_url + path, width=width)
    before = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    after = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert after >= 1.6 * before
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.context.close()


def test_the_not_found_page_speaks_every_language_and_fits_a_phone(browser: Browser,
                                                                   tmp_path: Path) -> None:
    config, _ = load_config(PROJECT / "config.yaml")
    assert config is not None
    out = tmp_path / "site"
    assert not commands.build(config, out).has_errors
    page = open_page(browser, (out / "404.html").as_uri(), width=390)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    sections = page.eval_on_selector_all(".not-found", "all => all.map(s => [s.lang, s.dir])")
    assert sections == [["ar", "rtl"], ["en", "ltr"]]
    assert page.locator('.not-found[lang="en"] h2').inner_text() == "Page not found"
    assert page.locator('.not-found[lang="ar"] h1').inner_text() == "الصفحة غير موجودة"
    page.context.close()
