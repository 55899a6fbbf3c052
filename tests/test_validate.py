"""waqai.validate (with fields, registries and load): every problem, at its line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from conftest import PROTEST_AR, PROTEST_EN, MakeSite, build_site, check_site, config_of

from waqai import commands
from waqai.dates import PartialDate, Precision

PATH = "content/incidents/2021/2021-02-01-test.ar.md"
FRONT = """\
title: عنوان الواقعة
date: 2021-02-01
type: protest
places: [hasakah]
sources:
  - url: https://a.example/
    publisher: A
"""
"""Lines in the file: 1 '---', 2 title, 3 date, 4 type, 5 places, 6 sources,
7 url, 8 publisher, 9 '---', 10 the body; fields added at the end start at 9."""

PROTEST = "content/incidents/2021/2021-01-27-protest"
SIEGE = "content/incidents/2021/2021-01-siege.ar.md"


def incident(front: str = FRONT, body: str = "نص.\n") -> str:
    """An incident file from its front matter and body."""
    return f"---\n{front}---\n{body}"


def edited(old: str, new: str) -> str:
    """FRONT with one change, which must apply."""
    assert old in FRONT
    return FRONT.replace(old, new)


def errors_of(root: Path) -> list[str]:
    """The errors only: for sites whose changes also leave registry entries
    unused, which is a warning of its own (tested with the commands)."""
    return [line for line in check_site(root) if ": error: " in line]


def problems_of(make_site: MakeSite, front: str, body: str = "نص.\n") -> list[str]:
    """Problems of the default site plus the test incident."""
    return check_site(make_site({PATH: incident(front, body)}))


def test_the_sites_are_valid(make_site: MakeSite) -> None:
    assert check_site(make_site()) == []
    assert problems_of(make_site, FRONT) == []


# Malformed front matter


@pytest.mark.parametrize(("front", "expected"), [
    ("title: [unclosed\ndate: 2021-02-01\n",
     f"{PATH}:3: error: malformed YAML: did not find expected ',' or ']'"),
    ("title: a\ndate: 2021-02-01\n  type: protest\n",
     f"{PATH}:4: error: malformed YAML: mapping values are not allowed in this context"),
    (FRONT + "title: again\n",
     f"{PATH}:9: error: duplicate key 'title'"),
], ids=["unclosed-list", "bad-indent", "duplicate-key"])
def test_malformed_yaml(make_site: MakeSite, front: str, expected: str) -> None:
    assert problems_of(make_site, front) == [expected]


@pytest.mark.parametrize("text", ["no front matter\n", "---\ntitle: x\ndate: 2021\n"],
                         ids=["none", "not-closed"])
def test_no_front_matter(make_site: MakeSite, text: str) -> None:
    assert check_site(make_site({PATH: text})) == [
        f"{PATH}:1: error: no front matter: the file must start with a '---' line "
        "and the YAML must end with another '---' line",
    ]


def test_front_matter_that_is_not_a_mapping(make_site: MakeSite) -> None:
    assert problems_of(make_site, "- title\n- date\n") == [
        f"{PATH}:2: error: front matter must be a mapping of fields such as 'title: ...'",
    ]


# Missing fields


@pytest.mark.parametrize(("old", "expected"), [
    ("title: عنوان الواقعة\n", "missing required field 'title'"),
    ("type: protest\n", "missing required field 'type'"),
    ("places: [hasakah]\n", "missing required field 'places'; list at least one place"),
    ("sources:\n  - url: https://a.example/\n    publisher: A\n",
     "missing required field 'sources'; give at least one source with url and publisher"),
], ids=["title", "type", "places", "sources"])
def test_a_missing_field(make_site: MakeSite, old: str, expected: str) -> None:
    assert problems_of(make_site, edited(old, "")) == [f"{PATH}:1: error: {expected}"]


def test_an_empty_title(make_site: MakeSite) -> None:
    assert problems_of(make_site, edited("title: عنوان الواقعة", 'title: " "')) == [
        f"{PATH}:2: error: 'title' is empty",
    ]


def test_a_file_without_date_has_no_original(make_site: MakeSite) -> None:
    assert problems_of(make_site, edited("date: 2021-02-01\n", "")) == [
        f"{PATH}:1: error: incident '2021-02-01-test' has no original: exactly one of its files "
        "must carry the facts, starting with 'date'",
    ]


def test_all_missing_fields_are_reported_together(make_site: MakeSite) -> None:
    root = make_site({PATH: incident("summary: s\ndate: 2021-02-01\n")})
    site, _ = commands.check(config_of(root))
    assert "2021-02-01-test" not in site.by_id
    assert check_site(root) == [
        f"{PATH}:1: error: missing required field 'title'",
        f"{PATH}:1: error: missing required field 'type'",
        f"{PATH}:1: error: missing required field 'places'; list at least one place",
        f"{PATH}:1: error: missing required field 'sources'; "
        "give at least one source with url and publisher",
    ]


@pytest.mark.parametrize(("source", "expected"), [
    ("  - publisher: B\n", "9: error: missing required field 'sources.url'"),
    ("  - url: https://b.example/\n", "9: error: missing required field 'sources.publisher'"),
    ("  - url: https://b.example/\n    publisher: B\n    publsher: C\n",
     "11: error: unknown source field 'publsher'; did you mean 'publisher'?"),
    ("  - https://b.example/\n", "9: error: each source must be a mapping with url and publisher"),
], ids=["no-url", "no-publisher", "unknown-field", "not-a-mapping"])
def test_a_second_source_with_a_problem(make_site: MakeSite, source: str, expected: str) -> None:
    assert problems_of(make_site, FRONT + source) == [f"{PATH}:{expected}"]


# Mistyped fields


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("title: عنوان الواقعة", "title: [one, two]", "2: error: 'title' must be text, not a list"),
    ("type: protest", "type: {name: protest}", "4: error: 'type' must be text, not a mapping"),
    ("date: 2021-02-01", "date: [2021-02-01]", "3: error: 'date' must be text, not a list"),
    ("places: [hasakah]", "places: {hasakah: yes}", "5: error: 'places' must list place ids, not a mapping"),
    ("places: [hasakah]", "places: [[hasakah]]", "5: error: 'places' must list place ids, not a list"),
    ("places: [hasakah]", "places: [hasakah, hasakah]", "5: error: place 'hasakah' is listed twice"),
    ("sources:\n  - url: https://a.example/\n    publisher: A\n", "sources: https://a.example/\n",
     "6: error: each source must be a mapping with url and publisher"),
], ids=["title-list", "type-mapping", "date-list", "places-mapping", "places-nested", "places-twice",
        "sources-text"])
def test_a_mistyped_field(make_site: MakeSite, old: str, new: str, expected: str) -> None:
    assert problems_of(make_site, edited(old, new)) == [f"{PATH}:{expected}"]


@pytest.mark.parametrize(("extra", "expected"), [
    ("time: 25:00\n", "invalid time '25:00': expected HH:MM, 24-hour"),
    ("time: 9:30\n", "invalid time '9:30': expected HH:MM, 24-hour"),
    ("updated: 2021-02\n", "invalid date '2021-02': expected a full date YYYY-MM-DD"),
    ("draft: maybe\n", "'draft' must be true or false, not 'maybe'"),
    ("ongoing: yes\n", "'ongoing' must be true or false, not 'yes'"),
    ("verification: verifed\n",
     "'verification' must be one of verified, reported, disputed, not 'verifed'; did you mean 'verified'?"),
    ("casualties: 3\n", "casualties must be a mapping such as {killed: 0, injured: 2}"),
    ("casualties: {killed: -1}\n", "'casualties.killed' must be a whole number of zero or more, not '-1'"),
    ("casualties: {injured: two}\n",
     "'casualties.injured' must be a whole number of zero or more, not 'two'"),
    ("casualties: {dead: 2}\n", "unknown casualties field 'dead'"),
    ("casualties: {killed: 99999999999999999999}\n",
     "'casualties.killed' must be a number from 0 to 1,000,000,000, not '99999999999999999999'"),
    ("casualties: {detained: ²}\n", "'casualties.detained' must be a whole number of zero or more, not '²'"),
    ("media: [https://a.example/v]\n", "each media item must be a mapping with kind and url"),
    ("media:\n  - {kind: film, url: https://a.example/v}\n",
     "'media.kind' must be one of video, image, post, not 'film'"),
], ids=["time", "time-one-digit", "updated-month", "draft", "ongoing-yes", "verification",
        "casualties-text", "casualties-negative", "casualties-word", "casualties-field",
        "casualties-too-many", "casualties-superscript", "media-text", "media-kind"])
def test_a_mistyped_fact(make_site: MakeSite, extra: str, expected: str) -> None:
    line = 10 if extra.startswith("media:\n") else 9
    assert problems_of(make_site, FRONT + extra) == [f"{PATH}:{line}: error: {expected}"]


def test_an_unknown_field_gets_a_did_you_mean(make_site: MakeSite) -> None:
    assert problems_of(make_site, edited("places:", "palces:")) == [
        f"{PATH}:1: error: missing required field 'places'; list at least one place",
        f"{PATH}:5: error: unknown field 'palces'; did you mean 'places'?",
    ]


def test_an_unknown_field_gets_no_far_fetched_match(make_site: MakeSite) -> None:
    """'location' shares most letters with 'verification', and means 'places'."""
    assert problems_of(make_site, FRONT + "location: Hasakah\nverifcation: reported\n") == [
        f"{PATH}:9: error: unknown field 'location'; did you mean 'places'?",
        f"{PATH}:10: error: unknown field 'verifcation'; did you mean 'verification'?",
    ]


def test_a_translation_named_after_no_original(make_site: MakeSite) -> None:
    root = make_site({f"{PROTEST}.en.md": None,
                      "content/incidents/2021/2021-01-27-protets.en.md": PROTEST_EN})
    assert check_site(root) == [
        "content/incidents/2021/2021-01-27-protets.en.md:1: error: no original has the id "
        "'2021-01-27-protets'; did you mean '2021-01-27-protest'? a translation's file is named after "
        "its original: rename it 2021-01-27-protest.en.md",
    ]


def test_an_unknown_field_without_a_close_match(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "weather: sunny\n") == [
        f"{PATH}:9: error: unknown field 'weather'",
    ]


# Dates and times


@pytest.mark.parametrize(("value", "message"), [
    ("2021-02-30", "invalid date '2021-02-30': day 30 is not in that month"),
    ("2021-13", "invalid date '2021-13': there is no month 13"),
    ("27/01/2021", "invalid date '27/01/2021': expected YYYY-MM-DD, YYYY-MM or YYYY"),
])
def test_an_invalid_date_is_reported_at_its_line(make_site: MakeSite, value: str, message: str) -> None:
    assert problems_of(make_site, edited("date: 2021-02-01", f"date: {value}")) == [
        f"{PATH}:3: error: {message}",
    ]


def test_an_invalid_date_in_a_source(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "    date: 2021-02-30\n") == [
        f"{PATH}:9: error: invalid date '2021-02-30': day 30 is not in that month",
    ]


def test_unquoted_time_and_year_are_read_as_written(make_site: MakeSite) -> None:
    front = edited("date: 2021-02-01", "date: 2021\ntime: 13:00")
    site, problems = commands.check(config_of(make_site({PATH: incident(front)})))
    assert list(problems) == []
    test = site.by_id["2021-02-01-test"]
    assert test.date == PartialDate(2021)
    assert test.date.precision is Precision.YEAR
    assert test.time == datetime.time(13, 0)


def test_a_month_sorts_before_the_days_of_that_month(make_site: MakeSite) -> None:
    front = edited("date: 2021-02-01", "date: 2021-01-27\ntime: 08:00")
    site, _ = commands.check(config_of(make_site({PATH: incident(front)})))
    assert [i.id for i in site.incidents] == ["2021-01-siege", "2021-02-01-test", "2021-01-27-protest"]


def test_end_date_before_date(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "end_date: 2021-01-31\n") == [
        f"{PATH}:9: error: end_date 2021-01-31 is before date 2021-02-01",
    ]


def test_end_date_of_a_whole_earlier_month(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "end_date: 2021-01\n") == [
        f"{PATH}:9: error: end_date 2021-01 is before date 2021-02-01",
    ]


@pytest.mark.parametrize(("date", "end_date"), [
    ("2021-01-13", "2021-01"), ("2021-01", "2021-01-05"),
    ("2021-01-13", "2021"), ("2021-01-13", "2021-01-13"),
])
def test_end_date_compares_by_period(make_site: MakeSite, date: str, end_date: str) -> None:
    front = edited("date: 2021-02-01", f"date: {date}\nend_date: {end_date}")
    site, problems = commands.check(config_of(make_site({PATH: incident(front)})))
    assert list(problems) == []
    assert site.by_id["2021-02-01-test"].end_date == PartialDate(*map(int, end_date.split("-")))


def test_ongoing_with_an_end_date(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "end_date: 2021-03\nongoing: true\n") == [
        f"{PATH}:10: error: an incident with an end_date cannot be ongoing; "
        "remove one of 'ongoing' and 'end_date'",
    ]


def test_as_of_dates_an_ongoing_incident_only(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "as_of: 2021-03\n") == [
        f"{PATH}:9: error: as_of only dates an ongoing incident; add 'ongoing: true' or remove 'as_of'",
    ]
    assert problems_of(make_site, FRONT + "ongoing: true\nas_of: 2020-12\n") == [
        f"{PATH}:10: error: as_of 2020-12 is before date 2021-02-01",
    ]
    assert problems_of(make_site, FRONT + "ongoing: true\nas_of: 2021-03\n") == []


# Ids: registries and related incidents


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("places: [hasakah]", "places: [hasaka]", "5: error: unknown place 'hasaka'; did you mean 'hasakah'?"),
    ("places: [hasakah]", "places:\n  - qamishli\n  - hasaka",
     "7: error: unknown place 'hasaka'; did you mean 'hasakah'?"),
    ("places: [hasakah]", "places: [damascus]", "5: error: unknown place 'damascus'"),
    ("type: protest", "type: protests", "4: error: unknown type 'protests'; did you mean 'protest'?"),
    ("type: protest", "type: protest\nactors: [asayesh]",
     "5: error: unknown actor 'asayesh'; did you mean 'asayish'?"),
    ("type: protest", "type: protest\ntags: [security-sqare]",
     "5: error: unknown tag 'security-sqare'; did you mean 'security-square'?"),
    ("type: protest", "type: protest\nactors: [الأسايش]",
     "5: error: 'الأسايش' is the name of actor 'asayish', not its id; write 'asayish'"),
    ("places: [hasakah]", "places: [qamishli, hasakah governorate]",
     "5: error: 'hasakah governorate' is the name of place 'hasakah-governorate', not its id; "
     "write 'hasakah-governorate'"),
    ("type: protest", "type: احتجاج", "4: error: 'احتجاج' is the name of type 'protest', not its id; "
     "write 'protest'"),
], ids=["place", "place-in-block-list", "place-no-hint", "type", "actor", "tag", "actor-by-name",
        "place-by-english-name", "type-by-name"])
def test_an_unknown_registry_id(make_site: MakeSite, old: str, new: str, expected: str) -> None:
    assert problems_of(make_site, edited(old, new)) == [f"{PATH}:{expected}"]


def test_an_unknown_related_incident(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "related: [2021-01-27-protset]\n") == [
        f"{PATH}:9: error: unknown incident '2021-01-27-protset' in 'related'; "
        "did you mean '2021-01-27-protest'?",
    ]


def test_related_to_itself(make_site: MakeSite) -> None:
    assert problems_of(make_site, FRONT + "related:\n  - 2021-01-siege\n  - 2021-02-01-test\n") == [
        f"{PATH}:11: error: incident '2021-02-01-test' is related to itself",
    ]


# Files and languages


def test_a_duplicate_id_in_another_folder(make_site: MakeSite) -> None:
    assert check_site(make_site({"content/incidents/2020/2021-01-27-protest.ar.md": PROTEST_AR})) == [
        f"{PROTEST}.ar.md: error: duplicate incident id '2021-01-27-protest' in language 'ar': "
        "also in content/incidents/2020/2021-01-27-protest.ar.md",
    ]


def test_a_translation_may_sit_in_another_folder(make_site: MakeSite) -> None:
    root = make_site({f"{PROTEST}.en.md": None, "content/incidents/en/2021-01-27-protest.en.md": PROTEST_EN})
    assert check_site(root) == []


def test_two_originals(make_site: MakeSite) -> None:
    assert check_site(make_site({f"{PROTEST}.en.md": PROTEST_AR})) == [
        f"{PROTEST}.en.md:4: error: incident '2021-01-27-protest' has two originals: this file and "
        f"{PROTEST}.ar.md both set 'date'; "
        "keep the facts in one file and only title, summary and text in the other",
    ]


def test_no_original(make_site: MakeSite) -> None:
    message = ("error: incident '2021-01-27-protest' has no original: exactly one of its files "
               "must carry the facts, starting with 'date'")
    assert errors_of(make_site({f"{PROTEST}.ar.md": PROTEST_EN})) == [
        f"{PROTEST}.ar.md:1: {message}", f"{PROTEST}.en.md:1: {message}",
    ]


@pytest.mark.parametrize(("field", "line"), [("type: protest", 3), ("places: [hasakah]", 3),
                                             ("sources: []", 3), ("draft: true", 3)])
def test_a_fact_field_in_a_translation(make_site: MakeSite, field: str, line: int) -> None:
    translation = f"---\ntitle: Protest\n{field}\nsummary: s\n---\nText.\n"
    name = field.split(":")[0]
    assert check_site(make_site({f"{PROTEST}.en.md": translation})) == [
        f"{PROTEST}.en.md:{line}: error: fact field '{name}' in a translation; "
        "facts are written once, in the original (the file with 'date')",
    ]


def test_an_unknown_field_in_a_translation(make_site: MakeSite) -> None:
    translation = "---\ntitle: Protest\nsumary: s\n---\nText.\n"
    assert check_site(make_site({f"{PROTEST}.en.md": translation})) == [
        f"{PROTEST}.en.md:3: error: unknown field 'sumary'; did you mean 'summary'?",
    ]


@pytest.mark.parametrize(("lang", "hint"), [("fr", "configured: ar, en"), ("eng", "did you mean 'en'?")])
def test_a_language_not_configured(make_site: MakeSite, lang: str, hint: str) -> None:
    assert check_site(make_site({f"{PROTEST}.{lang}.md": PROTEST_EN})) == [
        f"{PROTEST}.{lang}.md: error: language '{lang}' is not configured; {hint}",
    ]


@pytest.mark.parametrize(("name", "expected"), [
    ("2021-01-27-protest.md", "file name '2021-01-27-protest.md' is not <id>.<lang>.md; "
     "name it like 2021-01-27-hasakah-protest.ar.md"),
    ("2021.01.27.ar.md", "file name '2021.01.27.ar.md' is not <id>.<lang>.md; "
     "name it like 2021-01-27-hasakah-protest.ar.md"),
    ("Hasakah_Protest.ar.md",
     "invalid id 'Hasakah_Protest'; use lowercase ASCII letters, digits and hyphens"),
    ("-protest.ar.md", "invalid id '-protest'; use lowercase ASCII letters, digits and hyphens"),
    ("احتجاج.ar.md", "invalid id 'احتجاج'; use lowercase ASCII letters, digits and hyphens"),
], ids=["no-language", "dots", "capitals", "leading-hyphen", "arabic"])
def test_a_bad_file_name(make_site: MakeSite, name: str, expected: str) -> None:
    path = f"content/incidents/2021/{name}"
    assert check_site(make_site({path: incident()})) == [f"{path}: error: {expected}"]


def test_a_file_that_is_not_utf8(make_site: MakeSite) -> None:
    root = make_site()
    good = incident().encode("utf-8")
    (root / PATH).write_bytes(good + b"\xff\n")
    assert check_site(root) == [
        f"{PATH}:11: error: not UTF-8 text (byte {len(good)}); save the file as UTF-8"]


# URLs


@pytest.mark.parametrize(("extra", "line", "field", "url"), [
    ("  - url: javascript:alert(1)\n    publisher: B\n", 9, "sources.url", "javascript:alert(1)"),
    ("  - url: ftp://files.example/a\n    publisher: B\n", 9, "sources.url", "ftp://files.example/a"),
    ("  - url: /news/a.html\n    publisher: B\n", 9, "sources.url", "/news/a.html"),
    ("  - url: www.example.org/a\n    publisher: B\n", 9, "sources.url", "www.example.org/a"),
    ("  - url: 'https:/news/a.html'\n    publisher: B\n", 9, "sources.url", "https:/news/a.html"),
    ("    archive_url: javascript:alert(1)\n", 9, "sources.archive_url", "javascript:alert(1)"),
    ("    archive_url: web.archive.org/x\n", 9, "sources.archive_url", "web.archive.org/x"),
    ("media:\n  - kind: video\n    url: data:text/html,x\n", 11, "media.url", "data:text/html,x"),
    ("media:\n  - kind: image\n    url: media/x.png\n", 11, "media.url", "media/x.png"),
    ("media:\n  - kind: image\n    url: 'https://['\n", 11, "media.url", "https://["),
], ids=["javascript", "ftp", "relative", "no-scheme", "no-host", "archive-javascript", "archive-no-scheme",
        "media-data", "media-relative", "media-broken-host"])
def test_an_unsafe_url(make_site: MakeSite, extra: str, line: int, field: str, url: str) -> None:
    assert problems_of(make_site, FRONT + extra) == [
        f"{PATH}:{line}: error: unsafe or relative URL '{url}' in '{field}'; "
        "use an absolute http:// or https:// address",
    ]


def test_safe_urls_are_kept(make_site: MakeSite) -> None:
    extra = ("    archive_url: https://web.archive.org/x\n"
             "media:\n  - {kind: video, url: 'http://video.example/v', caption: c, credit: r}\n")
    site, problems = commands.check(config_of(make_site({PATH: incident(FRONT + extra)})))
    assert list(problems) == []
    test = site.by_id["2021-02-01-test"]
    assert [(s.url, s.archive_url) for s in test.sources] == [("https://a.example/", "https://web.archive.org/x")]
    assert [(m.kind, m.url) for m in test.media] == [("video", "http://video.example/v")]


# Registries


@pytest.mark.parametrize(("entry", "expected"), [
    ("damascus:\n  name: {ar: دمشق}\n", "12: error: 'damascus.name' has no 'en' value"),
    ("damascus:\n  name: Damascus\n", "12: error: 'damascus.name' must map each language to text, "
     "such as {ar: ..., en: ...}"),
    ("damascus:\n  name: {ar: دمشق, en: Damascus, fr: Damas}\n", "12: error: unknown language 'fr'"),
    ("damascus:\n  nam: {ar: دمشق, en: Damascus}\n",
     "11: error: missing required field 'damascus.name'\n"
     "12: error: unknown field 'nam'; did you mean 'name'?"),
    ("damascus:\n  name: {ar: دمشق, en: Damascus}\n  within: syria\n",
     "13: error: unknown place 'syria' in 'within'"),
    ("damascus:\n  name: {ar: دمشق, en: Damascus}\n  within: hasakah-governorat\n",
     "13: error: unknown place 'hasakah-governorat' in 'within'; did you mean 'hasakah-governorate'?"),
    ("damascus:\n  name: {ar: دمشق, en: Damascus}\n  lat: 133.5\n",
     "13: error: 'damascus.lat' must be a number from -90 to 90, not '133.5'"),
    ("damascus:\n  name: {ar: دمشق, en: Damascus}\n  lon: east\n",
     "13: error: 'damascus.lon' must be a number from -180 to 180, not 'east'"),
    ("Damascus:\n  name: {ar: دمشق, en: Damascus}\n",
     "11: error: invalid id 'Damascus'; use lowercase ASCII letters, digits and hyphens"),
    ("damascus: دمشق\n", "11: error: entry 'damascus' must be a mapping with a name per language"),
], ids=["name-missing-a-language", "name-as-text", "name-unknown-language", "no-name", "within-unknown",
        "within-did-you-mean", "bad-lat", "bad-lon", "bad-id", "entry-as-text"])
def test_a_bad_place(make_site: MakeSite, entry: str, expected: str) -> None:
    root = make_site()
    places = root / "content/places.yaml"
    places.write_text(places.read_text(encoding="utf-8") + entry, encoding="utf-8")
    assert errors_of(root) == [f"content/places.yaml:{line}" for line in expected.split("\n")]


def test_a_within_cycle(make_site: MakeSite) -> None:
    places = """\
        hasakah-governorate:
          name: {ar: محافظة الحسكة, en: Hasakah Governorate}
          within: qamishli
        hasakah:
          name: {ar: الحسكة, en: Hasakah}
          within: hasakah
        qamishli:
          name: {ar: القامشلي, en: Qamishli}
          within: hasakah-governorate
        """
    assert check_site(make_site({"content/places.yaml": places})) == [
        "content/places.yaml:3: error: place 'hasakah-governorate' is within itself: "
        "hasakah-governorate -> qamishli -> hasakah-governorate",
        "content/places.yaml:6: error: place 'hasakah' is within itself: hasakah -> hasakah",
        "content/places.yaml:9: error: place 'qamishli' is within itself: "
        "qamishli -> hasakah-governorate -> qamishli",
    ]


def test_a_bad_type_registry(make_site: MakeSite) -> None:
    types = """\
        protest:
          name: {ar: احتجاج, en: Protest}
          acled: {event_type: Protests, sub_type: Peaceful protest}
        siege:
          name: {ar: حصار, en: Siege}
        """
    assert check_site(make_site({"content/types.yaml": types})) == [
        "content/types.yaml:3: error: unknown acled field 'sub_type'; did you mean 'sub_event_type'?",
        "content/types.yaml:3: error: missing required field 'protest.acled.sub_event_type'",
    ]


def test_a_malformed_registry(make_site: MakeSite) -> None:
    actors = "asayish:\n  name: {ar: الأسايش, en: Asayish\n"
    assert check_site(make_site({"content/actors.yaml": actors})) == [
        "content/actors.yaml:3: error: malformed YAML: did not find expected ',' or '}'",
        f"{PROTEST}.ar.md:8: error: unknown actor 'asayish'",
    ]


# Bidi controls, drafts, pages and media


def test_a_bidi_control_is_a_warning(make_site: MakeSite) -> None:
    front = edited("title: عنوان الواقعة", "title: عنوان \u202eالواقعة")
    assert problems_of(make_site, front, "Text \u2067isolated\u2069.\n") == [
        f"{PATH}:2: warning: bidi control character U+202E in text; it is isolated when shown",
        f"{PATH}:10: warning: bidi control character U+2067 in text; it is isolated when shown",
        f"{PATH}:10: warning: bidi control character U+2069 in text; it is isolated when shown",
    ]
    site, problems = commands.check(config_of(make_site({PATH: incident(front)})))
    assert not problems.has_errors
    assert "2021-02-01-test" in site.by_id


def test_a_bidi_control_in_a_registry_is_a_warning(make_site: MakeSite) -> None:
    actors = "asayish:\n  name: {ar: الأسايش, en: \"Asayish \u202a(ISF)\"}\n"
    assert check_site(make_site({"content/actors.yaml": actors})) == [
        "content/actors.yaml:2: warning: bidi control character U+202A in text; it is isolated when shown",
    ]


def draft_site(make_site: MakeSite) -> Path:
    """The default site with the protest (which the siege relates to) a draft."""
    draft = PROTEST_AR.replace("    ---\n    نص", "    draft: true\n    ---\n    نص")
    assert draft != PROTEST_AR
    return make_site({f"{PROTEST}.ar.md": draft})


def test_a_draft_is_left_out_unless_asked_for(make_site: MakeSite) -> None:
    config = config_of(draft_site(make_site))
    site, _ = commands.check(config)
    assert [i.id for i in site.incidents] == ["2021-01-siege"]
    site, _ = commands.check(config, drafts=True)
    assert [i.id for i in site.incidents] == ["2021-01-siege", "2021-01-27-protest"]
    assert site.by_id["2021-01-27-protest"].is_draft


def test_a_link_to_a_draft_is_dropped_with_a_warning(make_site: MakeSite) -> None:
    root = draft_site(make_site)
    assert check_site(root) == [
        f"{SIEGE}:7: warning: related incident '2021-01-27-protest' is a draft; the link is left out",
    ]
    site, _ = commands.check(config_of(root))
    assert site.by_id["2021-01-siege"].related == ()
    site, problems = commands.check(config_of(root), drafts=True)
    assert list(problems) == []
    assert site.by_id["2021-01-siege"].related == ("2021-01-27-protest",)


def test_a_draft_is_still_validated_but_does_not_stop_the_build(make_site: MakeSite) -> None:
    draft = edited("hasakah]", "hasaka]") + "draft: true\n"
    assert problems_of(make_site, draft) == [
        f"{PATH}:5: warning: unknown place 'hasaka'; did you mean 'hasakah'?",
    ]
    _, problems = commands.check(config_of(make_site({PATH: incident(draft)})), drafts=True)
    assert [str(p) for p in problems] == [
        f"{PATH}:5: error: unknown place 'hasaka'; did you mean 'hasakah'?",
    ]


@pytest.mark.parametrize("page", ["incidents", "places", "search", "media", "2021"])
def test_a_page_id_that_collides_with_the_sites_own_pages(make_site: MakeSite, page: str) -> None:
    path = f"content/pages/{page}.en.md"
    assert check_site(make_site({path: "---\ntitle: Page\n---\nText.\n"})) == [
        f"{path}: error: page id '{page}' is taken by the site's own pages (/en/{page}/); rename the file",
    ]


def test_a_page_with_problems(make_site: MakeSite) -> None:
    path = "content/pages/about.en.md"
    page = "---\ntitle: About\ndate: 2021-01-01\n---\nText.\n\n![map](media/map.png)\n"
    assert check_site(make_site({path: page})) == [
        f"{path}:3: error: unknown field 'date'",
        f"{path}:7: error: image 'media/map.png' not found in the content's media/ folder",
    ]


def test_a_missing_local_image_is_reported_at_its_line(make_site: MakeSite) -> None:
    body = "Paragraph.\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n![x](media/none.png)\n"
    assert problems_of(make_site, FRONT, body) == [
        f"{PATH}:16: error: image 'media/none.png' not found in the content's media/ folder",
    ]


def test_a_local_image_that_exists(make_site: MakeSite) -> None:
    root = make_site({PATH: incident(body="![x](media/2021/map.png)\n"), "content/media/2021/map.png": "png"})
    assert check_site(root) == []


# The whole report


def test_every_problem_of_every_file_in_one_run(make_site: MakeSite) -> None:
    root = make_site({
        PATH: incident(edited("places: [hasakah]", "places: [hasaka]") + "end_date: 2020\n"),
        f"{PROTEST}.en.md": "---\ntitle: Protest\ntype: protest\n---\n![x](media/no.png)\n",
        SIEGE: "---\ntitle: [siege\n---\n",
        "content/incidents/2021/other.fr.md": incident(),
        "content/tags.yaml": "security-square:\n  name: {ar: المربع الأمني}\n",
        "content/pages/search.ar.md": "---\ntitle: بحث\n---\n",
    })
    assert errors_of(root) == [
        f"{PROTEST}.en.md:3: error: fact field 'type' in a translation; "
        "facts are written once, in the original (the file with 'date')",
        f"{PROTEST}.en.md:5: error: image 'media/no.png' not found in the content's media/ folder",
        f"{SIEGE}:3: error: malformed YAML: did not find expected ',' or ']'",
        f"{PATH}:5: error: unknown place 'hasaka'; did you mean 'hasakah'?",
        f"{PATH}:9: error: end_date 2020 is before date 2021-02-01",
        "content/incidents/2021/other.fr.md: error: language 'fr' is not configured; configured: ar, en",
        "content/pages/search.ar.md: error: page id 'search' is taken by the site's own pages "
        "(/ar/search/); rename the file",
        "content/tags.yaml:2: error: 'security-square.name' has no 'en' value",
    ]


def test_problems_are_sorted_by_file_then_line(make_site: MakeSite) -> None:
    root = make_site({
        PATH: incident(FRONT + "weather: sunny\n" + "time: 9\n"),
        "content/incidents/2021/2021-01-01-a.ar.md": incident(edited("type: protest", "type: riot")),
    })
    problems = check_site(root)
    assert problems == [
        "content/incidents/2021/2021-01-01-a.ar.md:4: error: unknown type 'riot'",
        f"{PATH}:9: error: unknown field 'weather'",
        f"{PATH}:10: error: invalid time '9': expected HH:MM, 24-hour",
    ]


def test_a_broken_original_does_not_orphan_its_translation(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-01-27-protest.ar.md": "---\ntitle: [\n---\n"})
    assert [line for line in check_site(root) if "error" in line] == [
        "content/incidents/2021/2021-01-27-protest.ar.md:3: error: malformed YAML: "
        "did not find expected node content",
    ]


# Contract rules that `build` would otherwise stumble on, each with its bad fixture


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("places: [hasakah]", "places: []", "5: error: 'places' is empty; list at least one place"),
    ("places: [hasakah]", "places:", "5: error: missing required field 'places'; list at least one place"),
    ("sources:\n  - url: https://a.example/\n    publisher: A\n", "sources: []\n",
     "6: error: 'sources' is empty; give at least one source with url and publisher"),
    ("date: 2021-02-01", "date: 2201-02-01", "3: error: date 2201-02-01 is in the future; check the year"),
    ("date: 2021-02-01", "date: 2021-02-01\nend_date: 9021",
     "4: error: end_date 9021 is in the future; for what is still going on, write 'ongoing: true' instead"),
    ("date: 2021-02-01", "date: 2021-02-01\nupdated: 2201-01-01",
     "4: error: updated 2201-01-01 is in the future; check the year"),
], ids=["places-empty", "places-null", "sources-empty", "date-future", "end-date-future", "updated-future"])
def test_a_contract_rule(make_site: MakeSite, old: str, new: str, expected: str) -> None:
    assert problems_of(make_site, edited(old, new)) == [f"{PATH}:{expected}"]


@pytest.mark.parametrize(("extra", "expected"), [
    ("media:\n  - url: https://a.example/v\n",
     "10: error: missing required field 'kind'; one of video, image, post"),
    ("media:\n  - kind: video\n", "10: error: missing required field 'media.url'"),
    ("media:\n  - {kind: video, url: 'https://a.example/v', by: me}\n",
     "10: error: unknown media field 'by'"),
    ("media:\n  - {kind: video, url: 'https://a.example/v', caption: [a, b]}\n",
     "10: error: 'media.caption' must be text, not a list"),
    ("summary: {ar: x}\n", "9: error: 'summary' must be text, not a mapping"),
], ids=["media-no-kind", "media-no-url", "media-unknown-field", "media-caption-list", "summary-mapping"])
def test_a_contract_rule_of_media_and_text(make_site: MakeSite, extra: str, expected: str) -> None:
    assert problems_of(make_site, FRONT + extra) == [f"{PATH}:{expected}"]


@pytest.mark.parametrize(("registry", "text", "expected"), [
    ("places", "- hasakah\n", "1: error: places.yaml must map ids to entries such as 'hasakah: {name: ...}'"),
    ("actors", "asayish:\n  name: {ar: الأسايش, en: Asayish}\n  description: Police\n",
     "3: error: 'asayish.description' must map each language to text, such as {ar: ..., en: ...}"),
    ("places", "hasakah:\n  name: {ar: الحسكة, en: Hasakah}\n  aliases: [{en: Hasaka}]\n",
     "3: error: 'hasakah.aliases' must be text, not a mapping"),
    ("types", "protest:\n  name: {ar: احتجاج, en: Protest}\n  colour: red\n",
     "3: error: unknown field 'colour'; did you mean 'color'?"),
], ids=["not-a-mapping", "description-as-text", "alias-mapping", "unknown-field"])
def test_a_contract_rule_of_registries(make_site: MakeSite, registry: str, text: str, expected: str) -> None:
    root = make_site({f"content/{registry}.yaml": text}, basic=False)
    assert errors_of(root) == [f"content/{registry}.yaml:{expected}"]


def test_a_page_without_a_title(make_site: MakeSite) -> None:
    path = "content/pages/about.en.md"
    assert check_site(make_site({path: "---\nsummary: About us\n---\nText.\n"})) == [
        f"{path}:1: error: missing required field 'title'",
    ]


def test_the_stub_that_new_writes_is_caught_by_check_and_build(make_site: MakeSite) -> None:
    root = make_site()
    path = commands.new(config_of(root), "2021-02-01-stub", "ar", "2021-02-01")
    stub = path.read_text(encoding="utf-8").replace("draft: true\n", "")
    path.write_text(stub, encoding="utf-8")
    stub_path = "content/incidents/2021/2021-02-01-stub.ar.md"
    errors = errors_of(root)
    line = stub.splitlines().index("places: []") + 1
    assert f"{stub_path}:{line}: error: 'places' is empty; list at least one place" in errors
    out, problems = build_site(root)
    assert [str(p) for p in problems.errors] == errors
    assert not out.exists()
