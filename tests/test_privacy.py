"""Private by construction: the sample site in headless Chromium. Opening
every kind of page (and searching, and filtering) asks nothing of any other
origin, loads no font, and leaves no cookie and nothing in storage."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import test_browser
from playwright.sync_api import Browser, Request

base_url = test_browser.base_url
browser = test_browser.browser
"""The sample site built and served once, and Chromium: test_browser's fixtures."""

PAGES = [
    "",  # the entry page
    "ar/", "en/", "en/?type=protest&place=hasakah", "ar/2021/",
    "ar/incidents/2021-01-27-palestine-street-protest/", "en/incidents/2021-01-27-palestine-street-protest/",
    "en/incidents/2021-01-qamishli-skirmishes/",  # not translated
    "en/places/", "ar/places/hasakah-governorate/", "en/actors/asayish/", "ar/types/", "en/tags/",
    f"ar/search/?q={quote('الحسكة')}", "en/search/?q=siege", "ar/about/", "en/methodology/", "404.html",
]
STORAGE = """async () => ({
  cookie: document.cookie,
  local: window.localStorage.length,
  session: window.sessionStorage.length,
  databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
  caches: window.caches ? (await caches.keys()).length : 0,
  workers: navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0,
})"""


@pytest.mark.parametrize("path", PAGES)
def test_a_page_asks_nothing_of_another_origin_and_keeps_nothing(browser: Browser, base_url: str,
                                                                path: str) -> None:
    # Without the page's Content-Security-Policy, which would hide such a request:
    # the markup itself must ask for nothing from elsewhere.
    context = browser.new_context(viewport={"width": 390, "height": 800}, bypass_csp=True)
    page = context.new_page()
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    page.goto(base_url + path, wait_until="load")
    if "/search/" in path:
        page.fill("input[name=q]", "asayish" if path.startswith("en") else "أسايش")
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
    assert [r.url for r in requests if not r.url.startswith(base_url)] == []
    assert [r.url for r in requests if r.resource_type == "font"] == []
    assert len(requests) >= 2, "the page and at least its style sheet"
    assert page.evaluate(STORAGE) == {"cookie": "", "local": 0, "session": 0, "databases": 0, "caches": 0,
                                      "workers": 0}
    assert context.cookies() == []
    context.close()
