"""Static maps of places: where each place sits, computed at build time.

Every map of a site shares one projection, picked by its content: the
region is the bounding box of the places with coordinates, with a margin,
drawn equirectangular (longitudes scaled by the cosine of the region's
middle latitude, right for a region a few hundred kilometres wide) in a
frame `WIDTH` units wide. The base map (country outlines, or the site's
own GeoJSON) is drawn once for the whole region into one SVG file that
every map shows as its background; a map of a few places is a window on
that region, zoomed in, so that maps of the same site always agree.

Positions, sizes and labels are computed here; the templates only write
them out (templates/_map.html).
"""

from __future__ import annotations

import bisect
import itertools
import math
from array import array
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from waqai.geojson import Shapes
from waqai.model import Entry, Incident

WIDTH = 800
"""Width of every map in SVG units (about a pixel each on a desktop screen)."""
MARGIN = 0.15
"""Margin around the places, as a share of their extent."""
MIN_MARGIN = 0.05
"""Degrees of margin at least (a region of one place is still a region)."""
ASPECT = (0.8, 1.5)
"""Narrowest and widest shape of a map (width / height)."""
MIN_ZOOM_SHARE = 0.5
"""A map of a few places shows at least this share of the region's width."""
RADIUS = (4.0, 18.0)
"""Radius of the smallest and the largest marker, in SVG units: a marker's
area grows with its number of incidents (its diameter is a whole number of
units: markers are drawn as round dots of that width)."""
LABELS = 30
"""The region's map labels this many places (those with the most incidents);
the others are named by their links and by the list beside the map."""
FONT = 14.0
PHONE_FONT = 26.0
"""Label sizes in SVG units on wide and narrow screens (style.css: .map-label):
on a phone a map is about 0.45 of its width, so labels are drawn larger and
only those that still fit (not `is_minor`) are shown."""
CHAR_WIDTH = 0.6
"""Width of a character as a share of the font size: an estimate, on the
generous side, for keeping labels apart."""


@dataclass(frozen=True, slots=True)
class Region:
    """The site's projection: the region every map is a window of."""

    west: float
    north: float
    cos: float
    """Cosine of the region's middle latitude: how much shorter a degree of
    longitude is than a degree of latitude there."""
    scale: float
    """SVG units per degree of latitude."""
    height: float
    """The region's height in SVG units (its width is WIDTH)."""

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """Where a position falls on the region's map."""
        return ((lon - self.west) * self.cos * self.scale, (self.north - lat) * self.scale)


@dataclass(frozen=True, slots=True)
class Window:
    """The part of the region one map shows, in the region's SVG units; the
    map is WIDTH units wide, so it is zoomed `WIDTH / width` times."""

    x: float
    y: float
    width: float
    height: float

    @property
    def zoom(self) -> float:
        """How many times the region is enlarged on this map."""
        return WIDTH / self.width


@dataclass(frozen=True, slots=True)
class Point:
    """A place drawn on a map, with the number of incidents it stands for."""

    place: str
    count: int
    is_current: bool = False
    """The place a place page is about, or a place of an incident."""


@dataclass(frozen=True, slots=True)
class Marker:
    """A place's marker, in the map's SVG units."""

    place: str
    x: int
    y: int
    r: float
    count: int
    is_current: bool


@dataclass(frozen=True, slots=True)
class Label:
    """A place's name on the map: `edge` is the side of the text at (x, y):
    "left", "right" or "middle" (the template turns it into a text-anchor for
    the page's direction)."""

    place: str
    x: int
    y: int
    edge: str
    is_minor: bool
    """Hidden on narrow screens, where it would overlap."""
    is_context: bool = False
    """A place around the map's own, named to find one's way."""


Box = tuple[float, float, float, float]
"""left, top, right, bottom: what a marker or a label covers, in SVG units."""

DOT = 2.5
"""Radius of the dot of a place around a small map's own (style.css: .map-context)."""

Dot = tuple[str, int, int]
"""A place around a small map's own: (place, x, y)."""


