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

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence

from waqai.config import Related
from waqai.model import Entry, Incident

NEIGHBOURS = 25
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
    (a_first, a_last), (b_first, b_last) = _period(a), _period(b)
    return max(b_first - a_last, a_first - b_last, 0)


def computed_related(incidents: Sequence[Incident], places: Mapping[str, Entry], settings: Related,
                     explicit: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Up to `settings.count` suggestions per incident, best first; `explicit`
    links are not repeated. Ties go to the nearer date, then the id."""
    found = [features(incident, places) for incident in incidents]
    postings: dict[Feature, list[int]] = defaultdict(list)
    for position, incident_features in enumerate(found):
        for feature in incident_features:
            postings[feature].append(position)
    periods = [_period(incident) for incident in incidents]
    result = {}
    for position, incident in enumerate(incidents):
        scores = _shared_scores(position, found, postings, settings)
        excluded = {incident.id, *explicit[incident.id]}
        first, last = periods[position]
        ranked = []
        for other, score in scores.items():
            other_id = incidents[other].id
            if score <= 0 or other_id in excluded:
                continue
            other_first, other_last = periods[other]
            days = max(other_first - last, first - other_last, 0)
            ranked.append((-score / (1 + days / settings.time_scale), days, other_id))
        best = heapq.nsmallest(settings.count, ranked)
        result[incident.id] = tuple(other_id for _, _, other_id in best)
    return result


def _period(incident: Incident) -> tuple[int, int]:
    """First and last day of an incident, as day numbers."""
    return incident.date.first_day.toordinal(), (incident.end_date or incident.date).last_day.toordinal()


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
                other_weight = found[other][feature]
                scores[other] += kind_weight * (weight if weight < other_weight else other_weight)
    return scores


def related_incidents(incidents: Sequence[Incident], places: Mapping[str, Entry],
                      settings: Related) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """(explicit, computed) related ids of every incident."""
    explicit = explicit_related(incidents)
    computed = computed_related(incidents, places, settings, explicit)
    return {incident.id: (explicit[incident.id], computed[incident.id]) for incident in incidents}
