"""The timeline's overview chart in one language: an SVG drawn at build time,
its key, and the same figures as tables.

Time runs in the page's reading direction: the bars and spans are drawn in
slot and count units inside a group whose transform flips them on right-to-
left pages, so the numbers in the drawing are the figures themselves (a bar
of 7 incidents is `v7`), and the page's size stays small at archive scale.
Every bar links to its period's page, every span to its incident. Colours
are `fill`/`stroke` attributes (no inline style), which the theme's
`.type-<id>` classes replace in the dark scheme (palette.py).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_interval, get_month_names
from babel.support import NullTranslations
from markupsafe import Markup, escape

from waqai import routes
from waqai.chart import Bar, Chart, Span, chart_of
from waqai.contexts import Views
from waqai.dates import PartialDate
from waqai.i18n import babel_locale, format_date, load_translations, localize_digits
from waqai.routes import ROOT, Route
from waqai.views import Label, Link

PLOT_WIDTH = 720
"""Bars share about this many pixels; a chart wider than its box scrolls."""
SLOT_WIDTH = {"year": (4, 48), "month": (4, 60), "week": (4, 96)}
"""The narrowest and widest a bar's slot is drawn, by unit."""
PLOT_HEIGHT = 140
LANE = 9
"""Height of one row of spans; spans are LANE - 3 pixels thick."""
GUTTER = 34
"""Room on the start side for the counts of the grid lines."""
END = 10
TOP = 10
AXIS = 34
"""Room under the bars for two lines of labels."""
METHODOLOGY = "methodology"
"""The id of the plain page that explains verification, linked from the key."""


@dataclass(frozen=True, slots=True)
class KeyItem:
    """A type as the chart's key names it."""

    type_id: str
    name: Label


@dataclass(frozen=True, slots=True)
class Row:
    """One period in the chart's table."""

    period: Link
    total: str
    counts: tuple[str, ...]
    """By type, in the order of the key."""
    verification: tuple[str, str, str]
    """Verified, reported, disputed."""


@dataclass(frozen=True, slots=True)
class SpanRow:
    """A lasting incident drawn under the bars."""

    incident: Link
    type_id: str
    type: Label
    dates: str


@dataclass(frozen=True, slots=True)
class ChartView:
    """Everything the page shows of its chart."""

    svg: Markup
    key: tuple[KeyItem, ...]
    caption: str
    period_heading: str
    rows: tuple[Row, ...]
    spans: tuple[SpanRow, ...]
    hidden_spans: int
    hidden_spans_text: str
    methodology: str
    """The methodology page, or "" when the site has none."""


def chart_view(views: Views, route: Route) -> ChartView | None:
    """The chart of a timeline page (home, year or month), or None when its
    time has no incident a bar could count."""
    chart = chart_of(views.model.activity, route.key)
    if chart is None:
        return None
    gettext = _gettext(views)
    names = {t: views.entry("types", t).label for t in chart.types}
    periods = _Periods(views, chart)
    caption = _caption(chart, periods, gettext)
    methodology = next((routes.page(views.lang, p.id).path for p in views.model.site.pages
                        if p.id == METHODOLOGY), "")
    return ChartView(
        svg=_svg(chart, views, periods, caption, gettext),
        key=tuple(KeyItem(t, names[t]) for t in chart.types),
        caption=caption,
        period_heading=gettext("Year") if chart.unit == "year" else gettext("Month")
        if chart.unit == "month" else gettext("Week"),
        rows=(*(_row(bar, periods, views, False) for bar in chart.bars if bar.total),
              *(_row(bar, periods, views, True) for bar in chart.imprecise)),
        spans=tuple(_span_row(span, views, names[span.type])
                    for span in sorted(chart.spans, key=lambda s: (s.start, s.incident_id))),
        hidden_spans=chart.hidden_spans,
        hidden_spans_text=views.number(chart.hidden_spans),
        methodology=methodology,
    )


@functools.lru_cache(maxsize=4096)
def _interval(first: datetime.date, last: datetime.date, skeleton: str, locale: Locale) -> str:
    """A week's days in a language, which Babel works out slowly and every
    month page of its year (and its month page) asks for again."""
    return format_interval(first, last, skeleton, locale=locale)


