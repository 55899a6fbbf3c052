"""The overview chart of the sample site in headless Chromium: both
languages, on a phone and a desktop, in light and dark schemes. It never
widens the page, runs in the reading direction, loads nothing from
elsewhere and passes axe-core. Screenshots go to screenshots/ (README)."""

from __future__ import annotations

from pathlib import Path

import pytest
import test_browser
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page
from test_browser import open_page

base_url = test_browser.base_url
browser = test_browser.browser
"""The sample site built and served once, and Chromium: test_browser's fixtures."""

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
PAGES = ["", "2021/"]
"""The timeline's home and the sample's year, under each language."""


def visit(browser: Browser, url: str, width: int, scheme: str = "light") -> tuple[Page, list[str]]:
    """A page at `width`, with every URL it requested."""
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, requested


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("path", PAGES)
def test_the_chart_fits_its_box_and_loads_nothing_from_elsewhere(browser: Browser, base_url: str,
                                                                  lang: str, path: str, width: int) -> None:
    page, requested = visit(browser, f"{base_url}{lang}/{path}", width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = page.locator(".chart-box").bounding_box()
    svg = page.locator(".chart-svg").bounding_box()
    assert box is not None and svg is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert svg["height"] > 100
    drawn = float(page.locator(".chart-svg").get_attribute("width") or 0)
    assert svg["width"] >= drawn - 1  # drawn at its own size, never squeezed: the box scrolls
    if drawn > box["width"]:
        assert page.locator(".chart-box").evaluate("box => box.scrollWidth > box.clientWidth")
    assert page.locator(".chart-hit a").count() >= 1
    assert requested and all(url.startswith(base_url) for url in requested), requested
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("details.chart-figures").evaluate("details => details.open = true")
    name = f"chart-{lang}-{path.strip('/') or 'home'}-{width}.png"
    page.locator("figure.chart").screenshot(path=str(SCREENSHOTS / name))
    page.context.close()


@pytest.mark.parametrize(("lang", "is_rtl"), [("en", False), ("ar", True)])
def test_months_run_in_the_reading_direction(browser: Browser, base_url: str, lang: str,
                                             is_rtl: bool) -> None:
    page, _ = visit(browser, f"{base_url}{lang}/2021/", 1280)
    labels = page.locator(".chart-label")
    assert labels.count() == 12
    january, december = (labels.nth(n).bounding_box() for n in (0, 11))
    assert january is not None and december is not None
    assert (january["x"] > december["x"]) if is_rtl else (january["x"] < december["x"])
    bar = page.locator(".chart-hit a").first.bounding_box()
    assert bar is not None and abs((bar["x"] + bar["width"] / 2) - (january["x"] + january["width"] / 2)) < 4
    page.context.close()


def test_a_bar_opens_its_period(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/", width=1280)
    page.locator(".chart-svg").scroll_into_view_if_needed()
    bar = page.locator(".chart-hit a").first.bounding_box()  # its link is the bar's whole column
    assert bar is not None
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    page.wait_for_url(f"{base_url}en/2021/index.html#m-2021-01")
    assert page.locator("#m-2021-01").is_visible()
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_chart_has_no_accessibility_violations(browser: Browser, base_url: str, lang: str,
                                                   width: int, scheme: str) -> None:
    page, _ = visit(browser, f"{base_url}{lang}/2021/", width, scheme)
    page.locator("details.chart-figures").evaluate("details => details.open = true")
    violations = Axe().run(page, context="main").response["violations"]
    assert [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in violations] == []
    if width == 1280:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.locator("figure.chart").screenshot(path=str(SCREENSHOTS / f"chart-{lang}-2021-{scheme}.png"))
    page.context.close()
