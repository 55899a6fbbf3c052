"""Atom feeds, sitemap.xml and robots.txt, read back with feedparser and ElementTree."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
from bs4 import BeautifulSoup
from conftest import MakeSite, config_of, soup
from exports_content import FILES

from waqai import commands
from waqai.feeds import atom_time, feed_incidents

BASE = "https://example.org/chronology/"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_feed_parses_as_atom_with_the_newest_translated_incidents(rich_site: Path) -> None:
    feed = feedparser.parse((rich_site / "en/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Test Chronicle"
    assert feed.feed.updated == "2021-02-03T00:00:00+02:00"
    assert feed.feed.link == BASE + "en/"
    # newest first by `updated`, else `date`; the siege has no English text
    assert [e.title for e in feed.entries] == ["Curfew in Hasakah", "Protest on Palestine Street"]
    curfew, protest = feed.entries
    assert curfew.id == curfew.link == BASE + "en/incidents/2021-01-curfew/"
    assert curfew.updated == "2021-02-03T00:00:00+02:00"
    assert protest.updated == "2021-01-27T00:00:00+02:00"
    assert protest.summary == "Dozens protested."
    assert protest.tags[0].term == "protest" and protest.tags[0].label == "Protest"
    assert protest.content[0].type == "text/html"
    assert protest.content[0].value == "<p>The incident in <strong>English</strong>.</p>"
    assert protest.content[0].language == protest.summary_detail.language == "en"


def test_feed_content_uses_absolute_urls(rich_site: Path) -> None:
    feed = feedparser.parse((rich_site / "en/feed.xml").read_bytes())
    html = soup_of(feed.entries[0].content[0].value)
    assert html.img["src"] == BASE + "media/map.png"
    # relative links resolve from the entry's page (xml:base)
    assert html.a["href"] == BASE + "en/incidents/2021-01-27-protest/"
    assert (rich_site / "media/map.png").is_file()


def soup_of(html: str) -> BeautifulSoup:
    """An HTML fragment, parsed."""
    return BeautifulSoup(html, "html.parser")


def test_feed_and_entries_carry_their_language(rich_site: Path) -> None:
    for lang in ("ar", "en"):
        root = ET.parse(rich_site / lang / "feed.xml").getroot()
        assert root.tag == "{http://www.w3.org/2005/Atom}feed"
        assert root.get(XML_LANG) == lang
        entries = root.findall("atom:entry", NS)
        assert entries and all(entry.get(XML_LANG) == lang for entry in entries)


def test_untranslated_incident_only_in_its_original_languages_feed(rich_site: Path) -> None:
    ar = ET.parse(rich_site / "ar/feed.xml").getroot()
    ids = [e.findtext("atom:id", namespaces=NS) for e in ar.findall("atom:entry", NS)]
    assert ids == [BASE + "ar/incidents/2021-01-curfew/", BASE + "ar/incidents/2021-01-27-protest/",
                   BASE + "ar/incidents/2021-01-siege/"]
    # a month-precision date stands for the first day of its month
    siege = ar.findall("atom:entry", NS)[-1]
    assert siege.findtext("atom:updated", namespaces=NS) == "2021-01-01T00:00:00+02:00"
    assert siege.find("atom:summary", NS) is None  # the siege has no summary
    en = (rich_site / "en/feed.xml").read_text(encoding="utf-8")
    assert "2021-01-siege" not in en


def test_feed_holds_at_most_the_newest(make_site: MakeSite) -> None:
    config = config_of(make_site(FILES))
    model, problems = commands.check(config)
    assert not problems.has_errors
    assert [i.id for i in feed_incidents(model, "ar", size=2)] == ["2021-01-curfew", "2021-01-27-protest"]


def test_atom_time_is_midnight_in_the_sites_timezone() -> None:
    assert atom_time(datetime.date(2021, 7, 1), "Asia/Damascus") == "2021-07-01T00:00:00+03:00"
    assert atom_time(datetime.date(2021, 1, 1), "UTC") == "2021-01-01T00:00:00+00:00"


def test_every_page_links_its_languages_feed(rich_site: Path) -> None:
    for lang in ("ar", "en"):
        for page in sorted((rich_site / lang).rglob("*.html")):
            links = soup(page).select('link[rel=alternate][type="application/atom+xml"]')
            if page.parent.name == "corrections":  # and the corrections' own feed
                assert (page.parent / links.pop()["href"]).resolve() == page.parent / "feed.xml"
            assert len(links) == 1, page
            assert (page.parent / links[0]["href"]).resolve() == (rich_site / lang / "feed.xml").resolve()
            assert links[0]["title"] == ("Test Chronicle" if lang == "en" else "وقائع تجريبية")


def sitemap_urls(rich_site: Path) -> dict[str, dict[str, str]]:
    """loc -> {hreflang: href}, in the file's order."""
    root = ET.parse(rich_site / "sitemap.xml").getroot()
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.findtext("sm:loc", namespaces=NS) or "": {
            link.get("hreflang", ""): link.get("href", "")
            for link in url.findall("xhtml:link", NS) if link.get("rel") == "alternate"
        }
        for url in root.findall("sm:url", NS)
    }


