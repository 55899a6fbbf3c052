"""The timeline's shape: incidents grouped by year, then by month.

Order is oldest first everywhere. An entry known only to the year comes before
the months of that year, under month 0; a month-precision entry comes before
the dated entries of its month. A lasting incident (with `end_date`, or
ongoing) is listed under every month it covers, marked as continuing after
its first; an ongoing one runs to the timeline's latest month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from waqai.dates import PartialDate, Precision
from waqai.model import Incident


@dataclass(frozen=True, slots=True)
class Listing:
    """An incident as listed under one month."""

    incident_id: str
    is_continuing: bool
    """It began in an earlier month and is still going on in this one."""


@dataclass(frozen=True, slots=True)
class Month:
    """The incidents of one month; month 0 holds those known only to the year."""

    year: int
    month: int
    listings: tuple[Listing, ...]


@dataclass(frozen=True, slots=True)
class Year:
    """The incidents of one year, by month."""

    year: int
    months: tuple[Month, ...]

    @property
    def count(self) -> int:
        """How many different incidents the year holds."""
        return len({listing.incident_id for m in self.months for listing in m.listings})


def covered_months(incident: Incident, last: PartialDate) -> list[tuple[int, int]]:
    """The (year, month) slots an incident is listed under; month 0 for a year."""
    end = incident.end_date or (last if incident.is_ongoing else None)
    if incident.date.precision is Precision.YEAR:
        final = (end or incident.date).year
        return [(year, 0) for year in range(incident.date.year, max(final, incident.date.year) + 1)]
    return incident.date.months(end)


def group_timeline(incidents: Sequence[Incident]) -> tuple[Year, ...]:
    """Years and months in order, from incidents already in chronological order."""
    if not incidents:
        return ()
    last = max((i.end_date or i.date for i in incidents), key=lambda d: d.last_day)
    slots: dict[tuple[int, int], list[tuple[bool, int, str]]] = defaultdict(list)
    for position, incident in enumerate(incidents):
        for n, slot in enumerate(covered_months(incident, last)):
            slots[slot].append((n == 0, position, incident.id))
    by_year: dict[int, list[Month]] = defaultdict(list)
    for (year, month), listed in sorted(slots.items()):
        # continuing incidents first, then in the chronology's order
        listings = tuple(Listing(incident_id, not is_first) for is_first, _, incident_id in sorted(listed))
        by_year[year].append(Month(year, month, listings))
    return tuple(Year(year, tuple(months)) for year, months in sorted(by_year.items()))
