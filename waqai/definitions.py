"""What an editor may write: every field of config.yaml, the registries and the
front matter, in one table.

The validator takes its field names, choices and bounds from here, and
`schemas.py` turns the same table into the JSON Schemas that editors' tools
read (schemas/*.schema.json), so the two cannot tell different stories.

Every scalar is read as the text the editor typed (see frontmatter.py), so a
kind says which texts are valid: `count` is "3", `date` is "2021", "2021-01" or
"2021-01-27". The schemas also accept what a YAML 1.2 tool makes of such text
(the number 3, the year 2021).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
"""An incident, page or registry entry id (an ASCII slug)."""
FINGERPRINT_PATTERN = r"[0-9a-f]{12}"
"""A translation's `translated_from`: 12 lowercase hexadecimal digits (see translations.py)."""
LANGUAGE_CODE_PATTERN = r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*"
"""A language code as in file names and URLs: `ar`, `en`, `ckb`."""

Kind = Literal[
    "text",          # any scalar, as text
    "date",          # YYYY, YYYY-MM or YYYY-MM-DD
    "day",           # YYYY-MM-DD
    "time",          # HH:MM, 24-hour
    "boolean",       # true or false
    "count",         # a whole number, zero to MAX_COUNT (within `bounds` if given)
    "number",        # a decimal number within `bounds`
    "choice",        # one of `choices`
    "url",           # an absolute http(s) URL
    "fingerprint",   # FINGERPRINT_PATTERN
    "id",            # one id of `refers_to`
    "ids",           # a list of ids of `refers_to` (one id alone counts as a list of one)
    "texts",         # a list of texts (one text alone counts as a list of one)
    "per_language",  # a mapping of language code to text
    "mapping",       # a mapping with exactly `fields`
    "mappings",      # a list of mappings with exactly `fields`
    "languages",     # config: language code -> {locale}
]


@dataclass(frozen=True, slots=True)
class Field:
    """One field an editor may write."""

    name: str
    kind: Kind
    description: str
    """One line, shown by editors' tools beside the field."""
    is_required: bool = False
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    """Lowest and highest value of a `count` or `number`."""
    fields: tuple[Field, ...] = ()
    """A mapping's own fields (for `mapping`, `mappings`, `languages`)."""
    refers_to: str | None = None
    """What an `id` or `ids` names: a registry ("places") or "incidents"."""
    is_unique: bool = True
    """For `ids`: whether an id listed twice is an error (else it is dropped)."""
    min_items: int = 0
    """For `mappings`: how many items at least."""
    default: str | None = None
    """The value taken when the field is absent, as written."""
    is_text_allowed: bool = False
    """For `per_language`: one text may stand for every language."""


def names(fields: tuple[Field, ...]) -> tuple[str, ...]:
    """The fields' names, in the table's order."""
    return tuple(f.name for f in fields)


def field(fields: tuple[Field, ...], name: str) -> Field:
    """The field called `name`."""
    return next(f for f in fields if f.name == name)


# Incidents and pages (front matter) --------------------------------------------------------------

TEXT = (
    Field("title", "text", "The title, in this file's language.", is_required=True),
    Field("summary", "text", "One or two sentences of plain text, for lists, feeds and previews."),
)
"""Fields of every incident and page file, original or translation."""

CORRECTION = (
    Field("date", "day", "When it was corrected or updated: YYYY-MM-DD (not in the future).",
          is_required=True),
    Field("note", "text", "What changed, in this file's language.", is_required=True),
)
INCIDENT_TEXT = (
    Field("corrections", "mappings", "Corrections and updates, each dated, with a note in this "
          "file's language (a translation gives the same dates as its original).", fields=CORRECTION),
)
"""Text fields of incident files only (not of plain pages)."""

TRANSLATION = (
    Field("translated_from", "fingerprint",
          "The fingerprint of the original's text this translation was made from "
          "(`python build.py status` shows the current one)."),
)
"""Fields of a translation only."""

SOURCE = (
    Field("url", "url", "Where the source can be read.", is_required=True),
    Field("publisher", "text", "Who published it.", is_required=True),
    Field("title", "text", "Its title, in its own language."),
    Field("date", "date", "When it was published: YYYY-MM-DD, YYYY-MM or YYYY."),
    Field("archive_url", "url", "An archived copy (web.archive.org, archive.today...)."),
)
MEDIA_KINDS = ("video", "image", "post")
MEDIA = (
    Field("kind", "choice", "What the link shows.", is_required=True, choices=MEDIA_KINDS),
    Field("url", "url", "Where it is: linked, never loaded by the page.", is_required=True),
    Field("caption", "text", "What it shows, in the original's language."),
    Field("credit", "text", "Who made it."),
)
MAX_COUNT = 1_000_000_000
"""The largest value of any `count` (unless its `bounds` say less): more is a
typing slip, and every JSON reader (the exports, JSON-LD) keeps a number this
size exactly."""
CASUALTIES = (
    Field("killed", "count", "People killed, as reported."),
    Field("injured", "count", "People injured, as reported."),
    Field("detained", "count", "People detained, as reported."),
)
VERIFICATION = ("verified", "reported", "disputed")

