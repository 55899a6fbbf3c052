"""Registry entries with their incidents: the actor, place, type and tag pages.

A place holds its own incidents and those of every place within it, so a
governorate's page lists what happened in its towns.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from waqai.model import REGISTRIES, Entry, Incident, Site


@dataclass(frozen=True, slots=True)
class Term:
    """One registry entry and what the chronology holds about it."""

    registry: str
    entry: Entry
    incident_ids: tuple[str, ...]
    """In chronological order; for places, including the places within it.
    (Ids, not incidents: a changed title leaves the terms as they are.)"""
    parents: tuple[Entry, ...]
    """Places: the larger places it is within, the largest first."""
    children: tuple[Entry, ...]
    """Places: the places directly within it."""


def ancestors(place: str, places: Mapping[str, Entry]) -> tuple[Entry, ...]:
    """The places that `place` is within, nearest first (a loop ends the chain)."""
    chain: list[Entry] = []
    current = places.get(place)
    while current is not None and current.within is not None:
        current = places.get(current.within)
        if current is None or current in chain or current.id == place:
            break
        chain.append(current)
    return tuple(chain)


def covered_places(place_ids: Sequence[str], places: Mapping[str, Entry]) -> tuple[str, ...]:
    """The places an incident happened in and every larger place they are
    within, each once: what place pages, filters and search count it under."""
    return tuple(dict.fromkeys(
        p for place in place_ids for p in (place, *(a.id for a in ancestors(place, places)))))


def usage(incidents: Sequence[Incident], places: Mapping[str, Entry]) -> dict[str, dict[str, list[Incident]]]:
    """registry -> entry id -> incidents that use it (places: within counts)."""
    used: dict[str, dict[str, list[Incident]]] = {name: defaultdict(list) for name in REGISTRIES}
    for incident in incidents:
        used["types"][incident.type].append(incident)
        for actor in incident.actors:
            used["actors"][actor].append(incident)
        for tag in incident.tags:
            used["tags"][tag].append(incident)
        for place in covered_places(incident.places, places):
            used["places"][place].append(incident)
    return used


def terms(site: Site) -> dict[str, tuple[Term, ...]]:
    """Every registry's entries that get a page, in registry order.

    An entry used only by drafts left out of the build gets no page, so that
    nothing unpublished shows; an entry nobody uses keeps its page.
    """
    places = site.registries["places"]
    published = usage(site.incidents, places)
    drafted = usage(site.drafts, places)
    children: dict[str, list[Entry]] = defaultdict(list)
    for place in places.values():
        if place.within is not None and place.within in places:
            children[place.within].append(place)
    result = {}
    for name in REGISTRIES:
        result[name] = tuple(
            Term(name, entry, tuple(i.id for i in published[name].get(entry_id, ())),
                 tuple(reversed(ancestors(entry_id, places))) if name == "places" else (),
                 tuple(children.get(entry_id, ())) if name == "places" else ())
            for entry_id, entry in site.registries[name].items()
            if entry_id in published[name] or entry_id not in drafted[name]
        )
    return result


def unused_entries(site: Site) -> list[tuple[str, Entry]]:
    """(registry, entry) of the entries that no incident, published or draft, uses."""
    places = site.registries["places"]
    used = usage((*site.incidents, *site.drafts), places)
    return [
        (name, entry)
        for name in REGISTRIES
        for entry_id, entry in site.registries[name].items()
        if entry_id not in used[name]
    ]
