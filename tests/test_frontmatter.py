"""waqai.frontmatter: YAML read as the editor typed it, with its lines."""

from __future__ import annotations

import pytest

from waqai.frontmatter import YamlError, parse_yaml, split_front_matter


@pytest.mark.parametrize(("text", "expected"), [
    ("time: 13:00", "13:00"),
    ("date: 2021", "2021"),
    ("date: 2021-02-30", "2021-02-30"),
    ("flag: yes", "yes"),
    ("flag: off", "off"),
    ("draft: true", "true"),
    ("n: 1e3", "1e3"),
    ("n: 0x1F", "0x1F"),
    ("n: 010", "010"),
    ("tagged: !!int 3", "3"),
    ("quoted: '13:00'", "13:00"),
    ('empty: ""', ""),
])
def test_every_scalar_is_text(text: str, expected: str) -> None:
    doc = parse_yaml(text)
    assert doc.data == {text.split(":", 1)[0]: expected}


@pytest.mark.parametrize("text", ["e:", "e: ~", "e: null"])
def test_a_plain_empty_value_is_null(text: str) -> None:
    assert parse_yaml(text).data == {"e": None}


def test_lists_and_mappings_hold_text() -> None:
    doc = parse_yaml("places: [hasakah, 2021]\ncasualties: {killed: 3}\n")
    assert doc.data == {"places": ["hasakah", "2021"], "casualties": {"killed": "3"}}


def test_lines_are_one_based() -> None:
    doc = parse_yaml("title: x\nsources:\n  - url: https://a.example/\n    publisher: A\n")
    assert doc.lines == {
        (): 1, ("title",): 1, ("sources",): 2,
        ("sources", 0): 3, ("sources", 0, "url"): 3, ("sources", 0, "publisher"): 4,
    }


def test_lines_count_from_first_line() -> None:
    doc = parse_yaml("title: x\n\nplaces:\n  - hasakah\n", first_line=2)
    assert doc.line(("title",)) == 2
    assert doc.line(("places",)) == 4
    assert doc.line(("places", 0)) == 5


def test_line_of_a_missing_key_is_its_nearest_parent() -> None:
    doc = parse_yaml("a: 1\nsources:\n  - url: x\n", first_line=2)
    assert doc.line(("sources", 0, "publisher")) == 4
    assert doc.line(("missing",)) == 2


def test_a_duplicate_key_is_an_error_at_the_duplicate() -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml("title: a\nsummary: b\ntitle: c\n", first_line=2)
    assert (caught.value.line, caught.value.message) == (4, "duplicate key 'title'")


def test_a_duplicate_key_inside_a_source() -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml("sources:\n  - url: a\n    url: b\n")
    assert (caught.value.line, caught.value.message) == (3, "duplicate key 'url'")


@pytest.mark.parametrize(("text", "line", "message"), [
    ("title: a\ntype: b: c\n", 3,
     "malformed YAML: the value of 'type' has ': ' in it; put the value in quotes: type: \"b: c\""),
    ("title: تظاهرة: القامشلي\n", 2,
     "malformed YAML: the value of 'title' has ': ' in it; put the value in quotes: "
     "title: \"تظاهرة: القامشلي\""),
    ("summary: Protest: \"in\" Hasakah\n", 2,
     "malformed YAML: the value of 'summary' has ': ' in it; put the value in quotes: "
     "summary: 'Protest: \"in\" Hasakah'"),
    ("title: a\nplaces: [hasakah\ndate: 2021\n", 4,
     "malformed YAML: did not find expected ',' or ']'"),
    ("title: a\n  summary: b\n", 3,
     "malformed YAML: mapping values are not allowed in this context"),
    ("title: 'open\n", 3,
     "malformed YAML: found unexpected end of stream"),
    ("title: a\n\tsummary: b\n", 3,
     "malformed YAML: a tab is used for indentation; indent with spaces (YAML does not allow tabs)"),
    ("title: a\nsources:\n\t- url: b\n", 4,
     "malformed YAML: a tab is used for indentation; indent with spaces (YAML does not allow tabs)"),
], ids=["two-colons", "two-colons-arabic", "two-colons-with-quotes", "unclosed-list",
        "bad-indent", "unclosed-quote", "tab", "tab-before-list"])
def test_malformed_yaml_has_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text, first_line=2)
    assert (caught.value.line, caught.value.message) == (line, message)


def test_an_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(YamlError, match="too many values"):
        parse_yaml("\n".join(lines))


def test_an_empty_document_is_null() -> None:
    assert parse_yaml("", first_line=2).data is None


def test_split_front_matter() -> None:
    split = split_front_matter("---\ntitle: x\ndate: 2021\n---\nbody\n")
    assert split is not None
    assert (split.front, split.body, split.body_line) == ("title: x\ndate: 2021\n", "body\n", 5)


def test_split_front_matter_after_a_byte_order_mark() -> None:
    split = split_front_matter("\ufeff---\ntitle: x\n---\nbody\n")
    assert split is not None
    assert (split.front, split.body, split.body_line) == ("title: x\n", "body\n", 4)


def test_split_front_matter_with_windows_line_ends() -> None:
    split = split_front_matter("---\r\ntitle: x\r\n---\r\nbody\r\n")
    assert split is not None
    assert parse_yaml(split.front).data == {"title": "x"}
    assert split.body_line == 4


def test_a_body_may_hold_another_rule() -> None:
    split = split_front_matter("---\ntitle: x\n---\none\n\n---\n\ntwo\n")
    assert split is not None
    assert split.body == "one\n\n---\n\ntwo\n"


@pytest.mark.parametrize("text", [
    "---\ntitle: x\nbody without an end\n",
    "title: x\n---\nbody\n",
    "",
    "\n---\ntitle: x\n---\n",
], ids=["no-closing-line", "no-opening-line", "empty", "blank-first-line"])
def test_no_front_matter(text: str) -> None:
    assert split_front_matter(text) is None