class _Periods:
    """Names and pages of a chart's bars in one language."""

    def __init__(self, views: Views, chart: Chart) -> None:
        self.views = views
        self.chart = chart
        self.locale = babel_locale(views.language.locale)
        self._pages: dict[str, int] | None = None

    def name(self, bar: Bar, *, is_imprecise: bool = False) -> str:
        """"January 2021", "1–7 January 2021", "2021"; rows of imprecise
        incidents say that the month (or day) is not known."""
        views = self.views
        if bar.week:
            first, last = (datetime.date(bar.year, bar.month, day) for day in bar.days)
            return self._digits(_interval(first, last, "yMMMMd", self.locale))
        if is_imprecise:
            gettext = _gettext(views)
            if self.chart.unit == "week":
                month = format_date(PartialDate(bar.year, bar.month), views.language, views.config.digits)
                return gettext("%(month)s, day not known") % {"month": month}
            return gettext("%(year)s, month not known") % {"year": views.number(bar.year)}
        return views.period_label(bar.year, bar.month or None)

    def axis(self, bar: Bar, is_wide: bool) -> tuple[str, ...]:
        """The label under a bar, in one or two lines: a week's days, a
        month's name where bars are wide, else a year at its first bar."""
        if bar.week:
            first, last = (datetime.date(bar.year, bar.month, day) for day in bar.days)
            return (self._digits(_interval(first, last, "d", self.locale)),)
        if self.chart.unit == "month" and is_wide:
            name = str(get_month_names("abbreviated", context="stand-alone", locale=self.locale)[bar.month])
            if " " in name:  # "تشرين الأول": on two lines, as wide as its bar
                return tuple(name.split(" ", 1))
            return (name, self.views.number(bar.year)) if bar.month == 1 else (name,)
        if self.chart.unit == "year" or bar.month == 1 or bar is self.chart.bars[0]:
            return (self.views.number(bar.year),)
        return ()

    def path(self, bar: Bar) -> str:
        """The page of a bar's period: a year, a month (or its place on its
        year's page), the page of a month that lists a week's first incident."""
        views, lang = self.views, self.views.lang
        if self.chart.unit == "year" and not bar.month:
            return routes.year(lang, bar.year).path
        if bar.week:
            return routes.month(lang, bar.year, bar.month, self._page_of(bar.first)).path
        if views.model.period(bar.year, None)[1].months:  # a year on one page
            return f"{routes.year(lang, bar.year).path}#m-{bar.year}-{bar.month:02d}"
        return routes.month(lang, bar.year, bar.month).path

    def _page_of(self, incident_id: str) -> int:
        if self._pages is None:
            model, bar = self.views.model, self.chart.bars[0]
            pages = range(1, model.period(bar.year, bar.month)[1].pages + 1)
            self._pages = {listing.incident_id: page for page in pages
                           for listing in model.period(bar.year, bar.month, page)[1].months[0].listings}
        return self._pages.get(incident_id, 1)

    def _digits(self, text: str) -> str:
        return localize_digits(text, self.views.language, self.views.config.digits)


def _gettext(views: Views) -> Callable[[str], str]:
    """The language's interface strings, loaded once."""
    translations: NullTranslations = views.once(
        "translations", lambda v: load_translations(v.config.locales, v.lang))
    return translations.gettext


def _caption(chart: Chart, periods: _Periods, gettext: Callable[[str], str]) -> str:
    first, last = periods.name(chart.bars[0]), periods.name(chart.bars[-1])
    if chart.unit == "week":
        month = periods.views.period_label(chart.bars[0].year, chart.bars[0].month)
        return gettext("Incidents per week of %(month)s, by type.") % {"month": month}
    if len(chart.bars) == 1:
        return gettext("Incidents in %(period)s, by type.") % {"period": first}
    text = gettext("Incidents per year, from %(first)s to %(last)s, by type.") if chart.unit == "year" \
        else gettext("Incidents per month, from %(first)s to %(last)s, by type.")
    return text % {"first": first, "last": last}


def _row(bar: Bar, periods: _Periods, views: Views, is_imprecise: bool) -> Row:
    path = _imprecise_path(bar, periods) if is_imprecise else periods.path(bar)
    name = periods.name(bar, is_imprecise=is_imprecise)
    return Row(Link(path, views.label(name, views.lang)), views.number(bar.total),
               tuple(views.number(n) for n in bar.counts),
               (views.number(bar.verification[0]), views.number(bar.verification[1]),
                views.number(bar.verification[2])))


def _imprecise_path(bar: Bar, periods: _Periods) -> str:
    """Where incidents known only to the year (month 0), or only to the month, are listed."""
    lang = periods.views.lang
    if bar.month:
        return routes.month(lang, bar.year, bar.month).path
    if periods.views.model.period(bar.year, None)[1].months:
        return f"{routes.year(lang, bar.year).path}#m-{bar.year}-00"
    return routes.month(lang, bar.year, 0).path


def _span_row(span: Span, views: Views, type_name: Label) -> SpanRow:
    card = views.card(views.model.by_id[span.incident_id])
    return SpanRow(Link(card.path, card.title), span.type, type_name, _span_dates(span, views))


