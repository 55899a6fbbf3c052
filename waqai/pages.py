"""The list of page kinds: what the renderer loops over.

Each kind says which pages it has (`routes`), what each page reads (`reads`:
the dependency map that incremental rebuilds use) and how it is made (a
context for its template, or the bytes of a data file). A page's
fingerprint is the hash of everything it reads; a page whose fingerprint has
not changed since the last build is not made again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from waqai import feeds, palette, routes
from waqai.cache import engine_version
from waqai.chart import chart_of
from waqai.chart_view import ChartView, chart_view
from waqai.contexts import (
    LATEST,
    Views,
    entry_context,
    home_context,
    incident_context,
    not_found_context,
    page_context,
    period_context,
)
from waqai.correction_pages import corrections_context
from waqai.corrections import correction_pages
from waqai.derive import Model, page_text
from waqai.exports import incidents_csv, incidents_json, timeline_json
from waqai.map_pages import (
    basemap_data,
    has_maps,
    place_map_points,
    region_map_context,
    with_incident_map,
    with_place_map,
)
from waqai.model import REGISTRIES
from waqai.routes import Route
from waqai.search import (
    RECORDS_PER_CHUNK,
    chunk_count,
    filter_data,
    manifest,
    records_chunk,
    search_context,
    shard_count,
    terms_shard,
)
from waqai.term_pages import (
    registry_context,
    registry_pages,
    term_context,
    term_pages,
    timeline_filters,
)
from waqai.views import PageContext

Input = tuple[str, ...]
"""Something a page reads: ("global",), ("card", incident id), ("periods",),
("cards",) for every incident's card..."""


@dataclass(frozen=True, slots=True)
class PageKind:
    """One kind of output file."""

    name: str
    routes: Callable[[Model], Iterable[Route]]
    """Every page of this kind."""
    reads: Callable[[Model, Route], Iterable[Input]]
    """What one page depends on, besides ("global",)."""
    context: Callable[[Views, Route], PageContext] | None = None
    """HTML pages: the plain data for the template."""
    data: Callable[[Views, Route], bytes] | None = None
    """Data files: their bytes (from the views of their language, or of the
    default language for files of the whole site)."""


def _each_language(make: Callable[[str], Route]) -> Callable[[Model], Iterator[Route]]:
    return lambda model: (make(lang) for lang in model.config.languages)


def _nothing(model: Model, route: Route) -> tuple[Input, ...]:
    return ()


def _timeline_routes(model: Model) -> Iterator[Route]:
    for lang in model.config.languages:
        yield routes.home(lang)
        for period in model.periods:
            yield routes.period(lang, *period.key)


def _timeline_reads(model: Model, route: Route) -> list[Input]:
    chart = chart_of(model.activity, route.key)
    spans = [("card", span.incident_id) for span in chart.spans] if chart else []
    if route.kind == "home":
        latest = model.site.incidents[-LATEST:]
        return [("periods",), ("filters",), ("chart", route.key), *spans,
                *(("card", i.id) for i in latest)]
    period = model.period(*routes.period_of(route), route.page)[1]
    return [("periods",), ("filters",), ("chart", route.key), *spans,
            *(("card", entry.incident_id) for m in period.months for entry in m.listings)]


def _timeline_context(views: Views, route: Route) -> PageContext:
    filters = views.once("timeline_filters", timeline_filters)
    # Every page of a period shows its chart, and they come one after another:
    # the chart is drawn once for them.
    last: dict[str, ChartView | None] = views.once("last_chart", lambda views: {})
    if route.key not in last:
        last.clear()
        last[route.key] = chart_view(views, route)
    chart = last[route.key]
    if route.kind == "home":
        return home_context(views, route, filters, chart)
    return period_context(views, route, filters, chart)


def _incident_routes(model: Model) -> Iterator[Route]:
    for lang in model.config.languages:
        for incident in model.site.incidents:
            yield routes.incident(lang, incident.id)


def _incident_reads(model: Model, route: Route) -> list[Input]:
    explicit, computed = model.related[route.key]
    neighbours = [i.id for i in model.neighbours(route.key) if i is not None]
    return [("incident", route.key), ("links", route.key),
            *(("card", other) for other in (*explicit, *computed, *neighbours))]


