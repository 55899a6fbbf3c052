"""The overview chart's figures: how many incidents began in each month (each
week on a month's page, each year past MAX_SLOTS months), by type and by
verification, and lasting incidents as spans beneath the bars.

Everything here is language-free and made from the facts alone, so a chart's
`repr` is what a page's fingerprint reads (pages.py). chart_view.py adds the
labels, links and colours of one language and draws it.

A bar counts the incidents that began in its period; a lasting incident (with
`end_date`, or ongoing) is counted once, where it began, and drawn as a span
over every period it covers. Incidents dated less precisely than the bars
(known only to the year, or to the month on a month's page) are not drawn:
the chart's table lists them on rows of their own.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from waqai.dates import PartialDate, Precision
from waqai.model import Incident

Unit = Literal["year", "month", "week"]
VERIFICATION = ("verified", "reported", "disputed")

MAX_SLOTS = 180
"""The home's bars are months, for up to 15 years (fewer where there are
many types: `most_months`), years beyond, so that the chart stays under 30 KB."""
MAX_SPANS = {"all": 8, "year": 40, "month": 40}
"""Lasting incidents drawn at most: the longest are kept."""
MAX_LANES = 10
"""Rows of spans at most; spans that find no room are left out (and counted)."""
MIN_SPAN = {"all": 1.0, "year": 0.12, "month": 0.12}
"""The shortest a span is drawn, in bars, so that a day-long one still shows."""


@dataclass(frozen=True, slots=True)
class Mark:
    """An incident as the charts count it."""

    incident_id: str
    date: PartialDate
    type: str
    verification: str


@dataclass(frozen=True, slots=True)
class Lasting:
    """An incident with an end date, or still going on."""

    incident_id: str
    type: str
    start: datetime.date
    end: datetime.date
    """Its last day: the end date's, or for an ongoing one the last day of `as_of`."""
    as_of: PartialDate | None
    """An ongoing incident's latest source's date (it is known to go on until
    then), or its own date if later or if no source has one; None for others."""


@dataclass(frozen=True, slots=True)
class Activity:
    """What every chart of a build is drawn from, made once (derive.Model)."""

    types: tuple[str, ...]
    """Type ids in the registry's order."""
    marks: dict[tuple[int, int], tuple[Mark, ...]]
    """(year, month) -> the incidents that began then, in the chronology's
    order; month 0 holds those known only to the year."""
    lasting: tuple[Lasting, ...]
    charts: dict[str, Chart | None] = field(default_factory=dict, compare=False, repr=False)
    """Each page's chart once made (chart_of): the pages of every language and
    their fingerprints ask for the same charts."""


@dataclass(frozen=True, slots=True)
class Bar:
    """One period of a chart with its counts."""

    year: int
    month: int
    """0 on a bar of a whole year (or a row of incidents known only to the year)."""
    week: int
    """1-5 on a month's chart (days 1-7, 8-14...); 0 otherwise."""
    counts: tuple[int, ...]
    """By type, in the order of `Chart.types`."""
    verification: tuple[int, int, int]
    """Verified, reported, disputed."""
    first: str
    """The id of its first incident in the chronology ("" for an empty bar)."""

    @property
    def total(self) -> int:
        """How many incidents began in the period."""
        return sum(self.counts)

    @property
    def days(self) -> tuple[int, int]:
        """A week's first and last day of the month."""
        last = calendar.monthrange(self.year, self.month)[1]
        return 7 * self.week - 6, min(7 * self.week, last)


@dataclass(frozen=True, slots=True)
class Span:
    """A lasting incident as drawn: from `start` to `end`, in bars from the
    chart's first bar (fractions are days), on row `lane`."""

    incident_id: str
    type: str
    start: float
    end: float
    lane: int
    is_cut: tuple[bool, bool]
    """It began before the chart's first bar, it ends after its last."""
    as_of: PartialDate | None
    """An ongoing incident: the date it is known to go on until (Lasting.as_of)."""


