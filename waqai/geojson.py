"""Base maps as GeoJSON (RFC 7946): the outlines every map of the site is
drawn on, read into plain shapes.

The engine ships Natural Earth's country outlines for its region
(`waqai/basemap/natural-earth.geojson`, made by `tools/basemap.py`); a site
may name its own file with `basemap:` in config.yaml (a city plan,
governorate borders). Polygons are filled and outlined, lines are drawn.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

NATURAL_EARTH = Path(__file__).resolve().parent / "basemap" / "natural-earth.geojson"
"""The base map used when config.yaml names none."""

GEOMETRIES = ("Polygon", "MultiPolygon", "LineString", "MultiLineString")
"""The geometries a base map may hold (points would be taken for places)."""

Line = tuple[tuple[float, float], ...]
"""(lon, lat) pairs."""


@dataclass(frozen=True, slots=True)
class Shapes:
    """The outlines of a base map."""

    polygons: tuple[tuple[Line, ...], ...]
    """Each polygon's rings: the outer ring first, then its holes."""
    lines: tuple[Line, ...]
    attribution: str
    """Whom the map credits ("Made with Natural Earth"); "" when the file names no one."""


class GeoJsonError(ValueError):
    """A file that is not a usable base map; the message says why."""


def read_shapes(path: Path) -> Shapes:
    """The shapes of a GeoJSON file: a FeatureCollection, a Feature or a bare
    geometry. Raises GeoJsonError (or OSError) when it cannot be used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise GeoJsonError("is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise GeoJsonError(f"is not JSON (line {exc.lineno}: {exc.msg})") from exc
    polygons: list[tuple[Line, ...]] = []
    lines: list[Line] = []
    for geometry in _geometries(data):
        _add(geometry, polygons, lines)
    if not polygons and not lines:
        raise GeoJsonError("holds no Polygon, MultiPolygon or LineString geometry")
    attribution = data.get("attribution", "") if isinstance(data, dict) else ""
    return Shapes(tuple(polygons), tuple(lines), attribution if isinstance(attribution, str) else "")


def _geometries(data: object) -> list[dict[str, object]]:
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise GeoJsonError("is not GeoJSON: expected an object with a 'type'")
    kind = data["type"]
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list):
            raise GeoJsonError("is a FeatureCollection without a 'features' list")
        return [geometry for feature in features for geometry in _geometries(feature)]
    if kind == "Feature":
        geometry = data.get("geometry")
        return [] if geometry is None else _geometries(geometry)
    if kind == "GeometryCollection":
        parts = data.get("geometries")
        if not isinstance(parts, list):
            raise GeoJsonError("is a GeometryCollection without a 'geometries' list")
        return [geometry for part in parts for geometry in _geometries(part)]
    if kind not in GEOMETRIES:
        raise GeoJsonError(f"holds a {kind} geometry; a base map may hold {', '.join(GEOMETRIES)}")
    return [data]


def _add(geometry: dict[str, object], polygons: list[tuple[Line, ...]], lines: list[Line]) -> None:
    kind, coordinates = str(geometry["type"]), geometry.get("coordinates")
    if kind == "LineString":
        lines.append(_line(coordinates, kind))
    elif kind == "MultiLineString":
        lines.extend(_line(part, kind) for part in _list(coordinates, kind))
    elif kind == "Polygon":
        polygons.append(tuple(_line(ring, kind) for ring in _list(coordinates, kind)))
    else:
        polygons.extend(tuple(_line(ring, kind) for ring in _list(polygon, kind))
                        for polygon in _list(coordinates, kind))


def _list(value: object, kind: str) -> list[object]:
    if not isinstance(value, list):
        raise GeoJsonError(f"has a {kind} whose coordinates are not a list")
    return value


def _line(value: object, kind: object) -> Line:
    if not isinstance(value, list) or not all(
            isinstance(p, list) and len(p) >= 2 and all(isinstance(c, int | float) for c in p[:2])
            for p in value):
        raise GeoJsonError(f"has a {kind} with a position that is not [longitude, latitude]")
    return tuple((float(p[0]), float(p[1])) for p in value)