@dataclass(frozen=True, slots=True)
class Drawing:
    """A map ready to write out: its size, where the base map goes, markers
    (largest first, so that small ones stay on top) and labels."""

    width: int
    height: int
    basemap: tuple[float, float, float, float]
    """x, y, width, height of the region's base map image on this map."""
    markers: tuple[Marker, ...]
    labels: tuple[Label, ...]
    context: tuple[Dot, ...] = ()
    """Other places with coordinates within a small map's window: dots that
    show where it is (neither linked nor counted)."""


# Where places are ---------------------------------------------------------------


def svg_number(value: float) -> str:
    """A coordinate as SVG writes it shortest: `12`, `12.5`, `-3`."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def is_located(entry: Entry) -> bool:
    """True when the place has coordinates."""
    return entry.lat is not None and entry.lon is not None


def location(place: str, places: Mapping[str, Entry]) -> str | None:
    """Where a place is drawn: itself when it has coordinates, else the
    nearest larger place that has them (a street at its town); None when no
    place of its chain has any."""
    seen = set()
    current = places.get(place)
    while current is not None and current.id not in seen:
        if is_located(current):
            return current.id
        seen.add(current.id)
        current = places.get(current.within) if current.within else None
    return None


def region(places: Iterable[Entry]) -> Region | None:
    """The site's region: the bounding box of every place with coordinates,
    with a margin, widened to a readable shape; None when no place has any."""
    located = [(e.lat, e.lon) for e in places if e.lat is not None and e.lon is not None]
    if not located:
        return None
    lats, lons = [p[0] for p in located], [p[1] for p in located]
    cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
    west, east, south, north = _framed(min(lons) * cos, max(lons) * cos, min(lats), max(lats))
    scale = WIDTH / (east - west)
    return Region(west / cos, north, cos, scale, (north - south) * scale)


def _framed(west: float, east: float, south: float, north: float) -> tuple[float, float, float, float]:
    """A box (in projected degrees) with its margin, widened or heightened
    to a shape between ASPECT's."""
    margin = max(MARGIN * max(east - west, north - south), MIN_MARGIN)
    west, east, south, north = west - margin, east + margin, south - margin, north + margin
    width, height = east - west, north - south
    narrowest, widest = ASPECT
    if width / height > widest:
        grow = width / widest - height
        south, north = south - grow / 2, north + grow / 2
    elif width / height < narrowest:
        grow = height * narrowest - width
        west, east = west - grow / 2, east + grow / 2
    return west, east, south, north


def window(area: Region, positions: Sequence[tuple[float, float]]) -> Window:
    """The part of the region a map of a few places shows: their box with a
    margin, at least MIN_ZOOM_SHARE of the region wide, kept inside the
    region where it fits (so the base map covers it)."""
    xs, ys = [p[0] for p in positions], [p[1] for p in positions]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    margin = max(MARGIN * max(right - left, bottom - top), MIN_MARGIN * area.scale)
    width = max(right - left + 2 * margin, WIDTH * MIN_ZOOM_SHARE)
    height = max(bottom - top + 2 * margin, width / ASPECT[1])
    width = max(width, height * ASPECT[0])
    x = _inside((left + right - width) / 2, width, WIDTH)
    y = _inside((top + bottom - height) / 2, height, area.height)
    return Window(x, y, width, height)


def _inside(start: float, size: float, limit: float) -> float:
    """`start` moved so that [start, start + size] lies within [0, limit], or
    centred on it when it is larger."""
    if size >= limit:
        return (limit - size) / 2
    return min(max(start, 0.0), limit - size)


# What each map shows --------------------------------------------------------------


def overview_points(counts: Mapping[str, int], places: Mapping[str, Entry]) -> tuple[Point, ...]:
    """The region's map: every place with coordinates and a page (`counts`:
    its incidents, those of the places within it included)."""
    return tuple(Point(place, count) for place, count in counts.items() if is_located(places[place]))