FACTS = (
    Field("date", "date", "When it happened: YYYY-MM-DD, YYYY-MM or YYYY (the precision is kept). "
          "The file with `date` is the incident's original.", is_required=True),
    Field("time", "time", "Local time, HH:MM (24-hour)."),
    Field("end_date", "date", "For what lasts: when it ended (not before `date`)."),
    Field("ongoing", "boolean", "true: still going on as of the latest source (not with `end_date`).",
          default="false"),
    Field("as_of", "date", "An ongoing incident: the last date it is known to be going on."),
    Field("type", "id", "A type id from types.yaml.", is_required=True, refers_to="types"),
    Field("places", "ids", "Place ids from places.yaml.", is_required=True, refers_to="places"),
    Field("actors", "ids", "Actor ids from actors.yaml.", refers_to="actors"),
    Field("tags", "ids", "Tag ids from tags.yaml.", refers_to="tags"),
    Field("related", "ids", "Ids of related incidents: the link shows on both.",
          refers_to="incidents", is_unique=False),
    Field("sources", "mappings", "Where the facts were reported: at least one, each with url and publisher.",
          is_required=True, fields=SOURCE, min_items=1),
    Field("casualties", "mapping", "Reported numbers.", fields=CASUALTIES),
    Field("media", "mappings", "External videos, images or posts.", fields=MEDIA),
    Field("verification", "choice", "How far the facts are confirmed.", choices=VERIFICATION,
          default="reported"),
    Field("updated", "day", "Date of the last substantive revision, YYYY-MM-DD."),
    Field("draft", "boolean", "true: left out of the site until it is ready.", default="false"),
)
"""Fields of an incident's original only: its facts."""

# Registries ---------------------------------------------------------------------------------------

ACLED = (
    Field("event_type", "text", "ACLED event type, such as Protests.", is_required=True),
    Field("sub_event_type", "text", "ACLED sub-event type, such as Peaceful protest.", is_required=True),
)
_NAME = Field("name", "per_language", "The name in every language of the site.", is_required=True)
_DESCRIPTION = Field("description", "per_language", "A few sentences per language, on the entry's page.")
ENTRY = {
    "actors": (_NAME, _DESCRIPTION),
    "places": (
        _NAME, _DESCRIPTION,
        Field("within", "id", "The id of a larger place.", refers_to="places"),
        Field("lat", "number", "Latitude (WGS84).", bounds=(-90, 90)),
        Field("lon", "number", "Longitude (WGS84).", bounds=(-180, 180)),
        Field("aliases", "texts", "Other spellings, in any language, that search finds."),
    ),
    "types": (_NAME, _DESCRIPTION,
              Field("acled", "mapping", "The ACLED codebook's names for this type (CSV export).",
                    fields=ACLED),
              Field("color", "text", "Its colour on cards and charts, quoted: \"#8a5500\" (the theme "
                    "adjusts it to meet the contrast rules).")),
    "tags": (_NAME, _DESCRIPTION),
}
"""Fields of a registry entry, per registry."""

# config.yaml --------------------------------------------------------------------------------------

WEIGHTS = (
    Field("actors", "number", "Score of one shared actor.", bounds=(0, 1000), default="3"),
    Field("places", "number", "Score of one shared place.", bounds=(0, 1000), default="2"),
    Field("tags", "number", "Score of one shared tag.", bounds=(0, 1000), default="2"),
    Field("type", "number", "Score of the same type.", bounds=(0, 1000), default="1"),
)
RELATED = (
    Field("count", "count", "Computed suggestions per incident.", default="5"),
    Field("weights", "mapping", "What each shared thing scores.", fields=WEIGHTS),
    Field("time_scale", "number", "Days apart at which a score is halved.", bounds=(1, 36500), default="30"),
)
PAGE_SIZES = (1, 1000)
"""The page sizes a config may set: a page of 1,000 cards is about 1 MB."""
CONFIG = (
    Field("title", "per_language", "The site's title, per language (or one for all).",
          is_required=True, is_text_allowed=True),
    Field("base_url", "url", "The absolute address the site is published at.", is_required=True),
    Field("default_language", "text", "The code of the first language (default: the first listed)."),
    Field("languages", "languages", "Language codes, each with its Babel locale.", is_required=True,
          fields=(Field("locale", "text", "A Babel locale such as ar_SY or en (default: the code)."),)),
    Field("digits", "choice", "arab: Arabic-Indic digits on the Arabic site.", choices=("latn", "arab"),
          default="latn"),
    Field("timezone", "text", "IANA time zone of `time` fields, such as Asia/Damascus.", default="UTC"),
    Field("content", "text", "Content folder, relative to this file.", default="content"),
    Field("templates", "text", "Templates folder, relative to this file (default: the project's own)."),
    Field("output", "text", "Output folder, relative to this file.", default="site"),
    Field("related", "mapping", "How related incidents are suggested.", fields=RELATED),
    Field("page_size", "count", "Cards per page on the timeline's periods and registry pages.",
          bounds=PAGE_SIZES, default="50"),
    Field("basemap", "text", "The site's own GeoJSON outlines for its maps, relative to this file."),
    Field("max_file_size", "text", "Larger content files are refused before they are read: 1MB, "
          "500KB, or a number of bytes.", default="1MB"),
)
"""Settings of config.yaml."""
