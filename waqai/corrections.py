"""Corrections and updates: every correction of the chronology, newest first.

Readers who cite the chronology follow what changed in it: each incident lists
its own corrections, and each language has a page and a feed of them all. A
correction's dates are the same in every language (validate checks it), so
the n-th correction of an incident, newest first, is the same one in each
language, in that language's words.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from waqai.model import Correction, Incident


@dataclass(frozen=True, slots=True)
class Listed:
    """One correction as the chronology lists it."""

    date: datetime.date
    incident_id: str
    number: int
    """Its place among the incident's corrections, newest first."""
    anchor: str
    """Its id on the incident's page: `correction-2021-01-29`, then
    `correction-2021-01-29-2` for a second one of the same day."""


def anchors(corrections: Iterable[Correction]) -> tuple[str, ...]:
    """The ids of an incident's corrections on its page, in their order."""
    seen: dict[datetime.date, int] = {}
    found = []
    for correction in corrections:
        seen[correction.date] = seen.get(correction.date, 0) + 1
        count = seen[correction.date]
        found.append(f"correction-{correction.date}" + (f"-{count}" if count > 1 else ""))
    return tuple(found)


def list_corrections(incidents: Iterable[Incident]) -> tuple[Listed, ...]:
    """Every correction of the chronology, newest first; those of one day in
    the chronology's order, then in the order written."""
    found: list[Listed] = []
    for incident in incidents:  # in the chronology's order
        corrections = incident.texts[incident.original].corrections
        found.extend(Listed(c.date, incident.id, n, anchor)
                     for n, (c, anchor) in enumerate(zip(corrections, anchors(corrections), strict=True)))
    # Python's sort is stable, also in reverse: the order written is kept.
    return tuple(sorted(found, key=lambda listed: listed.date, reverse=True))


def correction_in(incident: Incident, lang: str, listed: Listed) -> tuple[Correction, str]:
    """The correction in `lang`'s words, or in the original's when the
    incident has no text in `lang`; with the language of its words."""
    text = incident.text(lang)
    own = text.corrections
    if listed.number < len(own) and own[listed.number].date == listed.date:
        return own[listed.number], text.lang
    return incident.texts[incident.original].corrections[listed.number], incident.original


def correction_pages(count: int, page_size: int) -> int:
    """How many pages a language's corrections take (one, even when there are none)."""
    return max(1, -(-count // page_size))
