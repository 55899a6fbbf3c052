"""Actor, place, type and tag pages; filters; previous and next; suggestions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MakeSite, build_site, check_site, sent_positions, soup

MORE = {
    "content/incidents/2021/2021-01-28-qamishli-protest.en.md": """\
        ---
        title: Protest in Qamishli
        date: 2021-01-28
        type: protest
        places: [qamishli]
        actors: [asayish]
        sources: [{url: "https://e.org/", publisher: E}]
        ---
        """,
}


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    out, problems = build_site(make_site(MORE))
    assert not problems.has_errors
    return out


def test_place_page_holds_incidents_of_the_places_within_it(site: Path) -> None:
    page = soup(site / "en/places/hasakah-governorate/index.html")
    assert page.h1.text == "Hasakah Governorate"
    titles = [a.text for a in page.select("li.event .event-title a")]
    # the siege (Qamishli), the protest (Hasakah), the Qamishli protest, in date order
    assert titles == ["حصار المربع الأمني", "Protest on Palestine Street", "Protest in Qamishli"]
    assert page.select_one(".page-count").text == "3 incidents"
    assert [a.text for a in page.select(".children a")] == ["Hasakah", "Qamishli"]


def test_place_page_shows_its_parents_as_a_breadcrumb(site: Path) -> None:
    page = soup(site / "ar/places/hasakah/index.html")
    crumbs = [li.text.strip() for li in page.select(".breadcrumb li")]
    assert crumbs == ["الأماكن", "محافظة الحسكة", "الحسكة"]
    parent = page.select(".breadcrumb a")[1]
    assert (site / "ar/places/hasakah" / parent["href"]).resolve() == \
        (site / "ar/places/hasakah-governorate/index.html").resolve()


def test_every_mention_links_to_its_page(site: Path) -> None:
    page = soup(site / "en/incidents/2021-01-27-protest/index.html")
    facts = {dt.text: [a["href"] for a in dd.select("a")]
             for dt, dd in zip(page.select(".facts dt"), page.select(".facts dd"), strict=True)}
    assert facts["Type"] == ["../../../en/types/protest/index.html"]
    assert facts["Places"] == ["../../../en/places/hasakah/index.html"]
    assert facts["Actors"] == ["../../../en/actors/asayish/index.html"]
    assert facts["Tags"] == ["../../../en/tags/security-square/index.html"]
    for href in [h for hrefs in facts.values() for h in hrefs]:
        assert (site / "en/incidents/2021-01-27-protest" / href).resolve().is_file()


def test_registry_index_lists_entries_with_counts(site: Path) -> None:
    page = soup(site / "en/places/index.html")
    rows = [(li["class"][0], li.a.text, li.select_one(".count").text)
            for li in page.select(".registry-list li")]
    assert rows == [
        ("depth-0", "Hasakah Governorate", "3 incidents"),
        ("depth-1", "Hasakah", "1 incident"),
        ("depth-1", "Qamishli", "2 incidents"),
    ]


def test_unused_entry_is_listed_and_warned(make_site: MakeSite) -> None:
    root = make_site({"content/tags.yaml": """\
        security-square:
          name: {ar: المربع الأمني, en: Security square}
        fuel:
          name: {ar: المحروقات, en: Fuel}
        """})
    assert check_site(root) == ["content/tags.yaml:3: warning: tag 'fuel' is not used by any incident"]
    out, _ = build_site(root)
    listed = soup(out / "en/tags/index.html").select(".registry-list li.is-unused a")
    assert [a.text for a in listed] == ["Fuel"]
    assert (out / "en/tags/fuel/index.html").is_file()


def test_entry_used_only_by_a_draft_gets_no_page(make_site: MakeSite) -> None:
    root = make_site({
        "content/tags.yaml": "security-square:\n  name: {ar: م, en: Security square}\n"
                             "secret:\n  name: {ar: س, en: Secret}\n",
        "content/incidents/2021/2021-03-01-draft.en.md": """\
            ---
            title: Not yet
            date: 2021-03-01
            type: protest
            places: [hasakah]
            tags: [secret]
            draft: true
            sources: [{url: "https://e.org/", publisher: E}]
            ---
            """,
    })
    out, problems = build_site(root)
    assert [str(p) for p in problems] == []
    assert not (out / "en/tags/secret").exists()
    assert "Secret" not in (out / "en/tags/index.html").read_text()
    assert not (out / "en/incidents/2021-03-01-draft").exists()
    drafted, _ = build_site(root, root / "preview", drafts=True)
    assert (drafted / "en/tags/secret/index.html").is_file()


def test_previous_and_next_follow_the_chronology(site: Path) -> None:
    page = soup(site / "en/incidents/2021-01-27-protest/index.html")
    incidents = "../../../en/incidents"
    assert page.select_one(".pager a[rel=prev]")["href"] == f"{incidents}/2021-01-siege/index.html"
    following = page.select_one(".pager a[rel=next]")["href"]
    assert following == f"{incidents}/2021-01-28-qamishli-protest/index.html"
    first = soup(site / "en/incidents/2021-01-siege/index.html")
    assert not first.select_one(".pager a[rel=prev]")


def test_computed_suggestions_follow_explicit_links(site: Path) -> None:
    page = soup(site / "en/incidents/2021-01-27-protest/index.html")
    assert [a.text for a in page.select(".related .event-title a")] == ["حصار المربع الأمني"]
    assert [a.text for a in page.select(".suggested .event-title a")] == ["Protest in Qamishli"]


def test_filter_links_work_without_javascript(site: Path) -> None:
    page = soup(site / "en/index.html")
    links = {a["data-filter-key"]: a["href"] for a in page.select(".filters a[data-filter-key]")}
    assert links["type:protest"] == "../en/types/protest/index.html"
    assert links["place:hasakah-governorate"] == "../en/places/hasakah-governorate/index.html"
    assert links["actor:asayish"] == "../en/actors/asayish/index.html"
    for href in links.values():
        assert (site / "en" / href).is_file()
    assert links["year:2021"] == "../en/2021/index.html"
    scripts = [script["src"] for script in page.select("script[src]")]
    assert scripts == ["../static/waqai.js", "../static/timeline.js"]
    assert all((site / "en" / src).is_file() for src in scripts)


def test_each_filter_lists_the_incidents_it_matches(site: Path) -> None:
    """The data a filter loads: positions in the chronology of the incidents
    that match it (a place matches the places within it)."""
    chronology = [a["href"].split("/")[-2] for a in soup(site / "en/2021/index.html").select(
        ".timeline-month li.event:not(.is-continuing) .event-title a")]

    def matched(path: str) -> list[str]:
        text = (site / path).read_text(encoding="utf-8")
        sent = json.loads(text.split("]=", 1)[1].rstrip(";\n"))
        return [chronology[p] for p in sent_positions(sent)]

    assert matched("data/place/hasakah-governorate.js") == chronology
    assert matched("data/place/qamishli.js") == ["2021-01-siege", "2021-01-28-qamishli-protest"]
    assert matched("data/actor/asayish.js") == ["2021-01-27-protest", "2021-01-28-qamishli-protest"]
    assert matched("data/year/2021.js") == chronology