def _map_routes(model: Model) -> list[Route]:
    return [routes.place_map(lang) for lang in model.config.languages] if has_maps(model) else []


def _registry_routes(model: Model) -> Iterator[Route]:
    for lang in model.config.languages:
        for name in REGISTRIES:
            for page in range(1, registry_pages(model, name) + 1):
                yield routes.registry(lang, name, page)


def _term_routes(model: Model) -> Iterator[Route]:
    size = model.config.page_size
    for lang in model.config.languages:
        for name, terms in model.terms.items():
            for term in terms:
                for page in range(1, term_pages(term, size) + 1):
                    yield routes.term(lang, name, term.entry.id, page)


def _term_reads(model: Model, route: Route) -> list[Input]:
    registry, entry_id = route.key.split("/", 1)
    term = next(t for t in model.terms[registry] if t.entry.id == entry_id)
    size = model.config.page_size
    shown = term.incident_ids[(route.page - 1) * size:route.page * size]
    place_map = [("place_map", entry_id)] if registry == "places" and route.page == 1 else []
    return [("filters",), *place_map, *(("card", incident_id) for incident_id in shown)]


def _page_routes(model: Model) -> Iterator[Route]:
    for lang in model.config.languages:
        for page in model.site.pages:
            if page_text(page, lang, model.config.default_language) is not None:
                yield routes.page(lang, page.id)


def _all_incidents(model: Model, route: Route) -> list[Input]:
    return [("incidents",)]


def _feed_reads(model: Model, route: Route) -> list[Input]:
    return [("incident", incident.id) for incident in feeds.feed_incidents(model.site, route.lang)]


def _corrections_routes(model: Model) -> Iterator[Route]:
    pages = correction_pages(len(model.corrections), model.config.page_size)
    for lang in model.config.languages:
        for page in range(1, pages + 1):
            yield routes.corrections(lang, page)


def _corrections_reads(model: Model, route: Route) -> list[Input]:
    size = model.config.page_size
    shown = model.corrections[(route.page - 1) * size:route.page * size]
    return [("corrections",), *(("corrected", i) for i in dict.fromkeys(c.incident_id for c in shown))]


def _corrections_feed_reads(model: Model, route: Route) -> list[Input]:
    shown = feeds.feed_corrections(model, route.lang)
    return [("corrections",), *(("corrected", i) for i in dict.fromkeys(c.incident_id for c in shown))]


def _search_routes(model: Model) -> Iterator[Route]:
    incidents = len(model.site.incidents)
    for lang in model.config.languages:
        yield routes.search_manifest(lang)
        for shard in range(shard_count(incidents)):
            yield routes.search_terms(lang, shard)
        for chunk in range(chunk_count(incidents)):
            yield routes.search_records(lang, chunk)


def _records_reads(model: Model, route: Route) -> list[Input]:
    start = int(route.key) * RECORDS_PER_CHUNK
    return [("card", i.id) for i in model.site.incidents[start:start + RECORDS_PER_CHUNK]]


def _filter_routes(model: Model) -> list[Route]:
    keys = {key for keys in model.filters.values() for key in keys.split()}
    return [routes.filter_data(key) for key in sorted(keys)]


def _search_reads(model: Model, route: Route) -> list[Input]:
    return _records_reads(model, route) if route.kind == "search_records" else [("cards",)]


def _search_data(views: Views, route: Route) -> bytes:
    if route.kind == "search_manifest":
        return manifest(views, route)
    if route.kind == "search_terms":
        return terms_shard(views, route)
    return records_chunk(views, route)


