"""One context function per page kind, and `Views`: the formatting parts
(labels, dates, links, cards, heads) they share for one language.

Every path comes from routes.py and every versions/canonical rule from
derive.py, so a page's head and the sitemap always agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar, cast
from urllib.parse import urlsplit

from markupsafe import Markup

from waqai import routes
from waqai.config import Language
from waqai.corrections import anchors
from waqai.dates import PartialDate
from waqai.derive import Model, canonical, hreflang, page_text, versions
from waqai.i18n import (
    balance_bidi,
    datetime_value,
    format_clock,
    format_date,
    format_month,
    format_number,
    isolate_plain,
    language_name,
    load_translations,
)
from waqai.maps import is_located
from waqai.markdown import place_root
from waqai.model import REGISTRIES, Entry, Incident, Media, Source
from waqai.palette import TypeColor, type_colors
from waqai.routes import Route
from waqai.share import alternate_locales, incident_json_ld, og_locale
from waqai.timeline import Month, Period
from waqai.translations import is_stale, page_original, stale_languages
from waqai.views import (
    Alternate,
    Card,
    Citation,
    CorrectionView,
    Figure,
    Head,
    IncidentView,
    Label,
    Link,
    MediaView,
    MonthCards,
    PageContext,
    Pager,
    PeriodLink,
    SourceView,
    Switch,
    When,
    YearOverview,
)

T = TypeVar("T")

LATEST = 20
"""How many of the latest incidents a language's home shows."""


