"""Maps: the region's map page, and maps on place and incident pages, read as
a reader's browser gets them (the built SVG), and the `basemap:` setting."""

from __future__ import annotations

import json
import math
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import CONFIG, MakeSite, built, check_site, soup
from hypothesis import given
from hypothesis import strategies as st

from waqai import maps

PROJECT = Path(__file__).resolve().parent.parent

PLACES = """\
    jazira:
      name: {ar: الجزيرة, en: Jazira}
    hasakah:
      name: {ar: الحسكة, en: Hasakah}
      within: jazira
      lat: 36.5024
      lon: 40.7477
    qamishli:
      name: {ar: القامشلي, en: Qamishli}
      within: jazira
      lat: 37.0522
      lon: 41.2317
    ain-issa:
      name: {ar: عين عيسى, en: Ain Issa}
      lat: 36.3856
      lon: 38.8592
    shahba:
      name: {ar: الشهباء, en: Shahba}
      lat: 36.47
      lon: 37.097
    market:
      name: {ar: السوق, en: Market}
      within: hasakah
    nowhere:
      name: {ar: مكان ما, en: Somewhere}
    """
"""Four places with coordinates; the market lies within Hasakah (drawn
there); Jazira and Somewhere have none in their chain."""

LOCATED = {"hasakah": (36.5024, 40.7477), "qamishli": (37.0522, 41.2317),
           "ain-issa": (36.3856, 38.8592), "shahba": (36.47, 37.097)}


def incident(id_: str, places: str, day: int) -> dict[str, str]:
    """An original with its translation at the given places."""
    return {
        f"content/incidents/2021/{id_}.ar.md": f"""\
            ---
            title: واقعة {id_}
            date: 2021-02-{day:02d}
            type: protest
            places: [{places}]
            sources:
              - url: https://example.com/{id_}
                publisher: Example
            ---
            نص.
            """,
        f"content/incidents/2021/{id_}.en.md": f"---\ntitle: Incident {id_}\n---\nText.\n",
    }


INCIDENTS = {
    **incident("a", "hasakah", 1), **incident("b", "hasakah", 2), **incident("c", "market", 3),
    **incident("d", "qamishli", 4), **incident("e", "ain-issa, nowhere", 5),
}
"""Hasakah: 3 (one at its market) plus the basic site's protest = 4; Qamishli 1
(+ the basic siege = 2); Ain Issa 1; Shahba none."""


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return built(make_site({"content/places.yaml": PLACES, **INCIDENTS}))


def svg_of(page: BeautifulSoup) -> Tag:
    found = page.select_one("figure.map svg")
    assert found is not None, "the page has no map"
    return found


def markers(svg: Tag, page: str = "en/map/index.html") -> dict[str, tuple[float, float, float]]:
    """Place id -> (x, y, radius) of every linked marker of the map on `page`,
    from the place page it links to: a round dot (a path of length 0) as
    wide as its group's stroke."""
    found = {}
    for link in svg.select(".map-markers a"):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), link["href"]))
        place = re.fullmatch(r"(?:ar|en)/places/([a-z0-9-]+)/index\.html", target)
        dot = re.fullmatch(r"M(\d+) (\d+)h0", link.select_one("path")["d"])
        assert place and dot, link
        width = float(link.find_parent("g")["stroke-width"])
        found[place.group(1)] = (float(dot.group(1)), float(dot.group(2)), width / 2)
    return found


def image_box(svg: Tag) -> tuple[float, float, float, float]:
    image = svg.select_one("image")
    assert image is not None
    return tuple(float(image[name]) for name in ("x", "y", "width", "height"))  # type: ignore[return-value]


