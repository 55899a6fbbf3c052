"""Related incidents: explicit links seen from both sides, then computed ones.

A computed suggestion scores what two incidents share: actors, places (a
governorate is shared, at half weight per level, by the towns within it),
tags and type, each weighted by `related.weights`, then damped by how far
apart they are in time: score / (1 + days / time_scale). Candidates come from
inverted indexes (feature -> incidents in date order), and only the
NEIGHBOURS nearest in time on each side of a posting list are looked at, so the
work grows with the number of incidents, not with its square.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence

from waqai.config import Related
from waqai.model import Entry, Incident

NEIGHBOURS = 40
"""Incidents looked at on each side, per shared feature (nearest in time)."""
WITHIN_FACTOR = 0.5
"""A larger place counts this much less per level of `within`."""

Feature = tuple[str, str]
"""("actors", "asayish"), ("places", "hasakah"), ("tags", ...), ("type", ...)."""


def explicit_related(incidents: Sequence[Incident]) -> Mapping[str, tuple[str, ...]]:
    """Each incident's explicit links: its own in the order written, then those
    written on other incidents that point at it, in chronological order."""
    backlinks: dict[str, list[str]] = {incident.id: [] for incident in incidents}
    for incident in incidents:
        for other in incident.related:
            if other in backlinks:
                backlinks[other].append(incident.id)
    return {
        incident.id: tuple(dict.fromkeys((*incident.related, *backlinks[incident.id])))
        for incident in incidents
    }


def place_weights(places: Sequence[str], registry: Mapping[str, Entry]) -> dict[str, float]:
    """Each place and every larger place it is within, with its weight:
    [hasakah] -> {hasakah: 1.0, hasakah-governorate: 0.5}."""
    weights: dict[str, float] = {}
    for place in places:
        weight, current, seen = 1.0, registry.get(place), set()
        while current is not None and current.id not in seen:
            seen.add(current.id)
            weights[current.id] = max(weights.get(current.id, 0.0), weight)
            weight *= WITHIN_FACTOR
            current = registry.get(current.within) if current.within else None
    return weights


def features(incident: Incident, places: Mapping[str, Entry]) -> dict[Feature, float]:
    """What an incident can share with another, with the weight of its part in it."""
    found: dict[Feature, float] = {("type", incident.type): 1.0}
    found.update({("actors", actor): 1.0 for actor in incident.actors})
    found.update({("tags", tag): 1.0 for tag in incident.tags})
    found.update({("places", p): w for p, w in place_weights(incident.places, places).items()})
    return found


def days_apart(a: Incident, b: Incident) -> int:
    """Days between two incidents' periods; 0 when they overlap."""
    a_end = (a.end_date or a.date).last_day
    b_end = (b.end_date or b.date).last_day
    gap = max((b.date.first_day - a_end).days, (a.date.first_day - b_end).days)
    return max(gap, 0)


def computed_related(incidents: Sequence[Incident], places: Mapping[str, Entry], settings: Related,
                     explicit: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Up to `settings.count` suggestions per incident, best first; `explicit`
    links are not repeated. Ties go to the nearer date, then the id."""
    found = [features(incident, places) for incident in incidents]
    postings: dict[Feature, list[int]] = defaultdict(list)
    for position, incident_features in enumerate(found):
        for feature in incident_features:
            postings[feature].append(position)
    result = {}
    for position, incident in enumerate(incidents):
        scores = _shared_scores(position, found, postings, settings)
        excluded = {incident.id, *explicit[incident.id]}
        ranked = sorted(
            (_ranking(incident, incidents[other], score, settings), incidents[other].id)
            for other, score in scores.items() if score > 0 and incidents[other].id not in excluded
        )
        result[incident.id] = tuple(other_id for _, other_id in ranked[: settings.count])
    return result


def _shared_scores(position: int, found: Sequence[Mapping[Feature, float]],
                   postings: Mapping[Feature, list[int]], settings: Related) -> dict[int, float]:
    """Undamped scores of the incidents near in time that share a feature."""
    scores: dict[int, float] = defaultdict(float)
    for feature, weight in found[position].items():
        posting = postings[feature]
        at = bisect_left(posting, position)
        kind_weight = settings.weights[feature[0]]
        for other in posting[max(0, at - NEIGHBOURS): at + NEIGHBOURS + 1]:
            if other != position:
                scores[other] += kind_weight * min(weight, found[other][feature])
    return scores


def _ranking(incident: Incident, other: Incident, score: float,
             settings: Related) -> tuple[float, int]:
    days = days_apart(incident, other)
    return (-score / (1 + days / settings.time_scale), days)


def related_incidents(incidents: Sequence[Incident], places: Mapping[str, Entry],
                      settings: Related) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """(explicit, computed) related ids of every incident."""
    explicit = explicit_related(incidents)
    computed = computed_related(incidents, places, settings, explicit)
    return {incident.id: (explicit[incident.id], computed[incident.id]) for incident in incidents}
