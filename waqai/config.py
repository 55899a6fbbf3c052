"""config.yaml -> Config, with every problem reported at its line."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError

from waqai import definitions
from waqai.definitions import LANGUAGE_CODE_PATTERN, names
from waqai.fields import Fields
from waqai.frontmatter import Document, Key, YamlError, parse_yaml
from waqai.geojson import NATURAL_EARTH, GeoJsonError, read_shapes
from waqai.problems import N_, Problems, did_you_mean

PROJECT = Path(__file__).resolve().parent.parent
"""The project folder: its templates/ and locales/ are the defaults."""

KEYS = names(definitions.CONFIG)
REQUIRED = tuple(f.name for f in definitions.CONFIG if f.is_required)
_LANGUAGE_CODE = re.compile(LANGUAGE_CODE_PATTERN)
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}
MAX_FILE_SIZE = 1 << 20
"""Default for `max_file_size`: 1 MB, a hundred times a long incident."""


WEIGHTS = names(definitions.WEIGHTS)
_WEIGHT_BOUNDS = definitions.WEIGHTS[0].bounds or (0, 0)
_TIME_SCALE_BOUNDS = definitions.field(definitions.RELATED, "time_scale").bounds or (0, 0)


@dataclass(frozen=True, slots=True)
class Related:
    """How computed related incidents are scored (config `related:`)."""

    count: int = 5
    """How many computed suggestions follow the explicit links."""
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "actors": 3.0, "places": 2.0, "tags": 2.0, "type": 1.0})
    """Score of one shared actor, place, tag, or the same type."""
    time_scale: float = 30.0
    """Days apart at which a score is halved: score / (1 + days / time_scale)."""


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


class BuildFailed(Exception):
    """A build stopped by something other than the content, before it wrote
    anything (exit code 1, as for content errors: nothing was written)."""


@dataclass(frozen=True, slots=True)
class Language:
    """One language of the site."""

    code: str
    """As in file names and URLs: `ar`."""
    locale: str
    """Babel locale for dates and names: `ar_SY`."""
    direction: Literal["ltr", "rtl"]


@dataclass(frozen=True, slots=True)
class Config:
    """The site's settings, checked and with paths made absolute."""

    path: Path
    title: Mapping[str, str]
    base_url: str
    """Absolute, always ending in `/`."""
    default_language: str
    languages: Mapping[str, Language]
    """In the order of config.yaml."""
    digits: Literal["latn", "arab"]
    timezone: str
    content: Path
    templates: Path
    locales: Path
    output: Path
    related: Related
    page_size: int
    """Cards per page on the timeline's periods and on registry pages; longer
    lists are split into pages."""
    basemap: Path = NATURAL_EARTH
    """The GeoJSON every map is drawn on (`basemap:`): the engine's Natural
    Earth outlines unless the site names its own."""
    max_file_size: int = MAX_FILE_SIZE
    """Bytes; a larger content file is refused before it is read."""

    @property
    def root(self) -> Path:
        """The folder of config.yaml: problem paths are relative to it."""
        return self.path.parent

    def relative(self, path: Path) -> Path:
        """`path` as shown in problems: relative to the config's folder if inside it."""
        try:
            return path.relative_to(self.root)
        except ValueError:
            return path


def load_config(path: Path, *, base_url: str | None = None) -> tuple[Config | None, Problems]:
    """Read and check config.yaml; None with problems when it is not usable."""
    path = path.resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(N_("cannot read config file {path}: {reason}", path=str(path),
                              reason=exc.strerror if isinstance(exc, OSError) else str(exc))) from exc
    problems = Problems()
    shown = Path(path.name)
    try:
        doc = parse_yaml(text)
    except YamlError as exc:
        problems.error(shown, exc.line, exc.message)
        return None, problems
    if base_url is not None and not _is_absolute_url(base_url):
        raise UsageError(N_("--base-url '{url}' is not an absolute http(s) URL", url=base_url))
    config = _check(doc, path, shown, base_url, problems)
    return (None if problems.has_errors else config), problems