def test_map_page_projects_every_place_equirectangular(site: Path) -> None:
    """x grows with longitude times the cosine of the region's middle latitude,
    y falls with latitude, at one scale: fitted on the markers, every marker
    sits within rounding of its coordinates' projection."""
    svg = svg_of(soup(site / "en/map/index.html"))
    found = markers(svg)
    assert set(found) == set(LOCATED)
    lats = [lat for lat, _ in LOCATED.values()]
    cos = math.cos(math.radians((min(lats) + max(lats)) / 2))
    # x = a + s·cos·lon and y = b − s·lat: s from the two farthest places, then a and b.
    west, east = LOCATED["shahba"], LOCATED["qamishli"]
    s = (found["qamishli"][0] - found["shahba"][0]) / ((east[1] - west[1]) * cos)
    a = found["shahba"][0] - s * cos * west[1]
    b = found["shahba"][1] + s * west[0]
    for place, (lat, lon) in LOCATED.items():
        x, y, _ = found[place]
        assert abs(x - (a + s * cos * lon)) <= 1 and abs(y - (b - s * lat)) <= 1, place
    width, height = (float(n) for n in svg["viewbox"].split()[2:])
    assert all(0 < x < width and 0 < y < height for x, y, _ in found.values())


def test_small_maps_are_windows_on_the_region_map(site: Path) -> None:
    """A place's marker on an incident or place page, taken back through that
    map's base map image, is where the region's map draws it."""
    region = svg_of(soup(site / "en/map/index.html"))
    rx, ry, rwidth, _ = image_box(region)
    on_region = {p: ((x - rx) / rwidth, (y - ry) / rwidth) for p, (x, y, _) in markers(region).items()}
    pages = ["en/incidents/d/index.html", "ar/incidents/c/index.html", "en/places/jazira/index.html",
             "ar/places/hasakah/index.html"]
    for path in pages:
        svg = svg_of(soup(site / path))
        x0, y0, width, _ = image_box(svg)
        for place, (x, y, _) in markers(svg, path).items():
            u, v = on_region[place]
            assert abs((x - x0) / width - u) * width <= 1 and abs((y - y0) / width - v) * width <= 1, \
                (path, place)


def test_markers_link_to_their_place_pages_named_in_the_page_language(site: Path) -> None:
    names = {"ar": {"hasakah": "الحسكة", "qamishli": "القامشلي", "ain-issa": "عين عيسى", "shahba": "الشهباء"},
             "en": {"hasakah": "Hasakah", "qamishli": "Qamishli", "ain-issa": "Ain Issa", "shahba": "Shahba"}}
    for lang in ("ar", "en"):
        page_path = f"{lang}/map/index.html"
        svg = svg_of(soup(site / page_path))
        links = svg.select(".map-markers a")
        assert len(links) == 4
        for link in links:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), link["href"]))
            place = target.split("/")[-2]
            assert target == f"{lang}/places/{place}/index.html" and (site / target).is_file()
            assert link["aria-label"] == names[lang][place]
        written = {text.get_text() for text in svg.select(".map-labels text")}
        assert written == set(names[lang].values())


def test_the_region_map_sizes_every_place_by_its_incidents(site: Path) -> None:
    svg = svg_of(soup(site / "en/map/index.html"))
    radius = {place: r for place, (_, _, r) in markers(svg).items()}
    assert radius["hasakah"] > radius["qamishli"] > radius["ain-issa"] > radius["shahba"]
    listed = [li.get_text(" ", strip=True) for li in soup(site / "en/map/index.html").select(".map-list li")]
    assert listed == ["Hasakah (4)", "Qamishli (2)", "Ain Issa (1)", "Shahba (0)"]


def test_places_without_coordinates_are_listed_beside_the_map(site: Path) -> None:
    page = soup(site / "en/map/index.html")
    beside = page.select_one("figure.map .map-unlocated")
    assert beside is not None
    assert [a.get_text() for a in beside.select(":scope > a")] == ["Jazira", "Market", "Somewhere"]
    assert "Market (within Hasakah)" in beside.get_text(" ", strip=True).replace("( ", "(").replace(" )", ")")
    incident_page = soup(site / "en/incidents/e/index.html")
    assert set(markers(svg_of(incident_page), "en/incidents/e/index.html")) == {"ain-issa"}
    listed = incident_page.select_one("figure.map .map-unlocated")
    assert listed is not None and [a.get_text() for a in listed.select("a")] == ["Somewhere"]


