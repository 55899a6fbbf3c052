"""Corrections and updates: validation, incident pages, the corrections pages
and their feeds, `updated` in feeds, JSON-LD, sitemap and exports, and the
citation of an incident (on its page and as CSL-JSON)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
import zoneinfo
from pathlib import Path
from typing import Any

import feedparser
import pytest
from conftest import CONFIG, MakeSite, built, check_site, soup
from test_cli import run

BASE = "https://example.org/chronology/"
INCIDENTS = "content/incidents/2021"
PROTEST_AR = f"{INCIDENTS}/2021-01-27-protest.ar.md"
PROTEST_EN = f"{INCIDENTS}/2021-01-27-protest.en.md"
SIEGE_AR = f"{INCIDENTS}/2021-01-siege.ar.md"
NS = {"atom": "http://www.w3.org/2005/Atom", "sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

CORRECTED: dict[str, str | None] = {
    # Written oldest first in Arabic, newest first in English: pages show newest first.
    PROTEST_AR: """\
        ---
        title: تظاهرة في شارع فلسطين
        summary: تظاهر العشرات.
        date: 2021-01-27
        time: 12:30
        updated: 2021-02-01
        type: protest
        places: [hasakah]
        actors: [asayish]
        tags: [security-square]
        sources:
          - url: https://www.rozana.fm/
            publisher: روزنة
        corrections:
          - date: 2021-01-28
            note: صُحّح عدد المتظاهرين.
          - date: 2021-02-05
            note: أُضيف مصدر ثانٍ.
        ---
        نص الواقعة.
        """,
    PROTEST_EN: """\
        ---
        title: Protest on Palestine Street
        summary: Dozens protested.
        corrections:
          - date: 2021-02-05
            note: A second source was added.
          - date: 2021-01-28
            note: The number of protesters was corrected.
        ---
        The incident in English.
        """,
    # Arabic only; its `updated` is later than its correction.
    SIEGE_AR: """\
        ---
        title: حصار المربع الأمني
        date: 2021-01
        end_date: 2021-02
        updated: 2021-03-01
        type: siege
        places: [qamishli]
        sources:
          - url: https://www.rozana.fm/
            publisher: روزنة
        corrections:
          - date: 2021-02-10
            note: حُدّد تاريخ انتهاء الحصار.
        ---
        حصار.
        """,
}


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """The basic site with corrections: a translated protest, an untranslated siege."""
    return built(make_site(CORRECTED))


def texts(elements: Any) -> list[str]:
    """The visible text of each element, spaces collapsed."""
    return [" ".join(element.get_text(" ").split()) for element in elements]


# Validation -----------------------------------------------------------------------

PATH = f"{INCIDENTS}/2021-02-01-test.ar.md"
PATH_EN = f"{INCIDENTS}/2021-02-01-test.en.md"
FRONT = """\
---
title: عنوان الواقعة
date: 2021-02-01
type: protest
places: [hasakah]
sources:
  - url: https://a.example/
    publisher: A
"""
"""Lines 1-8; the corrections added after it start at line 9."""


def original(corrections: str) -> str:
    """An original dated 2021-02-01 with the given `corrections:` block."""
    return f"{FRONT}{corrections}---\nنص.\n"


def test_every_correction_problem_in_one_run_at_its_line(make_site: MakeSite) -> None:
    future = datetime.date.today() + datetime.timedelta(days=400)
    corrections = f"""\
corrections:
  - date: 2021-01-31
    note: قبل الواقعة
  - date: {future}
    note: في المستقبل
  - date: 2021-02-03
  - date: 2021-02-04
    note: "  "
  - note: بلا تاريخ
  - date: 2021-02
    note: شهر فقط
  - نص وحده
  - date: 2021-02-05
    note: صحيح
    by: المحرر
