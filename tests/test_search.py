"""Search: Arabic normalisation (cases in data/arabic_normalization.txt), search
terms with and without prefixes, each language's index and its page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REGISTRIES, MakeSite, build_site, built, sent_positions, soup

from waqai.search import normalize, positions_data, stems, tokens

DATA = Path(__file__).parent / "data" / "arabic_normalization.txt"


def read_cases(path: Path) -> list[dict[str, str]]:
    """Blocks of `key: value` lines separated by blank lines; '#' starts a comment."""
    cases = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        if lines:
            cases.append(dict(line.split(": ", 1) for line in lines))
    return cases


CASES = read_cases(DATA)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_normalize(case: dict[str, str]) -> None:
    assert normalize(case["input"]) == case["expected"]


@pytest.mark.parametrize(("word", "expected"), [
    ("الحسكه", ["الحسكه", "حسكه"]),
    ("والحسكه", ["والحسكه", "حسكه"]),
    ("بالحسكه", ["بالحسكه", "حسكه"]),
    ("فالحسكه", ["فالحسكه", "حسكه"]),
    ("كالحسكه", ["كالحسكه", "حسكه"]),
    ("للحسكه", ["للحسكه", "حسكه"]),
    ("الاسايش", ["الاسايش", "اسايش"]),
    ("وحلب", ["وحلب", "حلب"]),
    ("بحلب", ["بحلب", "حلب"]),
    ("ولد", ["ولد"]),          # a one-letter prefix needs three letters after it
    ("الم", ["الم"]),          # the article needs two
    ("ال", ["ال"]),
    ("hasakah", ["hasakah"]),
])
def test_stems_keep_the_word_and_drop_one_prefix(word: str, expected: list[str]) -> None:
    assert stems(word) == expected


def test_tokens_normalise_then_add_the_stems_once() -> None:
    assert tokens("والحَسَكة في الحسكة، وحلب") == ["والحسكه", "حسكه", "في", "الحسكه", "وحلب", "حلب"]
    assert tokens("") == []


HOSTILE = "</script><script>alert(1)</script> & <b>"
PLACES = REGISTRIES["content/places.yaml"].replace(
    "          lat: 36.5\n", "          lat: 36.5\n          aliases: [Hasaka, الحسكه]\n")
EXTRA = {
    "content/places.yaml": PLACES,
    "content/incidents/2021/2021-01-28-hostile.en.md": f"""\
        ---
        title: "{HOSTILE}"
        date: 2021-01-28
        type: protest
        places: [hasakah]
        sources:
          - url: https://example.org/
            publisher: Example
        ---
        Body.
        """,
}


def read_data(path: Path) -> Any:
    """The data that one of the site's data scripts sets."""
    text = path.read_text(encoding="utf-8")
    name, _, rest = text.partition("]=")
    assert name.startswith("(window.WAQAI_DATA=window.WAQAI_DATA||{})[") and rest.endswith(";\n")
    return json.loads(rest.removesuffix(";\n"))


Positions = dict[str, set[int]]


def read_index(site: Path, lang: str) -> tuple[list[dict[str, str]], Positions, Positions]:
    """A language's search data put together again: the records, and for each
    term the positions of the incidents it finds, and of those with it in their title."""
    folder = site / lang / "search"
    manifest = read_data(folder / "manifest.js")
    records = [record for n in range(len(list((folder / "records").iterdir())))
               for record in read_data(folder / "records" / f"{n}.js")]
    assert len(records) == manifest["count"]
    found: dict[str, set[int]] = {}
    titled: dict[str, set[int]] = {}
    for n, first in enumerate(manifest["firsts"]):
        shard = read_data(folder / "terms" / f"{n}.js")
        for term, (every, in_title) in shard.items():
            assert term not in found, "a term is in one shard only"
            assert term >= first, "a shard holds the terms from its first on"
            found[term] = set(sent_positions(every))
            titled[term] = set(sent_positions(in_title))
    return records, found, titled


def terms_of(found: dict[str, set[int]], position: int) -> set[str]:
    return {term for term, positions in found.items() if position in positions}


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return built(make_site(EXTRA))


