"""The sample site's maps in headless Chromium, on a phone and a desktop in
both languages: they fit the page, load nothing from elsewhere, pass axe,
and their markers are links a keyboard reaches. Screenshots are written to
screenshots/maps/ (git-ignored) to be looked at."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_browser
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Request
from test_browser import open_page

base_url = test_browser.base_url
browser = test_browser.browser
"""The sample site built and served once, and Chromium: test_browser's fixtures."""

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots" / "maps"
PAGES = ["ar/map/", "en/map/", "ar/incidents/2021-01-27-palestine-street-protest/",
         "en/incidents/2021-01-shahba-siege-tightened/", "ar/places/hasakah-governorate/",
         "en/places/hasakah/"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", PAGES)
def test_a_map_fits_loads_only_from_the_site_and_passes_axe(browser: Browser, base_url: str,
                                                             path: str, width: int) -> None:
    requests: list[Request] = []
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    figure = page.locator("figure.map")
    assert figure.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box, main = figure.bounding_box(), page.locator("main").bounding_box()
    assert box is not None and main is not None
    assert main["x"] <= box["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
    assert [r.url for r in requests if not r.url.startswith(base_url)] == []
    basemap = [r for r in requests if r.url.endswith("/data/basemap.svg")]
    assert basemap and basemap[0].response() is not None and basemap[0].response().ok  # type: ignore[union-attr]
    violations = Axe().run(page).response["violations"]
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    figure.screenshot(path=str(SCREENSHOTS / f"{path.strip('/').replace('/', '_')}_{width}.png"))
    context.close()


@pytest.mark.parametrize(("lang", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_labels_are_written_in_the_page_direction(browser: Browser, base_url: str, lang: str,
                                                  direction: str) -> None:
    page = open_page(browser, f"{base_url}{lang}/map/", width=1280)
    label = "getComputedStyle(document.querySelector('.map-labels text')).direction"
    assert page.evaluate(label) == direction
    page.context.close()


def test_narrow_screens_show_larger_labels_and_hide_the_minor_ones(browser: Browser, base_url: str) -> None:
    sizes = {}
    for width in (390, 1280):
        page = open_page(browser, f"{base_url}en/map/", width=width)
        text = page.locator(".map-labels text").first
        height = text.bounding_box()
        assert height is not None
        sizes[width] = height["height"]
        hidden = page.evaluate("[...document.querySelectorAll('.map-labels text.is-minor')]"
                               ".filter(t => getComputedStyle(t).display !== 'none').length")
        assert hidden == 0 or width == 1280
        page.context.close()
    assert sizes[390] >= 10  # pixels on the phone, however small the map is drawn


def test_a_marker_is_a_link_the_keyboard_reaches(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/map/", width=1280)
    page.locator('.map-markers a[aria-label="Hasakah"]').focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Hasakah"
    assert page.evaluate("getComputedStyle(document.activeElement.querySelector('path')).stroke") != \
        page.evaluate("getComputedStyle(document.querySelector('.map-markers a:not(:focus) path')).stroke")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base_url}en/places/hasakah/index.html")
    page.context.close()
