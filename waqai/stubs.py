"""The files `new` writes: a ready-to-edit original, and a translation stub.

Both carry what an editor needs as YAML comments, so that nobody has to open
four registries to write one incident, or the original to start translating:
an original lists the ids in use (the most used first), a translation the
original's title and summary, and the fingerprint of the text it starts from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from waqai.model import Entry, Incident
from waqai.problems import N_, Gettext, english
from waqai.translations import FIELD

_ORIGINAL = """\
---
title: ""
summary: ""
date: {date}
{ids}type: ""
places: []
actors: []
tags: []
related: []
sources:
  - url: https://
    publisher: ""
    date: {date}
verification: reported
draft: true
---
"""

_TRANSLATION = """\
---
# {about}
{comments}title: ""
summary: ""
{corrections}{field}: {fingerprint}
---
"""

WIDTH = 100
"""Comment lines are wrapped at this width."""


def original_stub(date: str, registries: Mapping[str, Mapping[str, Entry]],
                  incidents: Iterable[Incident], lang: str, gettext: Gettext = english) -> str:
    """A new original dated `date`, with the registries' ids as comments."""
    return _ORIGINAL.format(date=date, ids=id_comments(registries, incidents, lang, gettext))


def id_comments(registries: Mapping[str, Mapping[str, Entry]], incidents: Iterable[Incident],
                lang: str, gettext: Gettext = english) -> str:
    """Every registry's ids with their names in `lang`, the most used first
    (then by id), as comment lines: "# places: hasakah (الحسكة), qamishli (القامشلي)"."""
    used = uses(incidents)
    heading = N_("Ids to use, the most used first (names in {files}):", files="content/*.yaml")
    lines = [f"# {heading.translated(gettext)}"]
    for registry in ("types", "places", "actors", "tags"):  # as the fields come
        entries = registries.get(registry, {})
        if not entries:
            continue
        ordered = sorted(entries.values(), key=lambda e: (-used[registry, e.id], e.id))
        names = [f"{e.id} ({e.name[lang]})" if e.name.get(lang) else e.id for e in ordered]
        lines += _wrapped(f"# {'type' if registry == 'types' else registry}:", names)
    return "".join(f"{line}\n" for line in lines)


def _wrapped(start: str, items: list[str]) -> list[str]:
    """Comment lines holding `items`, comma-separated, none cut in two."""
    lines, line = [], start
    for i, item in enumerate(items):
        item += "," if i < len(items) - 1 else ""
        if line not in (start, "#  ") and len(line) + 1 + len(item) > WIDTH:
            lines.append(line)
            line = "#  "
        line += f" {item}"
    return [*lines, line]


def uses(incidents: Iterable[Incident]) -> Counter[tuple[str, str]]:
    """How many incidents use each (registry, id)."""
    counted: Counter[tuple[str, str]] = Counter()
    for incident in incidents:
        counted["types", incident.type] += 1
        for registry, ids in (("places", incident.places), ("actors", incident.actors),
                              ("tags", incident.tags)):
            counted.update((registry, id_) for id_ in ids)
    return counted


def translation_stub(original: Path, lang: str, title: str, summary: str, fingerprint: str,
                     gettext: Gettext = english,
                     corrections: Sequence[tuple[str, str]] = ()) -> str:
    """A translation of `original` (in `lang`) to fill in: its title and summary
    as comments, the dates of its corrections (each with the original's note
    as a comment: a translation gives the same dates), and the fingerprint of
    the text it is made from."""
    comments = [f"#   title: {' '.join(title.split())}"]
    if summary.strip():
        comments.append(f"#   summary: {' '.join(summary.split())}")
    about = N_("A translation of {original} ({language}): translate its words, add no facts.",
               original=original.as_posix(), language=lang).translated(gettext)
    dated = "".join(f"  # {' '.join(note.split())}\n  - date: {date}\n    note: \"\"\n"
                    for date, note in corrections)
    return _TRANSLATION.format(about=about,
                               comments="".join(f"{line}\n" for line in comments), field=FIELD,
                               fingerprint=fingerprint,
                               corrections=f"corrections:\n{dated}" if dated else "")