def place_points(place: str, incident_ids: Sequence[str], by_id: Mapping[str, Incident],
                 places: Mapping[str, Entry]) -> tuple[tuple[Point, ...], tuple[str, ...]]:
    """A place page's map: the place, the places within it, and where its
    incidents happened, each with the number of the place's incidents there;
    and the places it cannot draw (no coordinates in their chain)."""
    counts: Counter[str] = Counter()
    missing: dict[str, None] = {}
    for incident_id in incident_ids:
        found = set()
        for other in by_id[incident_id].places:
            at = location(other, places)
            if at is None:
                missing[other] = None
            else:
                found.add(at)
        counts.update(found)
    children: dict[str, list[str]] = {}
    for entry in places.values():
        if entry.within is not None:
            children.setdefault(entry.within, []).append(entry.id)
    inside: set[str] = set()
    todo = [place]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in inside and child != place:
                inside.add(child)
                todo.append(child)
    within = [p for p in places.values() if p.id in inside]
    for entry in within:
        if is_located(entry):
            counts.setdefault(entry.id, 0)
        elif location(entry.id, places) is None:
            missing[entry.id] = None
    own = location(place, places)
    if own is not None:
        counts.setdefault(own, 0)
    else:
        missing = {place: None, **missing}
    points = tuple(Point(p, counts[p], p == own) for p in sorted(counts))
    return points, tuple(missing)


def incident_points(incident: Incident,
                    places: Mapping[str, Entry]) -> tuple[tuple[Point, ...], tuple[str, ...]]:
    """An incident page's map: where each of its places is drawn, and the
    places it cannot draw."""
    found = {at: None for p in incident.places if (at := location(p, places)) is not None}
    return (tuple(Point(p, 1, True) for p in found),
            tuple(p for p in incident.places if location(p, places) is None))


# Drawing ------------------------------------------------------------------------------


def draw(area: Region, points: Sequence[Point], places: Mapping[str, Entry],
         names: Mapping[str, str], located: Located, *, is_overview: bool) -> Drawing:
    """Markers and labels of a map. The region's map shows the whole region
    and labels the LABELS places with the most incidents; a map of a few
    places is a window on them and labels every one it can."""
    positions = {p.place: area.xy(places[p.place].lat or 0.0, places[p.place].lon or 0.0) for p in points}
    frame = Window(0.0, 0.0, float(WIDTH), area.height) if is_overview else \
        window(area, list(positions.values()))
    zoom = frame.zoom
    height = round(frame.height * zoom)
    largest = max((p.count for p in points), default=0)
    markers = sorted(
        (Marker(p.place, round((positions[p.place][0] - frame.x) * zoom),
                round((positions[p.place][1] - frame.y) * zoom), _radius(p.count, largest), p.count,
                p.is_current) for p in points),
        key=lambda m: (-m.r, m.place))
    ranked = sorted(markers, key=lambda m: (not m.is_current, -m.count, m.place))
    labels = place_labels(ranked[:LABELS] if is_overview else ranked, names, WIDTH, height)
    image = (round(-frame.x * zoom, 1), round(-frame.y * zoom, 1), round(WIDTH * zoom, 1),
             round(area.height * zoom, 1))
    if is_overview:
        return Drawing(WIDTH, height, image, tuple(markers), labels)
    shown = {p.place for p in points}
    inside = located.around(frame, height)
    around = [dot for dot in inside.dots() if dot[0] not in shown]
    # The dots of the map's own places lie under their markers: what overlaps
    # one overlaps a marker, so every dot of the window counts as taken.
    named = place_labels([Marker(place, x, y, DOT, 0, False) for place, x, y in around[:CONTEXT_LABELS]],
                         names, WIDTH, height,
                         [*(_box(label, names[label.place], FONT) for label in labels),
                          *(_marker_box(m) for m in markers)], inside)
    return Drawing(WIDTH, height, image, tuple(markers),
                   labels + tuple(replace(label, is_minor=True, is_context=True) for label in named),
                   tuple(around))


CONTEXT_LABELS = 6
"""How many places around its own a small map names (the largest: those
within the fewest larger places)."""


