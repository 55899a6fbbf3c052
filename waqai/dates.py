"""Dates that keep the precision the editor gave: a year, a month or a day.

"January 2021" is not "1 January 2021": an entry dated `2021-01` is shown, sorted
and exported as a month. Entries of different precision compare by their periods:
`2021-01` covers 1–31 January and sorts before every dated entry of January.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from enum import IntEnum

from waqai.problems import N_

_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


class Precision(IntEnum):
    """How much of a date is known."""

    YEAR = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A year, a month of a year, or a day: `2021`, `2021-01` or `2021-01-27`."""

    year: int
    month: int = 0
    """0 when only the year is known."""
    day: int = 0
    """0 when only the year or the month is known."""

    @property
    def precision(self) -> Precision:
        """YEAR, MONTH or DAY."""
        if self.day:
            return Precision.DAY
        return Precision.MONTH if self.month else Precision.YEAR

    @property
    def first_day(self) -> datetime.date:
        """The first day of the period."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> datetime.date:
        """The last day of the period."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    def isoformat(self) -> str:
        """`2021`, `2021-01` or `2021-01-27`: also a valid HTML `datetime` value."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def months(self, end: PartialDate | None) -> list[tuple[int, int]]:
        """Every (year, month) from this date's first month to `end`'s last."""
        first, last = self.first_day, (end or self).last_day
        result = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def __str__(self) -> str:
        return self.isoformat()


@functools.lru_cache(maxsize=16384)
def parse_date(text: str) -> PartialDate:
    """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; ValueError names what is wrong."""
    match = _FORM.fullmatch(text.strip())
    if not match:
        raise ValueError(N_("invalid date '{date}': expected YYYY-MM-DD, YYYY-MM or YYYY", date=text))
    year, month, day = (int(part) if part else 0 for part in match.groups())
    if year < 1:
        raise ValueError(N_("invalid date '{date}': there is no year {year}", date=text, year=match.group(1)))
    if match.group(2) and not 1 <= month <= 12:
        raise ValueError(N_("invalid date '{date}': there is no month {month}", date=text,
                            month=match.group(2)))
    if match.group(3):
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise ValueError(N_("invalid date '{date}': day {day} is not in that month", date=text,
                                day=day)) from None
    return PartialDate(year, month, day)


def parse_day(text: str) -> datetime.date:
    """Read a full `YYYY-MM-DD` date."""
    date = parse_date(text)
    if date.precision is not Precision.DAY:
        raise ValueError(N_("invalid date '{date}': expected a full date YYYY-MM-DD", date=text))
    return date.first_day


def parse_time(text: str) -> datetime.time:
    """Read a 24-hour `HH:MM` local time."""
    match = _TIME.fullmatch(text.strip())
    if not match:
        raise ValueError(N_("invalid time '{time}': expected HH:MM, 24-hour", time=text))
    return datetime.time(int(match.group(1)), int(match.group(2)))
