"""The maps of the site's pages: each language's map of every place, and the
maps on place pages (page 1) and incident pages, as plain data for
templates/_map.html. Where things are drawn is computed in maps.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from waqai import routes
from waqai.contexts import Views
from waqai.derive import Model
from waqai.geojson import NATURAL_EARTH, read_shapes
from waqai.i18n import load_translations
from waqai.maps import (
    Located,
    Point,
    Region,
    basemap_svg,
    draw,
    incident_points,
    location,
    place_points,
    region,
    svg_number,
)
from waqai.routes import Route
from waqai.views import Label, Link, PageContext

NATURAL_EARTH_CREDIT = "Made with Natural Earth"
"""The credit Natural Earth asks for, in its own words on every language's maps."""
DESCRIBED = 5
"""How many places a map's description names (those with the most incidents)."""


@dataclass(frozen=True, slots=True)
class MapMarker:
    """A place's marker: a round dot (`d`, drawn as wide as its group says),
    a link to its page, named for screen readers."""

    href: str
    """The place's page, relative to the map's ("" when it has none)."""
    name: str
    d: str
    classes: str
    """"is-current" (the page's own place), "is-empty" (no incident counted there) or ""."""


@dataclass(frozen=True, slots=True)
class MarkerGroup:
    """Markers of one size, the largest groups first (small ones stay on top)."""

    width: str
    """The markers' diameter."""
    markers: tuple[MapMarker, ...]


@dataclass(frozen=True, slots=True)
class MapText:
    """A place's name written on the map."""

    x: int
    y: int
    anchor: str
    """The SVG text-anchor that puts the text on its side of the marker in
    the page's direction; "" for the labels' own (MapView.anchor)."""
    text: str
    classes: str
    """"is-minor" (hidden on narrow screens), "is-current", both or none."""


@dataclass(frozen=True, slots=True)
class Unlocated:
    """A place the map cannot show, and the larger place it lies within that it does."""

    place: Link
    within: Link | None


@dataclass(frozen=True, slots=True)
class MapView:
    """A map as the template writes it."""

    kind: str
    """"region" (the map page), "place" or "incident"."""
    width: int
    height: int
    basemap: str
    """Path of the base map image."""
    image: tuple[str, str, str, str]
    """x, y, width and height of the base map image."""
    markers: tuple[MarkerGroup, ...]
    labels: tuple[MapText, ...]
    anchor: str
    """The text-anchor of labels to the right of their markers (most of them):
    "start", or "end" on a right-to-left page."""
    context: str
    """The dots of other places around a small map's own, as one SVG path."""
    described: tuple[tuple[Label, str], ...]
    """(name, count) of the places the description names."""
    count: int
    count_text: str
    attribution: Label | None
    """The base map's credit, when it is not Natural Earth's (which the template writes)."""
    is_natural_earth: bool
    unlocated: tuple[Unlocated, ...]


def site_region(views: Views) -> Region | None:
    """The region every map of the site shows part of (None: no place has coordinates)."""
    return views.once("map_region", lambda views: region(views.model.site.registries["places"].values()))


def has_maps(model: Model) -> bool:
    """True when some place has coordinates: the site then has a map page and maps."""
    return region(model.site.registries["places"].values()) is not None


def map_view(views: Views, route: Route, kind: str, points: Sequence[Point],
             unlocated: Sequence[str]) -> MapView | None:
    """A map of `points` (None when there is nothing to draw), with the places it cannot show."""
    area = site_region(views)
    if area is None or not points:
        return None
    places = views.model.site.registries["places"]
    names = views.once("place_names", lambda views: {
        place: entry.name.get(views.lang, place) for place, entry in places.items()})
    located = views.shared("located_places", lambda model: Located(area, places))
    drawing = draw(area, points, places, names, located, is_overview=kind == "region")
    counted = kind != "incident"
    groups: dict[str, list[MapMarker]] = {}
    for m in drawing.markers:
        path = views.entry("places", m.place).path
        groups.setdefault(svg_number(2 * m.r), []).append(MapMarker(
            routes.link(route, path) if path else "",
            names[m.place],
            f"M{m.x} {m.y}h0",
            "is-current" if m.is_current else "is-empty" if counted and not m.count else ""))
    markers = tuple(MarkerGroup(width, tuple(group)) for width, group in groups.items())
    flip = {"left": "end", "right": "start"} if views.language.direction == "rtl" else \
        {"left": "start", "right": "end"}
    current = {m.place for m in drawing.markers if m.is_current}
    labels = tuple(MapText(t.x, t.y, "" if t.edge == "left" else flip.get(t.edge, "middle"),
                           names[t.place],
                           " ".join(name for name, is_set in (("is-minor", t.is_minor),
                                                              ("is-current", t.place in current),
                                                              ("is-context", t.is_context)) if is_set))
                   for t in drawing.labels)
    ranked = sorted(points, key=lambda p: (-p.count, names[p.place]))[:DESCRIBED]
    described = tuple((views.label(names[p.place], views.lang), views.number(p.count)) for p in ranked)
    credit = views.once("map_credit", _credit)
    return MapView(kind, drawing.width, drawing.height, routes.basemap().path,
                   _numbers(drawing.basemap), markers,
                   labels, flip["left"], "".join(f"M{x} {y}h0" for _, x, y in drawing.context), described,
                   len(points), views.number(len(points)),
                   credit, credit is None, tuple(_unlocated(views, place) for place in unlocated))


