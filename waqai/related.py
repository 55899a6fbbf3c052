"""Related incidents: explicit links, seen from both sides."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from waqai.model import Incident


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
