"""actors.yaml, places.yaml, types.yaml, tags.yaml -> checked registry entries."""

from __future__ import annotations

import re
from pathlib import Path

from waqai.config import Config
from waqai.fields import Fields
from waqai.frontmatter import Document
from waqai.load import ID, RawContent
from waqai.model import Entry
from waqai.problems import Problems, did_you_mean

ENTRY_FIELDS = {
    "actors": ("name", "description"),
    "places": ("name", "description", "within", "lat", "lon", "aliases"),
    "types": ("name", "description", "acled", "color"),
    "tags": ("name", "description"),
}
ACLED_FIELDS = ("event_type", "sub_event_type")
COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")


def load_registry(name: str, raw: RawContent, config: Config,
                  problems: Problems) -> dict[str, Entry]:
    """One registry's entries by id; a missing file is an empty registry."""
    if name not in raw.registries:
        return {}
    path, doc = raw.registries[name]
    fields = Fields(doc, path, problems)
    if doc.data is None:
        return {}
    if not isinstance(doc.data, dict):
        fields.error((), f"{name}.yaml must map ids to entries such as 'hasakah: {{name: ...}}'")
        return {}
    fields.warn_bidi_controls()
    entries = {}
    for id_ in doc.data:
        if not ID.fullmatch(id_):
            fields.error((id_,), f"invalid id '{id_}'", "use lowercase ASCII letters, digits and hyphens")
        elif not isinstance(doc.data[id_], dict):
            fields.error((id_,), f"entry '{id_}' must be a mapping with a name per language")
        else:
            entries[id_] = _entry(name, id_, fields, config)
    if name == "places":
        _check_within(entries, doc, path, problems)
    return entries


def _entry(registry: str, id_: str, fields: Fields, config: Config) -> Entry:
    fields.check_keys((id_,), ENTRY_FIELDS[registry], "field")
    languages = tuple(config.languages)
    aliases = tuple(a for a in fields.items((id_, "aliases")) if isinstance(a, str))
    acled = None
    if fields.get((id_, "acled")) is not None:
        fields.check_keys((id_, "acled"), ACLED_FIELDS, "acled field")
        acled = {key: fields.text((id_, "acled", key), required=True) or "" for key in ACLED_FIELDS}
    return Entry(
        id=id_,
        name=fields.per_language((id_, "name"), languages, required=True),
        description=fields.per_language((id_, "description"), languages, required=False),
        within=fields.text((id_, "within")),
        lat=fields.number((id_, "lat"), -90, 90),
        lon=fields.number((id_, "lon"), -180, 180),
        aliases=aliases,
        acled=acled,
        color=_color(fields, id_) if registry == "types" else None,
        line=fields.line((id_,)),
    )


def _color(fields: Fields, id_: str) -> str | None:
    """A type's `color`: "#rrggbb" or "#rgb", returned as "#rrggbb"."""
    key = (id_, "color")
    entry = fields.get((id_,))
    if isinstance(entry, dict) and "color" in entry and entry["color"] is None:
        fields.error(key, f"'{id_}.color' is empty",
                     'quote the colour: color: "#8a5500" (after an unquoted # YAML sees a comment)')
        return None
    value = fields.text(key)
    if value is None:
        return None
    if not COLOR.fullmatch(value.strip()):
        fields.error(key, f"'{id_}.color' must be a colour such as \"#8a5500\", not '{value}'",
                     'write it as "#" and six hexadecimal digits (red, green, blue), in quotes')
        return None
    digits = value.strip()[1:].lower()
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def _check_within(entries: dict[str, Entry], doc: Document, path: Path, problems: Problems) -> None:
    """`within` must name another place, and the chain must not loop."""
    for entry in entries.values():
        if entry.within is None:
            continue
        line = doc.line((entry.id, "within"))
        if entry.within not in entries:
            problems.error(path, line, f"unknown place '{entry.within}' in 'within'",
                           did_you_mean(entry.within, entries))
            continue
        seen = [entry.id]
        current = entries[entry.within]
        while current.within in entries and current.id not in seen:
            seen.append(current.id)
            current = entries[current.within]
        if current.id in seen:
            problems.error(path, line, f"place '{entry.id}' is within itself: "
                           f"{' -> '.join([*seen, current.id])}")
