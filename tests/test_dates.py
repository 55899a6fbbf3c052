"""waqai.dates: partial dates keep their precision and compare by period."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from waqai.dates import PartialDate, Precision, parse_date, parse_day, parse_time

DATA = Path(__file__).parent / "data" / "dates.txt"


def read_cases(path: Path) -> list[dict[str, str]]:
    """Blocks of `key: value` lines separated by blank lines; '#' starts a comment."""
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    cases = []
    for block in blocks:
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        if lines:
            cases.append(dict(line.split(": ", 1) for line in lines))
    return cases


CASES = read_cases(DATA)
VALID = [case for case in CASES if "error" not in case]
INVALID = [case for case in CASES if "error" in case]


@pytest.mark.parametrize("case", VALID, ids=[case["id"] for case in VALID])
def test_parse_date_keeps_the_precision(case: dict[str, str]) -> None:
    date = parse_date(case["text"])
    assert date.precision is Precision[case["precision"]]
    assert date.isoformat() == case["text"]
    assert date.first_day == datetime.date.fromisoformat(case["first"])
    assert date.last_day == datetime.date.fromisoformat(case["last"])


@pytest.mark.parametrize("case", INVALID, ids=[case["id"] for case in INVALID])
def test_parse_date_names_what_is_wrong(case: dict[str, str]) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(case["text"])
    assert str(caught.value) == case["error"]


def test_the_case_table_is_read() -> None:
    assert len(VALID) >= 6 and len(INVALID) >= 10


def test_a_month_sorts_before_the_days_of_that_month() -> None:
    texts = ["2021-02-01", "2021-01-31", "2021-01", "2021-01-01", "2020-12-31"]
    ordered = sorted(parse_date(text) for text in texts)
    assert [d.isoformat() for d in ordered] == [
        "2020-12-31", "2021-01", "2021-01-01", "2021-01-31", "2021-02-01",
    ]


def test_a_year_sorts_before_its_months_and_days() -> None:
    texts = ["2021-03-05", "2021-01", "2021", "2020-12", "2022"]
    ordered = sorted(parse_date(text) for text in texts)
    assert [d.isoformat() for d in ordered] == ["2020-12", "2021", "2021-01", "2021-03-05", "2022"]


def test_months_of_a_single_day_month_and_year() -> None:
    assert parse_date("2021-01-27").months(None) == [(2021, 1)]
    assert parse_date("2021-01").months(None) == [(2021, 1)]
    assert parse_date("2021").months(None) == [(2021, month) for month in range(1, 13)]


def test_months_run_across_a_new_year_to_the_end_dates_last_month() -> None:
    start = parse_date("2020-11-15")
    assert start.months(parse_date("2021-02-03")) == [(2020, 11), (2020, 12), (2021, 1), (2021, 2)]
    assert parse_date("2021-01").months(parse_date("2021")) == [(2021, m) for m in range(1, 13)]


def test_a_partial_date_prints_as_iso() -> None:
    assert str(PartialDate(2021, 1)) == "2021-01"
    assert str(PartialDate(987)) == "0987"


def test_parse_day_wants_a_full_date() -> None:
    assert parse_day("2021-01-27") == datetime.date(2021, 1, 27)
    with pytest.raises(ValueError, match=r"^invalid date '2021-01': expected a full date YYYY-MM-DD$"):
        parse_day("2021-01")


@pytest.mark.parametrize(("text", "expected"), [
    ("13:00", datetime.time(13, 0)),
    ("00:00", datetime.time(0, 0)),
    ("23:59", datetime.time(23, 59)),
])
def test_parse_time(text: str, expected: datetime.time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "12:60", "9:30", "12.30", "1pm", ""])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_time(text)
    assert str(caught.value) == f"invalid time '{text}': expected HH:MM, 24-hour"
