"""The timeline's overview chart, read from the built SVG: bars equal the
counts of the content, stacked by type; spans cover their months; time runs
in the reading direction; every bar links to a page that exists; type
colours; verification on cards and in the chart's table; its size."""

from __future__ import annotations

import dataclasses
import math
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import CONFIG, MakeSite, built, check_site, config_of, soup

from waqai import commands, routes
from waqai.i18n import load_translations
from waqai.model import Entry
from waqai.palette import DARK, LIGHT, PALETTE, contrast, mix, type_colors
from waqai.render import Renderer

PROJECT = Path(__file__).resolve().parent.parent

# id, date, type, verification, more front matter
SPECS = [
    ("2021-01-05-sit-in", "2021-01-05", "protest", "verified", ""),
    ("2021-01-12-siege", "2021-01-12", "siege", "reported", "end_date: 2021-03-04\n"),
    ("2021-01-20-march", "2021-01-20", "protest", "reported", ""),
    ("2021-03-02-blockade", "2021-03-02", "siege", "disputed", ""),
    ("2021-03-strike", "2021-03", "protest", "reported", ""),
    ("2021-petition", "2021", "protest", "reported", ""),
    ("2022-02-10-rally", "2022-02-10", "protest", "reported", ""),
]
METHODOLOGY = "---\ntitle: Methodology\n---\nHow incidents are checked.\n"


def incident_files(specs: list[tuple[str, str, str, str, str]]) -> dict[str, str | None]:
    """An Arabic original and an English translation per spec."""
    files: dict[str, str | None] = {}
    for id_, date, type_, verification, more in specs:
        folder = f"content/incidents/{date[:4]}"
        files[f"{folder}/{id_}.ar.md"] = (
            f"---\ntitle: واقعة {id_}\ndate: {date}\n{more}type: {type_}\nplaces: [hasakah]\n"
            f"verification: {verification}\nsources:\n  - url: https://example.com/{id_}\n"
            f"    publisher: Example\n---\nنص.\n")
        files[f"{folder}/{id_}.en.md"] = f"---\ntitle: Incident {id_}\n---\nText.\n"
    return files


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    """The built site of SPECS, with a methodology page."""
    return built(make_site({**incident_files(SPECS), "content/pages/methodology.en.md": METHODOLOGY},
                           basic=False))


# Reading the SVG ---------------------------------------------------------------


def chart(page: BeautifulSoup) -> Tag:
    found = page.select_one("figure.chart svg")
    assert found is not None, "the page has no chart"
    return found


def transform(group: Tag) -> tuple[float, float, float, float]:
    """(tx, ty, sx, sy) of `translate(tx ty) scale(sx sy)`."""
    numbers = re.fullmatch(r"translate\((\S+) (\S+)\) scale\((\S+) (\S+)\)", str(group["transform"]))
    assert numbers is not None
    tx, ty, sx, sy = (float(n) for n in numbers.groups())
    return tx, ty, sx, sy


def tops(d: str, slots: int) -> list[float]:
    """The height of a bars' shape over each slot: where its outline runs
    across (above the baseline) over the slot's middle."""
    x = y = 0.0
    runs = []
    for command, number in re.findall(r"([MVHhvz])([-\d.]*)", d):
        value = float(number) if number else 0.0
        if command == "M":
            x, y = value, 0.0  # every shape starts from the baseline: "M<x> 0"
        elif command == "V":
            y = value
        elif command in "Hh":
            end = value if command == "H" else x + value
            runs.append((x, end, y))
            x = end
    return [next((h for a, b, h in runs if a < i + 0.5 < b), 0.0) for i in range(slots)]


def counts_by_type(svg: Tag, key: list[str], slots: int) -> dict[str, list[int]]:
    """Each type's own count per bar: its shape's height less the one under it."""
    heights = {str(p["class"][0]).removeprefix("type-"): tops(str(p["d"]), slots)
               for p in svg.select(".chart-bars path")}
    below = [0.0] * slots
    found = {}
    for type_id in key:
        top = heights.get(type_id, below)
        found[type_id] = [round(t - b) for t, b in zip(top, below, strict=True)]
        below = top
    return found


def hits(svg: Tag) -> list[tuple[int, str, str, float]]:
    """Every bar's link: (bar number, href, title, x of its middle on the page)."""
    group = svg.select_one(".chart-hit")
    assert group is not None
    tx, _, sx, _ = transform(group)
    found = []
    for link in group.select("a"):
        number = int(re.match(r"M(\d+) 0v", str(link.path["d"])).group(1))  # type: ignore[index,union-attr]
        found.append((number, str(link["href"]), link.title.get_text(), tx + sx * number))  # type: ignore[union-attr]
    return found


