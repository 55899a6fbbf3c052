"""Plain data for the templates, the paths of every page, and what all the
pages of a build share (`derive`).

Templates compute nothing: every date is formatted, every text carries its
language and direction, and every link is a path inside the site. The
context functions that build this data are in contexts.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from waqai.config import Config
from waqai.model import Entry, Incident, Site
from waqai.related import related_incidents
from waqai.taxonomy import Term, ancestors, terms


@dataclass(frozen=True, slots=True)
class Label:
    """Text with its language and direction, isolated when shown."""

    text: str
    lang: str
    dir: str
    is_foreign: bool
    """True when its language is not the page's: marked with lang/dir."""


@dataclass(frozen=True, slots=True)
class When:
    """A date or time for `<time datetime=value>text</time>`."""

    value: str
    text: str


@dataclass(frozen=True, slots=True)
class Link:
    """A named thing; `path` is its page in the site ("" when it has none)."""

    path: str
    label: Label


@dataclass(frozen=True, slots=True)
class Alternate:
    """One `<link rel="alternate" hreflang>` of a page."""

    hreflang: str
    url: str


@dataclass(frozen=True, slots=True)
class Switch:
    """The same page in another language."""

    lang: str
    dir: str
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class Head:
    """What every page's frame needs."""

    path: str
    """This page, relative to the output folder: `ar/incidents/x/index.html`."""
    lang: str
    dir: str
    title: str
    description: str
    canonical: str
    alternates: tuple[Alternate, ...]
    switch: tuple[Switch, ...]
    site_title: str
    home: str
    nav: tuple[Link, ...]
    feed: str = ""
    """This language's Atom feed (`ar/feed.xml`), for autodiscovery."""
    og_title: str = ""
    """The page's own title, without the site's, for link previews."""
    og_type: str = "website"
    """`article` on incident pages."""
    og_locale: str = ""
    """Language and territory of the page's text: `ar_SY`, `en_US`."""
    og_locale_alternates: tuple[str, ...] = ()
    json_ld: str = ""
    """Incident pages: schema.org JSON, already escaped for a `<script>` data block."""
    registries: tuple[tuple[str, str], ...] = ()
    """(registry, path of its index) for browsing: actors, places, types, tags."""
    downloads: tuple[tuple[str, str], ...] = ()
    """(format, path) of the chronology as data: Atom, JSON, CSV, TimelineJS."""
    search: str = ""
    """This language's search page, linked from the site's navigation."""

    @property
    def root(self) -> str:
        """From this page up to the site's top folder: `../../../`."""
        return "../" * self.path.count("/")


@dataclass(frozen=True, slots=True)
class Card:
    """An incident as listed on the timeline and elsewhere."""

    path: str
    title: Label
    summary: Label | None
    date: When
    end: When | None
    is_ongoing: bool
    type: Link
    type_id: str
    places: tuple[Link, ...]
    is_translated: bool
    is_continuing: bool
    """Listed again under a later month that it still covers."""
    filters: str
    """What the timeline's filters match: "type:siege place:hasakah actor:asayish year:2021"."""


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source as cited on an incident page."""

    url: str
    publisher: Label
    title: Label | None
    date: When | None
    archive_url: str


@dataclass(frozen=True, slots=True)
class MediaView:
    """An external video, image or post, shown as a link (never loaded)."""

    kind: str
    url: str
    host: str
    caption: Label | None
    credit: Label | None


@dataclass(frozen=True, slots=True)
class Figure:
    """A reported number: killed, injured or detained."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class IncidentView:
    """Everything an incident page shows."""

    card: Card
    body: Label
    """The narrative's language and direction (its text is unused)."""
    html: Markup
    time: When | None
    actors: tuple[Link, ...]
    tags: tuple[Link, ...]
    sources: tuple[SourceView, ...]
    media: tuple[MediaView, ...]
    verification: str
    figures: tuple[Figure, ...]
    related: tuple[Card, ...]
    """Explicit links, seen from both sides."""
    suggested: tuple[Card, ...]
    """Computed: shared actors, places, tags and type, near in time."""
    previous: Card | None
    next: Card | None
    original_language: str
    """Name of the original's language, for the untranslated notice."""


@dataclass(frozen=True, slots=True)
class YearView:
    """One year of the timeline, formatted."""

    year: int
    label: str
    path: str
    count: int
    count_text: str
    months: tuple[tuple[str, str, tuple[Card, ...]], ...]
    """(month heading, anchor id, cards)."""


@dataclass(frozen=True, slots=True)
class PageContext:
    """Renders one output file with one template."""

    path: str
    template: str
    lang: str
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Derived:
    """What every language's pages share, computed once per build."""

    related: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]
    """Incident id -> (explicit links, computed suggestions)."""
    terms: Mapping[str, tuple[Term, ...]]
    """Registry -> entries that get a page."""
    positions: Mapping[str, int]
    """Incident id -> index in the chronological order."""
    filters: Mapping[str, str]
    """Incident id -> the keys the timeline's filters match."""


def derive(site: Site, config: Config) -> Derived:
    """Related incidents, registry pages, positions and filter keys of a site."""
    places = site.registries["places"]
    return Derived(
        related=related_incidents(site.incidents, places, config.related),
        terms=terms(site),
        positions={incident.id: n for n, incident in enumerate(site.incidents)},
        filters={incident.id: filter_keys(incident, places) for incident in site.incidents},
    )


def filter_keys(incident: Incident, places: Mapping[str, Entry]) -> str:
    """The keys a timeline filter matches; a place matches the places within it."""
    place_ids = dict.fromkeys(
        p for place in incident.places for p in (place, *(a.id for a in ancestors(place, places))))
    end = (incident.end_date or incident.date).year
    keys = [f"type:{incident.type}", *(f"place:{p}" for p in place_ids),
            *(f"actor:{a}" for a in incident.actors), *(f"tag:{t}" for t in incident.tags),
            *(f"year:{y}" for y in range(incident.date.year, end + 1))]
    return " ".join(keys)


def term_path(lang: str, registry: str, entry_id: str) -> str:
    """Where a registry entry's page is written."""
    return f"{lang}/{registry}/{entry_id}/index.html"


def registry_path(lang: str, registry: str) -> str:
    """Where a registry's index is written."""
    return f"{lang}/{registry}/index.html"


def incident_path(lang: str, incident_id: str) -> str:
    """Where an incident's page is written."""
    return f"{lang}/incidents/{incident_id}/index.html"


def page_path(lang: str, page_id: str) -> str:
    """Where a plain page is written."""
    return f"{lang}/{page_id}/index.html"


def year_path(lang: str, year: int) -> str:
    """Where one year of the timeline is written."""
    return f"{lang}/{year}/index.html"


def timeline_path(lang: str) -> str:
    """Where a language's timeline is written."""
    return f"{lang}/index.html"


def search_path(lang: str) -> str:
    """Where a language's search page is written."""
    return f"{lang}/search/index.html"


def url_of(config: Config, path: str) -> str:
    """The absolute URL of a page (without `index.html`)."""
    return config.base_url + path.removesuffix("index.html")


def relative_href(page: str, target: str) -> str:
    """A link from the page at `page` to `target`, both relative to the output:
    up to the site's top folder, then down, so that the same link works from
    every page of the same depth (and page fragments can be reused)."""
    if target.endswith("/"):
        target += "index.html"
    return "../" * page.count("/") + target
