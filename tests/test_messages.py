"""Messages in the editor's language: check, build, new and status speak
Arabic or English (--lang/--ui, else the environment's locale), and keep
`PATH:LINE: error:` and the annotations as tools read them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PROTEST_AR, MakeSite
from test_cli import run
from test_locales import catalogue
from test_schemas import cases, site_with

from waqai import commands
from waqai.cli import interface, interface_language
from waqai.config import load_config
from waqai.problems import N_, Message, Problem, Problems, english

PROTEST = "content/incidents/2021/2021-01-27-protest.ar.md"
MISTYPED = {PROTEST: PROTEST_AR.replace("places: [hasakah]", "places: [hasaka]")}
UNKNOWN_PLACE_AR = (f"{PROTEST}:7: error: مكان غير معروف: 'hasaka'؛ هل تقصد 'hasakah'؟")


def test_a_message_is_english_text_that_remembers_its_template() -> None:
    message = N_("unknown {what} '{value}'", what=N_("place"), value="hasaka")
    assert message == "unknown place 'hasaka'"
    assert message.translated(english) == "unknown place 'hasaka'"
    assert message.translated({"unknown {what} '{value}'": "{what} غير معروف: '{value}'",
                               "place": "مكان"}.get) == "مكان غير معروف: 'hasaka'"


@pytest.mark.parametrize(("chosen", "environ", "expected"), [
    (None, {}, "en"),
    (None, {"LANG": "ar_SY.UTF-8"}, "ar"),
    (None, {"LANG": "C.UTF-8"}, "en"),
    (None, {"LC_MESSAGES": "ar_EG.UTF-8", "LANG": "en_GB.UTF-8"}, "ar"),
    (None, {"LC_ALL": "C", "LANG": "ar_SY.UTF-8"}, "en"),
    (None, {"LANGUAGE": "ar:en", "LANG": "en_US.UTF-8"}, "ar"),
    (None, {"LANGUAGE": "", "LANG": "ar"}, "ar"),
    ("en", {"LANG": "ar_SY.UTF-8"}, "en"),
    ("ar", {}, "ar"),
])
def test_the_interface_language(chosen: str | None, environ: dict[str, str], expected: str) -> None:
    assert interface_language(chosen, environ) == expected


def test_check_speaks_arabic_with_lang_ar(make_site: MakeSite) -> None:
    result = run(make_site(MISTYPED), "check", "--lang", "ar")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [UNKNOWN_PLACE_AR, "الأخطاء: 1، التحذيرات: 0"]


def test_the_locale_chooses_the_language_and_the_option_wins(make_site: MakeSite) -> None:
    root = make_site(MISTYPED)
    assert run(root, "check", locale={"LANG": "ar_SY.UTF-8"}).stderr.splitlines()[0] == UNKNOWN_PLACE_AR
    english_line = f"{PROTEST}:7: error: unknown place 'hasaka'; did you mean 'hasakah'?"
    assert run(root, "check", "--ui", "en", locale={"LANG": "ar_SY.UTF-8"}).stderr.splitlines()[0] \
        == english_line
    assert run(root, "check", locale={"LANGUAGE": "en", "LANG": "ar_SY.UTF-8"}).stderr.splitlines()[0] \
        == english_line


def test_annotations_carry_the_translated_message(make_site: MakeSite) -> None:
    result = run(make_site(MISTYPED), "check", "--lang", "ar", github=True)
    assert result.stdout.splitlines() == [
        f"::error file={PROTEST},line=7::مكان غير معروف: 'hasaka'؛ هل تقصد 'hasakah'؟"]


def test_build_speaks_arabic(make_site: MakeSite) -> None:
    root = make_site(MISTYPED)
    failed = run(root, "build", "--lang", "ar")
    assert failed.stderr.splitlines()[-1] == "الأخطاء: 1، التحذيرات: 0؛ لم يُكتب شيء"
    (root / PROTEST).write_text(PROTEST_AR.replace("\n    ", "\n").lstrip(), encoding="utf-8")
    built = run(root, "build", "--lang", "ar")
    assert (built.returncode, built.stderr) == (0, "بُني الموقع في site/\n")


def test_status_has_a_content_language_and_an_interface_language(make_site: MakeSite) -> None:
    result = run(make_site(), "status", "--lang", "en", "--ui", "ar")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "en: تُرجمت 1 من 2 واقعة و0 من 0 صفحة؛ بلا ترجمة: 1، ترجمات قديمة: 0، بلا translated_from: 1",
        "  واقعة بلا ترجمة 2021-01-siege: python build.py new --translate 2021-01-siege --lang en",
        "  واقعة بلا translated_from 2021-01-27-protest: content/incidents/2021/2021-01-27-protest.en.md: "
        "حين تطابق أصلها أضف 'translated_from: " + result.stdout.split("translated_from: ")[-1].strip(),
    ]


def test_new_writes_its_comments_in_the_interface_language(make_site: MakeSite) -> None:
    root = make_site()
    made = run(root, "new", "2021-02-01-x", "--date", "2021-02-01", "--ui", "ar")
    assert made.returncode == 0, made.stderr
    text = (root / made.stdout.strip()).read_text(encoding="utf-8")
    assert "# المعرّفات المتاحة، الأكثر استعمالًا أولًا (أسماؤها في content/*.yaml):" in text
    run(root, "new", "--translate", "2021-01-siege", "--lang", "en", "--ui", "ar")
    stub = (root / "content/incidents/2021/2021-01-siege.en.md").read_text(encoding="utf-8")
    assert stub.splitlines()[1] == ("# ترجمة للملف content/incidents/2021/2021-01-siege.ar.md (ar): "
                                    "ترجم كلماته ولا تُضف وقائع.")


def test_usage_errors_speak_arabic(make_site: MakeSite) -> None:
    result = run(make_site(), "new", "--translate", "2021-01-siege", "--ui", "ar")
    assert result.returncode == 2
    assert result.stderr == ("build.py: error: يحتاج new --translate ID إلى --lang، "
                             "أي اللغة التي تترجم إليها\n")


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    for english_text, arabic in catalogue("ar").items():
        for text in (arabic if isinstance(arabic, tuple) else (arabic,)):
            assert sorted(re.findall(r"\{(\w*)\}", str(text))) == sorted(
                re.findall(r"\{(\w*)\}", english_text)) or "%(" in english_text, english_text


def problems_of(root: Path) -> Problems:
    config, problems = load_config(root / "config.yaml")
    if config is not None:
        _, problems = commands.check(config)
    return problems


@pytest.mark.parametrize("case", [c for c in cases() if not c.values[0].is_valid])
def test_every_problem_of_the_bad_files_is_said_in_arabic(make_site: MakeSite, case: object) -> None:
    """Each problem is a Message (or made of them), and its Arabic differs from its English."""
    arabic = interface("ar")
    found: list[Problem] = list(problems_of(site_with(make_site, case.kind, case.text)))  # type: ignore[attr-defined]
    assert found
    for problem in found:
        assert isinstance(problem.message, Message), problem
        assert problem.hint is None or isinstance(problem.hint, Message), problem
        assert problem.text(arabic) != problem.text(english), problem
        assert re.search("[\u0600-\u06ff]", problem.text(arabic)), problem