class Views:
    """The formatting parts of one language's pages: labels, dates, entry
    links, cards (made once each) and page heads."""

    def __init__(self, model: Model, lang: str, previous: Views | None = None,
                 common: dict[str, object] | None = None):
        """`previous`: the views of a model with the same facts, whose cards
        of unchanged incidents are still right (the preview's rebuilds);
        `common`: what the views of every language share (`shared`)."""
        self.model = model
        self.config = model.config
        self.language: Language = model.config.languages[lang]
        self.lang = lang
        self._cards: dict[tuple[str, bool], tuple[Incident, Card]] = previous._cards if previous else {}
        self._nav: tuple[Link, ...] | None = None
        self._made: dict[str, object] = {}
        self._entries: dict[tuple[str, str], Link] = {}
        self._common: dict[str, object] = common if common is not None else {}

    def once(self, name: str, make: Callable[[Views], T]) -> T:
        """What `make` makes from these views, made once: what many pages of
        the language share (the timeline's filters, the search index)."""
        if name not in self._made:
            self._made[name] = make(self)
        return cast(T, self._made[name])

    def shared(self, name: str, make: Callable[[Model], T]) -> T:
        """What `make` makes from the model alone, made once for the views of
        every language that share `common` (where maps' places fall)."""
        if name not in self._common:
            self._common[name] = make(self.model)
        return cast(T, self._common[name])

    def label(self, text: str, lang: str) -> Label:
        """User text in `lang`, marked when it is not the page's language."""
        language = self.config.languages.get(lang)
        direction = language.direction if language else "auto"
        return Label(balance_bidi(text), lang, direction, lang != self.lang)

    @property
    def type_colors(self) -> dict[str, TypeColor]:
        """Every incident type's colours (palette.py), made once."""
        return self.once("type_colors", lambda views: type_colors(views.model.site.registries["types"]))

    @property
    def digits(self) -> str:
        """The page's digits for scripts: "arab" where numbers are written in
        Arabic-Indic digits, else "latn"."""
        return "arab" if self.number(0) != "0" else "latn"

    def number(self, number: int) -> str:
        """A whole number in the page's digits."""
        return format_number(number, self.language, self.config.digits)

    def when(self, date: PartialDate, time: datetime.time | None = None) -> When:
        """A date in the page's locale and in its own precision."""
        return When(datetime_value(date, time, self.config.timezone),
                    format_date(date, self.language, self.config.digits))

    def day(self, day: datetime.date) -> When:
        """A full date (a correction's, a revision's) in the page's locale."""
        return self.when(PartialDate(day.year, day.month, day.day))

    def entry(self, registry: str, entry_id: str) -> Link:
        """A registry entry by its name in the page's language, linked to its
        page (made once: cards and pages show the same entries again and again)."""
        key = (registry, entry_id)
        link = self._entries.get(key)
        if link is None:
            entry: Entry = self.model.site.registries[registry][entry_id]
            has_page = entry_id in self.model.has_page[registry]
            path = routes.term(self.lang, registry, entry_id).path if has_page else ""
            link = self._entries[key] = Link(path, self.label(entry.name.get(self.lang, entry_id), self.lang))
        return link

    def card(self, incident: Incident, *, is_continuing: bool = False) -> Card:
        """An incident as listed (made once per incident and language)."""
        key = (incident.id, is_continuing)
        known = self._cards.get(key)
        if known is None or known[0] is not incident:
            known = self._cards[key] = (incident, self._card(incident, is_continuing))
        return known[1]

    def _card(self, incident: Incident, is_continuing: bool) -> Card:
        text = incident.text(self.lang)
        return Card(
            path=routes.incident(self.lang, incident.id).path,
            title=self.label(text.title, text.lang),
            summary=self.label(text.summary, text.lang) if text.summary else None,
            date=self.when(incident.date, incident.time),
            end=self.when(incident.end_date) if incident.end_date else None,
            is_ongoing=incident.is_ongoing,
            until=self.when(incident.ongoing_until) if incident.ongoing_until else None,
            type=self.entry("types", incident.type),
            type_id=incident.type,
            places=tuple(self.entry("places", p) for p in incident.places),
            is_translated=incident.is_translated(self.lang),
            is_continuing=is_continuing,
            is_draft=incident.is_draft,
            verification=incident.verification,
        )

    def head(self, route: Route, title: str, *, description: str = "", text_lang: str = "",
             pager: Pager | None = None, og_type: str = "website", json_ld: str = "") -> Head:
        """The frame of a page; `text_lang` is the language of its title and description."""
        config = self.config
        frame = self.once("head", _language_head)
        site_title = frame.site_title
        is_foreign = bool(text_lang) and text_lang != self.lang
        title = isolate_plain(title, is_foreign=is_foreign)
        alternates = versions(self.model, route)
        return replace(
            frame,
            title=f"{title} – {site_title}" if title else site_title,
            description=isolate_plain(description, is_foreign=is_foreign) or site_title,
            canonical=canonical(self.model, route, alternates),
            alternates=tuple(Alternate(code, url) for code, url in hreflang(self.model, route, alternates)),
            switch=self.switch(route), og_title=title or site_title, og_type=og_type,
            og_locale=og_locale(config.languages[text_lang or self.lang].locale),
            og_locale_alternates=alternate_locales(list(alternates), config, text_lang or self.lang),
            json_ld=json_ld, root=routes.root(route, config),
            previous=pager.previous if pager else "", next=pager.next if pager else "",
        )

    def switch(self, route: Route) -> tuple[Switch, ...]:
        """Links to the same page in the other languages."""
        if not route.lang:
            return ()
        rest = route.path.split("/", 1)[1]
        return tuple(
            Switch(code, language.direction, language_name(code), f"{code}/{rest}")
            for code, language in self.config.languages.items() if code != self.lang
        )

    def nav(self) -> tuple[Link, ...]:
        """The plain pages, for the site's navigation."""
        if self._nav is None:
            self._nav = tuple(
                Link(routes.page(self.lang, page.id).path, self.label(text.title, text.lang))
                for page in self.model.site.pages
                if (text := page_text(page, self.lang, self.config.default_language))
            )
        return self._nav

    def period_label(self, year: int, month: int | None) -> str:
        """"2021", "آذار 2021", or for month 0 (what is known only to the
        year) "2021, month unknown"."""
        if month:
            return format_month(year, month, self.language, self.config.digits)
        if month is None:
            return self.number(year)
        gettext = self.once("gettext", lambda views: load_translations(views.config.locales,
                                                                      views.lang).gettext)
        return gettext("%(year)s, month unknown") % {"year": self.number(year)}

    def months(self, months: tuple[Month, ...]) -> tuple[MonthCards, ...]:
        """Months of the timeline with their cards."""
        return tuple(
            MonthCards(self.period_label(m.year, m.month), f"m-{m.year}-{m.month:02d}",
                       tuple(self.card(self.model.by_id[entry.incident_id],
                                       is_continuing=entry.is_continuing) for entry in m.listings))
            for m in months
        )

    def overview(self) -> tuple[YearOverview, ...]:
        """Every year with its months and their counts, linked to their pages."""
        found = []
        for year in self.model.years:
            is_split = not self.model.period(year.year, None)[1].months
            months = tuple(
                PeriodLink(self.period_label(year.year, m.month),
                           routes.month(self.lang, year.year, m.month).path if is_split
                           else f"{routes.year(self.lang, year.year).path}#m-{year.year}-{m.month:02d}",
                           len(m.listings), self.number(len(m.listings)))
                for m in year.months)
            found.append(YearOverview(PeriodLink(self.number(year.year),
                                                 routes.year(self.lang, year.year).path,
                                                 year.count, self.number(year.count)), months))
        return tuple(found)

    def pager(self, route: Route, previous: Route | None, following: Route | None,
              pages: tuple[Route, ...] = ()) -> Pager:
        """Previous and next pages, and the numbered pages of the same list."""
        return Pager(previous.path if previous else "", following.path if following else "",
                     tuple((self.number(page.page), page.path) for page in pages) if len(pages) > 1
                     else (), route.page)

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
        return tuple(Figure(kind, self.number(n)) for kind, n in numbers if n is not None)


