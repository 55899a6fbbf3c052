"""JSON Schemas of what editors write, generated from definitions.py.

Editors' tools read them (VS Code with the YAML extension, any
yaml-language-server, check-jsonschema in CI) to offer completion and to mark
mistakes while typing. They are made from the validator's own table, so they
cannot disagree with it; `make schemas` writes them into schemas/, and the
tests check that the committed files are what this module makes.

A schema knows less than the validator: it cannot see the other files. What it
cannot express is listed in each schema's `$comment`, and left to `check`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from waqai import definitions
from waqai.definitions import Field

Schema = dict[str, Any]

DRAFT = "http://json-schema.org/draft-07/schema#"
"""Draft 7: the latest draft every editor's tool reads in full."""
FILES = ("config", "actors", "places", "types", "tags", "incident", "page")
"""schemas/<name>.schema.json."""
FOLDER = Path(__file__).resolve().parent.parent / "schemas"

_SCALAR: Schema = {"type": ["string", "number", "boolean"]}
"""Text as YAML 1.2 tools read it: `title: 1948` is a number there, and text here."""
_FILLED: Schema = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": ["number", "boolean"]}]}
_DATE = r"^\s*(?!0000)\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?\s*$"
_DAY = r"^\s*(?!0000)\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\s*$"
_TIME = r"^\s*([01]\d|2[0-3]):[0-5]\d\s*$"
_BOOLEAN = r"^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$"
_COUNT = r"^\s*\d+\s*$"
_NUMBER = r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$"
_URL = r"^\s*https?://[^/?#\s]"
_ID: Schema = {"type": "string", "pattern": f"^{definitions.ID_PATTERN}$"}

NOT_EXPRESSED = {
    "front matter": (
        "Left to `python build.py check`: that ids name a registry entry or an incident, "
        "that a day is in its month (2021-02-30), that end_date does not precede date, "
        "that ongoing and end_date are not both set, that the file's language is configured, "
        "and that quoted numbers or a fingerprint read by YAML as a number with leading zeros "
        "are what they should be."),
    "page": ("Left to `python build.py check`: a page's original (its text in the default "
             "language) may not carry translated_from."),
    "registry": (
        "Left to `python build.py check`: that a name has a value for every configured language, "
        "that within names a place of this file and does not loop, and ranges of quoted numbers. "
        "Aliases that are not text are ignored by the build."),
    "config": (
        "Left to `python build.py check`: that locales and time zones exist, that folders exist, "
        "that default_language and title's languages are configured languages, ranges of quoted "
        "numbers, and that a base_url scheme is lowercase http or https."),
}


def generate() -> dict[str, Schema]:
    """Every schema, by file name."""
    registries = {name: _registry(name) for name in ("actors", "places", "types", "tags")}
    return {f"{name}.schema.json": schema for name, schema in {
        "config": _config(), **registries, "incident": _incident(), "page": _page()}.items()}


def render(schema: Schema) -> str:
    """A schema as it is written to disk."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write(folder: Path = FOLDER) -> list[Path]:
    """Write every schema into `folder`; returns the files whose text changed."""
    changed = []
    for name, schema in generate().items():
        path = folder / name
        text = render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def _document(title: str, description: str, comment: str, body: Schema) -> Schema:
    return {"$schema": DRAFT, "title": title, "description": description, "$comment": comment, **body}


def _config() -> Schema:
    return _document("Waqai config.yaml", "The site's settings (see README.md).",
                     NOT_EXPRESSED["config"], _mapping(definitions.CONFIG))


def _registry(name: str) -> Schema:
    entry = _mapping(definitions.ENTRY[name])
    entry["description"] = f"One entry of {name}.yaml, under its id."
    return _document(f"Waqai {name}.yaml", f"The {name} registry: ids mapped to entries.",
                     NOT_EXPRESSED["registry"],
                     {"type": ["object", "null"], "propertyNames": _ID, "additionalProperties": entry})


def _incident() -> Schema:
    original = _mapping(definitions.TEXT + definitions.INCIDENT_TEXT + definitions.FACTS)
    translation = _mapping(definitions.TEXT + definitions.INCIDENT_TEXT + definitions.TRANSLATION)
    return _document(
        "Waqai incident front matter",
        "An incident file: the original (the file with date) carries the facts; "
        "a translation carries only its words.",
        NOT_EXPRESSED["front matter"],
        {"type": "object", "if": {"required": ["date"]}, "then": original, "else": translation})


def _page() -> Schema:
    return _document("Waqai page front matter", "A plain page (about, methodology) in one language.",
                     NOT_EXPRESSED["page"], _mapping(definitions.TEXT + definitions.TRANSLATION))


def _mapping(fields: Sequence[Field]) -> Schema:
    """A mapping holding exactly `fields`."""
    schema: Schema = {"type": "object", "properties": {f.name: _field(f) for f in fields},
                      "additionalProperties": False}
    required = [f.name for f in fields if f.is_required]
    if required:
        schema["required"] = required
    return schema


def _field(field: Field) -> Schema:
    """A field's value: null where it may be left empty, with its description."""
    schema = _value(field)
    if not field.is_required:
        schema = {"anyOf": [schema, {"type": "null"}]} if set(schema) - {"type"} else {
            "type": [*_types(schema), "null"]}
    schema = {"description": field.description, **schema}
    if field.choices:
        schema["enum"] = [*field.choices, *([] if field.is_required else [None])]
    if field.default is not None:
        schema["default"] = _typed(field.default)
    return schema


