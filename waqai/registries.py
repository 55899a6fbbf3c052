"""actors.yaml, places.yaml, types.yaml, tags.yaml -> checked registry entries."""

from __future__ import annotations

from pathlib import Path

from waqai.config import Config
from waqai.fields import Fields, shown, unknown_id
from waqai.frontmatter import Document
from waqai.load import ID, RawContent
from waqai.model import Entry
from waqai.problems import Problems

ENTRY_FIELDS = {
    "actors": ("name", "description"),
    "places": ("name", "description", "within", "lat", "lon", "aliases"),
    "types": ("name", "description", "acled"),
    "tags": ("name", "description"),
}
ACLED_FIELDS = ("event_type", "sub_event_type")


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
            fields.error((id_,), f"invalid id '{shown(id_)}'",
                         "use lowercase ASCII letters, digits and hyphens")
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
        lat=fields.number((id_, "lat"), -90, 90),
        lon=fields.number((id_, "lon"), -180, 180),
        aliases=aliases,
        acled=acled,
        line=fields.line((id_,)),
    )


def _check_within(entries: dict[str, Entry], doc: Document, path: Path, problems: Problems) -> None:
    """`within` must name another place, and the chain must not loop."""
    for entry in entries.values():
        if entry.within is None:
            continue
        line = doc.line((entry.id, "within"))
        if entry.within not in entries:
            message, hint = unknown_id("place", entry.within, entries)
            problems.error(path, line, f"{message} in 'within'", hint)
            continue
        seen = [entry.id]
        current = entries[entry.within]
        while current.within in entries and current.id not in seen:
            seen.append(current.id)
            current = entries[current.within]
        if current.id in seen:
            problems.error(path, line, f"place '{entry.id}' is within itself: "
                           f"{' -> '.join([*seen, current.id])}")
