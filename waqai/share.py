"""How a page presents itself to other sites: its feed, Open Graph locales and
the schema.org description of an incident.

Link previews (Open Graph, Twitter cards) and search engines read these; the
page itself never runs any of it. The JSON-LD block is data, escaped so that
no content can close its `<script>` element.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from babel import Locale
from babel.core import get_global

from waqai.config import Config
from waqai.model import Entry, Incident
from waqai.taxonomy import ancestors

_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@functools.cache
def og_locale(locale: str) -> str:
    """A locale as Open Graph wants it, language and territory: `ar_SY` stays,
    `en` becomes `en_US` (Babel's likely subtags give the territory)."""
    parsed = Locale.parse(locale.replace("-", "_"))
    if not parsed.territory:
        likely: Mapping[str, str] = get_global("likely_subtags")
        guess = likely.get(str(parsed)) or likely.get(parsed.language)
        if guess:
            parsed = Locale(parsed.language, territory=Locale.parse(guess).territory)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


def place_chain(place_id: str, places: Mapping[str, Entry]) -> list[Entry]:
    """The place and every larger place it is `within`, smallest first."""
    place = places.get(place_id)
    return [place, *ancestors(place_id, places)] if place else []


def script_json(data: object) -> str:
    """JSON that no text can break out of, even inside a `<script>` element:
    `<`, `>` and `&` are \\u escapes (so "</script>" stays a string), and so are
    the line separators U+2028 and U+2029, which older JavaScript rejects in strings.
    Compact, and written as Python's json.dumps(data, ensure_ascii=False,
    separators=(",", ":")) writes it (orjson: less than half the time)."""
    text = orjson.dumps(data).decode()
    for char, escaped in _SCRIPT_SAFE:  # replace() is ten times faster than translate()
        text = text.replace(char, escaped)
    return text


def incident_json_ld(incident: Incident, places: Mapping[str, Entry], config: Config,
                     lang: str, url: str) -> str:
    """A schema.org NewsArticle about the incident's page, `about` the Event itself.

    The page is a report about something that happened, not an event one could
    attend, so it is an article; the incident is its `about` (an Event with
    dates and places), which keeps both kinds of reader right. Its corrections
    are `correction`s (CorrectionComment), newest first, and the latest is its
    `dateModified` (see Incident.updated).
    """
    text = incident.text(lang)
    located = [_place(p, places, text.lang) for p in incident.places]
    event: dict[str, Any] = {
        "@type": "Event", "name": text.title, "startDate": incident.date.isoformat(),
        "endDate": incident.end_date.isoformat() if incident.end_date else None,
        "location": located,
    }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": text.title,
        "description": text.summary or None,
        "inLanguage": text.lang,
        "url": url,
        "mainEntityOfPage": url,
        "datePublished": incident.date.isoformat(),
        "dateModified": incident.updated.isoformat() if incident.updated else None,
        "isPartOf": {"@type": "WebSite", "name": config.title.get(text.lang, ""),
                     "url": config.base_url},
        "about": _without_empty(event),
        "contentLocation": located,
        "citation": [_citation(s.url, s.publisher, s.title, s.date.isoformat() if s.date else "")
                     for s in incident.sources],
        "correction": [{"@type": "CorrectionComment", "text": c.note, "datePublished": c.date.isoformat()}
                       for c in text.corrections],
    }
    return script_json(_without_empty(data))


def _place(place_id: str, places: Mapping[str, Entry], lang: str) -> dict[str, Any]:
    """A schema.org Place, inside the larger places it is `within`."""
    chain = place_chain(place_id, places)
    result: dict[str, Any] = {}
    for entry in reversed(chain):
        place: dict[str, Any] = {"@type": "Place", "name": entry.name.get(lang, entry.id)}
        if entry.lat is not None and entry.lon is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": entry.lat, "longitude": entry.lon}
        if result:
            place["containedInPlace"] = result
        result = place
    return result


def _citation(url: str, publisher: str, title: str, date: str) -> dict[str, Any]:
    return _without_empty({
        "@type": "CreativeWork", "url": url, "name": title or None, "datePublished": date or None,
        "publisher": {"@type": "Organization", "name": publisher},
    })


def _without_empty(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what the content does not say, rather than writing null."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def alternate_locales(codes: Sequence[str], config: Config, own: str) -> tuple[str, ...]:
    """Open Graph locales of the other languages a page is available in."""
    return tuple(og_locale(config.languages[code].locale)
                 for code in codes if code != own and code in config.languages)