def _types(schema: Schema) -> list[str]:
    kinds = schema["type"]
    return list(kinds) if isinstance(kinds, list) else [kinds]


def _value(field: Field) -> Schema:
    """What a field of its kind may hold."""
    return _KINDS[field.kind](field)


def _text(field: Field) -> Schema:
    return dict(_FILLED if field.is_required else _SCALAR)


def _pattern(pattern: str) -> Callable[[Field], Schema]:
    return lambda field: {"type": "string", "pattern": pattern}


def _date(field: Field) -> Schema:
    # YAML 1.2 reads a year alone (date: 2021) as a number.
    year = {"type": "integer", "minimum": 1, "maximum": 9999}
    return {"anyOf": [{"type": "string", "pattern": _DATE}, year]}


def _boolean(field: Field) -> Schema:
    return {"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": _BOOLEAN}]}


def _count(field: Field) -> Schema:
    low, high = field.bounds or (0, definitions.MAX_COUNT)
    number: Schema = {"type": "integer", "minimum": low, "maximum": high}
    return {"anyOf": [number, {"type": "string", "pattern": _COUNT}]}


def _number(field: Field) -> Schema:
    low, high = field.bounds or (None, None)
    return {"anyOf": [{"type": "number", "minimum": low, "maximum": high},
                      {"type": "string", "pattern": _NUMBER}]}


def _fingerprint(field: Field) -> Schema:
    # YAML 1.2 reads a fingerprint of digits alone as a number.
    return {"anyOf": [{"type": "string", "pattern": f"^\\s*{definitions.FINGERPRINT_PATTERN}\\s*$"},
                      {"type": "integer", "minimum": 10**11, "maximum": 10**12 - 1}]}


def _list(field: Field) -> Schema:
    """A list, or one item alone (a list of one)."""
    item = _ID if field.kind == "ids" else _SCALAR
    items: Schema = {"type": "array", "items": item}
    if field.kind == "ids" and field.is_unique:
        items["uniqueItems"] = True
    return {"anyOf": [item, items]}


def _per_language(field: Field) -> Schema:
    text = _FILLED if field.is_required else {"type": [*_SCALAR["type"], "null"]}
    names: Schema = {"type": "object", "propertyNames": _language_code(),
                     "additionalProperties": text, "minProperties": 1 if field.is_required else 0}
    return {"anyOf": [_FILLED, names]} if field.is_text_allowed else names


def _mappings(field: Field) -> Schema:
    return {"type": "array", "items": _mapping(field.fields), "minItems": field.min_items}


def _languages(field: Field) -> Schema:
    settings = {"anyOf": [_mapping(field.fields), {"type": "null"}]}
    return {"type": "object", "propertyNames": _language_code(), "additionalProperties": settings,
            "minProperties": 1}


_KINDS: dict[str, Callable[[Field], Schema]] = {
    "text": _text, "date": _date, "day": _pattern(_DAY), "time": _pattern(_TIME), "boolean": _boolean,
    "count": _count, "number": _number, "choice": lambda field: {"type": "string"}, "url": _pattern(_URL),
    "fingerprint": _fingerprint, "id": lambda field: dict(_ID), "ids": _list, "texts": _list,
    "per_language": _per_language, "mapping": lambda field: _mapping(field.fields), "mappings": _mappings,
    "languages": _languages,
}


def _language_code() -> Schema:
    return {"type": "string", "pattern": f"^{definitions.LANGUAGE_CODE_PATTERN}$"}


def _typed(value: str) -> object:
    """A default as a YAML 1.2 tool would read it: 3 and false, not "3" and "false"."""
    if value in ("true", "false"):
        return value == "true"
    try:
        return int(value)
    except ValueError:
        return value


def main(argv: Sequence[str]) -> int:
    """`python -m waqai.schemas [FOLDER]`: write the schemas (default: schemas/)."""
    folder = Path(argv[0]) if argv else FOLDER
    for path in write(folder):
        print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
