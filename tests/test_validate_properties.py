"""waqai.validate (with load and frontmatter) on generated content: whatever
the front matter, registries or bytes, `check` only reports problems, each
at a file and a line, and never raises; and what `check` accepts, `build`
builds."""

from __future__ import annotations

import datetime
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from conftest import CONFIG, REGISTRIES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waqai import commands
from waqai.config import load_config
from waqai.fields import _is_web_address
from waqai.frontmatter import YamlError, parse_yaml
from waqai.load import parse_source
from waqai.validate import FACT_FIELDS, INCIDENT_TEXT_FIELDS

SETTINGS = settings(max_examples=120, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

IDS = st.sampled_from(["hasakah", "qamishli", "hasakah-governorate", "protest", "siege", "asayish",
                       "security-square", "2021-01-27-protest", "2021-01-siege", "hasaka", "", "Hasakah",
                       "hasakah\u200b", "a" * 300])
DATES = st.one_of(
    st.sampled_from(["2021", "2021-01", "2021-01-27", "2021-02-30", "0000", "0001", "9999-12-31", "2021-13",
                     "13:00", "", "2021-1-1", "٢٠٢١-٠١-٢٧", "1900-02-29"]),
    st.dates().map(str))
URLS = st.sampled_from(["https://a.example/", "http://b.example/x?y=1#z", "javascript:alert(1)", "http://",
                        "//a.example/", "data:text/html,x", "https://a.example/<script>", "HTTPS://A.EXAMPLE",
                        " https://a.example/ ", "https://[::1/"])
WORDS = st.sampled_from(["عنوان", "Title", "<script>alert(1)</script>", "{{ 7*7 }}", "\u202eevil", "a\u0301",
                         "**bold**", "[x](javascript:alert(1))", "&lt;b&gt;", "'\"", "", " "])
TEXT = st.one_of(WORDS, st.text(max_size=30))
SCALAR = st.one_of(TEXT, IDS, DATES, URLS, st.sampled_from(["true", "false", "yes", "-1", "0", "3"]),
                   st.none())
ANY = st.recursive(SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                   st.dictionaries(st.one_of(TEXT, IDS), inner, max_size=4)),
                   max_leaves=12)


def either(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a value of the field's kind, sometimes anything at all."""
    return st.one_of(strategy, strategy, strategy, ANY)


SOURCE = st.fixed_dictionaries({"url": either(URLS), "publisher": either(TEXT)},
                               optional={"title": TEXT, "date": DATES, "archive_url": URLS})
MEDIA = st.fixed_dictionaries({"kind": st.sampled_from(["video", "image", "post", "film"]), "url": URLS},
                              optional={"caption": TEXT, "credit": TEXT})
FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "title": TEXT, "summary": TEXT, "date": DATES, "end_date": DATES, "updated": DATES,
    "time": st.sampled_from(["13:00", "00:00", "23:59", "24:00", "9:30", "13:00:00"]),
    "ongoing": st.sampled_from(["true", "false", "maybe"]), "draft": st.sampled_from(["true", "false"]),
    "type": IDS, "places": st.lists(IDS, max_size=4), "actors": st.lists(IDS, max_size=3),
    "tags": st.lists(IDS, max_size=3), "related": st.lists(IDS, max_size=3),
    "sources": st.lists(SOURCE, max_size=3), "media": st.lists(MEDIA, max_size=3),
    "casualties": st.dictionaries(st.sampled_from(["killed", "injured", "detained", "dead"]),
                                  st.sampled_from(["0", "3", "-1", "many", "9" * 20]), max_size=3),
    "verification": st.sampled_from(["verified", "reported", "disputed", "true"]),
    "as_of": DATES,
    "corrections": st.lists(st.fixed_dictionaries({"date": either(DATES), "note": either(TEXT)}),
                            max_size=2),
}
assert set(FIELDS) == set(FACT_FIELDS + INCIDENT_TEXT_FIELDS)
VALID = {"title": "عنوان", "date": "2021-02-01", "type": "protest", "places": ["hasakah"],
         "sources": [{"url": "https://a.example/", "publisher": "A"}]}
FRONT = st.builds(
    lambda changed, extra: {**VALID, **changed, **extra},
    st.fixed_dictionaries({}, optional={name: either(value) for name, value in FIELDS.items()}),
    st.dictionaries(st.one_of(st.sampled_from(["sumary", "place", "corrections"]), TEXT), ANY, max_size=2))
BODY = st.one_of(st.text(max_size=200), st.sampled_from([
    "<script>alert(1)</script>", "![x](media/none.png)", "![x](https://a.example/x.png)",
    "[a](javascript:alert(1))", "| a |\n| - |\n| <b> |", "\u2067x", "```\n<i>\n```"]))