def test_an_incident_map_shows_its_places_and_a_place_map_where_its_incidents_happened(site: Path) -> None:
    at_market = svg_of(soup(site / "en/incidents/c/index.html"))
    assert set(markers(at_market, "en/incidents/c/index.html")) == {"hasakah"}  # the market, at its town
    assert at_market.select_one("path.is-current") is not None
    assert [t.get_text() for t in at_market.select(".map-labels text:not(.is-context)")] == ["Hasakah"]
    jazira = svg_of(soup(site / "en/places/jazira/index.html"))
    radius = {place: r for place, (_, _, r) in markers(jazira, "en/places/jazira/index.html").items()}
    assert set(radius) == {"hasakah", "qamishli"} and radius["hasakah"] > radius["qamishli"]
    assert jazira.select_one("desc").get_text().endswith("The most incidents: Hasakah (4), Qamishli (2)")
    assert svg_of(soup(site / "en/places/hasakah/index.html")).select_one("path.is-current") is not None
    nowhere = soup(site / "en/places/nowhere/index.html")
    assert set(markers(svg_of(nowhere), "en/places/nowhere/index.html")) == {"ain-issa"}
    assert [a.get_text() for a in nowhere.select("figure.map .map-unlocated a")] == ["Somewhere"]


def test_every_map_is_described_and_credits_natural_earth(site: Path) -> None:
    pages = [p for p in sorted(site.rglob("*.html")) if "map-svg" in p.read_text(encoding="utf-8")]
    assert len(pages) >= 20
    for path in pages:
        page = soup(path)
        svg = svg_of(page)
        assert svg["viewbox"].startswith("0 0 ")
        assert svg.get("style") is None and not svg.select("[style]")
        assert svg.select_one("title").get_text() and svg.select_one("desc").get_text()
        assert svg.select_one("g[role=img]")["aria-labelledby"] == "map-desc"
        credit = page.select_one("figure.map .map-credit")
        assert credit is not None and "Made with Natural Earth" in credit.get_text(), path
        for link in svg.select("a"):
            folder = posixpath.dirname(path.relative_to(site).as_posix())
            target = posixpath.normpath(posixpath.join(folder, link["href"]))
            assert re.fullmatch(r"(ar|en)/places/[a-z0-9-]+/index\.html", target), (path, target)
            assert (site / target).is_file()
    basemap = (site / "data/basemap.svg").read_text(encoding="utf-8")
    assert basemap.startswith("<svg") and "<path" in basemap and "http" not in basemap.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")


def test_arabic_labels_read_right_to_left_beside_their_markers(site: Path) -> None:
    for lang in ("ar", "en"):
        svg = svg_of(soup(site / f"{lang}/map/index.html"))
        at = {link["aria-label"]: x for link, (x, _, _) in
              zip(svg.select(".map-markers a"), markers(svg, f"{lang}/map/index.html").values(),
                  strict=True)}
        for text in svg.select(".map-labels text"):
            side = float(text["x"]) - at[text.get_text()]
            if abs(side) > 1:  # beside, not above or below
                expected = ("end" if side > 0 else "start") if lang == "ar" else \
                    ("start" if side > 0 else "end")
                anchor = text.get("text-anchor") or text.find_parent("g")["text-anchor"]
                assert anchor == expected, (lang, text)


def test_no_map_without_coordinates(make_site: MakeSite) -> None:
    out = built(make_site({"content/places.yaml": """\
        hasakah-governorate:
          name: {ar: محافظة الحسكة, en: Hasakah Governorate}
        hasakah:
          name: {ar: الحسكة, en: Hasakah}
        qamishli:
          name: {ar: القامشلي, en: Qamishli}
        """}))
    assert not (out / "en/map").exists() and not (out / "data/basemap.svg").exists()
    assert soup(out / "en/index.html").select_one('.site-nav a[href$="map/index.html"]') is None
    assert soup(out / "en/incidents/2021-01-siege/index.html").select_one("figure.map") is None


def test_the_map_is_in_the_navigation(site: Path) -> None:
    link = soup(site / "ar/index.html").select_one('.site-nav a[href="../ar/map/index.html"]')
    assert link is not None and link.get_text() == "الخريطة"


# The site's own base map --------------------------------------------------------------

CITY = {"type": "FeatureCollection", "attribution": "City plan: Example Survey",
        "features": [{"type": "Feature", "properties": {},
                      "geometry": {"type": "Polygon", "coordinates": [
                          [[40.70, 36.45], [40.80, 36.45], [40.80, 36.55], [40.70, 36.55], [40.70, 36.45]]]}},
                     {"type": "Feature", "properties": {},
                      "geometry": {"type": "LineString", "coordinates": [[40.6, 36.5], [40.9, 36.5]]}}]}


