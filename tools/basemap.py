"""Make the base map the site's maps are drawn on, from Natural Earth.

    python tools/basemap.py                      # the region of config.yaml's places
    python tools/basemap.py --bbox 33,30,45,40   # west,south,east,north in degrees
    python tools/basemap.py --config site/config.yaml --out site/maps/region.geojson

Reads the 1:50m country outlines of Natural Earth (public domain) from the
`world-atlas` package's `countries-50m.json` (TopoJSON): `--atlas FILE`, or
else `npm pack world-atlas` into a temporary folder (this script is the only
part of Waqai that uses the network; a build never does). It decodes the
TopoJSON, clips every country to the region, simplifies the outlines and
writes a small GeoJSON FeatureCollection. By default the region is the
bounding box of the places with coordinates in the config's places.yaml,
with a margin, and the output replaces the engine's own base map,
`waqai/basemap/natural-earth.geojson`; a site that keeps its own file names it
with `basemap:` in its config.yaml.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from waqai.maps import simplify

PROJECT = Path(__file__).resolve().parent.parent
OUT = PROJECT / "waqai" / "basemap" / "natural-earth.geojson"
TOLERANCE = 0.004
"""Degrees (about 400 m) an outline may move when simplified: under a pixel
on a map of a region a few hundred kilometres wide, zoomed in three times."""
DIGITS = 3
"""Decimals kept in coordinates: about 100 m."""
ATTRIBUTION = "Made with Natural Earth"

Point = tuple[float, float]
Ring = list[Point]
Box = tuple[float, float, float, float]


def decode(topology: dict[str, object], name: str = "countries") -> list[tuple[str, list[Ring]]]:
    """(name, rings) of every polygon of a TopoJSON object: arcs are
    delta-encoded quantized positions; a negative index ~i is arc i reversed,
    and consecutive arcs of a ring share their joining point."""
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs: list[Ring] = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        points: Ring = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    shapes = []
    for geometry in topology["objects"][name]["geometries"]:  # type: ignore[index]
        label = geometry.get("properties", {}).get("name", "")
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else \
            geometry["arcs"] if geometry["type"] == "MultiPolygon" else []
        for polygon in polygons:
            shapes.append((label, [ring(indexes) for indexes in polygon]))
    return shapes


def clip(points: Ring, box: Box) -> Ring:
    """A ring clipped to a box (Sutherland–Hodgman: one edge of the box at a time)."""
    west, south, east, north = box
    edges = ((0, west, True), (0, east, False), (1, south, True), (1, north, False))
    for axis, limit, keep_above in edges:
        if not points:
            break
        inside = [(p[axis] >= limit) == keep_above for p in points]
        result: Ring = []
        for n, point in enumerate(points):
            previous, was_inside = points[n - 1], inside[n - 1]
            if inside[n] != was_inside:
                t = (limit - previous[axis]) / (point[axis] - previous[axis])
                result.append((previous[0] + t * (point[0] - previous[0]),
                               previous[1] + t * (point[1] - previous[1])))
            if inside[n]:
                result.append(point)
        points = result
    return points


def features(shapes: list[tuple[str, list[Ring]]], box: Box) -> list[dict[str, object]]:
    """One GeoJSON feature per country that reaches into the box."""
    found: dict[str, list[list[list[list[float]]]]] = {}
    for name, rings in shapes:
        polygon = []
        for ring in rings:
            kept = simplify(clip(ring, box), TOLERANCE)
            kept = [p for n, p in enumerate(kept) if n == 0 or _rounded(p) != _rounded(kept[n - 1])]
            if len(kept) >= 3:
                polygon.append([list(_rounded(p)) for p in [*kept, kept[0]]])
        if polygon:
            found.setdefault(name, []).append(polygon)
    return [{"type": "Feature", "properties": {"name": name},
             "geometry": {"type": "MultiPolygon", "coordinates": polygons}}
            for name, polygons in sorted(found.items())]


def _rounded(point: Point) -> Point:
    return (round(point[0], DIGITS), round(point[1], DIGITS))


def places_box(config: Path) -> Box:
    """The bounding box of the places with coordinates, with a margin of half
    its larger side (at least 1°): room for every map's frame."""
    settings = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    places_file = config.parent / settings.get("content", "content") / "places.yaml"
    places = yaml.safe_load(places_file.read_text(encoding="utf-8")) or {}
    located = [(p["lon"], p["lat"]) for p in places.values()
               if isinstance(p, dict) and p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        sys.exit(f"{places_file}: no place has coordinates; give --bbox west,south,east,north")
    lons, lats = [float(p[0]) for p in located], [float(p[1]) for p in located]
    margin = max(1.0, (max(max(lons) - min(lons), max(lats) - min(lats))) / 2)
    return (min(lons) - margin, min(lats) - margin, max(lons) + margin, max(lats) + margin)


def atlas_file(given: Path | None, folder: Path) -> Path:
    """countries-50m.json: the one given, or from `npm pack world-atlas`."""
    if given is not None:
        return given
    subprocess.run(["npm", "pack", "--silent", "world-atlas@2"], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)
    archive = next(folder.glob("world-atlas-*.tgz"))
    subprocess.run(["tar", "xzf", archive.name], cwd=folder, check=True)
    return folder / "package" / "countries-50m.json"


def main() -> None:
    """Parse the arguments, then write the base map."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=PROJECT / "config.yaml",
                        help="whose places pick the region (default: config.yaml)")
    parser.add_argument("--bbox", help="the region instead: west,south,east,north in degrees")
    parser.add_argument("--atlas", type=Path, help="a countries-50m.json already at hand")
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT.relative_to(PROJECT)}")
    args = parser.parse_args()
    if args.bbox:
        west, south, east, north = (float(part) for part in args.bbox.split(","))
        box: Box = (west, south, east, north)
    else:
        box = places_box(args.config)
    with tempfile.TemporaryDirectory() as folder:
        topology = json.loads(atlas_file(args.atlas, Path(folder)).read_text(encoding="utf-8"))
    collection = {"type": "FeatureCollection", "attribution": ATTRIBUTION,
                  "bbox": [round(c, DIGITS) for c in box], "features": features(decode(topology), box)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text.replace(',{"type":"Feature"', ',\n{"type":"Feature"') + "\n", encoding="utf-8")
    print(f"{args.out}: {len(collection['features'])} countries, {args.out.stat().st_size} bytes, "
          f"region {','.join(str(c) for c in collection['bbox'])}")


if __name__ == "__main__":
    main()