def key_of(page: BeautifulSoup) -> list[str]:
    return [str(li["class"][0]).removeprefix("type-") for li in page.select(".chart-key li[class^=type-]")]


def resolve(page_path: Path, href: str) -> tuple[Path, str]:
    """The file a link of a page leads to, and its fragment."""
    target, fragment = urldefrag(href)
    return (page_path.parent / target).resolve(), fragment


def expected_months(specs: list[tuple[str, str, str, str, str]]) -> Counter[tuple[str, str]]:
    """(YYYY-MM, type) -> incidents that began then, for dates with a month."""
    return Counter((date[:7], type_) for _, date, type_, _, _ in specs if len(date) >= 7)


# Bars ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_home_bars_are_the_months_counts_stacked_by_type(site: Path, lang: str) -> None:
    page = soup(site / lang / "index.html")
    svg = chart(page)
    months = [f"{2021 + n // 12}-{n % 12 + 1:02d}" for n in range(14)]  # January 2021 to February 2022
    key = key_of(page)
    assert key == ["protest", "siege"]
    found = counts_by_type(svg, key, len(months))
    expected = expected_months(SPECS)
    assert found == {t: [expected[(m, t)] for m in months] for t in key}
    totals = {number: title for number, _, title, _ in hits(svg)}
    assert sorted(totals) == [n for n, m in enumerate(months) if any(expected[(m, t)] for t in key)]
    for number, title in totals.items():
        count = sum(expected[(months[number], t)] for t in key)
        assert title.endswith(f": {count}"), title


def test_bars_link_to_pages_that_exist(site: Path) -> None:
    pages = [site / lang / path for lang in ("en", "ar") for path in ("index.html", "2021/index.html")]
    for page_path in pages:
        for _, href, _, _ in hits(chart(soup(page_path))):
            target, fragment = resolve(page_path, href)
            assert target.is_file(), href
            if fragment:
                assert soup(target).find(id=fragment) is not None, href


@pytest.mark.parametrize(("lang", "is_rtl"), [("en", False), ("ar", True)])
def test_time_runs_in_the_reading_direction(site: Path, lang: str, is_rtl: bool) -> None:
    for path in ("index.html", "2021/index.html"):
        places = [x for _, _, _, x in sorted(hits(chart(soup(site / lang / path))))]
        assert len(places) >= 2
        assert places == sorted(places, reverse=is_rtl), (lang, path)
    labels = chart(soup(site / lang / "2021" / "index.html")).select(".chart-label")
    assert len(labels) == 12
    january, december = (float(str(label.get("x") or label.tspan["x"])) for label in (labels[0], labels[-1]))  # type: ignore[index]
    assert (january > december) if is_rtl else (january < december)


def test_year_chart_has_every_month_and_names_them_in_the_page_language(site: Path) -> None:
    for lang, january in (("en", "Jan"), ("ar", "كانون الثاني")):
        svg = chart(soup(site / lang / "2021" / "index.html"))
        assert svg.select(".chart-label")[0].get_text(" ").startswith(january)
        found = counts_by_type(svg, ["protest", "siege"], 12)
        expected = expected_months([s for s in SPECS if s[1].startswith("2021")])
        months = [f"2021-{m:02d}" for m in range(1, 13)]
        assert found == {t: [expected[(m, t)] for m in months] for t in ("protest", "siege")}