def test_a_site_basemap_replaces_natural_earth(make_site: MakeSite) -> None:
    root = make_site({"content/places.yaml": PLACES, **INCIDENTS,
                      "maps/city.geojson": json.dumps(CITY)}, config=CONFIG + "basemap: maps/city.geojson\n")
    out = built(root)
    basemap = (out / "data/basemap.svg").read_text(encoding="utf-8")
    paths = re.findall(r'<path(?: class="land")? d="([^"]+)"', basemap)
    assert len(paths) == 2 and paths[0].count("z") == 1 and "z" not in paths[1]
    credit = soup(out / "en/map/index.html").select_one(".map-credit").get_text(" ", strip=True)
    assert credit == "Base map: City plan: Example Survey"
    default = built(make_site({"content/places.yaml": PLACES, **INCIDENTS}, config=CONFIG))
    assert (default / "data/basemap.svg").read_text(encoding="utf-8") != basemap


@pytest.mark.parametrize(("file", "expected"), [
    (None, "config.yaml:9: error: basemap file 'maps/region.geojson' does not exist"),
    ("{not json", "config.yaml:9: error: basemap 'maps/region.geojson' is not JSON (line 1: "
     "Expecting property name enclosed in double quotes); give a GeoJSON file of Polygon, "
     "MultiPolygon or LineString outlines"),
    ('{"type": "Point", "coordinates": [40, 36]}',
     "config.yaml:9: error: basemap 'maps/region.geojson' holds a Point geometry; a base map may hold "
     "Polygon, MultiPolygon, LineString, MultiLineString; give a GeoJSON file of Polygon, "
     "MultiPolygon or LineString outlines"),
    ('{"type": "FeatureCollection", "features": []}',
     "config.yaml:9: error: basemap 'maps/region.geojson' holds no Polygon, MultiPolygon or "
     "LineString geometry; give a GeoJSON file of Polygon, MultiPolygon or LineString outlines"),
    ('{"type": "LineString", "coordinates": [[40, "north"]]}',
     "config.yaml:9: error: basemap 'maps/region.geojson' has a LineString with a position that is not "
     "[longitude, latitude]; give a GeoJSON file of Polygon, MultiPolygon or LineString outlines"),
])
def test_a_bad_basemap_is_reported_at_its_line(make_site: MakeSite, file: str | None, expected: str) -> None:
    root = make_site({"maps/region.geojson": file}, config=CONFIG + "basemap: maps/region.geojson\n")
    assert check_site(root) == [expected]


# Size ---------------------------------------------------------------------------------

SYLLABLES = ("قا", "مش", "لي", "رة", "حس", "كة", "تل", "عين", "دير", "بو", "كم", "رأس", "من", "بج")
LATIN = ("qa", "mish", "li", "ra", "has", "ka", "tal", "ain", "deir", "bu", "kam", "ras", "man", "bij")


def archive_of(places: int, incidents: int) -> dict[str, str]:
    """`places` places with coordinates over Syria, named like the benchmark's,
    and `incidents` incidents spread over them unevenly; half of them also
    happened at place-0, whose page maps nearly every place."""
    entries, files = [], {}
    for n in range(places):
        parts = [(n * 7 + k * 3) % len(SYLLABLES) for k in range(2 + n % 2)]
        ar, en = "".join(SYLLABLES[p] for p in parts), "".join(LATIN[p] for p in parts).title()
        lat, lon = 32.4 + (n * 0.6180339) % 1 * 4.8, 35.8 + (n * 0.7548776) % 1 * 6.5
        entries.append(f"place-{n}:\n  name: {{ar: {ar}{n}, en: {en} {n}}}\n"
                       f"  lat: {lat:.4f}\n  lon: {lon:.4f}\n")
    for n in range(incidents):
        place = f"place-{(n * n) % places if n % 3 else n % places}" + (", place-0" if n % 2 else "")
        files[f"content/incidents/2021/i-{n}.ar.md"] = (
            f"---\ntitle: واقعة {n}\ndate: 2021-{n % 12 + 1:02d}-{n % 28 + 1:02d}\ntype: protest\n"
            f"places: [{place}]\nsources:\n  - url: https://example.com/{n}\n    publisher: X\n---\nنص.\n")
    files["content/places.yaml"] = "\n".join(entries)
    return files