PAGE_KINDS: tuple[PageKind, ...] = (
    PageKind("entry", lambda model: [routes.entry()], _nothing, context=entry_context),
    PageKind("not_found", lambda model: [routes.not_found()], _nothing, context=not_found_context),
    PageKind("timeline", _timeline_routes, _timeline_reads, context=_timeline_context),
    PageKind("incident", _incident_routes, _incident_reads,
             context=lambda views, route: with_incident_map(incident_context(views, route), views, route)),
    PageKind("registry", _registry_routes, lambda model, route: [("filters",)],
             context=registry_context),
    PageKind("term", _term_routes, _term_reads,
             context=lambda views, route: with_place_map(term_context(views, route), views, route)),
    PageKind("map", _map_routes, lambda model, route: [("filters",)], context=region_map_context),
    PageKind("basemap", lambda model: [routes.basemap()] if has_maps(model) else [],
             lambda model, route: [("basemap",)], data=basemap_data),
    PageKind("page", _page_routes, _nothing, context=page_context),
    PageKind("corrections", _corrections_routes, _corrections_reads, context=corrections_context),
    PageKind("corrections_feed", _each_language(routes.corrections_feed), _corrections_feed_reads,
             data=lambda views, route: feeds.corrections_feed(views.model, route.lang)),
    PageKind("search", _each_language(routes.search), _nothing, context=search_context),
    PageKind("search_data", _search_routes, _search_reads, data=_search_data),
    PageKind("filter_data", _filter_routes, lambda model, route: [("positions",)], data=filter_data),
    PageKind("feed", _each_language(routes.feed), _feed_reads,
             data=lambda views, route: feeds.atom_feed(views.model.site, views.config, route.lang)),
    PageKind("incidents_json", _each_language(routes.incidents_json), _all_incidents,
             data=lambda views, route: incidents_json(views.model.site, views.config, route.lang, {
                 i: links for i, (links, _) in views.model.related.items()})),
    PageKind("timelinejs", _each_language(routes.timelinejs), _all_incidents,
             data=lambda views, route: timeline_json(views.model.site, views.config, route.lang)),
    PageKind("incidents_csv", lambda model: [routes.incidents_csv()], _all_incidents,
             data=lambda views, route: incidents_csv(views.model.site, views.config)),
    PageKind("sitemap", lambda model: feeds.sitemap_routes(_listed_pages(model),
                                                           len(model.config.languages)),
             lambda model, route: [("translations",), ("periods",), ("filters",), ("updated",)],
             data=lambda views, route: feeds.sitemap(views.model, views.shared(
                 "sitemap", lambda model: feeds.sitemap_listing(model, _listed_pages(model))), route)),
    PageKind("robots", lambda model: [routes.robots()], _nothing,
             data=lambda views, route: feeds.robots(views.config)),
    PageKind("type_styles", lambda model: [routes.type_styles()], _nothing,
             data=lambda views, route: palette.stylesheet(views.type_colors)),
)
KINDS = {kind.name: kind for kind in PAGE_KINDS}
_KIND_OF_ROUTE = {"home": "timeline", "year": "timeline", "month": "timeline",
                  "search_manifest": "search_data", "search_terms": "search_data",
                  "search_records": "search_data"}


def kind_of(route: Route) -> PageKind:
    """The page kind that makes `route`."""
    return KINDS[_KIND_OF_ROUTE.get(route.kind, route.kind)]


def _listed_pages(model: Model) -> Iterator[Route]:
    """The pages a sitemap may list: every HTML page of the site."""
    for kind in PAGE_KINDS:
        if kind.context is not None:
            yield from kind.routes(model)


def all_routes(model: Model) -> list[Route]:
    """Every page and data file of the site, in the order of PAGE_KINDS."""
    return [route for kind in PAGE_KINDS for route in kind.routes(model)]


def copied_files(model: Model) -> dict[Route, Path]:
    """Files copied as they are: the theme's static files and local media."""
    static = model.config.templates / "static"
    copies = {routes.static(path.relative_to(static).as_posix()): path
              for path in sorted(static.rglob("*")) if path.is_file()}
    for path in model.site.media:
        copies[routes.media(path.relative_to(model.config.content).as_posix())] = path
    return copies


# Fingerprints ---------------------------------------------------------------------


