"""actors.yaml, places.yaml, types.yaml, tags.yaml -> checked registry entries."""

from __future__ import annotations

import re
from pathlib import Path

from waqai import definitions
from waqai.config import Config
from waqai.definitions import field, names
from waqai.fields import Fields, shown
from waqai.frontmatter import Document
from waqai.load import ID, RawContent
from waqai.model import Entry
from waqai.problems import N_, Problems, did_you_mean

ENTRY_FIELDS = {registry: names(fields) for registry, fields in definitions.ENTRY.items()}
ACLED_FIELDS = names(definitions.ACLED)
_LAT, _LON = (field(definitions.ENTRY["places"], name).bounds or (0, 0) for name in ("lat", "lon"))
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
        fields.error((), N_("{file} must map ids to entries such as {example}", file=f"{name}.yaml",
                               example="'hasakah: {name: ...}'"))
        return {}
    fields.warn_bidi_controls()
    entries = {}
    for id_ in doc.data:
        if not ID.fullmatch(id_):
            fields.error((id_,), N_("invalid id '{id}'", id=shown(id_)),
                         N_("use lowercase ASCII letters, digits and hyphens"))
        elif not isinstance(doc.data[id_], dict):
            fields.error((id_,), N_("entry '{id}' must be a mapping with a name per language", id=id_))
        else:
            entries[id_] = _entry(name, id_, fields, config)
    if name == "places":
        _check_within(entries, doc, path, problems)
    if name == "types":
        _check_colours(entries, fields)
    return entries


def _check_colours(types: dict[str, Entry], fields: Fields) -> None:
    """Two types of one colour cannot be told apart on cards and in the chart."""
    first: dict[str, str] = {}
    for entry in types.values():
        if entry.color is None:
            continue
        other = first.setdefault(entry.color, entry.id)
        if other != entry.id:
            fields.warning((entry.id, "color"), N_("type '{id}' has the colour of type '{other}' ({color})",
                                                   id=entry.id, other=other, color=entry.color),
                           N_("give each type a colour of its own, or leave 'color' out"))


def _entry(registry: str, id_: str, fields: Fields, config: Config) -> Entry:
    fields.check_keys((id_,), ENTRY_FIELDS[registry], "field")
    languages = tuple(config.languages)
    listed = fields.get((id_, "aliases"))
    keys = ([(id_, "aliases", i) for i in range(len(listed))] if isinstance(listed, list)
            else [(id_, "aliases")])
    aliases = tuple(alias for key in keys if (alias := fields.text(key)))
    acled = None
    if fields.get((id_, "acled")) is not None:
        fields.check_keys((id_, "acled"), ACLED_FIELDS, "acled field")
        acled = {key: fields.text((id_, "acled", key), required=True) or "" for key in ACLED_FIELDS}
    return Entry(
        id=id_,
        name=fields.per_language((id_, "name"), languages, required=True),
        description=fields.per_language((id_, "description"), languages, required=False),
        within=fields.text((id_, "within")),
        lat=fields.number((id_, "lat"), *_LAT),
        lon=fields.number((id_, "lon"), *_LON),
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
        fields.error(key, N_("'{field}' is empty", field=f"{id_}.color"),
                     N_('quote the colour: color: "#8a5500" (after an unquoted # YAML sees a comment)'))
        return None
    value = fields.text(key)
    if value is None:
        return None
    if not COLOR.fullmatch(value.strip()):
        fields.error(key, N_("'{field}' must be a colour such as \"#8a5500\", not '{value}'",
                             field=f"{id_}.color", value=value),
                     N_('write it as "#" and six hexadecimal digits (red, green, blue), in quotes'))
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
            problems.error(path, line, N_("unknown place '{id}' in 'within'", id=shown(entry.within)),
                           did_you_mean(entry.within, entries))
            continue
        seen = [entry.id]
        current = entries[entry.within]
        while current.within in entries and current.id not in seen:
            seen.append(current.id)
            current = entries[current.within]
        if current.id in seen:
            problems.error(path, line, N_("place '{id}' is within itself: {chain}", id=entry.id,
                                          chain=" -> ".join([*seen, current.id])))
