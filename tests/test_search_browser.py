"""The sample site's search page in headless Chromium: Arabic spellings and
prefixes find the same incidents, the query stays in the address, and the
page fits a small phone."""

from __future__ import annotations

import functools
import json
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
import test_browser
from playwright.sync_api import Browser, Page, Response
from test_browser import PROJECT, QuietHandler, open_page, wait_until
from test_search import CASES

from waqai import commands
from waqai.config import load_config
from waqai.search import normalize, positions_data, stems

base_url = test_browser.base_url
browser = test_browser.browser
"""The sample site built and served once, and Chromium: test_browser's fixtures."""

HASAKAH = {"2021-01-27-palestine-street-protest", "2021-01-27-asayish-fire-to-disperse-protest",
           "2021-01-hasakah-security-square-siege", "2021-01-27-ndf-checkpoint-attempt"}
ELSEWHERE = {"2021-01-ain-issa-pressure", "2021-01-shahba-siege-tightened"}


def results(page: Page) -> list[str]:
    """The incident ids of the listed results, in order."""
    hrefs: list[str] = page.eval_on_selector_all(
        "ol.search-results li a", "links => links.map(a => a.getAttribute('href'))")
    return [href.split("/incidents/")[1].split("/")[0] for href in hrefs]


def settled(page: Page) -> None:
    """Wait until the results of the query in the field are listed."""
    wait_until(page, "!document.querySelector('form[data-search]').hasAttribute('aria-busy')"
                           " && document.querySelector('.search-status').textContent !== ''")


def search(page: Page, query: str) -> list[str]:
    page.fill("input[name=q]", query)
    settled(page)
    return results(page)


