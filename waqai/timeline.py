"""The timeline's shape: incidents grouped by year, then by month.

Order is oldest first everywhere. An entry known only to the year comes before
the months of that year, under month 0; a month-precision entry comes before
the dated entries of its month. A lasting incident (with `end_date`, or
ongoing) is listed once in each year it covers: under its first month, then
at the start of each later year, marked as continuing there. An ongoing one
runs as far as it is known to (`Incident.ongoing_until`: `as_of`, else its
latest source), not to the end of the chronology.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from waqai.dates import Precision
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


def covered_months(incident: Incident) -> list[tuple[int, int]]:
    """The (year, month) slots an incident covers; month 0 for a year."""
    end = incident.end_date or incident.ongoing_until
    if incident.date.precision is Precision.YEAR:
        final = (end or incident.date).year
        return [(year, 0) for year in range(incident.date.year, max(final, incident.date.year) + 1)]
    return incident.date.months(end)


def listed_months(incident: Incident) -> list[tuple[int, int]]:
    """The slots an incident is listed under: its first, and the first it
    covers in each later year."""
    slots = covered_months(incident)
    return [slot for n, slot in enumerate(slots) if n == 0 or slot[0] != slots[n - 1][0]]


def group_timeline(incidents: Sequence[Incident]) -> tuple[Year, ...]:
    """Years and months in order, from incidents already in chronological order."""
    slots: dict[tuple[int, int], list[tuple[bool, int, str]]] = defaultdict(list)
    for position, incident in enumerate(incidents):
        for n, slot in enumerate(listed_months(incident)):
            slots[slot].append((n == 0, position, incident.id))
    by_year: dict[int, list[Month]] = defaultdict(list)
    for (year, month), listed in sorted(slots.items()):
        # continuing incidents first, then in the chronology's order
        listings = tuple(Listing(incident_id, not is_first) for is_first, _, incident_id in sorted(listed))
        by_year[year].append(Month(year, month, listings))
    return tuple(Year(year, tuple(months)) for year, months in sorted(by_year.items()))


@dataclass(frozen=True, slots=True)
class Period:
    """One page of the timeline after the home: a year, or one page of a month.

    A year with at most `page_size` listings is one page with all its months;
    a larger year's page only links its months, and each month is a page of
    its own, split into pages of `page_size` listings."""

    year: int
    month: int | None
    """None on a year's page; 0 for the incidents known only to the year."""
    page: int = 1
    pages: int = 1
    """How many pages the month (or the year) is split into."""
    months: tuple[Month, ...] = ()
    """What the page lists, by month: a page of a month holds one slice of it;
    a split year's page lists none (it links its months)."""

    @property
    def key(self) -> tuple[int, int | None, int]:
        """Which page it is: (year, month, page)."""
        return (self.year, self.month, self.page)


def split_timeline(years: Sequence[Year], page_size: int) -> tuple[Period, ...]:
    """Every page of the timeline in reading order, a split year's page before
    its months."""
    periods: list[Period] = []
    for year in years:
        if sum(len(m.listings) for m in year.months) <= page_size:
            periods.append(Period(year.year, None, months=year.months))
            continue
        periods.append(Period(year.year, None))
        for month in year.months:
            chunks = [month.listings[n:n + page_size] for n in range(0, len(month.listings), page_size)]
            periods.extend(Period(year.year, month.month, page, len(chunks),
                                  (Month(year.year, month.month, chunk),))
                           for page, chunk in enumerate(chunks, 1))
    return tuple(periods)