@dataclass(frozen=True, slots=True)
class Chart:
    """One page's chart."""

    unit: Unit
    types: tuple[str, ...]
    """The types the chart shows (bars or spans), in the registry's order."""
    bars: tuple[Bar, ...]
    """Every period in order, empty ones included."""
    imprecise: tuple[Bar, ...]
    """Incidents of the chart's time that no bar counts: known only to the
    year (or, on a month's chart, to the month)."""
    spans: tuple[Span, ...]
    lanes: int
    hidden_spans: int
    """Lasting incidents of the chart's time that are not drawn."""

    @property
    def top(self) -> int:
        """The tallest bar's count."""
        return max((bar.total for bar in self.bars), default=0)


def activity(incidents: Sequence[Incident], types: Sequence[str]) -> Activity:
    """The marks and lasting incidents of a chronology in chronological order."""
    marks: dict[tuple[int, int], list[Mark]] = defaultdict(list)
    for incident in incidents:
        marks[(incident.date.year, incident.date.month)].append(
            Mark(incident.id, incident.date, incident.type, incident.verification))
    lasting = tuple(_lasting(i) for i in incidents if i.end_date or i.is_ongoing)
    return Activity(tuple(types), {key: tuple(found) for key, found in sorted(marks.items())}, lasting)


def _lasting(incident: Incident) -> Lasting:
    if incident.end_date is not None:
        return Lasting(incident.id, incident.type, incident.date.first_day, incident.end_date.last_day, None)
    as_of = incident.ongoing_until or incident.date
    return Lasting(incident.id, incident.type, incident.date.first_day, as_of.last_day, as_of)


def chart_of(found: Activity, key: str) -> Chart | None:
    """The chart of a timeline page by its route key: "" for the home, "2021"
    for a year, "2021-01" for a month; None when it would have no bar."""
    if key not in found.charts:
        found.charts[key] = _chart_of(found, key)
    return found.charts[key]


