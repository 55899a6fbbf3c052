"""waqai.schemas: the JSON Schemas editors' tools read agree with `check`.

Files are read for the schemas as a YAML 1.2 tool reads them (check-jsonschema's
own loader: `date: 2021` is a number there, `time: 12:30` text), and for the
validator as `check` reads them.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from check_jsonschema.parsers.yaml import construct_yaml_implementation
from conftest import CONFIG, PROTEST_AR, PROTEST_EN, MakeSite
from jsonschema import Draft7Validator
from ruamel.yaml import YAMLError

from waqai import commands, definitions, schemas
from waqai.config import load_config
from waqai.definitions import Field
from waqai.frontmatter import split_front_matter

PROJECT = Path(__file__).resolve().parent.parent
CASES = PROJECT / "tests" / "data" / "schema_cases.txt"
PLACES = {
    "original": "content/incidents/2021/2021-01-27-protest.ar.md",
    "translation": "content/incidents/2021/2021-01-27-protest.en.md",
    "page": "content/pages/about.en.md",
    "config": "config.yaml",
    **{name: f"content/{name}.yaml" for name in ("actors", "places", "types", "tags")},
}
_LOADER = construct_yaml_implementation()


def schema_of(path: str) -> dict[str, Any]:
    """The committed schema for a file of a site, by its path."""
    name = Path(path).stem.split(".")[0] if path.endswith(".yaml") else (
        "page" if path.startswith("content/pages/") else "incident")
    return json.loads((PROJECT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))


def schema_accepts(path: str, text: str) -> bool:
    """Whether the file is valid for its schema; YAML that cannot be read is not."""
    if path.endswith(".md"):
        split = split_front_matter(text)
        if split is None:
            return False
        text = split.front
    try:
        data = _LOADER.load(io.StringIO(text))
    except YAMLError:
        return False
    return Draft7Validator(schema_of(path)).is_valid(data)


def errors_of(root: Path) -> list[str]:
    """Every error `check` reports for the site."""
    config, problems = load_config(root / "config.yaml")
    if config is not None:
        _, problems = commands.check(config)
    return [str(p) for p in problems.errors]


@dataclass(frozen=True)
class Case:
    is_valid: bool
    kind: str
    text: str
    message: str


def cases() -> Iterator[Any]:
    """The cases of schema_cases.txt, with their names as ids."""
    header = re.compile(r"=== (valid|invalid) (\w+) ([\w-]+)(?:: (.*))?")
    blocks = re.split(r"^(?==== )", CASES.read_text(encoding="utf-8"), flags=re.M)
    for block in blocks[1:]:
        first, _, text = block.partition("\n")
        match = header.fullmatch(first)
        assert match, first
        valid, kind, name, message = match.groups()
        yield pytest.param(Case(valid == "valid", kind, text, message or ""), id=f"{valid}-{kind}-{name}")


def site_with(make_site: MakeSite, kind: str, text: str) -> Path:
    """A test site whose file of `kind` is `text`."""
    if kind == "config":
        return make_site(config=text)
    if kind == "page":
        return make_site({"content/pages/about.ar.md": "---\ntitle: عن الموقع\n---\n", PLACES[kind]: text})
    return make_site({PLACES[kind]: text}, basic=kind in ("original", "translation"))


def test_committed_schemas_are_generated() -> None:
    generated = schemas.generate()
    for name, schema in generated.items():
        assert (PROJECT / "schemas" / name).read_text(encoding="utf-8") == schemas.render(schema), \
            f"schemas/{name} is out of date: run `make schemas`"
    made_by_hand = {"incidents.schema.json"}  # the incidents.json export's
    assert {p.name for p in (PROJECT / "schemas").glob("*.json")} == set(generated) | made_by_hand


def test_schemas_are_valid_draft_7() -> None:
    for schema in schemas.generate().values():
        Draft7Validator.check_schema(schema)


def sample_files() -> Iterator[Path]:
    yield PROJECT / "config.yaml"
    yield from sorted((PROJECT / "content").glob("*.yaml"))
    yield from sorted((PROJECT / "content").rglob("*.md"))


@pytest.mark.parametrize("path", list(sample_files()), ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_every_sample_file_is_valid(path: Path) -> None:
    assert schema_accepts(path.relative_to(PROJECT).as_posix(), path.read_text(encoding="utf-8"))


def test_sample_yaml_files_name_their_schema() -> None:
    for path in (PROJECT / "config.yaml", *(PROJECT / "content").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = Path("schemas") / f"{path.stem}.schema.json"
        relative = Path("../" * len(path.relative_to(PROJECT).parent.parts)) / schema
        assert first == f"# yaml-language-server: $schema={relative.as_posix()}", path
        assert (path.parent / relative).is_file()


def test_check_jsonschema_accepts_the_sample() -> None:
    """The command CI or an editor would run, offline."""
    for name in ("config", "actors", "places", "types", "tags"):
        target = PROJECT / ("config.yaml" if name == "config" else f"content/{name}.yaml")
        result = subprocess.run(
            [str(Path(sys.executable).parent / "check-jsonschema"), "--schemafile",
             str(PROJECT / f"schemas/{name}.schema.json"), str(target)],
            capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", list(cases()))
def test_schemas_and_check_agree(make_site: MakeSite, case: Case) -> None:
    root = site_with(make_site, case.kind, case.text)
    errors = errors_of(root)
    assert schema_accepts(PLACES[case.kind], case.text) is case.is_valid
    if case.is_valid:
        assert errors == []
    else:
        assert any(error.startswith(PLACES[case.kind]) and case.message in error for error in errors), errors


# Every field of the table, given a value of the wrong shape, is refused by both.

ORIGINAL = {**yaml.load(PROTEST_AR.split("---")[1].replace("\n    ", "\n"), Loader=yaml.BaseLoader),
            "casualties": {"killed": "1"}, "media": [{"kind": "video", "url": "https://e.org/v"}]}
TRANSLATION = yaml.load(PROTEST_EN.split("---")[1].replace("\n    ", "\n"), Loader=yaml.BaseLoader)
SETTINGS = {**yaml.load(CONFIG, Loader=yaml.BaseLoader),
            "related": {"count": "5", "weights": {"actors": "3"}, "time_scale": "30"}}
ENTRIES = {
    "actors": {"asayish": {"name": {"ar": "الأسايش", "en": "Asayish"}}},
    "places": {"hasakah": {"name": {"ar": "الحسكة", "en": "Hasakah"}, "within": "syria",
                           "lat": "36.5", "lon": "40.7"},
               "syria": {"name": {"ar": "سوريا", "en": "Syria"}}},
    "types": {"protest": {"name": {"ar": "تظاهرة", "en": "Protest"},
                          "acled": {"event_type": "Protests", "sub_event_type": "Peaceful protest"}}},
    "tags": {"security-square": {"name": {"ar": "المربع", "en": "Square"}}},
}
WRONG: dict[str, object] = {"per_language": ["x"], "mapping": ["x"], "mappings": "x", "languages": "x",
                            "ids": [{"x": "y"}]}
"""A value of the wrong shape for each kind; scalars get a mapping."""


def fields_in(kind: str, document: dict[str, Any], fields: tuple[Field, ...],
              key: tuple[str | int, ...] = ()) -> Iterator[Any]:
    """(kind, document, key, field) for every field of the table under `key`."""
    for field in fields:
        if field.kind == "texts":
            continue  # aliases that are not text are ignored by the build (see NOT_EXPRESSED)
        where = (*key, field.name)
        yield pytest.param(kind, document, where, field, id=f"{kind}-{'.'.join(map(str, where))}")
        if field.kind in ("mapping", "mappings"):
            inner = (*where, 0) if field.kind == "mappings" else where
            yield from fields_in(kind, document, field.fields, inner)
        if field.kind == "languages":
            yield from fields_in(kind, document, field.fields, (*where, "ar"))


def every_field() -> Iterator[Any]:
    yield from fields_in("original", ORIGINAL, definitions.TEXT + definitions.FACTS)
    yield from fields_in("translation", TRANSLATION, definitions.TRANSLATION)
    yield from fields_in("config", SETTINGS, definitions.CONFIG)
    for registry, entries in ENTRIES.items():
        yield from fields_in(registry, entries, definitions.ENTRY[registry], (next(iter(entries)),))


def with_value(document: Any, key: tuple[str | int, ...], value: object) -> Any:
    """A copy of `document` with `value` at `key` (the mappings on the way are made)."""
    if not key:
        return value
    copy = list(document) if isinstance(document, list) else dict(document or {})
    head = key[0]
    inner = copy[head] if isinstance(copy, list) else copy.get(head)  # type: ignore[call-overload]
    copy[head] = with_value(inner, key[1:], value)  # type: ignore[index]
    return copy


def as_file(kind: str, data: Any) -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{text}---\nنص.\n" if kind in ("original", "translation") else text


BASES = {"original": ORIGINAL, "translation": TRANSLATION, "config": SETTINGS, **ENTRIES}


@pytest.mark.parametrize("kind", BASES)
def test_the_sweep_starts_from_valid_files(make_site: MakeSite, kind: str) -> None:
    text = as_file(kind, BASES[kind])
    assert schema_accepts(PLACES[kind], text)
    assert errors_of(site_with(make_site, kind, text)) == []


@pytest.mark.parametrize(("kind", "document", "key", "field"), list(every_field()))
def test_a_value_of_the_wrong_shape_is_refused_by_both(make_site: MakeSite, kind: str, document: Any,
                                                      key: tuple[str | int, ...], field: Field) -> None:
    text = as_file(kind, with_value(document, key, WRONG.get(field.kind, {"x": "y"})))
    assert not schema_accepts(PLACES[kind], text)
    assert errors_of(site_with(make_site, kind, text)) != []