def test_index_lists_every_incident_in_the_language(site: Path) -> None:
    records, found, titled = read_index(site, "en")
    protest, siege, hostile = (records[i] for i in (1, 0, 2))
    assert [r["path"] for r in records] == [
        "en/incidents/2021-01-siege/index.html", "en/incidents/2021-01-27-protest/index.html",
        "en/incidents/2021-01-28-hostile/index.html"]
    assert protest == {
        "path": "en/incidents/2021-01-27-protest/index.html",
        "title": "Protest on Palestine Street", "summary": "Dozens protested.",
        "date": "January 27, 2021", "datetime": "2021-01-27T12:30+02:00", "type": "Protest",
    }
    # its own words, its places (and the larger ones) in every language with their
    # aliases, its actors and tags, and its date as readers write it
    assert terms_of(found, 1) >= {
        "protest", "palestine", "street", "dozens", "protested", "hasakah", "hasaka", "الحسكه",
        "حسكه", "governorate", "محافظه", "asayish", "اسايش", "security", "square", "27", "january",
        "كانون", "الثاني", "ثاني", "يناير", "2021"}
    assert terms_of(titled, 1) == {"protest", "on", "palestine", "street"}
    assert (siege["lang"], siege["dir"], siege["title"]) == ("ar", "rtl", "حصار المربع الأمني")
    assert siege["date"] == "January 2021 – February 2021"
    assert {"حصار", "مربع", "امني", "qamishli", "القامشلي", "siege", "january", "february", "شباط"} \
        <= terms_of(found, 0)
    assert "27" not in terms_of(found, 0)
    assert hostile["title"] == HOSTILE


def test_arabic_index_is_normalised_for_arabic_queries(site: Path) -> None:
    records, found, _ = read_index(site, "ar")
    protest = records[1]
    assert protest["title"] == "تظاهرة في شارع فلسطين"
    assert protest["date"] == "27 كانون الثاني 2021"
    assert {"تظاهره", "الحسكه", "حسكه", "محافظه", "الاسايش", "اسايش", "مربع", "hasaka"} \
        <= terms_of(found, 1)
    assert all(term == normalize(term) for term in found)


def test_index_text_cannot_close_a_script_element(site: Path) -> None:
    for path in (site / "en" / "search").rglob("*.js"):
        raw = path.read_text(encoding="utf-8")
        assert "<" not in raw and ">" not in raw and "&" not in raw
    raw = (site / "en" / "search" / "records" / "0.js").read_text(encoding="utf-8")
    assert "\\u003c/script\\u003e" in raw


def test_positions_are_sent_as_a_bitmap_where_that_is_shorter() -> None:
    """A word most incidents have is sent as a bitmap, a rare one as the
    differences between its positions; both give the same positions back."""
    common = list(range(0, 10_000, 2))
    rare = [5, 900, 4_000]
    sent = positions_data(common)
    assert isinstance(sent, str)
    assert len(sent) < 2_000  # its 5,000 differences would take 10,000 characters
    assert sent_positions(sent) == common
    assert positions_data(rare) == [5, 895, 3_100]
    year = list(range(20_000, 25_000))  # a year's filter: one run, late in the chronology
    assert positions_data(year) == "2500:" + "/" * 833 + "w=="  # 625 bytes, all bits set
    for positions in ([], [0], [7], [8], [0, 7, 8, 15, 16], list(range(64)), list(range(3, 900, 3)),
                      [8, 9, 10, 12], list(range(4_001, 4_100))):
        assert sent_positions(positions_data(positions)) == positions
        assert len(json.dumps(positions_data(positions))) <= len(json.dumps(
            [b - a for a, b in zip([0, *positions], positions, strict=False)]))


def test_index_is_the_same_on_every_build(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(EXTRA)
    first, _ = build_site(root, tmp_path / "one")
    second, _ = build_site(root, tmp_path / "two")
    for lang in ("ar", "en"):
        files = sorted(path.relative_to(first) for path in (first / lang / "search").rglob("*.js"))
        assert len(files) >= 3
        for path in files:
            assert (first / path).read_bytes() == (second / path).read_bytes()


@pytest.mark.parametrize(("lang", "other"), [("ar", "en"), ("en", "ar")])
def test_search_page(site: Path, lang: str, other: str) -> None:
    page = soup(site / lang / "search" / "index.html")
    form = page.select_one('form[role="search"]')
    assert form is not None
    field = form.select_one('input[type="search"][name="q"]')
    assert field is not None
    assert form.select_one(f'label[for="{field["id"]}"]') is not None
    assert page.select_one("ol.search-results") is not None
    assert page.select_one('[role="status"]')["aria-live"] == "polite"  # type: ignore[index]
    scripts = [(s.get("src"), s.has_attr("defer"), s.string) for s in page.select("script")]
    assert scripts == [(f"../../{lang}/search/manifest.js", True, None),
                       ("../../static/waqai.js", True, None),
                       ("../../static/search.js", True, None)]
    note = page.select_one("[data-search-note]")
    assert note is not None
    assert [a["href"] for a in note.select("a")][:2] == [f"../../{lang}/index.html",
                                                         f"../../{lang}/actors/index.html"]
    alternates = {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}
    assert alternates[other] == f"https://example.org/chronology/{other}/search/"
    assert alternates[lang] == f"https://example.org/chronology/{lang}/search/"


def test_every_page_links_its_search_page(site: Path) -> None:
    for path, target in (("ar/index.html", "../ar/search/index.html"),
                         ("en/incidents/2021-01-27-protest/index.html", "../../../en/search/index.html")):
        nav = soup(site / path).select_one(".site-nav")
        assert nav is not None
        assert target in [a["href"] for a in nav.select("a")]