def _check(
    doc: Document, path: Path, shown: Path, base_url: str | None, problems: Problems
) -> Config | None:
    data = doc.data
    if not isinstance(data, dict):
        problems.error(shown, 1, N_("config must be a mapping of settings"))
        return None
    for key in data:
        if key not in KEYS:
            problems.error(shown, doc.line((key,)), N_("unknown setting '{setting}'", setting=key),
                           did_you_mean(key, KEYS))
    for key in REQUIRED:
        if data.get(key) is None:
            problems.error(shown, 1, N_("missing setting '{setting}'", setting=key))
    fields = Fields(doc, shown, problems)
    for setting in definitions.CONFIG:
        if setting.kind in ("text", "url", "choice"):
            fields.text((setting.name,))  # a list or a mapping where text belongs
    languages = _languages(doc, shown, problems)
    # Codes as written, even those whose locale is wrong: that is reported once,
    # not again as a title or default_language in an unknown language.
    written = data.get("languages")
    codes = ([c for c in written if _LANGUAGE_CODE.fullmatch(c)] if isinstance(written, dict)
             else list(languages))
    default = _text(data.get("default_language")) or (codes[0] if codes else "")
    if codes and default not in codes:
        problems.error(shown, doc.line(("default_language",)),
                       N_("default_language '{language}' is not one of the languages: {languages}",
                          language=default, languages=", ".join(codes)),
                       did_you_mean(default, codes))
    title = _titles(doc, codes, shown, problems)
    url = base_url or _text(data.get("base_url")) or ""
    if base_url is None and url and not _is_absolute_url(url):
        problems.error(shown, doc.line(("base_url",)),
                       N_("base_url '{url}' must be an absolute http(s) URL", url=url))
    digits = _text(data.get("digits")) or "latn"
    if digits not in ("latn", "arab"):
        problems.error(shown, doc.line(("digits",)),
                       N_("digits must be 'latn' or 'arab', not '{digits}'", digits=digits))
    timezone = _text(data.get("timezone")) or "UTC"
    if not _is_timezone(timezone):
        problems.error(shown, doc.line(("timezone",)), N_("unknown timezone '{timezone}'", timezone=timezone),
                       N_("use an IANA name such as 'Asia/Damascus'"))
    root = path.parent
    content = _folder(doc, "content", root / "content", root, shown, problems)
    templates = _folder(doc, "templates", PROJECT / "templates", root, shown, problems)
    output = root / (_text(data.get("output")) or "site")
    related = _related(doc, shown, problems)
    page_size = _page_size(doc, shown, problems)
    max_file_size = _max_file_size(doc, shown, problems)
    return Config(
        path=path, title=title, base_url=url.rstrip("/") + "/", default_language=default,
        languages=languages, digits="arab" if digits == "arab" else "latn", timezone=timezone,
        content=content, templates=templates, locales=PROJECT / "locales", output=output,
        related=related, page_size=page_size, basemap=_basemap(doc, root, shown, problems),
        max_file_size=max_file_size,
    )


def _languages(doc: Document, shown: Path, problems: Problems) -> dict[str, Language]:
    data = doc.data.get("languages") if isinstance(doc.data, dict) else None
    if data is None:
        return {}
    if not isinstance(data, dict) or not data:
        problems.error(shown, doc.line(("languages",)),
                       N_("languages must map language codes to {example}", example="{locale: ...}"))
        return {}
    languages = {}
    for code, settings in data.items():
        line = doc.line(("languages", code))
        if not _LANGUAGE_CODE.fullmatch(code):
            problems.error(shown, line, N_("invalid language code '{code}'", code=code),
                           N_("use a lowercase ISO 639 code such as 'ar' or 'en'"))
            continue
        locale = code
        if isinstance(settings, dict):
            for key in settings:
                if key != "locale":
                    problems.error(shown, doc.line(("languages", code, key)),
                                   N_("unknown setting '{setting}' for language '{language}'",
                                      setting=key, language=code),
                                   did_you_mean(key, ["locale"]))
            Fields(doc, shown, problems).text(("languages", code, "locale"))
            locale = _text(settings.get("locale")) or code
        elif settings is not None:
            problems.error(shown, line, N_("language '{language}' must be a mapping such as {example}",
                                          language=code, example=f"{{locale: {code}}}"))
        try:
            parsed = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            problems.error(shown, doc.line(("languages", code, "locale")),
                           N_("unknown locale '{locale}'", locale=locale),
                           N_("use a locale such as 'ar_SY' or 'en'"))
            continue
        direction: Literal["ltr", "rtl"] = "rtl" if parsed.character_order == "right-to-left" else "ltr"
        languages[code] = Language(code, str(parsed), direction)
    return languages


def _titles(doc: Document, codes: list[str], shown: Path, problems: Problems) -> dict[str, str]:
    data = doc.data.get("title") if isinstance(doc.data, dict) else None
    if data is None or not codes:
        return {}  # without languages there is nothing to check the titles against
    if isinstance(data, str):
        return dict.fromkeys(codes, data)
    if not isinstance(data, dict):
        problems.error(shown, doc.line(("title",)), N_("title must be text or a mapping per language"))
        return {}
    for code in codes:
        if not _text(data.get(code)):
            problems.error(shown, doc.line(("title",)), N_("title has no '{language}' value", language=code))
    for code in data:
        if code not in codes:
            problems.error(shown, doc.line(("title", code)),
                           N_("title for unknown language '{language}'", language=code),
                           did_you_mean(code, codes))
    return {code: _text(data.get(code)) or "" for code in codes}


