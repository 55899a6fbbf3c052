"""Dates, digits, language names and bidi balancing per locale."""

from __future__ import annotations

import datetime

import pytest

from waqai.config import Language
from waqai.dates import parse_date
from waqai.i18n import (
    balance_bidi,
    datetime_value,
    format_clock,
    format_date,
    isolate_plain,
    language_name,
)

AR = Language("ar", "ar_SY", "rtl")
EN = Language("en", "en", "ltr")


@pytest.mark.parametrize(("text", "language", "digits", "expected"), [
    ("2021-01-27", AR, "latn", "27 كانون الثاني 2021"),
    ("2021-01", AR, "latn", "كانون الثاني 2021"),
    ("2021", AR, "latn", "2021"),
    ("2021-02-03", AR, "arab", "٣ شباط ٢٠٢١"),
    ("2021-06", AR, "arab", "حزيران ٢٠٢١"),
    ("2021-01-27", EN, "arab", "January 27, 2021"),
    ("2021-01", EN, "latn", "January 2021"),
], ids=["ar-day", "ar-month", "ar-year", "ar-day-arab", "ar-month-arab", "en-ignores-arab", "en-month"])
def test_format_date_keeps_precision(text: str, language: Language, digits: str, expected: str) -> None:
    assert format_date(parse_date(text), language, digits) == expected


def test_time_and_datetime_value() -> None:
    assert format_clock(datetime.time(13, 5), AR, "arab") == "١:٠٥ م"
    assert format_clock(datetime.time(13, 5), EN, "latn") == "1:05\u202fPM"
    # Syria was on UTC+2 in winter 2021 and UTC+3 from late 2022
    assert datetime_value(parse_date("2021-01-27"), datetime.time(12, 30), "Asia/Damascus") \
        == "2021-01-27T12:30+02:00"
    assert datetime_value(parse_date("2023-01-27"), datetime.time(12, 30), "Asia/Damascus") \
        == "2023-01-27T12:30+03:00"
    assert datetime_value(parse_date("2021-01"), datetime.time(12, 30), "Asia/Damascus") == "2021-01"


def test_language_names() -> None:
    assert language_name("ar") == "العربية"
    assert language_name("ar", "en") == "Arabic"
    assert language_name("en", "ar_SY") == "الإنجليزية"


@pytest.mark.parametrize(("text", "expected"), [
    ("plain", "plain"),
    ("a\u202eb", "a\u202eb\u202c"),
    ("a\u202cb", "ab"),
    ("\u2067x\u202ay", "\u2067x\u202ay\u202c\u2069"),
    ("x\u2069y\u2066z", "xy\u2066z\u2069"),
    ("\u2067x\u202ay\u2069z", "\u2067x\u202ay\u2069z"),
], ids=["plain", "open-override", "stray-pdf", "nested", "stray-pdi", "isolate-closes-embedding"])
def test_balance_bidi(text: str, expected: str) -> None:
    assert balance_bidi(text) == expected


def test_isolate_plain_only_when_needed() -> None:
    assert isolate_plain("Title") == "Title"
    assert isolate_plain("عنوان", is_foreign=True) == "\u2068عنوان\u2069"
    assert isolate_plain("x\u202e") == "\u2068x\u202e\u202c\u2069"
