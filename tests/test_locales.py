"""Interface strings: every string in the templates and code has an Arabic
translation, and the catalogues are up to date with `make messages`."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parent.parent


def extracted() -> set[str]:
    """msgids found in the sources, as `make messages` finds them."""
    with (PROJECT / "babel.cfg").open() as handle:
        methods, options = parse_mapping_cfg(handle)
    ids = set()
    for _, _, message, _, _ in extract_from_dir(str(PROJECT), methods, options):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def catalogue(lang: str) -> dict[str, object]:
    """msgid -> msgstr of one language's catalogue."""
    with (PROJECT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in catalog if m.id}


def test_every_interface_string_has_an_arabic_translation() -> None:
    arabic = catalogue("ar")
    missing = sorted(extracted() - set(arabic))
    assert missing == [], "run `make messages` and translate these"
    untranslated = sorted(k for k, v in arabic.items() if not (all(v) if isinstance(v, tuple) else v))
    assert untranslated == []


def test_catalogues_have_no_stale_strings() -> None:
    for lang in ("ar", "en"):
        assert sorted(set(catalogue(lang)) - extracted()) == [], lang