PRINTABLE = st.one_of(WORDS, st.text(st.characters(blacklist_categories=["Cc", "Cs"]), max_size=30))
GOOD: dict[str, st.SearchStrategy[Any]] = {
    "title": PRINTABLE.filter(str.strip), "summary": PRINTABLE,
    "date": st.dates(max_value=datetime.date(2025, 1, 1)).map(str) | st.sampled_from(["2021", "2021-01"]),
    "end_date": st.sampled_from(["2021-12", "2022", "2023-05-01"]), "time": FIELDS["time"],
    "ongoing": st.just("true"), "updated": st.sampled_from(["2022-01-01", "2024-12-31"]),
    "places": st.lists(st.sampled_from(["hasakah", "qamishli", "hasakah-governorate"]), min_size=1,
                       max_size=3, unique=True),
    "actors": st.just(["asayish"]), "tags": st.just(["security-square"]),
    "related": st.just(["2021-01-siege"]),
    "sources": st.lists(st.fixed_dictionaries(
        {"url": st.sampled_from(["https://a.example/", "http://b.example/x?y=<1>#z"]),
         "publisher": PRINTABLE.filter(str.strip)},
        optional={"title": PRINTABLE, "archive_url": st.just("https://web.archive.org/x")}),
        min_size=1, max_size=3),
    "media": st.lists(st.fixed_dictionaries(
        {"kind": st.sampled_from(["video", "image", "post"]), "url": st.just("https://v.example/'\"<x>")},
        optional={"caption": PRINTABLE, "credit": PRINTABLE}), max_size=2),
    "casualties": st.dictionaries(st.sampled_from(["killed", "injured", "detained"]),
                                  st.sampled_from(["0", "3", "99999999999999999999"]), max_size=3),
    "verification": st.sampled_from(["verified", "reported", "disputed"]),
}
GOOD_FRONT = st.builds(lambda changed: {**VALID, **changed},
                       st.fixed_dictionaries({}, optional=GOOD))
NAME = st.fixed_dictionaries({"ar": either(TEXT), "en": either(TEXT)})
PLACE = st.fixed_dictionaries({"name": either(NAME)}, optional={
    "within": IDS, "lat": st.sampled_from(["36.5", "91", "x", "nan", "-inf"]),
    "lon": st.sampled_from(["40", "east"]),
    "aliases": st.lists(TEXT, max_size=3), "description": NAME})
PLACES = st.dictionaries(IDS, either(PLACE), min_size=1, max_size=4)


def dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@contextmanager
def site(front: dict[str, Any], body: str, places: dict[str, Any] | None = None,
         translation: dict[str, Any] | None = None) -> Iterator[Path]:
    """A throwaway site: the test registries, one incident and its translation."""
    with tempfile.TemporaryDirectory(prefix="waqai-property-") as folder:
        yield _written(Path(folder), front, body, places, translation)


def _written(root: Path, front: dict[str, Any], body: str, places: dict[str, Any] | None,
             translation: dict[str, Any] | None) -> Path:
    files = {"config.yaml": CONFIG, **{path: textwrap.dedent(text) for path, text in REGISTRIES.items()}}
    if places is not None:
        files["content/places.yaml"] = dump(places)
    files["content/incidents/2021/2021-02-01-test.ar.md"] = f"---\n{dump(front)}---\n{body}"
    if translation is not None:
        files["content/incidents/2021/2021-02-01-test.en.md"] = f"---\n{dump(translation)}---\n{body}"
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8", errors="surrogatepass")
    return root


def checked(root: Path) -> bool:
    """Check the site; every problem has its place. True when it has no error."""
    config, problems = load_config(root / "config.yaml")
    assert config is not None, [str(p) for p in problems]
    _, found = commands.check(config)
    for problem in found:
        assert problem.path.parts and (problem.line is None or problem.line >= 1), str(problem)
        assert str(problem).startswith(problem.path.as_posix())
    return not found.has_errors


@SETTINGS
@given(front=FRONT, body=BODY, translation=st.one_of(st.none(), st.dictionaries(
    st.sampled_from(["title", "summary", "type", "date"]), either(TEXT), max_size=3)))
def test_check_only_reports_problems(front: dict[str, Any], body: str,
                                     translation: dict[str, Any] | None) -> None:
    with site(front, body, translation=translation) as root:
        checked(root)


@SETTINGS
@given(places=PLACES)
def test_check_only_reports_problems_in_a_registry(places: dict[str, Any]) -> None:
    with site(VALID, "", places=places) as root:
        checked(root)


@settings(max_examples=10, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=GOOD_FRONT, body=BODY)
def test_what_check_accepts_builds(front: dict[str, Any], body: str) -> None:
    with site(front, body) as root:
        if checked(root):
            config, _ = load_config(root / "config.yaml")
            assert config is not None
            assert not commands.build(config, root / "site").has_errors
            assert (root / "site/ar/incidents/2021-02-01-test/index.html").is_file()


@SETTINGS
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: f"---\n{t}\n---\n".encode(
    "utf-8", "surrogatepass"))))
def test_any_bytes_parse_or_say_why(data: bytes) -> None:
    parsed = parse_source(data)
    if isinstance(parsed, list):
        assert parsed and all(line is None or line >= 1 for line, _, _ in parsed)


@SETTINGS
@given(text=st.text(alphabet=st.sampled_from("[]{}-:,&*!|>'\"#? \n\tab1"), max_size=200))
def test_yaml_of_punctuation_parses_or_says_why(text: str) -> None:
    try:
        parse_yaml(text, first_line=2)
    except YamlError as exc:
        assert exc.line >= 2 and exc.message


_SCHEMES = st.sampled_from(["http", "https", "HTTPS", "hTtp", "ftp", "javascript", "data", " https", ""])
_URL_PIECES = st.text(st.sampled_from("aZ09.-_:@[]/?#%~ \t\n\u00e9\u0627\uff0f\u2100"), max_size=8)


@settings(SETTINGS, max_examples=1000)
@given(st.one_of(st.tuples(_SCHEMES, st.sampled_from(["://", ":/", ":", "//"]), _URL_PIECES, _URL_PIECES)
                 .map("".join), st.text(max_size=30)))
def test_a_web_address_is_what_urlsplit_reads_as_one(value: str) -> None:
    # Source and media URLs are read by a pattern when they are plain, else by
    # urlsplit: either way, the same addresses are accepted.
    try:
        parts = urlsplit(value)
        expected = parts.scheme.lower() in ("http", "https") and bool(parts.netloc)
    except ValueError:
        expected = False
    assert _is_web_address(value) == expected