def test_a_map_of_400_places_stays_within_40_kb(make_site: MakeSite) -> None:
    out = built(make_site(archive_of(400, 1200), basic=False))
    for lang in ("ar", "en"):
        html = (out / lang / "map/index.html").read_text(encoding="utf-8")
        svg = html[html.index("<svg"):html.index("</svg>") + 6].encode()
        assert len(markers(svg_of(BeautifulSoup(html, "html.parser")))) == 400
        assert len(svg) <= 40 * 1024, (lang, len(svg))
        assert len(html.encode()) <= 300 * 1024
        html = (out / lang / "places/place-0/index.html").read_text(encoding="utf-8")
        page = BeautifulSoup(html, "html.parser")
        assert len(markers(svg_of(page), f"{lang}/places/place-0/index.html")) > 150
        assert len(html[html.index("<svg"):html.index("</svg>") + 6].encode()) <= 40 * 1024, lang
    assert (out / "data/basemap.svg").stat().st_size <= 40 * 1024
    incident_page = (out / "ar/incidents/i-7/index.html").read_text(encoding="utf-8")
    assert len(incident_page[incident_page.index("<svg"):incident_page.index("</svg>")].encode()) <= 8 * 1024


# The script that makes the base map ------------------------------------------------------


def test_the_basemap_script_decodes_and_clips_topojson(tmp_path: Path) -> None:
    """A square country of four delta-encoded arcs, half inside the region."""
    topology = {"type": "Topology", "transform": {"scale": [0.01, 0.01], "translate": [30, 30]},
                "arcs": [[[0, 0], [1000, 0]], [[1000, 0], [0, 1000]], [[1000, 1000], [-1000, 0]],
                         [[0, 1000], [0, -1000]]],
                "objects": {"countries": {"type": "GeometryCollection", "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1, 2, 3]], "properties": {"name": "Square"}}]}}}
    atlas = tmp_path / "countries-50m.json"
    atlas.write_text(json.dumps(topology), encoding="utf-8")
    out = tmp_path / "region.geojson"
    subprocess.run([sys.executable, str(PROJECT / "tools/basemap.py"), "--atlas", str(atlas),
                    "--bbox", "35,25,45,45", "--out", str(out)], check=True, capture_output=True)
    collection = json.loads(out.read_text(encoding="utf-8"))
    assert collection["attribution"] == "Made with Natural Earth"
    (feature,) = collection["features"]
    ring = feature["geometry"]["coordinates"][0][0]
    assert feature["properties"]["name"] == "Square"
    assert sorted({tuple(p) for p in ring}) == [(35, 30), (35, 40), (40, 30), (40, 40)]


def test_the_shipped_basemap_is_natural_earth_around_syria() -> None:
    collection = json.loads((PROJECT / "waqai/basemap/natural-earth.geojson").read_text(encoding="utf-8"))
    assert collection["attribution"] == "Made with Natural Earth"
    assert "Syria" in {f["properties"]["name"] for f in collection["features"]}
    assert collection["bbox"] == [33.0, 30.0, 45.0, 40.0]


@given(st.integers(0, 800), st.integers(0, 600), st.sampled_from([maps.DOT, 3.0, 4.5, 18.0]),
       st.sampled_from([maps.FONT, maps.PHONE_FONT]), st.text(min_size=1, max_size=40))
def test_a_labels_reach_holds_all_four_of_its_spots(x: int, y: int, r: float, font: float,
                                                    name: str) -> None:
    # Labels look for obstacles only within this box: a spot outside it
    # could overlap a label or a marker unseen.
    marker = maps.Marker("here", x, y, r, 1, False)
    boxes = [maps._spot_box(spot, name, font) for spot in maps._spots(marker, font)]
    left, top, right, bottom = maps._reach(boxes)
    assert left == min(b[0] for b in boxes) and top == min(b[1] for b in boxes)
    assert right == max(b[2] for b in boxes) and bottom == max(b[3] for b in boxes)
