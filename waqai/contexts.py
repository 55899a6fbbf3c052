"""One context function per page kind: a Views object builds the plain data
of every page of one language (see views.py for the data it builds)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import urlsplit

from markupsafe import Markup

from waqai import exports
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
from waqai.model import REGISTRIES, Entry, Incident, Media, Page, Site, Source, Text
from waqai.share import alternate_locales, feed_path, og_locale
from waqai.timeline import Year, group_timeline
from waqai.views import (
    Alternate,
    Card,
    Derived,
    Figure,
    Head,
    IncidentView,
    Label,
    Link,
    MediaView,
    PageContext,
    SourceView,
    Switch,
    When,
    YearView,
    incident_path,
    page_path,
    registry_path,
    search_path,
    term_path,
    timeline_path,
    url_of,
    year_path,
)


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
            registries=tuple((name, registry_path(self.lang, name)) for name in REGISTRIES),
            downloads=(("Atom", feed_path(self.lang)), ("JSON", exports.json_path(self.lang)),
                       ("CSV", exports.CSV_PATH), ("TimelineJS", exports.timelinejs_path(self.lang))),
            search=search_path(self.lang),
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

    def all_years(self) -> tuple[YearView, ...]:
        """The timeline's years, formatted."""
        return tuple(self.year(y) for y in group_timeline(self.site.incidents))

    def timeline(self, filters: Sequence[object], years: tuple[YearView, ...]) -> PageContext:
        """The language's whole timeline, with its `filters`."""
        path = timeline_path(self.lang)
        head = self.head(path, "", alternates=self.all_languages(timeline_path))
        count = len(self.site.incidents)
        return PageContext(path, "timeline.html", self.lang, {
            "head": head, "years": years, "all_years": years, "year": None, "count": count,
            "filters": filters, "digits": self.config.digits,
            "count_text": format_number(count, self.language, self.config.digits)})

    def years(self, filters: Sequence[object], all_years: tuple[YearView, ...]) -> list[PageContext]:
        """One page per year of the timeline."""
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
