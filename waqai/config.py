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

from waqai.fields import Fields
from waqai.frontmatter import Document, Key, YamlError, parse_yaml
from waqai.problems import Problems, did_you_mean

PROJECT = Path(__file__).resolve().parent.parent
"""The project folder: its templates/ and locales/ are the defaults."""

KEYS = (
    "title", "base_url", "default_language", "languages", "digits",
    "timezone", "content", "templates", "output", "related", "max_file_size",
)
REQUIRED = ("title", "base_url", "languages")
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}
MAX_FILE_SIZE = 1 << 20
"""Default for `max_file_size`: 1 MB, a hundred times a long incident."""


WEIGHTS = ("actors", "places", "tags", "type")


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
        raise UsageError(f"cannot read config file {path}: {exc}") from exc
    problems = Problems()
    shown = Path(path.name)
    try:
        doc = parse_yaml(text)
    except YamlError as exc:
        problems.error(shown, exc.line, exc.message)
        return None, problems
    if base_url is not None and not _is_absolute_url(base_url):
        raise UsageError(f"--base-url '{base_url}' is not an absolute http(s) URL")
    config = _check(doc, path, shown, base_url, problems)
    return (None if problems.has_errors else config), problems


def _check(
    doc: Document, path: Path, shown: Path, base_url: str | None, problems: Problems
) -> Config | None:
    data = doc.data
    if not isinstance(data, dict):
        problems.error(shown, 1, "config must be a mapping of settings")
        return None
    for key in data:
        if key not in KEYS:
            problems.error(shown, doc.line((key,)), f"unknown setting '{key}'", did_you_mean(key, KEYS))
    for key in REQUIRED:
        if data.get(key) is None:
            problems.error(shown, 1, f"missing setting '{key}'")
    languages = _languages(doc, shown, problems)
    # Codes as written, even those whose locale is wrong: that is reported once,
    # not again as a title or default_language in an unknown language.
    written = data.get("languages")
    codes = ([c for c in written if _LANGUAGE_CODE.fullmatch(c)] if isinstance(written, dict)
             else list(languages))
    default = _text(data.get("default_language")) or (codes[0] if codes else "")
    if codes and default not in codes:
        problems.error(shown, doc.line(("default_language",)),
                       f"default_language '{default}' is not one of the languages: {', '.join(codes)}",
                       did_you_mean(default, codes))
    title = _titles(doc, codes, shown, problems)
    url = base_url or _text(data.get("base_url")) or ""
    if base_url is None and url and not _is_absolute_url(url):
        problems.error(shown, doc.line(("base_url",)),
                       f"base_url '{url}' must be an absolute http(s) URL")
    digits = _text(data.get("digits")) or "latn"
    if digits not in ("latn", "arab"):
        problems.error(shown, doc.line(("digits",)), f"digits must be 'latn' or 'arab', not '{digits}'")
    timezone = _text(data.get("timezone")) or "UTC"
    if not _is_timezone(timezone):
        problems.error(shown, doc.line(("timezone",)), f"unknown timezone '{timezone}'",
                       "use an IANA name such as 'Asia/Damascus'")
    root = path.parent
    content = _folder(doc, "content", root / "content", root, shown, problems)
    templates = _folder(doc, "templates", PROJECT / "templates", root, shown, problems)
    output = root / (_text(data.get("output")) or "site")
    related = _related(doc, shown, problems)
    max_file_size = _max_file_size(doc, shown, problems)
    return Config(
        path=path, title=title, base_url=url.rstrip("/") + "/", default_language=default,
        languages=languages, digits="arab" if digits == "arab" else "latn", timezone=timezone,
        content=content, templates=templates, locales=PROJECT / "locales", output=output,
        related=related, max_file_size=max_file_size,
    )


def _languages(doc: Document, shown: Path, problems: Problems) -> dict[str, Language]:
    data = doc.data.get("languages") if isinstance(doc.data, dict) else None
    if data is None:
        return {}
    if not isinstance(data, dict) or not data:
        problems.error(shown, doc.line(("languages",)),
                       "languages must map language codes to {locale: ...}")
        return {}
    languages = {}
    for code, settings in data.items():
        line = doc.line(("languages", code))
        if not _LANGUAGE_CODE.fullmatch(code):
            problems.error(shown, line, f"invalid language code '{code}'",
                           "use a lowercase ISO 639 code such as 'ar' or 'en'")
            continue
        locale = code
        if isinstance(settings, dict):
            for key in settings:
                if key != "locale":
                    problems.error(shown, doc.line(("languages", code, key)),
                                   f"unknown setting '{key}' for language '{code}'",
                                   did_you_mean(key, ["locale"]))
            locale = _text(settings.get("locale")) or code
        elif settings is not None:
            problems.error(shown, line, f"language '{code}' must be a mapping such as {{locale: {code}}}")
        try:
            parsed = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            problems.error(shown, doc.line(("languages", code, "locale")), f"unknown locale '{locale}'",
                           "use a locale such as 'ar_SY' or 'en'")
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
        problems.error(shown, doc.line(("title",)), "title must be text or a mapping per language")
        return {}
    for code in codes:
        if not _text(data.get(code)):
            problems.error(shown, doc.line(("title",)), f"title has no '{code}' value")
    for code in data:
        if code not in codes:
            problems.error(shown, doc.line(("title", code)), f"title for unknown language '{code}'",
                           did_you_mean(code, codes))
    return {code: _text(data.get(code)) or "" for code in codes}


def _folder(doc: Document, key: str, default: Path, root: Path, shown: Path,
            problems: Problems) -> Path:
    value = _text(doc.data.get(key)) if isinstance(doc.data, dict) else None
    folder = (root / value) if value else default
    if not folder.is_dir():
        named = value or (folder.relative_to(root) if folder.is_relative_to(root) else folder)
        problems.error(shown, doc.line((key,)) if value else 1,
                       f"{key} folder '{named}' does not exist")
    return folder


def _related(doc: Document, shown: Path, problems: Problems) -> Related:
    fields = Fields(doc, shown, problems)
    if fields.get(("related",)) is None:
        return Related()
    if not isinstance(fields.get(("related",)), dict):
        fields.error(("related",), "related must be a mapping such as {count: 5}")
        return Related()
    fields.check_keys(("related",), ("count", "weights", "time_scale"), "setting in 'related'")
    fields.check_keys(("related", "weights"), WEIGHTS, "weight")
    default = Related()
    weights = {
        name: _weight(fields, ("related", "weights", name), default.weights[name]) for name in WEIGHTS
    }
    count = fields.count(("related", "count"))
    scale = fields.number(("related", "time_scale"), 1, 36500)
    return Related(
        count=default.count if count is None else count,
        weights=weights,
        time_scale=default.time_scale if scale is None else scale,
    )


def _max_file_size(doc: Document, shown: Path, problems: Problems) -> int:
    """`max_file_size: 1MB`, `500KB`, `2.5 MB` or a number of bytes (a KB is 1,024 bytes)."""
    value = doc.data.get("max_file_size") if isinstance(doc.data, dict) else None
    if value is None:
        return MAX_FILE_SIZE
    match = _SIZE.fullmatch(value.strip()) if isinstance(value, str) else None
    size = int(float(match[1]) * _UNITS[(match[2] or "b").lower()]) if match else 0
    if size < 1:
        problems.error(shown, doc.line(("max_file_size",)),
                       f"max_file_size must be a size such as 1MB or 500KB, not '{value}'")
        return MAX_FILE_SIZE
    return size


def _weight(fields: Fields, key: Key, default: float) -> float:
    value = fields.number(key, 0, 1000)
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