def _numbers(box: tuple[float, float, float, float]) -> tuple[str, str, str, str]:
    return (svg_number(box[0]), svg_number(box[1]), svg_number(box[2]), svg_number(box[3]))


def _credit(views: Views) -> Label | None:
    """The site's own base map's `attribution`; None for the engine's (Natural Earth)."""
    if views.config.basemap == NATURAL_EARTH:
        return None
    attribution = read_shapes(views.config.basemap).attribution
    return Label(attribution, "", "auto", True) if attribution else None


def _unlocated(views: Views, place: str) -> Unlocated:
    places = views.model.site.registries["places"]
    parent = places[place].within
    at = location(parent, places) if parent else None
    return Unlocated(views.entry("places", place), views.entry("places", at) if at else None)


# Pages ---------------------------------------------------------------------------------


def region_map_context(views: Views, route: Route) -> PageContext:
    """A language's map page: every place with coordinates, sized by its
    incidents (the places within it included), and the places without."""
    places = views.model.site.registries["places"]
    counts = place_counts(views.model)
    located = [Point(place, count) for place, count in counts.items() if places[place].lat is not None
               and places[place].lon is not None]
    missing = [place for place in counts if place not in {p.place for p in located}]
    title = load_translations(views.config.locales, views.lang).gettext("Map")
    view = map_view(views, route, "region", located, missing)
    listed = tuple((views.entry("places", p.place), views.number(p.count))
                   for p in sorted(located, key=lambda p: (-p.count, p.place)))
    return PageContext(route.path, "map.html", views.lang, {
        "head": views.head(route, title), "map": view, "listed": listed})


def place_counts(model: Model) -> dict[str, int]:
    """Places with a page -> their incidents, those of the places within included."""
    return {term.entry.id: len(term.incident_ids) for term in model.terms["places"]}


def place_map_points(model: Model, place: str) -> tuple[tuple[Point, ...], tuple[str, ...]]:
    """What a place page's map shows (see maps.place_points)."""
    term = next(t for t in model.terms["places"] if t.entry.id == place)
    return place_points(place, term.incident_ids, model.by_id, model.site.registries["places"])


def with_place_map(context: PageContext, views: Views, route: Route) -> PageContext:
    """A registry entry's page, with a map on the first page of a place."""
    registry, entry_id = route.key.split("/", 1)
    view = None
    if registry == "places" and route.page == 1:
        view = map_view(views, route, "place", *place_map_points(views.model, entry_id))
    return replace(context, values={**context.values, "map": view})


def with_incident_map(context: PageContext, views: Views, route: Route) -> PageContext:
    """An incident's page, with a map of its places."""
    points, missing = incident_points(views.model.by_id[route.key], views.model.site.registries["places"])
    # Every incident page sits at the same depth, so incidents with the same
    # places have the same map: drawn once per language (a third of the build).
    drawn: dict[object, MapView | None] = views.once("incident_maps", lambda views: {})
    key = (tuple(points), tuple(missing))
    if key not in drawn:
        drawn[key] = map_view(views, route, "incident", points, missing)
    return replace(context, values={**context.values, "map": drawn[key]})


def basemap_data(views: Views, route: Route) -> bytes:
    """The region's base map image."""
    area = site_region(views)
    assert area is not None, "a base map is made only for a site with a region"
    return basemap_svg(read_shapes(views.config.basemap), area)

