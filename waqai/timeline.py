"""The timeline's shape: incidents grouped by year, then by month.

Order is oldest first everywhere. An entry known only to the year comes before
the months of that year, under month 0; a month-precision entry comes before
the dated entries of its month.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from waqai.model import Incident


@dataclass(frozen=True, slots=True)
class Month:
    """The incidents of one month; month 0 holds those known only to the year."""

    year: int
    month: int
    incidents: tuple[Incident, ...]


@dataclass(frozen=True, slots=True)
class Year:
    """The incidents of one year, by month."""

    year: int
    months: tuple[Month, ...]

    @property
    def count(self) -> int:
        """How many incidents the year holds."""
        return sum(len(month.incidents) for month in self.months)


def group_timeline(incidents: Sequence[Incident]) -> tuple[Year, ...]:
    """Years and months in order, from incidents already in chronological order."""
    years = []
    for year, in_year in groupby(incidents, key=lambda i: i.date.year):
        months = tuple(
            Month(year, month, tuple(in_month))
            for month, in_month in groupby(in_year, key=lambda i: i.date.month)
        )
        years.append(Year(year, months))
    return tuple(years)
