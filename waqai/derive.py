"""A checked site and everything its pages derive from it, computed once per
build: related incidents, registry terms, the timeline's years, positions
and filter keys. Also which language versions each page has, which the
pages' heads and the sitemap both read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace

from waqai import cores, routes
from waqai.chart import Activity, activity
from waqai.config import Config
from waqai.corrections import Listed, list_corrections
from waqai.model import Entry, Incident, Page, Site, Text
from waqai.related import related_incidents
from waqai.routes import Route
from waqai.taxonomy import Term, covered_places, terms
from waqai.timeline import Period, Year, group_timeline, split_timeline

Related = Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]
"""Incident id -> (explicit links seen from both sides, computed suggestions)."""


@dataclass(frozen=True, slots=True)
class Model:
    """A checked site with what every page reads, language aside."""

    site: Site
    config: Config
    digests: Mapping[str, str]
    """Content file (shown path) -> hash of its bytes."""
    related: Related
    """Incident id -> (explicit links seen from both sides, computed suggestions)."""
    terms: Mapping[str, tuple[Term, ...]]
    """Registry -> entries that get a page."""
    years: tuple[Year, ...]
    """The timeline, by year and month."""
    periods: tuple[Period, ...]
    """The timeline's pages after the home, in reading order."""
    period_numbers: Mapping[tuple[int, int | None, int], int]
    """Period.key -> its place in `periods`."""
    positions: Mapping[str, int]
    """Incident id -> index in the chronological order."""
    filters: Mapping[str, str]
    """Incident id -> the keys the timeline's filters match."""
    by_id: Mapping[str, Incident]
    has_page: Mapping[str, frozenset[str]]
    """Registry -> ids of the entries that have a page."""
    corrections: tuple[Listed, ...]
    """Every correction, newest first (corrections.list_corrections)."""
    activity: Activity
    """What the timeline's charts count and draw."""
    facts: tuple[object, ...]
    """What everything above but `site` and `by_id` was derived from (`facts`):
    the same facts give the same derivations, whatever the texts say."""

    def period(self, year: int, month: int | None, page: int = 1) -> tuple[int, Period]:
        """A page of the timeline, with its place among the periods."""
        number = self.period_numbers[(year, month, page)]
        return number, self.periods[number]

    def neighbours(self, incident_id: str) -> tuple[Incident | None, Incident | None]:
        """The previous and next incident of the chronology."""
        incidents = self.site.incidents
        position = self.positions[incident_id]
        return (incidents[position - 1] if position > 0 else None,
                incidents[position + 1] if position + 1 < len(incidents) else None)


def derive(site: Site, config: Config, digests: Mapping[str, str], *,
           previous: Model | None = None, related: Related | None = None,
           known: tuple[object, ...] | None = None) -> Model:
    """Everything pages share, from a checked site; what depends only on facts
    is taken from `previous` when the facts are the same (the preview, after
    an editor changed a title or a narrative). `related`: the related
    incidents of these same facts, when they are known (cache.Store);
    `known`: the site's `facts`, when the caller has them already."""
    known = known if known is not None else facts(site, config)
    if previous is not None and previous.facts == known:  # charts also count verification: made again
        return replace(previous, site=site, config=config, digests=digests, by_id=site.by_id,
                       activity=activity(site.incidents, tuple(site.registries["types"])))
    if related is not None:
        return _derived(site, config, digests, known, related)
    places = site.registries["places"]
    if len(site.incidents) < RELATED_ALONGSIDE_FROM:
        return _derived(site, config, digests, known,
                        related_incidents(site.incidents, places, config.related))
    # Related incidents take about as long as the rest: a helper finds them meanwhile.
    model, found = cores.alongside(lambda: _derived(site, config, digests, known, {}),
                                   lambda: related_incidents(site.incidents, places, config.related))
    return replace(model, related=found)


RELATED_ALONGSIDE_FROM = 2000
"""Incidents from which related incidents are found by a helper, alongside."""


def _derived(site: Site, config: Config, digests: Mapping[str, str], known: tuple[object, ...],
             related: Related) -> Model:
    places = site.registries["places"]
    found = terms(site)
    years = group_timeline(site.incidents)
    periods = split_timeline(years, config.page_size)
    return Model(
        site=site, config=config, digests=digests, related=related, terms=found,
        years=years, periods=periods,
        period_numbers={period.key: n for n, period in enumerate(periods)},
        positions={incident.id: n for n, incident in enumerate(site.incidents)},
        filters={incident.id: filter_keys(incident, places) for incident in site.incidents},
        by_id=site.by_id,
        has_page={name: frozenset(t.entry.id for t in entries) for name, entries in found.items()},
        corrections=list_corrections(site.incidents),
        activity=activity(site.incidents, tuple(site.registries["types"])),
        facts=known,
    )