class Located:
    """Every place with coordinates and where it falls on the region's map,
    and the places each window of it shows: small maps of different places
    often show the same window (worked out once per window, for every language)."""

    def __init__(self, area: Region, places: Mapping[str, Entry]) -> None:
        found = sorted((_depth(entry, places), entry.id, area.xy(entry.lat, entry.lon))
                       for entry in places.values() if entry.lat is not None and entry.lon is not None)
        self.places = tuple((place, x, y) for _, place, (x, y) in found)
        """(place, x, y), larger places (within fewer others) first: the order in
        which a small map names the places around its own."""
        by_x = sorted(range(len(self.places)), key=lambda n: self.places[n][1])
        by_y = sorted(range(len(self.places)), key=lambda n: self.places[n][2])
        self.xs = tuple(self.places[n][1] for n in by_x)
        """Their x, from west to east."""
        self.by_x = tuple(by_x)
        """The index in `places` of the place of each x of `xs`."""
        self.ys = tuple(self.places[n][2] for n in by_y)
        """Their y, from north to south."""
        self.by_y = tuple(by_y)
        """The index in `places` of the place of each y of `ys`."""
        self._windows: dict[tuple[Window, int], Around] = {}
        """Window (and its map's height) -> the places it shows."""

    def around(self, frame: Window, height: int) -> Around:
        """The places inside a small map's window."""
        key = (frame, height)
        found = self._windows.get(key)
        if found is None:
            if len(self._windows) >= _WINDOWS_KEPT:
                self._windows.clear()
            found = self._windows[key] = Around(self.places, self._inside(frame, height))
        return found

    def _inside(self, frame: Window, height: int) -> array[int]:
        zoom, left, top = frame.zoom, frame.x, frame.y
        # Those whose x and y may round into the window (half a unit to spare), then exactly:
        xs = self.by_x[bisect.bisect_left(self.xs, left + 2 / zoom):
                       bisect.bisect_right(self.xs, left + (WIDTH - 2) / zoom)]
        ys = self.by_y[bisect.bisect_left(self.ys, top + 2 / zoom):
                       bisect.bisect_right(self.ys, top + (height - 2) / zoom)]
        found = array("i")
        for n in sorted(set(xs).intersection(ys)):
            _, x, y = self.places[n]
            px, py = round((x - left) * zoom), round((y - top) * zoom)
            if 3 <= px <= WIDTH - 3 and 3 <= py <= height - 3:
                found.extend((n, px, py))
        return found


class Around:
    """The places inside one small map's window, as dots. Kept compact (a
    window holds a hundred places or more): their index in `Located.places`,
    x and y one after the other, and their x and y again from north to south,
    where the few dots beside a label (a line of text) are found without
    looking at every one."""

    __slots__ = ("_found", "_places", "_xs", "_ys")

    def __init__(self, places: Sequence[tuple[str, float, float]], found: array[int]) -> None:
        self._places = places
        self._found = found
        north_to_south = sorted(range(0, len(found), 3), key=lambda i: found[i + 2])
        self._xs = array("i", (found[i + 1] for i in north_to_south))
        self._ys = array("i", (found[i + 2] for i in north_to_south))

    def dots(self) -> list[Dot]:
        """(place, x, y) of each, in the order of `Located.places`."""
        found, places = self._found, self._places
        return [(places[found[i]][0], found[i + 1], found[i + 2]) for i in range(0, len(found), 3)]

    def boxes_near(self, box: Box) -> list[Box]:
        """What the dots cover, of those that overlap `box`."""
        left, top, right, bottom = box
        xs, ys = self._xs, self._ys
        first, end = bisect.bisect_right(ys, top - DOT), bisect.bisect_left(ys, bottom + DOT)
        return [(xs[n] - DOT, ys[n] - DOT, xs[n] + DOT, ys[n] + DOT) for n in range(first, end)
                if left < xs[n] + DOT and xs[n] - DOT < right]


_WINDOWS_KEPT = 20_000
"""Windows kept worked out: more than the distinct maps of a large archive,
few enough for the memory of a preview that runs for days."""


def _depth(entry: Entry, places: Mapping[str, Entry]) -> int:
    depth, seen = 0, {entry.id}
    while entry.within is not None and entry.within in places and entry.within not in seen:
        depth, entry = depth + 1, places[entry.within]
        seen.add(entry.id)
    return depth


def _radius(count: int, largest: int) -> float:
    low, high = RADIUS
    if count <= 0 or largest <= 0:
        return low - 1
    return round(2 * (low + (high - low) * math.sqrt(count / largest))) / 2