def _has_map(views: Views) -> bool:
    return any(is_located(entry) for entry in views.model.site.registries["places"].values())


def _language_head(views: Views) -> Head:
    """What the frame of every page of a language shares (Views.head fills in the rest)."""
    lang, config = views.lang, views.config
    site_title = config.title.get(lang, "")
    return Head(
        lang=lang, dir=views.language.direction, title=site_title, description=site_title,
        canonical="", alternates=(), switch=(), site_title=site_title, home=routes.home(lang).path,
        nav=views.nav(), feed=routes.feed(lang).path,
        registries=tuple((name, routes.registry(lang, name).path) for name in REGISTRIES),
        downloads=(("Atom", routes.feed(lang).path),
                   ("JSON", routes.incidents_json(lang).path),
                   ("CSV", routes.incidents_csv().path),
                   ("TimelineJS", routes.timelinejs(lang).path)),
        search=routes.search(lang).path, corrections=routes.corrections(lang).path,
        map=routes.place_map(lang).path if _has_map(views) else "",
    )


# Contexts, one per page kind -------------------------------------------------------


def home_context(views: Views, route: Route, filters: object, chart: object = None) -> PageContext:
    """A language's home: its chart, every year and month with its count, then
    the latest incidents (in the timeline's order) and the filters."""
    model = views.model
    count = len(model.site.incidents)
    latest = model.site.incidents[-LATEST:]
    last = routes.period(views.lang, *model.periods[-1].key) if model.periods else None
    return PageContext(route.path, "timeline.html", views.lang, {
        "head": views.head(route, ""), "overview": views.overview(), "period": None,
        "months": (), "month_links": (), "label": "", "year_link": "", "year_label": "",
        "latest": tuple(views.card(i) for i in latest),
        "last_period": last.path if last else "", "pager": None, "filters": filters,
        "count": count, "count_text": views.number(count), "digits": views.digits, "chart": chart})


def period_context(views: Views, route: Route, filters: object, chart: object = None) -> PageContext:
    """A page of the timeline: a year with its months, a large year's months
    with their counts, or a page of a month of a large year."""
    model = views.model
    year, month = routes.period_of(route)
    number, period = model.period(year, month, route.page)
    around = [model.periods[n] if 0 <= n < len(model.periods) else None for n in (number - 1, number + 1)]
    previous, following = (routes.period(views.lang, *p.key) if p else None for p in around)
    pages = tuple(routes.month(views.lang, year, month, n) for n in range(1, period.pages + 1)) \
        if month is not None else ()
    pager = views.pager(route, previous, following, pages)
    label = views.period_label(year, month)
    count = sum(len(m.listings) for m in next(y for y in model.years if y.year == year).months
                if month is None or m.month == month)
    title = label if route.page == 1 else f"{label} ({views.number(route.page)}/{views.number(period.pages)})"
    months = () if period.months or month is not None else next(
        o.months for o in views.overview() if o.year.path == routes.year(views.lang, year).path)
    return PageContext(route.path, "timeline.html", views.lang, {
        "head": views.head(route, title, pager=pager), "overview": (), "period": _period_view(period),
        "label": label, "year_link": routes.year(views.lang, year).path if month is not None else "",
        "year_label": views.number(year), "months": views.months(period.months),
        "month_links": months, "latest": (), "last_period": "", "pager": pager,
        "filters": filters, "count": count, "count_text": views.number(count),
        "digits": views.digits, "chart": chart})