def _span_dates(span: Span, views: Views) -> str:
    """"3 January 2021 – 20 February 2021", or "… – ongoing as of 2 March 2021"."""
    card = views.card(views.model.by_id[span.incident_id])
    if span.as_of is None:
        return f"{card.date.text} – {card.end.text}" if card.end else card.date.text
    gettext = _gettext(views)
    as_of = format_date(span.as_of, views.language, views.config.digits)
    return f"{card.date.text} – " + gettext("ongoing as of %(date)s") % {"date": as_of}


# Drawing -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    """Where a chart is drawn, in pixels: bars from the start edge of the
    page's reading direction, counts on its start side."""

    slots: int
    slot: int
    """Width of one bar's slot."""
    top: int
    """The count at the top of the scale."""
    lanes: int
    is_rtl: bool

    @property
    def plot(self) -> int:
        """Width of the bars."""
        return self.slot * self.slots

    @property
    def left(self) -> int:
        """The bars' left edge."""
        return END if self.is_rtl else GUTTER

    @property
    def width(self) -> int:
        """The drawing's width."""
        return self.plot + GUTTER + END

    @property
    def height(self) -> int:
        """The drawing's height, with the rows of spans."""
        return SPANS + self.lanes * LANE + (4 if self.lanes else 0)

    def x(self, bars: float) -> float:
        """Where a point `bars` from the first bar's start falls."""
        return self.left + self.plot - bars * self.slot if self.is_rtl else self.left + bars * self.slot

    def units(self, y: float, offset: float = 0, height: float = 1) -> str:
        """A transform to draw in bars (x, from `offset`) and `height`
        pixels (y, up from `y`), in the reading direction."""
        flip = -self.slot if self.is_rtl else self.slot
        return f"translate({_n(self.x(offset))} {_n(y)}) scale({flip} {_n(height)})"


BASE = TOP + PLOT_HEIGHT
"""The bars' baseline."""
SPANS = BASE + AXIS + 4
"""The top of the first row of spans."""