def place_labels(ranked: Sequence[Marker], names: Mapping[str, str], width: int, height: int,
                 taken: Sequence[Box] = (), dots: Around | None = None) -> tuple[Label, ...]:
    """Labels beside their markers, in the order given, each where it overlaps
    no labelled marker, no other label, nothing `taken` and none of the `dots`
    (right, left, above, below), within the map; it may cover the small
    markers of places it does not name, which are drawn over it. A label
    that finds no room is left out, unless it is the current place's. Those
    that fit at PHONE_FONT are shown on every screen, the others on wide ones."""
    obstacles = [*taken, *(_marker_box(m) for m in ranked)]
    placed: dict[str, Label] = {}
    for font, is_minor in ((PHONE_FONT, False), (FONT, True)):
        taken = list(obstacles) + [_box(label, names[label.place], FONT) for label in placed.values()]
        for marker in ranked:
            if marker.place in placed:
                continue
            spots = _spots(marker, font)
            boxes = [_spot_box(spot, names[marker.place], font) for spot in spots]
            left, top, right, bottom = reach = _reach(boxes)  # what overlaps none of it overlaps no box
            near = [other for other in taken
                    if left < other[2] and other[0] < right and top < other[3] and other[1] < bottom]
            if dots is not None:
                near += dots.boxes_near(reach)
            for spot, box in zip(spots, boxes, strict=True):
                x0, y0, x1, y1 = box  # within the map, and overlapping nothing near:
                if x0 >= 2 and y0 >= 2 and x1 <= width - 2 and y1 <= height - 2 and not any(
                        x0 < other[2] and other[0] < x1 and y0 < other[3] and other[1] < y1
                        for other in near):
                    placed[marker.place] = Label(marker.place, spot[0], spot[1], spot[2], is_minor)
                    taken.append(_spot_box(spot, names[marker.place], FONT) if is_minor else box)
                    break
            else:
                if marker.is_current and is_minor:
                    spot = spots[0]
                    placed[marker.place] = Label(marker.place, spot[0], spot[1], spot[2], False)
    order = {m.place: n for n, m in enumerate(ranked)}
    return tuple(sorted(placed.values(), key=lambda label: order[label.place]))


def _marker_box(marker: Marker) -> Box:
    return (marker.x - marker.r, marker.y - marker.r, marker.x + marker.r, marker.y + marker.r)


def _spots(marker: Marker, font: float) -> list[tuple[int, int, str]]:
    """(x, y, edge) of a label's baseline right, left, above and below its marker."""
    gap = marker.r + 3
    middle = round(marker.y + font * 0.35)
    return [(round(marker.x + gap), middle, "left"), (round(marker.x - gap), middle, "right"),
            (marker.x, round(marker.y - gap - font * 0.25), "middle"),
            (marker.x, round(marker.y + gap + font * 0.85), "middle")]


def _spot_box(spot: tuple[int, int, str], text: str, font: float) -> Box:
    x, y, edge = spot
    width = len(text) * font * CHAR_WIDTH
    left = x if edge == "left" else x - width if edge == "right" else x - width / 2
    return (left, y - font * 0.95, left + width, y + font * 0.3)


def _box(label: Label, text: str, font: float) -> Box:
    return _spot_box((label.x, label.y, label.edge), text, font)


def _reach(boxes: Sequence[Box]) -> Box:
    """The smallest box around a label's four spots (`_spots`: right, left,
    above and below its marker, at least 5.5 units away): the left one starts
    leftmost, the one above highest, the right one ends rightmost and the one
    below lowest."""
    return (boxes[1][0], boxes[2][1], boxes[0][2], boxes[3][3])


# The base map ---------------------------------------------------------------------


BASEMAP_STYLE = (
    "<style>path{fill:none;stroke:#857d6e;stroke-width:1px;stroke-linejoin:round;"
    "vector-effect:non-scaling-stroke}.land{fill:#f1ece1;fill-rule:evenodd}"
    "@media (prefers-color-scheme:dark){path{stroke:#7a7468}.land{fill:#2b2e32}}</style>")