def _folder(doc: Document, key: str, default: Path, root: Path, shown: Path,
            problems: Problems) -> Path:
    value = _text(doc.data.get(key)) if isinstance(doc.data, dict) else None
    folder = (root / value) if value else default
    if not folder.is_dir():
        named = value or (folder.relative_to(root) if folder.is_relative_to(root) else folder)
        problems.error(shown, doc.line((key,)) if value else 1,
                       N_("{setting} folder '{folder}' does not exist", setting=key, folder=str(named)))
    return folder


def _related(doc: Document, shown: Path, problems: Problems) -> Related:
    fields = Fields(doc, shown, problems)
    if fields.get(("related",)) is None:
        return Related()
    if not isinstance(fields.get(("related",)), dict):
        fields.error(("related",), N_("related must be a mapping such as {example}", example="{count: 5}"))
        return Related()
    fields.check_keys(("related",), names(definitions.RELATED), "setting in 'related'")
    fields.check_keys(("related", "weights"), WEIGHTS, "weight")
    written = fields.get(("related", "weights"))
    if written is not None and not isinstance(written, dict):
        fields.error(("related", "weights"), N_("'{field}' must be a mapping such as {example}",
                                                field="related.weights", example="{actors: 3}"))
    default = Related()
    weights = {
        name: _weight(fields, ("related", "weights", name), default.weights[name]) for name in WEIGHTS
    }
    count = fields.count(("related", "count"))
    scale = fields.number(("related", "time_scale"), *_TIME_SCALE_BOUNDS)
    return Related(
        count=default.count if count is None else count,
        weights=weights,
        time_scale=default.time_scale if scale is None else scale,
    )


PAGE_SIZE = 50
"""Cards per page by default: a period or registry page of about 60 KB."""
PAGE_SIZES = definitions.PAGE_SIZES


def _page_size(doc: Document, shown: Path, problems: Problems) -> int:
    fields = Fields(doc, shown, problems)
    size = fields.count(("page_size",))
    if size is None:
        return PAGE_SIZE
    low, high = PAGE_SIZES
    if not low <= size <= high:
        fields.error(("page_size",), N_("page_size must be between {low} and {high}, not {size}",
                                        low=low, high=high, size=size))
        return PAGE_SIZE
    return size


def _basemap(doc: Document, root: Path, shown: Path, problems: Problems) -> Path:
    """The site's own base map, which must be GeoJSON outlines; else the engine's."""
    value = _text(doc.data.get("basemap")) if isinstance(doc.data, dict) else None
    if value is None:
        if isinstance(doc.data, dict) and doc.data.get("basemap") is not None:
            problems.error(shown, doc.line(("basemap",)), N_("basemap must be the path of a GeoJSON file"))
        return NATURAL_EARTH
    path = root / value
    try:
        read_shapes(path)
    except FileNotFoundError:
        problems.error(shown, doc.line(("basemap",)),
                       N_("basemap file '{path}' does not exist", path=value))
    except OSError as exc:
        problems.error(shown, doc.line(("basemap",)),
                       N_("cannot read basemap '{path}': {reason}", path=value, reason=str(exc.strerror)))
    except GeoJsonError as exc:
        problems.error(shown, doc.line(("basemap",)), N_("basemap '{path}' {problem}", path=value,
                                                         problem=str(exc)),
                       N_("give a GeoJSON file of Polygon, MultiPolygon or LineString outlines"))
    return path


def _max_file_size(doc: Document, shown: Path, problems: Problems) -> int:
    """`max_file_size: 1MB`, `500KB`, `2.5 MB` or a number of bytes (a KB is 1,024 bytes)."""
    value = doc.data.get("max_file_size") if isinstance(doc.data, dict) else None
    if value is None or isinstance(value, (list, dict)):  # a list or mapping is reported as such
        return MAX_FILE_SIZE
    match = _SIZE.fullmatch(value.strip()) if isinstance(value, str) else None
    size = int(float(match[1]) * _UNITS[(match[2] or "b").lower()]) if match else 0
    if size < 1:
        problems.error(shown, doc.line(("max_file_size",)),
                       N_("max_file_size must be a size such as 1MB or 500KB, not '{value}'",
                          value=str(value)))
        return MAX_FILE_SIZE
    return size


def _weight(fields: Fields, key: Key, default: float) -> float:
    value = fields.number(key, *_WEIGHT_BOUNDS)
    return default if value is None else value


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _is_absolute_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True