def test_sitemap_lists_published_pages_with_their_alternates(rich_site: Path) -> None:
    urls = sitemap_urls(rich_site)
    assert list(urls) == sorted(urls)
    incidents = [u for u in urls if "/incidents/" in u]
    assert incidents == [BASE + p for p in (
        "ar/incidents/2021-01-27-protest/", "ar/incidents/2021-01-curfew/", "ar/incidents/2021-01-siege/",
        "en/incidents/2021-01-27-protest/", "en/incidents/2021-01-curfew/")]
    protest = {"ar": BASE + "ar/incidents/2021-01-27-protest/",
               "en": BASE + "en/incidents/2021-01-27-protest/",
               "x-default": BASE + "ar/incidents/2021-01-27-protest/"}
    assert urls[protest["ar"]] == urls[protest["en"]] == protest
    siege = BASE + "ar/incidents/2021-01-siege/"
    assert urls[siege] == {"ar": siege, "x-default": siege}
    assert urls[BASE + "en/"] == {"ar": BASE + "ar/", "en": BASE + "en/", "x-default": BASE + "ar/"}
    assert BASE in urls and BASE + "404.html" not in urls


def test_every_sitemap_url_is_a_page_of_the_site(rich_site: Path) -> None:
    pages = {BASE + p.relative_to(rich_site).as_posix().removesuffix("index.html")
             for p in rich_site.rglob("*.html") if p.name != "404.html"}
    fallback = BASE + "en/incidents/2021-01-siege/"
    assert set(sitemap_urls(rich_site)) == pages - {fallback}


def test_robots_points_at_the_absolute_sitemap(rich_site: Path) -> None:
    assert (rich_site / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nDisallow:\n\nSitemap: {BASE}sitemap.xml\n")


def test_base_url_from_the_command_line_reaches_every_absolute_url(make_site: MakeSite) -> None:
    root = make_site(FILES)
    mirror = "https://mirror.example.net/archive/"
    out = root / "mirror"
    problems = commands.build(config_of(root, base_url=mirror), out)
    assert not problems.has_errors
    for path in sorted(out.rglob("*")):
        if path.suffix in (".html", ".xml", ".json", ".csv", ".txt"):
            assert "example.org" not in path.read_text(encoding="utf-8-sig"), path
    assert sitemap_urls(out)
    assert all(url.startswith(mirror) for url in sitemap_urls(out))
    feed = feedparser.parse((out / "ar/feed.xml").read_bytes())
    assert feed.entries[0].link == mirror + "ar/incidents/2021-01-curfew/"
    assert (out / "robots.txt").read_text().endswith(f"Sitemap: {mirror}sitemap.xml\n")


def test_the_sitemap_escapes_what_xml_must_escape(make_site: MakeSite) -> None:
    root = make_site(FILES)
    odd = "https://example.org/news&views/<archive>/"
    out = root / "odd"
    assert not commands.build(config_of(root, base_url=odd), out).has_errors
    urls = sitemap_urls(out)  # parses, or fails
    assert odd + "ar/" in urls
    assert urls[odd + "en/"]["x-default"] == odd + "ar/"