def _svg(chart: Chart, views: Views, periods: _Periods, caption: str,
         gettext: Callable[[str], str]) -> Markup:
    """The chart as inline SVG."""
    low, high = SLOT_WIDTH[chart.unit]
    frame = _Frame(len(chart.bars), max(low, min(high, PLOT_WIDTH // len(chart.bars))),
                   _nice(chart.top), chart.lanes, views.language.direction == "rtl")
    bars = frame.units(BASE, 0, -PLOT_HEIGHT / frame.top)
    parts = [f'<svg class="chart-svg" width="{frame.width}" height="{frame.height}" '
             f'viewBox="0 0 {frame.width} {frame.height}" direction="{views.language.direction}" '
             f'aria-labelledby="chart-title" aria-describedby="chart-desc">',
             f'<title id="chart-title">{escape(caption)}</title>',
             f'<desc id="chart-desc">{escape(_description(chart, gettext))}</desc>',
             *_grid(views, frame), *_axis(chart, periods, frame),
             f'<g class="chart-bars" transform="{bars}">', *_layers(chart, views, frame), '</g>',
             f'<g class="chart-hit" transform="{frame.units(BASE, 0.5, -PLOT_HEIGHT / frame.top)}" '
             'stroke="#000" stroke-opacity="0">', *_bar_links(chart, periods, views, frame.top, gettext),
             '</g>']
    if chart.spans:
        parts += [f'<g class="chart-spans" transform="{frame.units(SPANS)}" stroke-width="{LANE - 3}">',
                  *_span_links(chart, views), '</g>']
    return Markup("".join(parts) + "</svg>")


def _description(chart: Chart, gettext: Callable[[str], str]) -> str:
    text = gettext("Each bar is the number of incidents that began in its period, in colours by type; "
                   "each bar links to its period.")
    if chart.spans:
        text += " " + gettext("Lasting incidents are drawn as lines under the bars, each linked to its page.")
    return text + " " + gettext("The same figures are in the table below the chart.")


def _grid(views: Views, frame: _Frame) -> Iterator[str]:
    """Lines at 0, half and the top of the scale, with their counts on the start side."""
    levels = (0, frame.top // 2, frame.top)
    heights = [BASE - PLOT_HEIGHT * value / frame.top for value in levels]
    lines = "".join(f"M{frame.left} {_n(y)}h{frame.plot}" for y in heights)
    yield f'<path class="chart-grid" stroke="#d9d5cb" d="{lines}"/>'
    x = frame.left + frame.plot + 4 if frame.is_rtl else frame.left - 4
    for value, y in zip(levels, heights, strict=True):
        yield (f'<text class="chart-count" x="{x}" y="{_n(y + 4)}" text-anchor="end">'
               f'{escape(views.number(value))}</text>')


def _axis(chart: Chart, periods: _Periods, frame: _Frame) -> Iterator[str]:
    """Labels under the bars: month names on a year's chart, days on a
    month's; where bars are narrow, years at their first bar with a tick."""
    is_wide = frame.slot >= 40 or chart.unit != "month"
    found = [(frame.x(i + 0.5), frame.x(i), lines) for i, bar in enumerate(chart.bars)
             if (lines := periods.axis(bar, is_wide))]
    room = frame.slot / 2 if is_wide else 36
    kept, following = [], frame.x(frame.slots) if is_wide or len(found) > 1 else None
    for label in reversed(found):  # a label too near the next one (or the end) is left out
        if following is None or abs((label[0] if is_wide else label[1]) - following) >= room:
            kept.append(label)
            following = label[0] if is_wide else label[1]
    kept.reverse()
    if not is_wide:
        ticks = "".join(f"M{_n(edge)} {BASE}v8" for _, edge, _ in kept)
        yield f'<path class="chart-tick" stroke="#5a6068" d="{ticks}"/>'
    anchor = "middle" if is_wide else "start"
    for centre, edge, lines in kept:
        x = _n(centre if is_wide else edge + (-2 if frame.is_rtl else 2))
        line = Markup('<tspan x="{}" dy="{}">{}</tspan>')
        text = escape(lines[0]) if len(lines) == 1 else \
            Markup("").join(line.format(x, n and 13, words) for n, words in enumerate(lines))
        yield f'<text class="chart-label" x="{x}" y="{BASE + 15}" text-anchor="{anchor}">{text}</text>'


def _layers(chart: Chart, views: Views, frame: _Frame) -> Iterator[str]:
    """The stacked bars, drawn in bars (x) and incidents (y): one shape per
    type, from the baseline to the top of its part of each bar; the tallest
    (every type) first, each covered by the next."""
    is_gapped = frame.slot >= 8
    for n in reversed(range(len(chart.types))):
        if not any(bar.counts[n] for bar in chart.bars):
            continue
        heights = [sum(bar.counts[:n + 1]) for bar in chart.bars]
        shape = _blocks(heights) if is_gapped else _steps(heights)
        type_id = chart.types[n]
        yield f'<path class="type-{type_id}" fill="{views.type_colors[type_id].light}" d="{shape}"/>'


def _blocks(heights: list[int]) -> str:
    """One block per bar, a tenth of a slot from each neighbour."""
    return "".join(f"M{_n(i + 0.1)} 0V{h}h.8V0z" for i, h in enumerate(heights) if h)


def _steps(heights: list[int]) -> str:
    """Bars side by side as one outline (where bars are narrow, a gap would
    cost more than it shows): up and across, only where the height changes."""
    parts, last, height = ["M0 0"], 0, 0
    for i, h in enumerate(heights):
        if h != height:
            parts.append(f"h{i - last}V{h}" if i > last else f"V{h}")
            last, height = i, h
    parts.append(f"H{len(heights)}V0z")
    return "".join(parts)


def _bar_links(chart: Chart, periods: _Periods, views: Views, top: int,
               gettext: Callable[[str], str]) -> Iterator[str]:
    template = gettext("%(period)s: %(count)s")
    for i, bar in enumerate(chart.bars):
        if not bar.total:
            continue
        title = template % {"period": periods.name(bar), "count": views.number(bar.total)}
        yield (f'<a href="{ROOT}{escape(periods.path(bar))}"><title>{escape(title)}</title>'
               f'<path d="M{i} 0v{top}"/></a>')


def _span_links(chart: Chart, views: Views) -> Iterator[str]:
    colors = views.type_colors
    for span in chart.spans:
        card = views.card(views.model.by_id[span.incident_id])
        title = f"{card.title.text} ({_span_dates(span, views)})"
        y = span.lane * LANE + LANE / 2
        yield (f'<a href="{ROOT}{escape(card.path)}"><title{card.title.marks}>{escape(title)}</title>'
               f'<path class="type-{span.type}" stroke="{colors[span.type].light}" '
               f'd="M{_n(span.start)} {_n(y)}H{_n(span.end)}"/></a>')


def _nice(count: int) -> int:
    """The top of the scale, a round number at least `count` and even (so
    that the middle line falls on a whole number): 12, 20, 50, 300."""
    if count <= 10:
        return max(2, count + count % 2)
    power = 1
    while True:
        for step in (10, 12, 16, 20, 30, 40, 50, 60, 80):
            if step * power >= count:
                return step * power
        power *= 10


def _n(value: float) -> str:
    """A coordinate, short: 12, 12.5, 0.125."""
    text = f"{round(value, 3):.3f}".rstrip("0").rstrip(".")
    return text or "0"