def test_arabic_spellings_and_prefixes_find_the_same_incidents(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    found = search(page, "الحسكة")
    assert set(found) >= HASAKAH and not ELSEWHERE & set(found)
    for spelling in ("الحسكه", "حسكة", "والحسكة", "الحَسَكة", "بالحسكة"):
        assert search(page, spelling) == found, spelling
    status = page.locator(".search-status").inner_text()
    assert status == f"الوقائع التي عُثر عليها: {len(found)}"
    page.context.close()


def test_asayish_with_or_without_hamza_and_article(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    found = search(page, "أسايش")
    assert "2021-01-27-asayish-fire-to-disperse-protest" in found
    assert not ELSEWHERE & set(found)
    assert search(page, "الاسايش") == found
    assert search(page, "الأسايش") == found
    assert search(page, "اسايش الحسكة") and set(search(page, "اسايش الحسكة")) <= set(found)
    assert search(page, "لا شيء يطابق هذا") == []
    assert page.locator(".search-status").inner_text() == "لا توجد واقعة تطابق بحثك."
    page.context.close()


def test_english_search_and_titles_first(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/search/", width=1280)
    found = search(page, "hasakah")
    assert set(found) >= HASAKAH and not ELSEWHERE & set(found)
    assert search(page, "HASA") == found
    titles = page.eval_on_selector_all("ol.search-results li a", "links => links.map(a => a.textContent)")
    in_title = ["hasakah" in title.lower() for title in titles]
    assert in_title == sorted(in_title, reverse=True)
    page.context.close()


def test_untranslated_results_carry_their_language(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/search/", width=1280)
    assert "2021-01-qamishli-skirmishes" in search(page, "qamishli")
    link = page.locator('ol.search-results a[href*="2021-01-qamishli-skirmishes"]')
    assert (link.get_attribute("lang"), link.get_attribute("dir")) == ("ar", "rtl")
    other = page.locator('ol.search-results a[href*="2021-01-qamishli-security-square-siege"]')
    assert other.get_attribute("lang") is None
    page.context.close()


def test_the_query_stays_in_the_address(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    found = search(page, "حسكة")
    assert page.url == f"{base_url}ar/search/?q={quote('حسكة')}"
    shared = open_page(browser, page.url, width=1280)
    settled(shared)
    assert shared.input_value("input[name=q]") == "حسكة"
    assert results(shared) == found
    shared.locator("ol.search-results a").first.click()
    assert "/ar/incidents/" in shared.url
    shared.context.close()
    page.fill("input[name=q]", "")
    assert page.url == f"{base_url}ar/search/"
    assert results(page) == []
    page.context.close()


def test_without_javascript_the_page_says_so(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}en/search/", width=1280, javascript=False)
    assert page.locator("[data-search-note]").is_visible()
    assert page.locator("[data-search-note] a").first.get_attribute("href") == "../../en/index.html"
    page.context.close()
    page = open_page(browser, f"{base_url}en/search/", width=1280)
    assert not page.locator("[data-search-note]").is_visible()
    page.context.close()


@pytest.mark.parametrize("path", ["ar/search/?q=" + quote("الحسكة"), "en/search/?q=hasakah"])
def test_no_sideways_scrolling_on_a_small_phone(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path, width=360)
    assert results(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.context.close()


def test_the_browser_normalises_exactly_as_the_index_does(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    inputs = [case["input"] for case in CASES]
    in_browser = page.evaluate("texts => texts.map(t => window.WaqaiText.normalize(t))", inputs)
    assert in_browser == [normalize(text) for text in inputs]
    words = sorted({word for text in in_browser for word in text.split()} | {"والحسكه", "للاسايش", "ولد"})
    assert page.evaluate("words => words.map(w => window.WaqaiText.stems(w))", words) == \
        [stems(word) for word in words]
    page.context.close()


def test_the_browser_reads_positions_as_the_index_sends_them(browser: Browser, base_url: str) -> None:
    """Search and filter data send positions as differences or, where that is
    shorter, as a bitmap: waqai.js gives back the same positions from both."""
    cases = [[], [0], [3, 9], [5, 900, 4000], [0, 7, 8, 15, 16, 23, 24], list(range(64)),
             list(range(1, 3000, 3)), [n for n in range(10_000) if n % 7 in (0, 3)],
             list(range(20_000, 25_000)), [4_001, 4_003, *range(4_010, 4_100)]]
    sent = [positions_data(positions) for positions in cases]
    assert {type(data) for data in sent} == {list, str}
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    assert page.evaluate("sent => sent.map(data => Waqai.positions(data))", sent) == cases
    page.context.close()


def test_a_word_most_incidents_have_arrives_as_a_bitmap(browser: Browser, base_url: str) -> None:
    """Most of the sample's incidents are in Hasakah: the word's shard sends its
    positions as a bitmap, and the page finds every Hasakah incident from it."""
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    shards: list[Response] = []
    page.on("response", lambda response: shards.append(response)
            if "/search/terms/" in response.url else None)
    found = search(page, "الحسكة")
    sent: dict[str, list[object]] = {}
    for response in shards:
        sent.update(json.loads(response.text().partition("]=")[2].removesuffix(";\n")))
    assert isinstance(sent["الحسكه"][0], str)
    assert set(found) >= HASAKAH and not ELSEWHERE & set(found)
    page.context.close()


def test_names_match_across_languages(browser: Browser, base_url: str) -> None:
    """A registry name in another language (or an alias) finds the same incidents."""
    ar = open_page(browser, f"{base_url}ar/search/", width=1280)
    assert set(search(ar, "Hasakah")) == set(search(ar, "الحسكة"))
    en = open_page(browser, f"{base_url}en/search/", width=1280)
    shahba = search(en, "الشهباء")
    assert "2021-01-shahba-siege-tightened" in shahba
    assert set(search(en, "Shahba")) == set(shahba)
    ar.context.close()
    en.context.close()


def test_dates_as_readers_write_them(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    january = search(page, "كانون الثاني 2021")
    assert "2021-01-27-palestine-street-protest" in january
    assert search(page, "٢٠٢١") == search(page, "2021")
    assert set(search(page, "يناير 2021")) == set(january)
    english = open_page(browser, f"{base_url}en/search/", width=1280)
    assert set(search(english, "January 2021")) == set(january)
    page.context.close()
    english.context.close()


def test_matched_words_are_marked(browser: Browser, base_url: str) -> None:
    page = open_page(browser, f"{base_url}ar/search/", width=1280)
    search(page, "والحسكة")
    marks = page.eval_on_selector_all(".search-results mark", "marks => marks.map(m => m.textContent)")
    assert marks and all("حسك" in mark for mark in marks)
    assert page.locator(".search-results script, .search-results [onerror]").count() == 0
    page.context.close()


def test_search_works_from_files_and_under_a_sub_path(browser: Browser, tmp_path: Path) -> None:
    """Opened from disk (file://, where fetch() is not allowed) and served
    under a sub-path, the shards and records still load."""
    config, _ = load_config(PROJECT / "config.yaml")
    assert config is not None
    out = tmp_path / "deep" / "chronology"
    assert not commands.build(config, out).has_errors
    page = open_page(browser, (out / "en" / "search" / "index.html").as_uri() + "?q=hasakah", width=1280)
    settled(page)
    assert set(results(page)) >= HASAKAH
    page.context.close()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/deep/chronology/ar/search/"
        page = open_page(browser, url, width=390)
        assert set(search(page, "الحسكة")) >= HASAKAH
        page.context.close()
    finally:
        server.shutdown()
        server.server_close()