def facts(site: Site, config: Config) -> tuple[object, ...]:
    """Everything that related incidents, terms, the timeline and filters read:
    the facts of every incident (drafts included: they hide entries), the
    registries, the related settings and the page size, but no incident's text
    (only the dates of its corrections, which order the corrections' pages).
    Plain pages' ids and titles too: they make pages of their own and every
    page's navigation, so the same facts also mean the same list of pages."""
    pages = tuple((p.id, tuple((t.lang, t.title) for t in p.texts.values())) for p in site.pages)
    return (config.related, config.page_size, site.registries, pages,
            tuple(_facts(i) for i in site.incidents), tuple(_facts(i) for i in site.drafts))


def facts_digest(known: tuple[object, ...]) -> str:
    """A short name for facts, to find what was derived from them last time."""
    return hashlib.blake2b(repr(known).encode(), digest_size=16).hexdigest()


def _facts(i: Incident) -> tuple[object, ...]:
    return (i.id, i.date, i.time, i.end_date, i.ongoing_until, i.type, i.places, i.actors, i.tags,
            i.related, tuple(c.date for c in i.texts[i.original].corrections))


def filter_keys(incident: Incident, places: Mapping[str, Entry]) -> str:
    """The keys a timeline filter matches; a place matches the places within it."""
    place_ids = covered_places(incident.places, places)
    end = (incident.end_date or incident.date).year
    keys = [f"type:{incident.type}", *(f"place:{p}" for p in place_ids),
            *(f"actor:{a}" for a in incident.actors), *(f"tag:{t}" for t in incident.tags),
            *(f"year:{y}" for y in range(incident.date.year, end + 1))]
    return " ".join(keys)


def page_text(page: Page, lang: str, default: str) -> Text | None:
    """A plain page's text in `lang`, else in the default language, else any."""
    for code in (lang, default, *sorted(page.texts)):
        if code in page.texts:
            return page.texts[code]
    return None


def versions(model: Model, route: Route) -> dict[str, str]:
    """The page's versions in their own language (its hreflang alternates):
    language -> output path. An untranslated incident or page has only its
    original's."""
    languages = model.config.languages
    if route.kind == "incident":
        incident = model.by_id[route.key]
        return {code: routes.incident(code, incident.id).path
                for code in languages if incident.is_translated(code)}
    if route.kind == "page":
        texts = next(p.texts for p in model.site.pages if p.id == route.key)
        return {code: routes.page(code, route.key).path for code in languages if code in texts}
    if route.kind == "entry":
        return {code: routes.home(code).path for code in languages}
    if route.kind == "not_found" or not route.lang:
        return {}
    rest = route.path.split("/", 1)[1]
    return {code: f"{code}/{rest}" for code in languages}


def hreflang(model: Model, route: Route, own: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of the page's versions (`own`, when known),
    then `x-default` for the default language's: what its head and the
    sitemap both name."""
    config = model.config
    own = versions(model, route) if own is None else own
    alternates = [(code, routes.url(config, path)) for code, path in own.items()]
    if config.default_language in own:
        alternates.append(("x-default", routes.url(config, own[config.default_language])))
    return alternates


def canonical(model: Model, route: Route, own: dict[str, str] | None = None) -> str:
    """The page's canonical URL: its own, or its original's when it only shows
    the original's text; "" for the not-found page. `own`: its versions, when known."""
    if route.kind == "not_found":
        return ""
    if route.kind == "entry":
        return model.config.base_url
    own = versions(model, route) if own is None else own
    if route.lang in own or not own or route.kind not in ("incident", "page"):
        return routes.url(model.config, route.path)
    if route.kind == "incident":
        original = model.by_id[route.key].original
        return routes.url(model.config, routes.incident(original, route.key).path)
    page = next(p for p in model.site.pages if p.id == route.key)
    text = page_text(page, route.lang, model.config.default_language)
    lang = text.lang if text else route.lang
    return routes.url(model.config, routes.page(lang, route.key).path)
