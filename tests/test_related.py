"""Related incidents: explicit links both ways, and the computed score."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import RICH, MakeSite, build_site

from waqai import cores, derive
from waqai.config import Related
from waqai.dates import parse_date
from waqai.model import Entry, Incident, Source, Text
from waqai.related import computed_related, days_apart, explicit_related, features, place_weights

PLACES = {
    "gov": Entry("gov", {"en": "Governorate"}, {}),
    "town": Entry("town", {"en": "Town"}, {}, within="gov"),
    "other-town": Entry("other-town", {"en": "Other town"}, {}, within="gov"),
    "square": Entry("square", {"en": "Square"}, {}, within="town"),
    "far": Entry("far", {"en": "Far away"}, {}),
}


def incident(id_: str, date: str, *, type_: str = "protest", places: tuple[str, ...] = ("far",),
             actors: tuple[str, ...] = (), tags: tuple[str, ...] = (),
             related: tuple[str, ...] = (), end: str | None = None) -> Incident:
    """A minimal incident for scoring."""
    text = Text("en", id_, "", "", Path(f"{id_}.en.md"), 1, "")
    return Incident(
        id=id_, date=parse_date(date), time=None, end_date=parse_date(end) if end else None,
        is_ongoing=False, type=type_, places=places, actors=actors, tags=tags, related=related,
        sources=(Source("https://e.org/", "E", "", None, ""),), casualties=None, media=(),
        verification="reported", updated=None, is_draft=False, original="en", texts={"en": text},
    )


DEFAULT = Related()


def ranked(incidents: list[Incident], settings: Related = DEFAULT) -> dict[str, tuple[str, ...]]:
    """Computed suggestions, in chronological input order."""
    ordered = sorted(incidents, key=lambda i: i.sort_key)
    return computed_related(ordered, PLACES, settings, explicit_related(ordered))


def test_explicit_links_are_seen_from_both_sides() -> None:
    a = incident("a", "2021-01-01", related=("c",))
    b = incident("b", "2021-01-02", related=("c",))
    c = incident("c", "2021-01-03", related=("d",))
    d = incident("d", "2021-01-04")
    links = explicit_related([a, b, c, d])
    assert links == {"a": ("c",), "b": ("c",), "c": ("d", "a", "b"), "d": ("c",)}


def test_place_weights_follow_the_within_chain() -> None:
    assert place_weights(["square"], PLACES) == {"square": 1.0, "town": 0.5, "gov": 0.25}
    assert place_weights(["square", "gov"], PLACES) == {"square": 1.0, "town": 0.5, "gov": 1.0}


def test_hand_computed_score() -> None:
    # weights: actors 3, places 2, tags 2, type 1; time_scale 30 days
    base = incident("base", "2021-01-01", places=("town",), actors=("x", "y"), tags=("t",))
    # shares one actor (3), the town (2 * 1.0), the type (1): 6, same day
    close = incident("close", "2021-01-01", places=("town",), actors=("x",))
    # shares two actors (6), the tag (2), the type (1) and the governorate through
    # its town (2 * min(0.5, 0.5) = 1): 10, damped by 30 days: 10 / 2 = 5
    month_later = incident("later", "2021-01-31", places=("other-town",), actors=("x", "y"), tags=("t",))
    # shares only a type with "base", and is a year away: 1 / (1 + 365/30)
    stranger = incident("stranger", "2022-01-01", places=("far",))
    result = ranked([base, close, month_later, stranger])
    # "stranger" shares nothing but a type: a candidate only because it has no other
    assert result["base"] == ("close", "later", "stranger")
    assert ranked([base, stranger])["base"] == ("stranger",)
    assert features(month_later, PLACES)[("places", "gov")] == 0.5


def test_time_damping_prefers_the_nearer_incident() -> None:
    base = incident("base", "2021-06-01", actors=("x",))
    near = incident("near", "2021-06-10", actors=("x",))
    far = incident("far-off", "2020-06-01", actors=("x",))
    assert ranked([base, near, far])["base"] == ("near", "far-off")


def test_ties_go_to_the_nearer_date_then_the_id() -> None:
    base = incident("base", "2021-06-15", actors=("x",))
    # same score and same distance: the id decides
    b = incident("b", "2021-06-15", actors=("x",))
    a = incident("a", "2021-06-15", actors=("x",))
    assert ranked([base, b, a])["base"] == ("a", "b")
    # zero time scale effect: the nearer one wins a tie in score when damping is off
    settings = Related(count=5, time_scale=36500)
    z = incident("z", "2021-06-16", actors=("x",))
    y = incident("y", "2021-06-20", actors=("x",))
    assert ranked([base, z, y], settings)["base"][:2] == ("z", "y")


def test_explicit_links_are_not_repeated_and_count_is_kept() -> None:
    base = incident("base", "2021-01-01", actors=("x",), related=("one",))
    others = [incident(f"n{i}", f"2021-01-0{i + 2}", actors=("x",)) for i in range(4)]
    one = incident("one", "2021-01-02", actors=("x",))
    result = ranked([base, one, *others], Related(count=2))
    assert result["base"] == ("n0", "n1")
    assert "one" not in result["base"]


def test_weights_of_zero_mean_no_suggestion() -> None:
    base = incident("base", "2021-01-01", type_="siege", places=("town",))
    other = incident("other", "2021-01-01", type_="siege", places=("far",))
    weights = {"actors": 3.0, "places": 2.0, "tags": 2.0, "type": 0.0}
    assert ranked([base, other], Related(weights=weights))["base"] == ()
    assert ranked([base, other])["base"] == ("other",)


def test_days_apart_counts_lasting_incidents_as_periods() -> None:
    siege = incident("siege", "2021-01", end="2021-03")
    inside = incident("inside", "2021-02-14")
    after = incident("after", "2021-04-10")
    assert days_apart(siege, inside) == 0
    assert days_apart(siege, after) == 10
    assert days_apart(after, siege) == 10


def test_related_found_by_a_helper_alongside_are_those_found_here(
        make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large archive finds its related incidents in a helper while this
    process derives the rest: the pages are the same, byte for byte."""
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    root = make_site(RICH)
    here, problems = build_site(root, tmp_path / "here")
    assert not problems.has_errors
    monkeypatch.setattr(derive, "RELATED_ALONGSIDE_FROM", 1)
    shutil.rmtree(root / ".cache")
    alongside, problems = build_site(root, tmp_path / "alongside")
    assert not problems.has_errors

    def pages(out: Path) -> dict[str, bytes]:
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}

    assert pages(here) == pages(alongside)
    assert "related" in pages(here)["en/incidents/2021-01-27-protest/index.html"].decode()
