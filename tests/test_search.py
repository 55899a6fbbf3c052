"""Search: Arabic normalisation (cases in data/arabic_normalization.txt), search
terms with and without prefixes, each language's index and its page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import REGISTRIES, MakeSite, build_site, built, soup

from waqai.search import normalize, stems, tokens

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


def read_index(path: Path) -> dict[str, Any]:
    """The data that a search-index.js file sets."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("window.WAQAI_SEARCH = ") and text.endswith(";\n")
    data: dict[str, Any] = json.loads(text.removeprefix("window.WAQAI_SEARCH = ").removesuffix(";\n"))
    return data


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    return built(make_site(EXTRA))


def test_index_lists_every_incident_in_the_language(site: Path) -> None:
    data = read_index(site / "en" / "search-index.js")
    assert data["lang"] == "en"
    protest, siege, hostile = (data["records"][i] for i in (1, 0, 2))
    assert [r["path"] for r in data["records"]] == [
        "en/incidents/2021-01-siege/index.html", "en/incidents/2021-01-27-protest/index.html",
        "en/incidents/2021-01-28-hostile/index.html"]
    assert protest == {
        "path": "en/incidents/2021-01-27-protest/index.html", "lang": "en", "dir": "ltr",
        "title": "Protest on Palestine Street", "summary": "Dozens protested.",
        "date": "January 27, 2021", "datetime": "2021-01-27T12:30+02:00", "type": "Protest",
        "places": ["Hasakah", "Hasakah Governorate"], "actors": ["Asayish"],
        "tags": ["Security square"],
        "title_terms": "protest on palestine street",
        "terms": "protest on palestine street dozens protested hasakah hasaka الحسكه حسكه "
                 "governorate asayish security square",
    }
    assert (siege["lang"], siege["dir"], siege["title"]) == ("ar", "rtl", "حصار المربع الأمني")
    assert siege["date"] == "January 2021 – February 2021"
    assert siege["places"] == ["Qamishli", "Hasakah Governorate"]
    assert siege["terms"] == "حصار المربع مربع الامني امني qamishli hasakah governorate siege"
    assert hostile["title"] == HOSTILE


def test_arabic_index_is_normalised_for_arabic_queries(site: Path) -> None:
    data = read_index(site / "ar" / "search-index.js")
    protest = data["records"][1]
    assert protest["title"] == "تظاهرة في شارع فلسطين"
    assert protest["date"] == "27 كانون الثاني 2021"
    assert protest["places"] == ["الحسكة", "محافظة الحسكة"]
    terms = protest["terms"].split()
    assert {"تظاهره", "الحسكه", "حسكه", "محافظه", "الاسايش", "اسايش", "مربع", "hasaka"} <= set(terms)
    assert len(terms) == len(set(terms))


def test_index_text_cannot_close_a_script_element(site: Path) -> None:
    raw = (site / "en" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "\\u003c/script\\u003e" in raw


def test_index_is_the_same_on_every_build(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site(EXTRA)
    first, _ = build_site(root, tmp_path / "one")
    second, _ = build_site(root, tmp_path / "two")
    for lang in ("ar", "en"):
        assert (first / lang / "search-index.js").read_bytes() == \
            (second / lang / "search-index.js").read_bytes()


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
    assert scripts == [(f"../../{lang}/search-index.js", True, None),
                       ("../../static/normalize.js", True, None),
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