"""
    assert check_site(make_site({PATH: original(corrections)})) == [
        f"{PATH}:10: error: correction date 2021-01-31 is before the incident's date 2021-02-01",
        f"{PATH}:12: error: correction date {future} is in the future; "
        "date a correction on the day it is made",
        f"{PATH}:14: error: missing required field 'corrections.note'",
        f"{PATH}:16: error: 'corrections.note' is empty",
        f"{PATH}:17: error: missing required field 'corrections.date'; "
        "the day of the correction, YYYY-MM-DD",
        f"{PATH}:18: error: invalid date '2021-02': expected a full date YYYY-MM-DD",
        f"{PATH}:20: error: each correction must be a mapping with date and note",
        f"{PATH}:23: error: unknown correction field 'by'",
    ]


def test_a_correction_on_the_first_day_of_a_month_incident_or_today_is_valid(
        make_site: MakeSite) -> None:
    today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Damascus")).date()  # the site's timezone
    corrections = (f"corrections:\n  - date: {today}\n    note: اليوم\n"
                   "  - date: 2021-02-01\n    note: أول الشهر\n")
    month = original(corrections).replace("date: 2021-02-01\ntype", "date: 2021-02\ntype")
    assert "date: 2021-02\n" in month
    assert check_site(make_site({PATH: month})) == []


def test_corrections_must_be_a_list(make_site: MakeSite) -> None:
    assert check_site(make_site({PATH: original("corrections: صُحّح العنوان\n")})) == [
        f"{PATH}:9: error: 'corrections' must be a list of {{date, note}}; "
        "write each correction as a '- date: YYYY-MM-DD' item with its 'note'",
    ]


TWO = "corrections:\n  - date: 2021-02-03\n    note: أ\n  - date: 2021-02-05\n    note: ب\n"
HINT = "give every correction of the original, with the same date, in this language's words"


@pytest.mark.parametrize(("own", "translation", "expected"), [
    (TWO, "---\ntitle: Test\ncorrections:\n  - date: 2021-02-03\n    note: A\n"
          "  - date: 2021-02-06\n    note: B\n---\nText.\n",
     f"{PATH_EN}:3: error: the dates of 'corrections' differ from the original's ({PATH}): "
     f"missing 2021-02-05; not in the original: 2021-02-06; {HINT}"),
    (TWO, "---\ntitle: Test\nsummary: S.\n---\nText.\n",
     f"{PATH_EN}:1: error: the dates of 'corrections' differ from the original's ({PATH}): "
     f"missing 2021-02-03, 2021-02-05; {HINT}"),
    ("", "---\ntitle: Test\nsummary: S.\ncorrections:\n  - date: 2021-02-03\n    note: A\n---\nText.\n",
     f"{PATH_EN}:4: error: the dates of 'corrections' differ from the original's ({PATH}): "
     f"not in the original: 2021-02-03; {HINT}"),
    (TWO.replace("2021-02-05", "2021-02-03"),
     "---\ntitle: Test\ncorrections:\n  - date: 2021-02-03\n    note: A\n---\nText.\n",
     f"{PATH_EN}:3: error: the dates of 'corrections' differ from the original's ({PATH}): "
     f"missing 2021-02-03; {HINT}"),
], ids=["one-date-differs", "translation-has-none", "original-has-none", "one-of-two-on-a-day"])
def test_a_translations_correction_dates_agree_with_the_original(
        make_site: MakeSite, own: str, translation: str, expected: str) -> None:
    assert check_site(make_site({PATH: original(own), PATH_EN: translation})) == [expected]


def test_same_dates_in_another_order_and_words_are_valid(make_site: MakeSite) -> None:
    translation = ("---\ntitle: Test\ncorrections:\n  - date: 2021-02-05\n    note: B\n"
                   "  - date: 2021-02-03\n    note: A\n---\nText.\n")
    assert check_site(make_site({PATH: original(TWO), PATH_EN: translation})) == []


def test_corrections_are_not_a_field_of_plain_pages(make_site: MakeSite) -> None:
    page = "---\ntitle: عن الموقع\ncorrections:\n  - date: 2021-02-03\n    note: أ\n---\nنص.\n"
    assert check_site(make_site({"content/pages/about.ar.md": page})) == [
        "content/pages/about.ar.md:3: error: unknown field 'corrections'",
    ]


# The incident page ------------------------------------------------------------------


def test_incident_page_lists_corrections_newest_first(site: Path) -> None:
    for lang, heading, notes, dates in [
        ("ar", "التصحيحات والتحديثات", ["أُضيف مصدر ثانٍ.", "صُحّح عدد المتظاهرين."],
         ["5 شباط 2021", "28 كانون الثاني 2021"]),
        ("en", "Corrections and updates", ["A second source was added.",
                                           "The number of protesters was corrected."],
         ["February 5, 2021", "January 28, 2021"]),
    ]:
        page = soup(site / lang / "incidents/2021-01-27-protest/index.html")
        section = page.select_one("section.corrections")
        assert section is not None and section["id"] == "corrections"
        assert section.h2.get_text() == heading
        items = section.select("li")
        assert [li["id"] for li in items] == ["correction-2021-02-05", "correction-2021-01-28"]
        assert [li.time["datetime"] for li in items] == ["2021-02-05", "2021-01-28"]
        assert texts(li.time for li in items) == dates
        assert texts(li.select_one(".correction-note") for li in items) == notes
        revised = page.select_one(".revised")
        assert revised.time["datetime"] == "2021-02-05"
        assert revised.a["href"] == "#corrections"


def test_an_untranslated_incident_shows_the_originals_notes_marked(site: Path) -> None:
    page = soup(site / "en/incidents/2021-01-siege/index.html")
    note = page.select_one("section.corrections .correction-note")
    assert (note.get_text(), note["lang"], note["dir"]) == ("حُدّد تاريخ انتهاء الحصار.", "ar", "rtl")


def test_an_incident_never_corrected_has_no_corrections_section(make_site: MakeSite) -> None:
    page = soup(built(make_site()) / "en/incidents/2021-01-27-protest/index.html")
    assert page.select("section.corrections") == [] and page.select(".revised") == []


# `updated`: the later of the field and the latest correction ---------------------------


def test_updated_is_the_latest_correction_or_the_later_updated(site: Path) -> None:
    for lang in ("ar", "en"):
        data = json.loads((site / lang / "incidents.json").read_text(encoding="utf-8"))
        updated = {i["id"]: i["updated"] for i in data["incidents"]}
        assert updated == {"2021-01-siege": "2021-03-01", "2021-01-27-protest": "2021-02-05"}
    text = (site / "incidents.csv").read_text(encoding="utf-8-sig")
    rows = {row["event_id"]: row["updated"] for row in csv.DictReader(io.StringIO(text))}
    assert rows == {"2021-01-siege": "2021-03-01", "2021-01-27-protest": "2021-02-05"}


def test_feed_entries_are_updated_by_their_latest_correction(site: Path) -> None:
    feed = feedparser.parse((site / "ar/feed.xml").read_bytes())
    assert [(e.id, e.updated) for e in feed.entries] == [
        (BASE + "ar/incidents/2021-01-siege/", "2021-03-01T00:00:00+02:00"),
        (BASE + "ar/incidents/2021-01-27-protest/", "2021-02-05T00:00:00+02:00"),
    ]
    assert feed.feed.updated == "2021-03-01T00:00:00+02:00"


def json_ld(page: Path) -> dict[str, Any]:
    """The schema.org data of a page."""
    script = soup(page).find("script", type="application/ld+json")
    assert script is not None
    data: dict[str, Any] = json.loads(script.string)
    return data


def test_json_ld_date_modified_and_corrections(site: Path) -> None:
    protest = json_ld(site / "en/incidents/2021-01-27-protest/index.html")
    assert protest["dateModified"] == "2021-02-05"
    assert protest["correction"] == [
        {"@type": "CorrectionComment", "text": "A second source was added.", "datePublished": "2021-02-05"},
        {"@type": "CorrectionComment", "text": "The number of protesters was corrected.",
         "datePublished": "2021-01-28"},
    ]
    assert json_ld(site / "ar/incidents/2021-01-siege/index.html")["dateModified"] == "2021-03-01"


def test_sitemap_lastmod_of_revised_incidents_only(site: Path) -> None:
    urls = ET.parse(site / "sitemap.xml").getroot().findall("sm:url", NS)
    lastmod = {url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
               for url in urls}
    assert {loc: day for loc, day in lastmod.items() if day} == {
        BASE + "ar/incidents/2021-01-27-protest/": "2021-02-05",
        BASE + "en/incidents/2021-01-27-protest/": "2021-02-05",
        BASE + "ar/incidents/2021-01-siege/": "2021-03-01",
    }
    # lastmod comes right after loc, as the sitemap schema orders them
    for url in urls:
        if url.find("sm:lastmod", NS) is not None:
            assert [child.tag for child in url][:2] == [f"{{{NS['sm']}}}loc", f"{{{NS['sm']}}}lastmod"]


# The corrections pages and feeds ---------------------------------------------------------


def test_corrections_page_lists_every_correction_newest_first(site: Path) -> None:
    page = soup(site / "ar/corrections/index.html")
    assert page.h1.get_text() == "التصحيحات والتحديثات"
    items = page.select("ol.corrections-page > li")
    assert [li.select_one(".correction-date time")["datetime"] for li in items] == [
        "2021-02-10", "2021-02-05", "2021-01-28"]
    links = [li.select_one(".correction-incident a")["href"] for li in items]
    assert [(site / "ar/corrections" / link.split("#")[0]).resolve() for link in links] == [
        (site / "ar/incidents" / name / "index.html").resolve()
        for name in ("2021-01-siege", "2021-01-27-protest", "2021-01-27-protest")]
    # each link points at the correction on its incident's page
    for link in links:
        target = soup(site / "ar/corrections" / link.split("#")[0])
        assert target.find(id=link.split("#")[1]) is not None, link
    assert texts(li.select_one(".correction-note") for li in items) == [
        "حُدّد تاريخ انتهاء الحصار.", "أُضيف مصدر ثانٍ.", "صُحّح عدد المتظاهرين."]


def test_english_corrections_page_marks_an_untranslated_incidents_note(site: Path) -> None:
    items = soup(site / "en/corrections/index.html").select("ol.corrections-page > li")
    siege = items[0]
    assert siege.select_one(".correction-note")["lang"] == "ar"
    assert siege.select_one(".correction-incident bdi")["lang"] == "ar"
    assert texts(li.select_one(".correction-note") for li in items[1:]) == [
        "A second source was added.", "The number of protesters was corrected."]


def test_corrections_page_links_its_feed_and_every_footer_links_the_page(site: Path) -> None:
    for lang in ("ar", "en"):
        folder = site / lang / "corrections"
        page = soup(folder / "index.html")
        feeds = [link["href"] for link in page.select('link[rel=alternate][type="application/atom+xml"]')]
        assert (folder / feeds[-1]).resolve() == (folder / "feed.xml").resolve()
        for other in (site / lang / "index.html", site / lang / "incidents/2021-01-siege/index.html"):
            footer = soup(other).select_one(".footer-corrections a")
            assert (other.parent / footer["href"]).resolve() == (folder / "index.html").resolve()


def test_corrections_feed_is_atom_newest_first(site: Path) -> None:
    feed = feedparser.parse((site / "ar/corrections/feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.id == BASE + "ar/corrections/"
    assert feed.feed.updated == "2021-02-10T00:00:00+02:00"
    assert feed.feed.title == "التصحيحات والتحديثات – وقائع تجريبية"
    assert [(e.id, e.updated, e.summary) for e in feed.entries] == [
        (BASE + "ar/incidents/2021-01-siege/#correction-2021-02-10", "2021-02-10T00:00:00+02:00",
         "حُدّد تاريخ انتهاء الحصار."),
        (BASE + "ar/incidents/2021-01-27-protest/#correction-2021-02-05", "2021-02-05T00:00:00+02:00",
         "أُضيف مصدر ثانٍ."),
        (BASE + "ar/incidents/2021-01-27-protest/#correction-2021-01-28", "2021-01-28T00:00:00+02:00",
         "صُحّح عدد المتظاهرين."),
    ]
    assert [e.title for e in feed.entries] == ["حصار المربع الأمني"] + ["تظاهرة في شارع فلسطين"] * 2
    assert all(e.link == e.id for e in feed.entries)


def test_a_languages_corrections_feed_leaves_out_untranslated_incidents(site: Path) -> None:
    feed = feedparser.parse((site / "en/corrections/feed.xml").read_bytes())
    assert not feed.bozo
    assert feed.feed.updated == "2021-02-05T00:00:00+02:00"
    assert [(e.title, e.summary) for e in feed.entries] == [
        ("Protest on Palestine Street", "A second source was added."),
        ("Protest on Palestine Street", "The number of protesters was corrected."),
    ]


def test_without_corrections_the_page_says_so_and_the_feed_is_empty(make_site: MakeSite) -> None:
    out = built(make_site())
    assert "No corrections yet." in soup(out / "en/corrections/index.html").main.get_text()
    feed = feedparser.parse((out / "en/corrections/feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == []


def test_many_corrections_are_paged(make_site: MakeSite) -> None:
    out = built(make_site(CORRECTED, config=CONFIG + "page_size: 2\n"))
    first = soup(out / "en/corrections/index.html")
    second = soup(out / "en/corrections/page/2/index.html")
    assert len(first.select("ol.corrections-page > li")) == 2
    assert texts(second.select("ol.corrections-page .correction-note")) == [
        "The number of protesters was corrected."]
    next_page = first.select_one(".page-nav a[rel=next]")["href"]
    assert (out / "en/corrections" / next_page).resolve() == (out / "en/corrections/page/2/index.html")
    assert not (out / "en/corrections/page/3").exists()


# Citation ---------------------------------------------------------------------------------


def test_citation_in_the_pages_language(site: Path) -> None:
    cases = {
        "en/incidents/2021-01-27-protest/": "“Protest on Palestine Street.” Test Chronicle, "
        f"January 27, 2021. Last updated February 5, 2021. {BASE}en/incidents/2021-01-27-protest/",
        "ar/incidents/2021-01-27-protest/": "«تظاهرة في شارع فلسطين»، وقائع تجريبية، "
        f"27 كانون الثاني 2021. آخر تحديث: 5 شباط 2021. {BASE}ar/incidents/2021-01-27-protest/",
        # untranslated: cites the original's page, in its words
        "en/incidents/2021-01-siege/": "“حصار المربع الأمني.” وقائع تجريبية, January 2021. "
        f"Last updated March 1, 2021. {BASE}ar/incidents/2021-01-siege/",
    }
    for path, expected in cases.items():
        page = soup(site / path / "index.html")
        citation = page.select_one("section.cite p.citation")
        assert citation is not None, path
        assert " ".join(citation.get_text().split()) == expected
        assert page.select_one("section.cite h2").get_text() == (
            "الاستشهاد بهذه الواقعة" if path.startswith("ar") else "Cite this incident")
        assert citation.select_one("bdi[dir=ltr]").get_text().startswith(BASE)


def test_citation_without_revision_has_no_last_updated(make_site: MakeSite) -> None:
    citation = soup(built(make_site()) / "en/incidents/2021-01-27-protest/index.html").select_one(
        "p.citation")
    assert " ".join(citation.get_text().split()) == (
        f"“Protest on Palestine Street.” Test Chronicle, January 27, 2021. "
        f"{BASE}en/incidents/2021-01-27-protest/")


def test_incidents_json_carries_csl_and_the_languages_corrections(site: Path) -> None:
    data = json.loads((site / "en/incidents.json").read_text(encoding="utf-8"))
    incidents = {i["id"]: i for i in data["incidents"]}
    protest, siege = incidents["2021-01-27-protest"], incidents["2021-01-siege"]
    assert protest["csl"] == {
        "id": "2021-01-27-protest", "type": "webpage", "title": "Protest on Palestine Street",
        "container-title": "Test Chronicle", "URL": BASE + "en/incidents/2021-01-27-protest/",
        "issued": {"date-parts": [[2021, 1, 27]]}, "language": "en",
    }
    assert siege["csl"] == {
        "id": "2021-01-siege", "type": "webpage", "title": "حصار المربع الأمني",
        "container-title": "وقائع تجريبية", "URL": BASE + "ar/incidents/2021-01-siege/",
        "issued": {"date-parts": [[2021, 1]]}, "language": "ar",
    }
    assert "accessed" not in json.dumps(data)
    assert protest["text"]["corrections"] == [
        {"date": "2021-02-05", "note": "A second source was added."},
        {"date": "2021-01-28", "note": "The number of protesters was corrected."},
    ]


def test_a_translation_stub_carries_the_originals_correction_dates(make_site: MakeSite) -> None:
    root = make_site(CORRECTED)
    result = run(root, "new", "--translate", "2021-01-siege", "--lang", "en")
    assert result.returncode == 0, result.stderr
    stub = root / f"{INCIDENTS}/2021-01-siege.en.md"
    text = stub.read_text(encoding="utf-8")
    assert ("corrections:\n  # حُدّد تاريخ انتهاء الحصار.\n  - date: 2021-02-10\n    note: \"\"\n"
            in text)
    # what is left to do: the title and the note, in this language's words
    assert [line for line in check_site(root) if "siege.en.md" in line] == [
        f"{INCIDENTS}/2021-01-siege.en.md:4: error: 'title' is empty",
        f"{INCIDENTS}/2021-01-siege.en.md:9: error: 'corrections.note' is empty",
    ]
    stub.write_text(text.replace('title: ""', "title: Siege").replace('note: ""', "note: End date set."),
                    encoding="utf-8")
    assert check_site(root) == []