def _period_view(period: Period) -> dict[str, object]:
    return {"year": period.year, "month": period.month, "page": period.page, "pages": period.pages}


def incident_context(views: Views, route: Route) -> PageContext:
    """One incident's page; untranslated ones show the original with a notice."""
    model = views.model
    incident = model.by_id[route.key]
    text = incident.text(views.lang)
    explicit, computed = model.related[incident.id]
    previous, following = model.neighbours(incident.id)
    json_ld = incident_json_ld(incident, model.site.registries["places"], views.config, views.lang,
                               canonical(model, route))
    head = views.head(route, text.title, description=text.summary, text_lang=text.lang,
                      og_type="article", json_ld=json_ld)
    view = IncidentView(
        card=views.card(incident),
        body=views.label("", text.lang),
        html=Markup(place_root(text.html, route.root)),
        time=When(datetime_value(incident.date, incident.time, views.config.timezone),
                  format_clock(incident.time, views.language, views.config.digits))
        if incident.time else None,
        actors=tuple(views.entry("actors", a) for a in incident.actors),
        tags=tuple(views.entry("tags", t) for t in incident.tags),
        sources=tuple(views.source(s) for s in incident.sources),
        media=tuple(views.media(m, incident.original) for m in incident.media),
        verification=incident.verification,
        figures=views.figures(incident),
        related=tuple(views.card(model.by_id[i]) for i in explicit),
        suggested=tuple(views.card(model.by_id[i]) for i in computed),
        previous=views.card(previous) if previous else None,
        next=views.card(following) if following else None,
        original_language=language_name(incident.original, views.language.locale),
        is_stale=views.lang in stale_languages(incident),
        corrections=tuple(
            CorrectionView(anchor, views.day(c.date), views.label(c.note, text.lang))
            for c, anchor in zip(text.corrections, anchors(text.corrections), strict=True)),
        updated=views.day(incident.updated) if incident.updated else None,
        citation=Citation(views.label(views.config.title.get(text.lang, ""), text.lang),
                          views.label(text.title, text.lang),
                          views.when(incident.date), head.canonical,
                          views.day(incident.updated) if incident.updated else None),
    )
    return PageContext(route.path, "incident.html", views.lang, {"head": head, "incident": view})


def page_context(views: Views, route: Route) -> PageContext:
    """A plain page; a missing translation shows another language's text with a notice."""
    page = next(p for p in views.model.site.pages if p.id == route.key)
    text = page_text(page, views.lang, views.config.default_language)
    assert text is not None, "a page has at least one text"
    original = page.texts[page_original(page.texts, views.config.default_language)]
    head = views.head(route, text.title, text_lang=text.lang)
    return PageContext(route.path, "page.html", views.lang, {
        "head": head, "title": views.label(text.title, text.lang),
        "body": views.label("", text.lang), "html": Markup(place_root(text.html, route.root)),
        "is_translated": text.lang == views.lang,
        "is_stale": text is not original and is_stale(text, original),
        "original_language": language_name(original.lang, views.language.locale),
    })


def entry_context(views: Views, route: Route) -> PageContext:
    """The site's front door: one link per language."""
    config = views.config
    languages = [
        {"code": code, "dir": language.direction, "name": language_name(code),
         "title": config.title.get(code, ""), "path": routes.home(code).path}
        for code, language in config.languages.items()
    ]
    return PageContext(route.path, "entry.html", views.lang,
                       {"head": views.head(route, ""), "languages": languages})


def not_found_context(views: Views, route: Route) -> PageContext:
    """404.html: served at any depth, so its links start from the site's own
    path (routes.root)."""
    config = views.config
    languages = []
    for code, language in config.languages.items():
        gettext = load_translations(config.locales, code).gettext
        languages.append({
            "code": code, "dir": language.direction, "name": language_name(code),
            "path": routes.home(code).path, "title": gettext("Page not found"),
            "message": gettext("The page you asked for is not here. It may have moved, "
                               "or the address may be mistyped."),
            "home": gettext("Timeline")})
    return PageContext(route.path, "404.html", views.lang,
                       {"head": views.head(route, ""), "languages": languages})