class Fingerprints:
    """The fingerprint of every page of one model: a hash of the digests of
    what it reads. Digests are made on demand and kept."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._digests: dict[Input, bytes] = {}

    def of(self, route: Route) -> str:
        """The page's fingerprint."""
        known = self._digests
        parts = [known.get(part) or self.digest(part) for part in kind_of(route).reads(self.model, route)]
        return _hash(route.path.encode(), self.digest(("global",)), *parts).hex()

    def digest(self, part: Input) -> bytes:
        """The digest of one input."""
        found = self._digests.get(part)
        if found is None:
            if part in _EVERY:  # every incident's card, or every incident with its links
                names = _EVERY[part]
                value = b"".join(self.digest((name, i.id)) for i in self.model.site.incidents
                                 for name in names)
            else:
                value = _DIGESTS[part[0]](self.model, *part[1:]).encode()
            found = self._digests[part] = _hash("\0".join(part).encode(), value)
        return found


def _global(model: Model) -> str:
    """What every page reads: the engine, the config, the theme's templates and
    catalogues, the registries, plain pages and media, and which entries have a page."""
    config = model.config
    theme = [f"{path}:{_file_hash(path)}" for folder in (config.templates, config.locales)
             for path in sorted(folder.rglob("*"))
             if path.is_file() and "static" not in path.relative_to(folder).parts]
    incidents = _incidents_prefix(model)
    content = sorted(f"{path}:{digest}" for path, digest in model.digests.items()
                     if not path.startswith(incidents))
    has_page = [(name, sorted(ids)) for name, ids in sorted(model.has_page.items())]
    return repr((engine_version(), config, theme, content, has_page))


def _incidents_prefix(model: Model) -> str:
    return model.config.relative(model.config.content / "incidents").as_posix() + "/"


def _incident(model: Model, incident_id: str) -> str:
    incident = model.by_id[incident_id]
    files = sorted(model.digests[text.path.as_posix()] for text in incident.texts.values())
    return repr((files, incident.related))


def _card(model: Model, incident_id: str) -> str:
    i = model.by_id[incident_id]
    texts = [(t.lang, t.title, t.summary) for t in i.texts.values()]
    return repr((i.id, str(i.date), str(i.time), str(i.end_date), str(i.ongoing_until), i.type, i.places,
                 i.actors, i.tags, texts, model.filters[i.id], i.verification))


def _links(model: Model, incident_id: str) -> str:
    return repr((model.related[incident_id], [i.id if i else "" for i in model.neighbours(incident_id)]))


def _corrected(model: Model, incident_id: str) -> str:
    """What the corrections' page and feed show of an incident."""
    i = model.by_id[incident_id]
    return repr((str(i.date), str(i.time), [(t.lang, t.title, t.corrections) for t in i.texts.values()]))


def _filters(model: Model) -> str:
    return repr([(name, t.entry.id, len(t.incident_ids)) for name, terms in model.terms.items()
                 for t in terms])


_EVERY: dict[Input, tuple[str, ...]] = {("cards",): ("card",), ("incidents",): ("incident", "links")}
"""Inputs that stand for one input per incident, in the chronology's order."""

_DIGESTS: dict[str, Callable[..., str]] = {
    "global": _global,
    "incident": _incident,
    "card": _card,
    "links": _links,
    "corrected": _corrected,
    "corrections": lambda model: repr(model.corrections),
    "updated": lambda model: repr([(i.id, i.updated) for i in model.site.incidents]),
    "years": lambda model: repr([(y.year, y.count) for y in model.years]),
    "periods": lambda model: repr([(p.key, p.pages, [(m.month, len(m.listings)) for m in p.months])
                                   for p in model.periods] + [(y.year, [(m.month, len(m.listings))
                                                                        for m in y.months])
                                                              for y in model.years]),
    "positions": lambda model: repr([model.filters[i.id] for i in model.site.incidents]),
    "chart": lambda model, key: repr(chart_of(model.activity, key)),
    "filters": _filters,
    "translations": lambda model: repr([(i.id, tuple(i.texts)) for i in model.site.incidents]),
    "place_map": lambda model, place: repr(place_map_points(model, place)),
    "basemap": lambda model: _file_hash(model.config.basemap),
}


def _hash(*parts: bytes) -> bytes:
    """The hash of `parts`, each ended by a NUL byte."""
    return hashlib.blake2b(b"\0".join(parts) + b"\0", digest_size=16).digest()


def _file_hash(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()

