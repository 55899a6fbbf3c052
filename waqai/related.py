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

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from waqai.config import Related
from waqai.model import Entry, Incident

NEIGHBOURS = 4
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
    links are not repeated. Ties go to the nearer date, then the id.

    Candidates come from shared actors, places and tags; a shared type adds
    to their score but does not make an incident a candidate by itself (every
    incident of a type would be one) unless nothing else is shared at all.
    The score is symmetric, so each pair is scored once.
    """
    found = [features(incident, places) for incident in incidents]
    postings: dict[Feature, list[int]] = defaultdict(list)
    for position, incident_features in enumerate(found):
        for feature in incident_features:
            postings[feature].append(position)
    shared = _pair_scores(found, postings, settings, kinds=("actors", "places", "tags"))
    paired = {position for pair in shared for position in pair}
    alone = set(range(len(incidents))) - paired
    if alone:
        by_type = _pair_scores(found, postings, settings, kinds=("type",), only=alone)
        shared.update({pair: 0.0 for pair in by_type if pair not in shared})
    candidates = _damped(incidents, shared, settings)
    result = {}
    for position, incident in enumerate(incidents):
        excluded = {incident.id, *explicit[incident.id]}
        # sorted()[:n], as heapq.nsmallest is defined, in C: lists are short (tens).
        best = sorted(candidates[position])[:settings.count + len(excluded)]
        chosen = [other_id for score, _, other_id in best if score < 0 and other_id not in excluded]
        result[incident.id] = tuple(chosen[: settings.count])
    return result


def _pair_scores(found: Sequence[Mapping[Feature, float]], postings: Mapping[Feature, list[int]],
                 settings: Related, *, kinds: tuple[str, ...],
                 only: set[int] | None = None) -> dict[tuple[int, int], float]:
    """(earlier, later) position -> undamped score of what the two share, for
    each incident and the NEIGHBOURS after it in every posting list of `kinds`
    (fewer for a larger place the incident is only within)."""
    whole: dict[str, Counter[tuple[int, int]]] = {kind: Counter() for kind in kinds}
    scores: dict[tuple[int, int], float] = defaultdict(float)
    for feature, posting in postings.items():
        kind = feature[0]
        if kind not in kinds:
            continue
        parts = [found[position][feature] for position in posting]
        if min(parts) == 1.0:  # the common case: count pairs at C speed
            for step in range(1, NEIGHBOURS + 1):
                whole[kind].update(zip(posting, posting[step:], strict=False))
            continue
        kind_weight = settings.weights[kind]
        for i, a in enumerate(posting):
            reach = max(1, round(NEIGHBOURS * parts[i]))  # a larger place reaches less far
            for j in range(i + 1, min(len(posting), i + 1 + reach)):
                scores[a, posting[j]] += kind_weight * min(parts[i], parts[j])
    for kind, pairs in whole.items():
        kind_weight = settings.weights[kind]
        for pair, count in pairs.items():
            scores[pair] += kind_weight * count
    if only is not None:
        return {pair: score for pair, score in scores.items() if pair[0] in only or pair[1] in only}
    return scores


def _damped(incidents: Sequence[Incident], scores: Mapping[tuple[int, int], float],
            settings: Related) -> list[list[tuple[float, int, str]]]:
    """Per position, its candidates as (-damped score, days apart, id), the
    same type adding its weight."""
    periods = [_period(incident) for incident in incidents]
    firsts = [first for first, _ in periods]
    lasts = [last for _, last in periods]
    types = [incident.type for incident in incidents]
    ids = [incident.id for incident in incidents]
    type_weight, scale = settings.weights["type"], settings.time_scale
    candidates: list[list[tuple[float, int, str]]] = [[] for _ in incidents]
    for (a, b), score in scores.items():
        if types[a] == types[b]:
            score += type_weight
        days = firsts[b] - lasts[a]
        if days < 0:
            days = firsts[a] - lasts[b]
            if days < 0:
                days = 0
        damped = -score / (1 + days / scale)
        candidates[a].append((damped, days, ids[b]))
        candidates[b].append((damped, days, ids[a]))
    return candidates


def _period(incident: Incident) -> tuple[int, int]:
    """First and last day of an incident, as day numbers."""
    return incident.date.first_day.toordinal(), (incident.end_date or incident.date).last_day.toordinal()


def related_incidents(incidents: Sequence[Incident], places: Mapping[str, Entry],
                      settings: Related) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """(explicit, computed) related ids of every incident."""
    explicit = explicit_related(incidents)
    computed = computed_related(incidents, places, settings, explicit)
    return {incident.id: (explicit[incident.id], computed[incident.id]) for incident in incidents}
