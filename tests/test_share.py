"""Share previews: Open Graph and Twitter meta on every page, JSON-LD on incidents."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from conftest import MakeSite, build_site, soup
from hypothesis import given
from hypothesis import strategies as st

from waqai.share import og_locale, script_json

BASE = "https://example.org/chronology/"
HOSTILE = "</script><script>alert(1)</script>"


def meta(page: BeautifulSoup) -> dict[str, list[str]]:
    """Every og: and twitter: meta value, by property or name."""
    found: dict[str, list[str]] = {}
    for tag in page.select("meta[property], meta[name^='twitter:']"):
        key = tag.get("property") or tag.get("name")
        found.setdefault(str(key), []).append(str(tag["content"]))
    return found


def json_ld(page: BeautifulSoup) -> Any:
    """The page's one JSON-LD block, parsed."""
    blocks = page.select('script[type="application/ld+json"]')
    assert len(blocks) == 1
    return json.loads(blocks[0].string)


def test_incident_page_is_shared_as_an_article(rich_site: Path) -> None:
    page = soup(rich_site / "ar/incidents/2021-01-27-protest/index.html")
    assert meta(page) == {
        "og:type": ["article"],
        "og:title": ["تظاهرة في شارع فلسطين"],
        "og:description": ["تظاهر العشرات."],
        "og:url": [BASE + "ar/incidents/2021-01-27-protest/"],
        "og:site_name": ["وقائع تجريبية"],
        "og:locale": ["ar_SY"],
        "og:locale:alternate": ["en_US"],
        "twitter:card": ["summary"],
        "twitter:title": ["تظاهرة في شارع فلسطين"],
        "twitter:description": ["تظاهر العشرات."],
    }


def test_other_pages_are_shared_as_a_website(rich_site: Path) -> None:
    for path in ("en/index.html", "en/2021/index.html", "index.html"):
        found = meta(soup(rich_site / path))
        assert found["og:type"] == ["website"], path
        assert found["twitter:card"] == ["summary"], path
        assert not soup(rich_site / path).select('script[type="application/ld+json"]'), path
    timeline = meta(soup(rich_site / "en/index.html"))
    assert (timeline["og:title"], timeline["og:url"], timeline["og:locale"]) == (
        ["Test Chronicle"], [BASE + "en/"], ["en_US"])
    assert timeline["og:locale:alternate"] == ["ar_SY"]


def test_untranslated_page_shares_the_original(rich_site: Path) -> None:
    found = meta(soup(rich_site / "en/incidents/2021-01-siege/index.html"))
    assert found["og:url"] == [BASE + "ar/incidents/2021-01-siege/"]
    assert found["og:locale"] == ["ar_SY"]
    assert "og:locale:alternate" not in found


def test_incident_json_ld_describes_the_article_and_its_event(rich_site: Path) -> None:
    data = json_ld(soup(rich_site / "en/incidents/2021-01-27-protest/index.html"))
    url = BASE + "en/incidents/2021-01-27-protest/"
    hasakah = {"@type": "Place", "name": "Hasakah",
               "geo": {"@type": "GeoCoordinates", "latitude": 36.5, "longitude": 40.75},
               "containedInPlace": {"@type": "Place", "name": "Hasakah Governorate"}}
    assert data == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Protest on Palestine Street",
        "description": "Dozens protested.",
        "inLanguage": "en",
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": "2021-01-27",
        "isPartOf": {"@type": "WebSite", "name": "Test Chronicle", "url": BASE},
        "about": {"@type": "Event", "name": "Protest on Palestine Street", "startDate": "2021-01-27",
                  "location": [hasakah]},
        "contentLocation": [hasakah],
        "citation": [{"@type": "CreativeWork", "url": "https://www.rozana.fm/", "datePublished": "2021-01-27",
                      "publisher": {"@type": "Organization", "name": "روزنة"}}],
    }


def test_json_ld_keeps_partial_dates_and_revisions(rich_site: Path) -> None:
    data = json_ld(soup(rich_site / "en/incidents/2021-01-curfew/index.html"))
    assert (data["datePublished"], data["dateModified"]) == ("2021-01", "2021-02-03")
    siege = json_ld(soup(rich_site / "ar/incidents/2021-01-siege/index.html"))
    assert (siege["about"]["startDate"], siege["about"]["endDate"]) == ("2021-01", "2021-02")


def test_hostile_title_cannot_leave_the_json_ld_block(make_site: MakeSite) -> None:
    files = {"content/incidents/2021/2021-01-27-protest.en.md": f"""\
        ---
        title: "{HOSTILE}"
        summary: "Tom & Jerry <3"
        ---
        """}
    out, problems = build_site(make_site(files))
    assert not problems.has_errors
    raw = (out / "en/incidents/2021-01-27-protest/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in raw
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in raw
    page = BeautifulSoup(raw, "html.parser")
    assert [s.get("type") for s in page.find_all("script") if not s.get("src")] == ["application/ld+json"]
    data = json_ld(page)
    assert (data["headline"], data["description"]) == (HOSTILE, "Tom & Jerry <3")
    assert meta(page)["og:title"] == [HOSTILE]


@pytest.mark.parametrize(("locale", "expected"), [
    ("en", "en_US"), ("ar", "ar_EG"), ("ar_SY", "ar_SY"), ("fr_CA", "fr_CA"), ("ku", "ku_TR"),
    ("ckb", "ckb_IQ"), ("en-GB", "en_GB"),
])
def test_og_locale_has_a_territory(locale: str, expected: str) -> None:
    assert og_locale(locale) == expected


def test_script_json_escapes_what_could_close_the_element() -> None:
    assert script_json({"a": "</script>&"}) == '{"a":"\\u003c/script\\u003e\\u0026"}'
    assert json.loads(script_json({"a": "</script>&"})) == {"a": "</script>&"}


_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | _TEXT
    | st.decimals(-180, 180, places=4).map(float),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20)


@given(_JSON)
def test_script_json_is_pythons_json_made_safe_for_a_script(data: Any) -> None:
    """Any text (control characters, quotes, `</script>`, line separators)
    and the numbers of the content come out as json.dumps writes them, then
    escaped, and read back the same."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    assert script_json(data) == text
    assert json.loads(script_json(data)) == data