"""The base map's colours, light and dark: the image is its own document,
which the page's style sheet does not reach (and the page's
Content-Security-Policy does not govern)."""


def basemap_svg(shapes: Shapes, area: Region) -> bytes:
    """The region's base map as an SVG file, in the region's units: polygons
    filled and outlined, lines drawn, clipped to the region and simplified to
    a tenth of a unit (a map zoomed in three times stays smooth)."""
    box = (-4.0, -4.0, WIDTH + 4.0, area.height + 4.0)
    land = [_path(simplify(clipped), closed=True)
            for polygon in shapes.polygons for ring in polygon
            if len(clipped := _clip_ring([area.xy(lat, lon) for lon, lat in ring], box)) >= 3]
    lines = [_path(simplify(part), closed=False) for line in shapes.lines
             for part in _clip_line([area.xy(lat, lon) for lon, lat in line], box) if len(part) >= 2]
    height = round(area.height, 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
             f'width="{WIDTH}" height="{height}">', BASEMAP_STYLE]
    if land:
        parts.append(f'<path class="land" d="{"".join(land)}"/>')
    if lines:
        parts.append(f'<path d="{"".join(lines)}"/>')
    parts.append("</svg>\n")
    return "\n".join(parts).encode()


def _path(points: Sequence[tuple[float, float]], *, closed: bool) -> str:
    """Absolute first point, then relative moves in tenths: a compact path."""
    steps = [(round(x * 10), round(y * 10)) for x, y in points]
    out = [f"M{_tenths(steps[0][0])} {_tenths(steps[0][1])}"]
    for (x0, y0), (x1, y1) in itertools.pairwise(steps):
        if (x0, y0) != (x1, y1):
            out.append(f"l{_tenths(x1 - x0)} {_tenths(y1 - y0)}")
    return "".join(out) + ("z" if closed else "")


def _tenths(value: int) -> str:
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    return f"{sign}{whole}.{tenth}" if tenth else f"{sign}{whole}"


def simplify(points: Sequence[tuple[float, float]], tolerance: float = 0.1) -> list[tuple[float, float]]:
    """Douglas–Peucker: the fewest points within `tolerance` of the outline."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        farthest, distance = first, 0.0
        for n in range(first + 1, last):
            px, py = points[n]
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length if length \
                else math.hypot(px - ax, py - ay)
            if d > distance:
                farthest, distance = n, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _clip_ring(points: list[tuple[float, float]], box: Box) -> list[tuple[float, float]]:
    """A polygon's ring clipped to a box, one side at a time (Sutherland–Hodgman)."""
    for axis, limit, keep_above in ((0, box[0], True), (0, box[2], False), (1, box[1], True),
                                    (1, box[3], False)):
        if not points:
            break
        result = []
        for n, point in enumerate(points):
            previous = points[n - 1]
            inside, was_inside = (point[axis] >= limit) == keep_above, (previous[axis] >= limit) == keep_above
            if inside != was_inside:
                result.append(_crossing(previous, point, axis, limit))
            if inside:
                result.append(point)
        points = result
    return points


def _clip_line(points: list[tuple[float, float]], box: Box) -> list[list[tuple[float, float]]]:
    """The parts of a line inside a box."""
    parts: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for a, b in itertools.pairwise(points):
        segment = _clip_segment(a, b, box)
        if segment is None:
            current = []
            continue
        if not current or current[-1] != segment[0]:
            current = [segment[0]]
            parts.append(current)
        current.append(segment[1])
    return parts


def _clip_segment(a: tuple[float, float], b: tuple[float, float],
                  box: Box) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Liang–Barsky: the part of segment ab inside the box, or None."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, a[0] - box[0]), (dx, box[2] - a[0]), (-dy, a[1] - box[1]), (dy, box[3] - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    return (a[0] + low * dx, a[1] + low * dy), (a[0] + high * dx, a[1] + high * dy)


def _crossing(a: tuple[float, float], b: tuple[float, float], axis: int, limit: float) -> tuple[float, float]:
    t = (limit - a[axis]) / (b[axis] - a[axis])
    return (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))