def _chart_of(found: Activity, key: str) -> Chart | None:
    if not key:
        return _whole(found)
    year_text, _, month_text = key.partition("-")
    year = int(year_text)
    if not month_text:
        return _chart(found, "month", [(year, month, 0) for month in range(1, 13)], (year, 0))
    month = int(month_text)
    if not month:
        return None
    weeks = -(-calendar.monthrange(year, month)[1] // 7)
    return _chart(found, "week", [(year, month, week) for week in range(1, weeks + 1)], (year, month))


def _whole(found: Activity) -> Chart | None:
    dated = [key for key in found.marks if key[1]] + [
        (d.year, d.month) for span in found.lasting for d in (span.start, span.end)]
    if not dated:
        return None
    (first_year, first_month), (last_year, last_month) = min(dated), max(dated)
    months = (last_year - first_year) * 12 + last_month - first_month + 1
    if months > most_months(len(found.types)):
        return _chart(found, "year", [(year, 0, 0) for year in range(first_year, last_year + 1)], None)
    slots = [(first_year + (first_month - 1 + n) // 12, (first_month - 1 + n) % 12 + 1, 0)
             for n in range(months)]
    return _chart(found, "month", slots, None)


def most_months(types: int) -> int:
    """How many month bars the home's chart draws at most: each costs about
    100 bytes (its link and title) and 5 per type (its share of the stacks)."""
    return min(MAX_SLOTS, 26_000 // (100 + 5 * types))


def _chart(found: Activity, unit: Unit, slots: list[tuple[int, int, int]],
           scope: tuple[int, int] | None) -> Chart | None:
    """Bars for `slots`, with the spans over them; `scope` is the (year, month)
    of a year's (month 0) or a month's chart, None for the whole chronology."""
    grouped: dict[tuple[int, int, int], list[Mark]] = {slot: [] for slot in slots}
    imprecise: dict[tuple[int, int, int], list[Mark]] = defaultdict(list)
    for marks in _marks_in(found, scope):
        for mark in marks:
            slot = _slot_of(mark.date, unit)
            if slot is None:  # month 0 of a year; a month's own, on a month's chart
                imprecise[(mark.date.year, mark.date.month, 0)].append(mark)
            else:
                grouped[slot].append(mark)
    start, stop = _bounds(slots, unit)
    lasting = [span for span in found.lasting if span.start < stop and span.end >= start]
    kind = "all" if scope is None else "month" if scope[1] else "year"
    spans, lanes, hidden = _lay_out(lasting, slots, unit, start, stop, kind)
    if not any(grouped.values()) and not spans:
        return None
    used = {m.type for found_marks in (*grouped.values(), *imprecise.values()) for m in found_marks} | \
        {s.type for s in spans}
    types = tuple(t for t in found.types if t in used)
    return Chart(unit, types, tuple(_bar(slot, marks, types) for slot, marks in grouped.items()),
                 tuple(_bar(slot, marks, types) for slot, marks in sorted(imprecise.items())),
                 spans, lanes, hidden)


def _marks_in(found: Activity, scope: tuple[int, int] | None) -> list[tuple[Mark, ...]]:
    if scope is None:
        return list(found.marks.values())
    year, month = scope
    if month:
        return [found.marks.get((year, month), ())]
    return [marks for key, marks in found.marks.items() if key[0] == year]


def _slot_of(date: PartialDate, unit: Unit) -> tuple[int, int, int] | None:
    """The bar a date falls in, or None when it is less precise than the bars."""
    if unit == "year":
        return (date.year, 0, 0)
    if date.precision is Precision.YEAR or (unit == "week" and date.precision is Precision.MONTH):
        return None
    return (date.year, date.month, (date.day + 6) // 7 if unit == "week" else 0)


def _bar(slot: tuple[int, int, int], marks: list[Mark], types: tuple[str, ...]) -> Bar:
    counts = dict.fromkeys(types, 0)
    checked = dict.fromkeys(VERIFICATION, 0)
    for mark in marks:
        counts[mark.type] += 1
        checked[mark.verification] += 1
    verification = (checked["verified"], checked["reported"], checked["disputed"])
    return Bar(*slot, tuple(counts.values()), verification, marks[0].incident_id if marks else "")


def _bounds(slots: list[tuple[int, int, int]], unit: Unit) -> tuple[datetime.date, datetime.date]:
    """The first day of the chart's time and the day after its last."""
    first, last = slots[0], slots[-1]
    if unit == "year":
        return datetime.date(first[0], 1, 1), datetime.date(last[0] + 1, 1, 1)
    if unit == "month":
        following = datetime.date(last[0] + last[1] // 12, last[1] % 12 + 1, 1)
        return datetime.date(first[0], first[1], 1), following
    begin = datetime.date(first[0], first[1], 1)
    return begin, begin + datetime.timedelta(calendar.monthrange(first[0], first[1])[1])


def position(day: datetime.date, first: tuple[int, int, int], unit: Unit) -> float:
    """Where the start of `day` falls, in bars from the first bar's start."""
    if unit == "year":
        length = 366 if calendar.isleap(day.year) else 365
        return day.year - first[0] + (day.timetuple().tm_yday - 1) / length
    if unit == "month":
        length = calendar.monthrange(day.year, day.month)[1]
        return (day.year - first[0]) * 12 + day.month - first[1] + (day.day - 1) / length
    return (day - datetime.date(first[0], first[1], 1)).days / 7


def _lay_out(lasting: list[Lasting], slots: list[tuple[int, int, int]], unit: Unit,
             start: datetime.date, stop: datetime.date, scope: str) -> tuple[tuple[Span, ...], int, int]:
    """The longest lasting incidents, each on the first row where it fits."""
    ranked = sorted(lasting, key=lambda s: (-(min(s.end, stop) - max(s.start, start)).days,
                                            s.start, s.incident_id))
    rows: list[list[tuple[float, float]]] = []
    placed: list[Span] = []
    for span in ranked[:MAX_SPANS[scope]]:
        following = span.end + datetime.timedelta(1)
        begin = position(max(span.start, start), slots[0], unit)
        end = position(min(following, stop), slots[0], unit)
        drawn = (begin, max(end, begin + MIN_SPAN[scope]))
        lane = next((n for n, row in enumerate(rows)
                     if all(drawn[0] >= b + 0.01 or drawn[1] + 0.01 <= a for a, b in row)), len(rows))
        if lane == MAX_LANES:
            continue
        if lane == len(rows):
            rows.append([])
        rows[lane].append(drawn)
        placed.append(Span(span.incident_id, span.type, round(begin, 3), round(end, 3), lane,
                           (span.start < start, following > stop), span.as_of))
    placed.sort(key=lambda s: (s.lane, s.start, s.incident_id))
    return tuple(placed), len(rows), len(lasting) - len(placed)