def test_month_of_a_large_year_has_week_bars(make_site: MakeSite) -> None:
    out = built(make_site(incident_files(SPECS), config=CONFIG + "page_size: 2\n", basic=False))
    page_path = out / "en" / "2021" / "01" / "index.html"
    page = soup(page_path)
    svg = chart(page)
    weeks = Counter((int(date[8:]) + 6) // 7 for _, date, _, _, _ in SPECS if date.startswith("2021-01-"))
    found = {number: title for number, _, title, _ in hits(svg)}
    assert {n + 1: int(title.rsplit(": ", 1)[1]) for n, title in found.items()} == weeks
    assert len(svg.select(".chart-label")) == 5  # days 1-7 ... 29-31
    for number, href, _, _ in hits(svg):
        target, _ = resolve(page_path, href)
        assert target.is_file(), href
        first = min(id_ for id_, date, _, _, _ in SPECS
                    if date.startswith("2021-01-") and (int(date[8:]) + 6) // 7 == number + 1)
        listed = [str(a["href"]) for a in soup(target).select(".timeline-month .event-title a")]
        assert any(f"/incidents/{first}/" in link for link in listed), (number, href)


# Spans ---------------------------------------------------------------------------


def test_a_lasting_incident_is_a_span_over_its_months(site: Path) -> None:
    for lang in ("en", "ar"):
        page_path = site / lang / "index.html"
        svg = chart(soup(page_path))
        spans = svg.select(".chart-spans a")
        assert len(spans) == 1
        target, _ = resolve(page_path, str(spans[0]["href"]))
        assert target == (site / lang / "incidents" / "2021-01-12-siege" / "index.html").resolve()
        start, end = (float(n) for n in re.findall(r"[\d.]+", str(spans[0].path["d"]))[::2])  # type: ignore[index]
        assert (math.floor(start), math.ceil(end) - 1) == (0, 2)  # January to March 2021
        assert start == pytest.approx(11 / 31, abs=1e-3)  # from the 12th
        assert end == pytest.approx(2 + 4 / 31, abs=1e-3)  # to the end of the 4th
    rows = soup(site / "en" / "index.html").select(".chart-figures table")[1].select("tbody tr")
    assert [row.get_text(" ", strip=True) for row in rows] == [
        "Incident 2021-01-12-siege Siege January 12, 2021 – March 4, 2021"]


def test_an_ongoing_incident_runs_to_its_latest_source(make_site: MakeSite) -> None:
    specs = [("2021-01-12-siege", "2021-01-12", "siege", "reported", "ongoing: true\n"),
             ("2021-06-01-rally", "2021-06-01", "protest", "reported", "")]
    files = incident_files(specs)
    path = "content/incidents/2021/2021-01-12-siege.ar.md"
    files[path] = str(files[path]).replace("    publisher: Example\n",
                                           "    publisher: Example\n    date: 2021-02-20\n")
    out = built(make_site(files, basic=False))
    svg = chart(soup(out / "en" / "index.html"))
    start, end = (float(n) for n in re.findall(r"[\d.]+", str(svg.select_one(".chart-spans path")["d"]))[::2])  # type: ignore[index]
    assert (math.floor(start), math.ceil(end) - 1) == (0, 1)  # January to February, not June
    assert "ongoing as of February 20, 2021" in svg.select_one(".chart-spans title").get_text()  # type: ignore[union-attr]


# Colours -------------------------------------------------------------------------


def test_type_colours_come_from_types_yaml_and_the_palette(make_site: MakeSite) -> None:
    types = """\
        protest:
          name: {ar: احتجاج, en: Protest}
          color: "#123456"
        siege:
          name: {ar: حصار, en: Siege}
        """
    out = built(make_site({**incident_files(SPECS), "content/types.yaml": types}, basic=False))
    css = (out / "static" / "types.css").read_text(encoding="utf-8")
    light = css.split("@media")[0]
    assert ".type-protest{--type:#123456}" in light
    assert f".type-siege{{--type:{PALETTE[0][0]}}}" in light
    page = soup(out / "en" / "index.html")
    fills = {str(p["class"][0]): p["fill"] for p in chart(page).select(".chart-bars path")}
    assert fills == {"type-protest": "#123456", "type-siege": PALETTE[0][0]}
    assert 'href="../static/types.css"' in (out / "en" / "index.html").read_text(encoding="utf-8")
    assert page.select_one("li.event.type-siege") is not None


def test_every_type_gets_a_distinct_readable_colour_in_both_schemes() -> None:
    entries = {f"type-{n}": Entry(f"type-{n}", {"en": f"Type {n}"}, {}) for n in range(40)}
    entries["own"] = Entry("own", {"en": "Own"}, {}, color="#ffd700")  # too light for text
    colors = type_colors(entries)
    assert len({c.light for c in colors.values()}) == len(colors)
    assert len({c.dark for c in colors.values()}) == len(colors)
    for scheme, backgrounds, tint in (("light", LIGHT, 0.13), ("dark", DARK, 0.18)):
        for type_id, color in colors.items():
            value = getattr(color, scheme)
            for background in (*backgrounds, mix(value, backgrounds[0], tint)):
                assert contrast(value, background) >= 4.5, (type_id, scheme, value, background)


@pytest.mark.parametrize(("line", "expected"), [
    ("  color: red\n", "content/types.yaml:3: error: 'protest.color' must be a colour such as \"#8a5500\", "
     "not 'red'; write it as \"#\" and six hexadecimal digits (red, green, blue), in quotes"),
    ("  color: #8a5500\n", "content/types.yaml:3: error: 'protest.color' is empty; quote the colour: "
     "color: \"#8a5500\" (after an unquoted # YAML sees a comment)"),
    ('  color: "#12345g"\n', "content/types.yaml:3: error: 'protest.color' must be a colour such as "
     "\"#8a5500\", not '#12345g'; write it as \"#\" and six hexadecimal digits (red, green, blue), "
     "in quotes"),
], ids=["name", "unquoted", "not-hexadecimal"])
def test_a_bad_colour_is_reported_at_its_line(make_site: MakeSite, line: str, expected: str) -> None:
    types = "protest:\n  name: {ar: احتجاج, en: Protest}\n" + line + "siege:\n  name: {ar: حصار, en: Siege}\n"
    assert check_site(make_site({"content/types.yaml": types})) == [expected]


def test_two_types_of_one_colour_are_a_warning(make_site: MakeSite) -> None:
    types = ('protest:\n  name: {ar: احتجاج, en: Protest}\n  color: "#8A5500"\n'
             'siege:\n  name: {ar: حصار, en: Siege}\n  color: "#8a5500"\n')
    assert check_site(make_site({"content/types.yaml": types})) == [
        "content/types.yaml:6: warning: type 'siege' has the colour of type 'protest' (#8a5500); "
        "give each type a colour of its own, or leave 'color' out"]


# Verification --------------------------------------------------------------------


def test_cards_show_their_verification_in_the_page_language(site: Path) -> None:
    arabic = load_translations(PROJECT / "locales", "ar").gettext
    for lang, word in (("en", lambda text: text), ("ar", arabic)):
        page = soup(site / lang / "2021" / "index.html")
        for id_, _, _, verification, _ in SPECS[:6]:
            card = next(li for li in page.select("li.event") if id_ in str(li.select_one(".event-title a")))
            badge = card.select_one(".verification-badge")
            assert badge is not None and badge.get_text() == word(verification.capitalize())
            assert ("is-disputed" in card["class"]) == (verification == "disputed")
    term = soup(site / "en" / "types" / "siege" / "index.html")
    assert [li.select_one(".event-title a").get_text() for li in term.select("li.event.is-disputed")] == [  # type: ignore[union-attr]
        "Incident 2021-03-02-blockade"]


def test_the_chart_table_counts_verification_and_the_key_links_the_methodology(site: Path) -> None:
    page = soup(site / "en" / "2021" / "index.html")
    table = page.select_one(".chart-figures table")
    assert table is not None
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    assert heads == ["Month", "All", "Protest", "Siege", "Verified", "Reported", "Disputed"]
    rows = {row.th.get_text(strip=True): [td.get_text() for td in row.select("td")]  # type: ignore[union-attr]
            for row in table.select("tbody tr")}
    for month, name in (("2021-01", "January 2021"), ("2021-03", "March 2021")):
        of_month = [s for s in SPECS if s[1].startswith(month)]
        levels = Counter(s[3] for s in of_month)
        types = Counter(s[2] for s in of_month)
        assert rows[name] == [str(len(of_month)), str(types["protest"]), str(types["siege"]),
                              str(levels["verified"]), str(levels["reported"]), str(levels["disputed"])]
    assert rows["2021, month not known"] == ["1", "1", "0", "0", "1", "0"]
    link = page.select_one(".verification-key a")
    assert link is not None and link["href"] == "../../en/methodology/index.html"


# Size ----------------------------------------------------------------------------


def test_the_chart_stays_within_its_budget_on_a_large_archive(tmp_path: Path) -> None:
    """The home's chart covers the whole archive; its size depends on the
    months and types it draws, not on the number of incidents (the bench
    corpus spans 14 years of 8 types whatever its size)."""
    generate = PROJECT / "bench" / "generate.py"
    subprocess.run([sys.executable, str(generate), "1500", str(tmp_path)], check=True)
    config = dataclasses.replace(config_of(tmp_path), digits="arab")
    model, problems = commands.model(config)
    assert model is not None, [str(p) for p in problems]
    renderer = Renderer(model)
    years = [routes.year(lang, y.year) for y in model.years for lang in ("ar", "en")]
    for route in [routes.home("ar"), routes.home("en"), *years]:
        html = renderer.render(route).decode()
        svg = re.search(r"<svg class=\"chart-svg\".*?</svg>", html, re.S)
        assert svg is not None, route.path
        assert len(svg.group(0).encode()) <= 30_000, route.path
    home = soup_of(renderer.render(routes.home("ar")))
    assert len(home.select(".chart-hit a")) > 150  # a bar per month, over 14 years


def soup_of(html: bytes) -> BeautifulSoup:
    return BeautifulSoup(html.decode(), "html.parser")
