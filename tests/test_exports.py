"""incidents.json (against its schema), incidents.csv and the TimelineJS file."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import CONFIG, REGISTRIES, MakeSite, build_site
from exports_content import FILES

from waqai import commands
from waqai.config import load_config

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((PROJECT / "schemas/incidents.schema.json").read_text(encoding="utf-8"))
BASE = "https://example.org/chronology/"

# Knight Lab's documented field names (timeline.knightlab.com/docs/json-format.html).
TIMELINE_FIELDS = {"events", "title", "eras", "scale"}
SLIDE_FIELDS = {"start_date", "end_date", "text", "media", "group", "display_date", "background",
                "autolink", "unique_id"}
DATE_FIELDS = {"year", "month", "day", "hour", "minute", "second", "millisecond", "display_date"}
MEDIA_FIELDS = {"url", "caption", "credit", "thumbnail", "alt", "title", "link", "link_target"}


def load(path: Path) -> Any:
    """A JSON output file."""
    return json.loads(path.read_text(encoding="utf-8"))


def by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """incidents.json's incidents by id."""
    return {incident["id"]: incident for incident in data["incidents"]}


# incidents.json -----------------------------------------------------------------


def test_incidents_json_follows_the_shipped_schema(rich_site: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    for lang in ("ar", "en"):
        data = load(rich_site / lang / "incidents.json")
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
        assert [i["id"] for i in data["incidents"]] == [
            "2021-01-curfew", "2021-01-siege", "2021-01-27-protest"]  # chronological


def test_schema_rejects_what_the_format_does_not_allow(rich_site: Path) -> None:
    data = load(rich_site / "en/incidents.json")
    data["incidents"][0]["date"]["precision"] = "week"
    with pytest.raises(jsonschema.ValidationError, match="'week' is not one of"):
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_incidents_json_holds_facts_and_that_languages_text(rich_site: Path) -> None:
    data = load(rich_site / "en/incidents.json")
    assert data["schema_version"] == 1
    assert data["site"] == {"title": "Test Chronicle", "language": "en", "base_url": BASE,
                            "timezone": "Asia/Damascus"}
    incidents = by_id(data)
    protest = incidents["2021-01-27-protest"]
    assert protest["url"] == BASE + "en/incidents/2021-01-27-protest/"
    assert protest["date"] == {"value": "2021-01-27", "precision": "day",
                               "first_day": "2021-01-27", "last_day": "2021-01-27"}
    assert protest["time"] == "12:30"
    assert protest["type"] == {"id": "protest", "name": "Protest",
                               "acled": {"event_type": "Protests", "sub_event_type": "Peaceful protest"}}
    assert protest["places"] == [{"id": "hasakah", "name": "Hasakah", "within": "hasakah-governorate",
                                  "lat": 36.5, "lon": 40.75}]
    assert protest["actors"] == [{"id": "asayish", "name": "Asayish"}]
    assert protest["related"] == ["2021-01-siege"]  # linked from the siege
    assert protest["sources"] == [{"url": "https://www.rozana.fm/", "publisher": "روزنة", "title": None,
                                   "date": "2021-01-27", "archive_url": None}]
    assert protest["text"] == {"language": "en", "is_translated": True,
                               "title": "Protest on Palestine Street", "summary": "Dozens protested.",
                               "body": "The incident in **English**.\n", "corrections": []}
    curfew = incidents["2021-01-curfew"]
    assert curfew["casualties"] == {"killed": 2, "injured": None, "detained": None}
    assert curfew["updated"] == "2021-02-03"


def test_untranslated_incident_keeps_its_original_text_marked(rich_site: Path) -> None:
    siege = by_id(load(rich_site / "en/incidents.json"))["2021-01-siege"]
    assert siege["text"]["is_translated"] is False
    assert (siege["text"]["language"], siege["text"]["title"]) == ("ar", "حصار المربع الأمني")
    assert siege["type"]["name"] == "Siege"  # names are in the file's language
    assert siege["end_date"]["value"] == "2021-02"
    assert siege["end_date"]["last_day"] == "2021-02-28"


# incidents.csv ------------------------------------------------------------------


def read_csv(rich_site: Path) -> tuple[bytes, list[dict[str, str]]]:
    """The raw bytes and the rows by column."""
    raw = (rich_site / "incidents.csv").read_bytes()
    return raw, list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_is_utf8_with_bom_and_crlf(rich_site: Path) -> None:
    raw, rows = read_csv(rich_site)
    assert raw.startswith(b"\xef\xbb\xbfevent_id,event_date,time_precision,")
    assert raw.count(b"\r\n") == len(rows) + 1
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert list(rows[0]) == [
        "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
        "assoc_actors", "country", "admin1", "location", "latitude", "longitude", "source", "source_url",
        "notes", "fatalities", "date_precision", "end_date", "time", "verification", "incident_type",
        "places", "url", "updated", "title_ar", "title_en"]


def test_csv_rows_follow_the_acled_codebook(rich_site: Path) -> None:
    _, rows = read_csv(rich_site)
    curfew, siege, protest = rows
    assert {k: protest[k] for k in ("event_id", "event_date", "time_precision", "date_precision",
                                     "event_type", "sub_event_type", "actor1", "actor2", "admin1",
                                     "location", "latitude", "longitude", "fatalities", "time")} == {
        "event_id": "2021-01-27-protest", "event_date": "2021-01-27", "time_precision": "1",
        "date_precision": "day", "event_type": "Protests", "sub_event_type": "Peaceful protest",
        "actor1": "Asayish", "actor2": "", "admin1": "Hasakah Governorate", "location": "Hasakah",
        "latitude": "36.5", "longitude": "40.75", "fatalities": "", "time": "12:30"}
    # a month: its first day, ACLED precision 3; no ACLED mapping for sieges here
    assert (curfew["event_date"], curfew["time_precision"], curfew["date_precision"]) == (
        "2021-01-01", "3", "month")
    assert (curfew["event_type"], curfew["incident_type"]) == ("", "Siege")
    assert (curfew["actor1"], curfew["actor2"], curfew["assoc_actors"]) == (
        "Asayish", "National Defence Forces", "Civilians")
    # the most specific place, with the coordinates of the nearest place that has them
    assert (curfew["location"], curfew["admin1"], curfew["latitude"], curfew["longitude"]) == (
        "Palestine Street", "Hasakah Governorate", "36.5", "40.75")
    assert curfew["places"] == "Palestine Street; Qamishli"
    assert curfew["source"] == "Example Monitor; روزنة"
    assert curfew["source_url"] == "https://example.com/report https://www.rozana.fm/"
    assert (curfew["fatalities"], curfew["notes"], curfew["country"]) == ("2", "A curfew was imposed.", "")
    assert (siege["end_date"], siege["latitude"], siege["verification"]) == ("2021-02", "", "reported")


def test_csv_round_trips_arabic_titles(rich_site: Path) -> None:
    _, rows = read_csv(rich_site)
    titles = {row["event_id"]: (row["title_ar"], row["title_en"]) for row in rows}
    assert titles == {
        "2021-01-curfew": ("حظر تجوال في الحسكة", "Curfew in Hasakah"),
        "2021-01-siege": ("حصار المربع الأمني", ""),
        "2021-01-27-protest": ("تظاهرة في شارع فلسطين", "Protest on Palestine Street"),
    }
    # untranslated: its notes come from the original
    assert rows[1]["notes"] == ""


def test_csv_names_in_the_default_language_without_english(make_site: MakeSite) -> None:
    config = CONFIG.replace("  en: {locale: en}\n", "").replace(", en: Test Chronicle", "")
    arabic_only = {path: re.sub(r", en: [^}]*", "", text) if text else text
                   for path, text in {**REGISTRIES, **FILES}.items() if not path.endswith(".en.md")}
    files = {**arabic_only, "content/incidents/2021/2021-01-27-protest.en.md": None}
    out, problems = build_site(make_site(files, config=config))
    assert not problems.has_errors, [str(p) for p in problems]
    _, rows = read_csv(out)
    assert list(rows[0])[-1] == "title_ar"
    assert (rows[2]["location"], rows[2]["incident_type"], rows[2]["notes"]) == (
        "الحسكة", "احتجاج", "تظاهر العشرات.")


# timeline.json (TimelineJS) -----------------------------------------------------


def test_timeline_json_uses_documented_fields_only(rich_site: Path) -> None:
    for lang in ("ar", "en"):
        data = load(rich_site / lang / "timeline.json")
        assert set(data) <= TIMELINE_FIELDS
        for slide in data["events"]:
            assert set(slide) <= SLIDE_FIELDS
            assert {"start_date", "text", "unique_id"} <= set(slide)
            assert set(slide["text"]) == {"headline", "text"}
            for date in (slide["start_date"], slide.get("end_date", {"year": 1})):
                assert set(date) <= DATE_FIELDS and isinstance(date["year"], int)
            assert set(slide.get("media", {})) <= MEDIA_FIELDS


def test_timeline_json_dates_in_their_precision(rich_site: Path) -> None:
    en = {s["unique_id"]: s for s in load(rich_site / "en/timeline.json")["events"]}
    assert en["2021-01-27-protest"]["start_date"] == {
        "year": 2021, "month": 1, "day": 27, "hour": 12, "minute": 30, "display_date": "January 27, 2021"}
    assert en["2021-01-siege"]["start_date"] == {"year": 2021, "month": 1, "display_date": "January 2021"}
    assert en["2021-01-siege"]["end_date"] == {"year": 2021, "month": 2, "display_date": "February 2021"}
    ar = {s["unique_id"]: s for s in load(rich_site / "ar/timeline.json")["events"]}
    assert ar["2021-01-27-protest"]["start_date"]["display_date"] == "27 كانون الثاني 2021"
    assert ar["2021-01-27-protest"]["group"] == "احتجاج"


def test_timeline_json_texts_are_escaped_html(rich_site: Path) -> None:
    data = load(rich_site / "en/timeline.json")
    assert data["title"] == {"text": {"headline": "Test Chronicle", "text": ""}}
    slides = {s["unique_id"]: s for s in data["events"]}
    assert slides["2021-01-27-protest"]["text"] == {
        "headline": "Protest on Palestine Street", "text": "<p>Dozens protested.</p>"}
    assert slides["2021-01-27-protest"]["group"] == "Protest"
    # no summary: the body's HTML, with absolute URLs; another language is marked
    assert slides["2021-01-siege"]["text"] == {
        "headline": '<span lang="ar" dir="rtl">حصار المربع الأمني</span>',
        "text": '<div lang="ar" dir="rtl"><p>حصار.</p>\n</div>'}


def test_hostile_text_is_escaped_in_the_timeline(make_site: MakeSite) -> None:
    hostile = {"content/incidents/2021/2021-01-27-protest.en.md": """\
        ---
        title: "<img src=x onerror=alert(1)> & co"
        summary: "<b>bold</b>"
        ---
        """}
    out, _ = build_site(make_site(hostile))
    slides = {s["unique_id"]: s for s in load(out / "en/timeline.json")["events"]}
    assert slides["2021-01-27-protest"]["text"] == {
        "headline": "&lt;img src=x onerror=alert(1)&gt; &amp; co",
        "text": "<p>&lt;b&gt;bold&lt;/b&gt;</p>"}


# Repeatability ---------------------------------------------------------------------


def test_two_builds_are_byte_identical(make_site: MakeSite) -> None:
    root = make_site(FILES)
    config, _ = load_config(root / "config.yaml")
    assert config is not None
    first, second = root / "one", root / "two"
    assert not commands.build(config, first).has_errors
    assert not commands.build(config, second).has_errors
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    for name in ("sitemap.xml", "robots.txt", "incidents.csv", "ar/feed.xml", "en/incidents.json",
                 "en/timeline.json"):
        assert Path(name) in files
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
