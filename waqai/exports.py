"""The chronology as data: incidents.json per language, one incidents.csv, and
a TimelineJS file per language.

Researchers reuse the facts without scraping pages: the JSON keeps everything
(dates in their precision, sources, registry names in the language), the CSV
follows the ACLED codebook's columns, and timeline.json drops into Knight Lab's
TimelineJS. Output is sorted and dated from the content, so builds repeat.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from markupsafe import escape

from waqai import routes
from waqai.config import Config
from waqai.dates import PartialDate, Precision
from waqai.i18n import format_date
from waqai.markdown import place_root
from waqai.model import Entry, Incident, Site, Text
from waqai.share import place_chain

SCHEMA_VERSION = 1
"""Of incidents.json; schemas/incidents.schema.json describes it. Raised when a
field changes meaning or disappears; new fields may come without it."""
ACLED_COLUMNS = (
    "event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
    "assoc_actors", "country", "admin1", "location", "latitude", "longitude", "source", "source_url",
    "notes", "fatalities",
)
EXTRA_COLUMNS = ("date_precision", "end_date", "time", "verification", "incident_type", "places", "url",
                 "updated")
_TIME_PRECISION = {Precision.DAY: "1", Precision.MONTH: "3", Precision.YEAR: "3"}
"""ACLED: 1 the day is known, 2 the week, 3 the month or longer."""


def _compact(data: object) -> bytes:
    """Compact JSON in UTF-8, as Python's json.dumps(data, ensure_ascii=False,
    separators=(",", ":")) writes it (orjson: less than half the time)."""
    return orjson.dumps(data)


def _json(data: object) -> bytes:
    return _compact(data) + b"\n"


def _json_with_list(head: dict[str, Any], key: str, items: Iterable[object]) -> bytes:
    """`_json({**head, key: [*items]})`, the same bytes made item by item: the
    whole archive as one tree of objects took 170 MB at 10,000 incidents."""
    # One growing buffer: each of orjson's results holds 16 KB however short
    # it is (a list of them took 230 MB more at 10,000 incidents).
    written = bytearray(_compact({**head, key: []}).removesuffix(b"]}"))
    for n, item in enumerate(items):
        if n:
            written += b","
        written += _compact(item)
    written += b"]}\n"
    return bytes(written)


# incidents.json ---------------------------------------------------------------


def incidents_json(site: Site, config: Config, lang: str,
                   explicit: Mapping[str, tuple[str, ...]]) -> bytes:
    """Every published incident: its facts and its text in `lang` (or the original's)."""
    return _json_with_list({
        "schema_version": SCHEMA_VERSION,
        "site": {"title": config.title.get(lang, ""), "language": lang, "base_url": config.base_url,
                 "timezone": config.timezone},
    }, "incidents", (incident_record(i, site, config, lang, explicit.get(i.id, ()))
                     for i in site.incidents))


def incident_record(incident: Incident, site: Site, config: Config, lang: str,
                    related: tuple[str, ...]) -> dict[str, Any]:
    """One incident as plain data; registry entries carry their names in `lang`."""
    text = incident.text(lang)
    casualties = incident.casualties
    return {
        "id": incident.id,
        "url": routes.url(config, routes.incident(lang, incident.id).path),
        "date": date_record(incident.date),
        "time": incident.time.strftime("%H:%M") if incident.time else None,
        "end_date": date_record(incident.end_date) if incident.end_date else None,
        "ongoing": incident.is_ongoing,
        "ongoing_as_of": date_record(incident.ongoing_until) if incident.ongoing_until else None,
        "type": _type_record(site.registries["types"][incident.type], lang),
        "places": [_place_record(site.registries["places"][p], lang) for p in incident.places],
        "actors": [_named(site.registries["actors"][a], lang) for a in incident.actors],
        "tags": [_named(site.registries["tags"][t], lang) for t in incident.tags],
        "related": list(related),
        "sources": [{"url": s.url, "publisher": s.publisher, "title": s.title or None,
                     "date": s.date.isoformat() if s.date else None,
                     "archive_url": s.archive_url or None} for s in incident.sources],
        "casualties": None if casualties is None else {
            "killed": casualties.killed, "injured": casualties.injured,
            "detained": casualties.detained},
        "media": [{"kind": m.kind, "url": m.url, "caption": m.caption or None,
                   "credit": m.credit or None} for m in incident.media],
        "verification": incident.verification,
        "updated": incident.updated.isoformat() if incident.updated else None,
        "original_language": incident.original,
        "text": {"language": text.lang, "is_translated": incident.is_translated(lang),
                 "title": text.title, "summary": text.summary, "body": text.body,
                 "corrections": [{"date": c.date.isoformat(), "note": c.note} for c in text.corrections]},
        "csl": csl_record(incident, text, config),
    }


def csl_record(incident: Incident, text: Text, config: Config) -> dict[str, Any]:
    """The incident's page as CSL-JSON, what reference managers import: the
    page in its text's language (an untranslated incident is cited at its
    original's page), issued on the incident's date in its precision. No
    `accessed`: the reader adds the day they read it, and the output does
    not depend on the day it is built."""
    date = incident.date
    parts = [date.year, *([date.month] if date.month else []), *([date.day] if date.day else [])]
    return {
        "id": incident.id,
        "type": "webpage",
        "title": text.title,
        "container-title": config.title.get(text.lang, ""),
        "URL": routes.url(config, routes.incident(text.lang, incident.id).path),
        "issued": {"date-parts": [parts]},
        "language": text.lang,
    }


def date_record(date: PartialDate) -> dict[str, str]:
    """A date in its precision, with the period it covers: `2021-01` is
    {"value": "2021-01", "precision": "month", "first_day": "2021-01-01", "last_day": "2021-01-31"}."""
    return {"value": date.isoformat(), "precision": date.precision.name.lower(),
            "first_day": date.first_day.isoformat(), "last_day": date.last_day.isoformat()}


def _named(entry: Entry, lang: str) -> dict[str, Any]:
    return {"id": entry.id, "name": entry.name.get(lang, entry.id)}


def _type_record(entry: Entry, lang: str) -> dict[str, Any]:
    return {**_named(entry, lang), "acled": dict(entry.acled) if entry.acled else None}


def _place_record(entry: Entry, lang: str) -> dict[str, Any]:
    return {**_named(entry, lang), "within": entry.within, "lat": entry.lat, "lon": entry.lon}


# incidents.csv ------------------------------------------------------------------


def names_language(config: Config) -> str:
    """The language of names in the CSV: English when configured (as ACLED), else the default."""
    return "en" if "en" in config.languages else config.default_language


def incidents_csv(site: Site, config: Config) -> bytes:
    """One row per incident, ACLED's columns first; UTF-8 with a BOM so that
    spreadsheets read the Arabic right, and CRLF line ends as RFC 4180 has them."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow((*ACLED_COLUMNS, *EXTRA_COLUMNS, *(f"title_{code}" for code in config.languages)))
    for incident in site.incidents:
        writer.writerow(csv_row(incident, site, config))
    return buffer.getvalue().encode("utf-8-sig")


def csv_row(incident: Incident, site: Site, config: Config) -> list[str]:
    """The incident's CSV cells, in the order of the header."""
    lang = names_language(config)
    places = site.registries["places"]
    actors = [_name(site.registries["actors"][a], lang) for a in incident.actors]
    chain = place_chain(most_specific_place(incident.places, places), places)
    located = next((p for p in chain if p.lat is not None and p.lon is not None), None)
    acled = site.registries["types"][incident.type].acled or {}
    killed = incident.casualties.killed if incident.casualties else None
    return [
        incident.id, incident.date.first_day.isoformat(), _TIME_PRECISION[incident.date.precision],
        acled.get("event_type", ""), acled.get("sub_event_type", ""),
        actors[0] if actors else "", actors[1] if len(actors) > 1 else "", "; ".join(actors[2:]),
        "",  # country: not in the content model (see README, "Data exports")
        _name(chain[-1], lang) if chain else "", _name(chain[0], lang) if chain else "",
        str(located.lat) if located else "", str(located.lon) if located else "",
        "; ".join(s.publisher for s in incident.sources), " ".join(s.url for s in incident.sources),
        incident.text(lang).summary, "" if killed is None else str(killed),
        incident.date.precision.name.lower(), incident.end_date.isoformat() if incident.end_date else "",
        incident.time.strftime("%H:%M") if incident.time else "", incident.verification,
        _name(site.registries["types"][incident.type], lang),
        "; ".join(_name(places[p], lang) for p in incident.places),
        routes.url(config, routes.incident(lang, incident.id).path),
        incident.updated.isoformat() if incident.updated else "",
        *(incident.texts[code].title if code in incident.texts else "" for code in config.languages),
    ]


def most_specific_place(place_ids: tuple[str, ...], places: Mapping[str, Entry]) -> str:
    """The place deepest in the `within` chains; the first listed on a tie."""
    return max(place_ids, key=lambda p: (len(place_chain(p, places)), -place_ids.index(p)))


def _name(entry: Entry, lang: str) -> str:
    return entry.name.get(lang, entry.id)


# timeline.json (TimelineJS) -----------------------------------------------------


def timeline_json(site: Site, config: Config, lang: str) -> bytes:
    """Knight Lab's TimelineJS format. TimelineJS inserts every text as HTML, so
    each is escaped; an untranslated incident keeps its text, marked with its
    own language and direction."""
    return _json_with_list({
        "title": {"text": {"headline": str(escape(config.title.get(lang, ""))), "text": ""}},
    }, "events", (timeline_slide(i, site, config, lang) for i in site.incidents))


def timeline_slide(incident: Incident, site: Site, config: Config, lang: str) -> dict[str, Any]:
    """One incident as a TimelineJS slide, dated in its own precision."""
    text = incident.text(lang)
    body = f"<p>{escape(text.summary)}</p>" if text.summary else place_root(text.html, config.base_url)
    slide: dict[str, Any] = {
        "unique_id": incident.id,
        "start_date": timeline_date(incident.date, incident, config, lang),
        "text": {"headline": _marked(str(escape(text.title)), text.lang, lang, config, "span"),
                 "text": _marked(body, text.lang, lang, config, "div")},
        "group": str(escape(_name(site.registries["types"][incident.type], lang))),
    }
    if incident.end_date:
        slide["end_date"] = timeline_date(incident.end_date, None, config, lang)
    if incident.media:
        first = incident.media[0]
        slide["media"] = {  # captions and credits are in the original's language
            "url": first.url,
            "caption": _marked(str(escape(first.caption)), incident.original, lang, config, "span"),
            "credit": _marked(str(escape(first.credit)), incident.original, lang, config, "span"),
        }
    return slide


def timeline_date(date: PartialDate, incident: Incident | None, config: Config,
                  lang: str) -> dict[str, Any]:
    """A TimelineJS date with only the parts that are known; the time of a dated
    incident is added. `display_date` is the date as the pages show it."""
    result: dict[str, Any] = {"year": date.year}
    if date.month:
        result["month"] = date.month
    if date.day:
        result["day"] = date.day
        if incident is not None and incident.time is not None:
            result["hour"], result["minute"] = incident.time.hour, incident.time.minute
    result["display_date"] = str(escape(format_date(date, config.languages[lang], config.digits)))
    return result


def _marked(html: str, text_lang: str, lang: str, config: Config, element: str) -> str:
    """HTML in another language than the file's, wrapped with its lang and dir."""
    if text_lang == lang or not html:
        return html
    direction = config.languages[text_lang].direction
    return f'<{element} lang="{text_lang}" dir="{direction}">{html}</{element}>'
