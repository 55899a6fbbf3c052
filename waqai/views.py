"""Plain data for the templates: one context function per page kind.

Templates compute nothing: every date is formatted, every text carries its
language and direction, and every link is a path inside the site.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from waqai.config import Config, Language
from waqai.dates import PartialDate
from waqai.i18n import (
    balance_bidi,
    datetime_value,
    format_clock,
    format_date,
    format_month,
    format_number,
    isolate_plain,
    language_name,
)
from waqai.model import Entry, Incident, Media, Page, Site, Source, Text
from waqai.related import related_incidents
from waqai.share import alternate_locales, feed_path, og_locale
from waqai.taxonomy import Term, ancestors, terms
from waqai.timeline import Year, group_timeline


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


class Views:
    """Builds the context of every page of one language."""

    def __init__(self, site: Site, config: Config, lang: str, derived: Derived):
        self.site = site
        self.config = config
        self.language: Language = config.languages[lang]
        self.lang = lang
        self.derived = derived
        self.by_id = site.by_id
        self.has_page = {name: {t.entry.id for t in terms} for name, terms in derived.terms.items()}
        self._cards: dict[tuple[str, bool], Card] = {}

    # Parts -----------------------------------------------------------------

    def label(self, text: str, lang: str) -> Label:
        """User text in `lang`, marked when it is not the page's language."""
        language = self.config.languages.get(lang)
        direction = language.direction if language else "auto"
        return Label(balance_bidi(text), lang, direction, lang != self.lang)

    def when(self, date: PartialDate, time: datetime.time | None = None) -> When:
        """A date in the page's locale and in its own precision."""
        return When(datetime_value(date, time, self.config.timezone),
                    format_date(date, self.language, self.config.digits))

    def entry(self, registry: str, entry_id: str) -> Link:
        """A registry entry by its name in the page's language, linked to its page."""
        entry: Entry = self.site.registries[registry][entry_id]
        path = term_path(self.lang, registry, entry_id) if entry_id in self.has_page[registry] else ""
        return Link(path, self.label(entry.name.get(self.lang, entry_id), self.lang))

    def card(self, incident: Incident, *, is_continuing: bool = False) -> Card:
        """An incident as listed (made once per incident and language)."""
        key = (incident.id, is_continuing)
        if key not in self._cards:
            self._cards[key] = self._card(incident, is_continuing)
        return self._cards[key]

    def _card(self, incident: Incident, is_continuing: bool) -> Card:
        text = incident.text(self.lang)
        return Card(
            path=incident_path(self.lang, incident.id),
            title=self.label(text.title, text.lang),
            summary=self.label(text.summary, text.lang) if text.summary else None,
            date=self.when(incident.date, incident.time),
            end=self.when(incident.end_date) if incident.end_date else None,
            is_ongoing=incident.is_ongoing,
            type=self.entry("types", incident.type),
            type_id=incident.type,
            places=tuple(self.entry("places", p) for p in incident.places),
            is_translated=incident.is_translated(self.lang),
            is_continuing=is_continuing,
            filters=self.derived.filters[incident.id],
        )

    def head(self, path: str, title: str, *, alternates: Mapping[str, str], canonical: str = "",
             description: str = "", text_lang: str = "") -> Head:
        """The frame of a page; `alternates` maps languages to their versions' paths,
        and `text_lang` is the language of its title and description."""
        site_title = self.config.title.get(self.lang, "")
        is_foreign = bool(text_lang) and text_lang != self.lang
        title = isolate_plain(title, is_foreign=is_foreign)
        full_title = f"{title} – {site_title}" if title else site_title
        hreflang = [Alternate(code, url_of(self.config, p)) for code, p in alternates.items()]
        default = alternates.get(self.config.default_language)
        if default:
            hreflang.append(Alternate("x-default", url_of(self.config, default)))
        return Head(
            path=path, lang=self.lang, dir=self.language.direction, title=full_title,
            description=isolate_plain(description, is_foreign=is_foreign) or site_title,
            canonical=canonical or url_of(self.config, path),
            alternates=tuple(hreflang),
            switch=self.switch(path),
            site_title=site_title, home=timeline_path(self.lang), nav=self.nav(),
            feed=feed_path(self.lang), og_title=title or site_title,
            og_locale=og_locale(self.config.languages[text_lang or self.lang].locale),
            og_locale_alternates=alternate_locales(list(alternates), self.config, text_lang or self.lang),
        )

    def switch(self, path: str) -> tuple[Switch, ...]:
        """Links to the same page in the other languages."""
        if "/" not in path:
            return ()
        rest = path.split("/", 1)[1]
        return tuple(
            Switch(code, language.direction, language_name(code), f"{code}/{rest}")
            for code, language in self.config.languages.items() if code != self.lang
        )

    def nav(self) -> tuple[Link, ...]:
        """The plain pages, for the site's navigation."""
        return tuple(
            Link(page_path(self.lang, page.id), self.label(text.title, text.lang))
            for page in self.site.pages
            if (text := _text_for(page, self.lang, self.config.default_language))
        )

    def year(self, year: Year) -> YearView:
        """One year of the timeline, formatted."""
        months = tuple(
            (format_month(year.year, m.month, self.language, self.config.digits) if m.month
             else format_number(year.year, self.language, self.config.digits),
             f"m-{year.year}-{m.month:02d}",
             tuple(self.card(entry.incident, is_continuing=entry.is_continuing) for entry in m.listings))
            for m in year.months
        )
        return YearView(year.year, format_number(year.year, self.language, self.config.digits),
                        year_path(self.lang, year.year), year.count,
                        format_number(year.count, self.language, self.config.digits), months)

    def all_languages(self, make_path: Callable[[str], str]) -> dict[str, str]:
        """`make_path(lang)` for every language."""
        return {code: make_path(code) for code in self.config.languages}

    # Pages -----------------------------------------------------------------

    def timeline(self, filters: Sequence[object]) -> PageContext:
        """The language's whole timeline, with its `filters`."""
        path = timeline_path(self.lang)
        years = tuple(self.year(y) for y in group_timeline(self.site.incidents))
        head = self.head(path, "", alternates=self.all_languages(timeline_path))
        count = len(self.site.incidents)
        return PageContext(path, "timeline.html", self.lang, {
            "head": head, "years": years, "all_years": years, "year": None, "count": count,
            "filters": filters, "digits": self.config.digits,
            "count_text": format_number(count, self.language, self.config.digits)})

    def years(self, filters: Sequence[object]) -> list[PageContext]:
        """One page per year of the timeline."""
        grouped = group_timeline(self.site.incidents)
        all_years = tuple(self.year(y) for y in grouped)
        pages = []
        for view in all_years:
            path = view.path
            alternates = {code: year_path(code, view.year) for code in self.config.languages}
            head = self.head(path, view.label, alternates=alternates)
            pages.append(PageContext(path, "timeline.html", self.lang,
                                     {"head": head, "years": (view,), "all_years": all_years,
                                      "year": view, "count": view.count, "filters": filters,
                                      "digits": self.config.digits,
                                      "count_text": view.count_text}))
        return pages

    def incident(self, incident: Incident) -> PageContext:
        """One incident's page; untranslated ones show the original with a notice."""
        path = incident_path(self.lang, incident.id)
        text = incident.text(self.lang)
        explicit, computed = self.derived.related[incident.id]
        position = self.derived.positions[incident.id]
        alternates = {code: incident_path(code, incident.id)
                      for code in self.config.languages if incident.is_translated(code)}
        canonical = "" if incident.is_translated(self.lang) else url_of(
            self.config, incident_path(incident.original, incident.id))
        head = self.head(path, text.title, alternates=alternates, canonical=canonical,
                         description=text.summary, text_lang=text.lang)
        view = IncidentView(
            card=self.card(incident),
            body=self.label("", text.lang),
            html=Markup(text.html),
            time=When(datetime_value(incident.date, incident.time, self.config.timezone),
                      format_clock(incident.time, self.language, self.config.digits))
            if incident.time else None,
            actors=tuple(self.entry("actors", a) for a in incident.actors),
            tags=tuple(self.entry("tags", t) for t in incident.tags),
            sources=tuple(self.source(s) for s in incident.sources),
            media=tuple(self.media(m, incident.original) for m in incident.media),
            verification=incident.verification,
            figures=self.figures(incident),
            related=tuple(self.card(self.by_id[i]) for i in explicit),
            suggested=tuple(self.card(self.by_id[i]) for i in computed),
            previous=self.card(self.site.incidents[position - 1]) if position > 0 else None,
            next=self.card(self.site.incidents[position + 1])
            if position + 1 < len(self.site.incidents) else None,
            original_language=language_name(incident.original, self.language.locale),
        )
        return PageContext(path, "incident.html", self.lang, {"head": head, "incident": view})

    def source(self, source: Source) -> SourceView:
        """A source, its title isolated in whatever language it is in."""
        return SourceView(
            url=source.url,
            publisher=Label(balance_bidi(source.publisher), "", "auto", True),
            title=Label(balance_bidi(source.title), "", "auto", True) if source.title else None,
            date=self.when(source.date) if source.date else None,
            archive_url=source.archive_url,
        )

    def media(self, media: Media, lang: str) -> MediaView:
        """External media: captions and credits are in the original's language."""
        return MediaView(
            kind=media.kind, url=media.url, host=urlsplit(media.url).hostname or "",
            caption=self.label(media.caption, lang) if media.caption else None,
            credit=self.label(media.credit, lang) if media.credit else None,
        )

    def figures(self, incident: Incident) -> tuple[Figure, ...]:
        """The reported numbers that the sources give."""
        if incident.casualties is None:
            return ()
        numbers = (("killed", incident.casualties.killed), ("injured", incident.casualties.injured),
                   ("detained", incident.casualties.detained))
        return tuple(Figure(kind, format_number(n, self.language, self.config.digits))
                     for kind, n in numbers if n is not None)

    def page(self, page: Page) -> PageContext | None:
        """A plain page; a missing translation shows the original with a notice."""
        text = _text_for(page, self.lang, self.config.default_language)
        if text is None:
            return None
        path = page_path(self.lang, page.id)
        alternates = {code: page_path(code, page.id) for code in self.config.languages
                      if code in page.texts}
        canonical = "" if text.lang == self.lang else url_of(self.config, page_path(text.lang, page.id))
        head = self.head(path, text.title, alternates=alternates, canonical=canonical,
                         text_lang=text.lang)
        return PageContext(path, "page.html", self.lang, {
            "head": head, "title": self.label(text.title, text.lang),
            "body": self.label("", text.lang), "html": Markup(text.html),
            "is_translated": text.lang == self.lang,
            "original_language": language_name(text.lang, self.language.locale),
        })


def _text_for(page: Page, lang: str, default: str) -> Text | None:
    """A page's text in `lang`, else in the default language, else any."""
    for code in (lang, default, *sorted(page.texts)):
        if code in page.texts:
            return page.texts[code]
    return None
