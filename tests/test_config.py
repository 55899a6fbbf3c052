"""waqai.config: config.yaml -> Config, every problem at its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CONFIG, MakeSite, config_of

from waqai.config import UsageError, load_config

# CONFIG's lines: 1 title, 2 base_url, 3 default_language, 4 languages, 5 ar,
# 6 en, 7 digits, 8 timezone.


def config_problems(root: Path) -> list[str]:
    """The config's problems as printed; the config must be unusable."""
    config, problems = load_config(root / "config.yaml")
    assert config is None
    return [str(p) for p in problems.sorted()]


def test_the_test_config_is_valid(make_site: MakeSite) -> None:
    config, problems = load_config(make_site() / "config.yaml")
    assert config is not None
    assert list(problems) == []


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("timezone: Asia/Damascus", "timezone: Asia/Damascus\ntimezon: UTC",
     "config.yaml:9: error: unknown setting 'timezon'; did you mean 'timezone'?"),
    ("  en: {locale: en}", "  en: {locale: english}",
     "config.yaml:6: error: unknown locale 'english'; use a locale such as 'ar_SY' or 'en'"),
    ("  en: {locale: en}", "  en: {locale: en, locle: en}",
     "config.yaml:6: error: unknown setting 'locle' for language 'en'; did you mean 'locale'?"),
    ("default_language: ar", "default_language: fr",
     "config.yaml:3: error: default_language 'fr' is not one of the languages: ar, en"),
    ("default_language: ar", "default_language: ara",
     "config.yaml:3: error: default_language 'ara' is not one of the languages: ar, en; "
     "did you mean 'ar'?"),
    ("base_url: https://example.org/chronology/", "base_url: /chronology/",
     "config.yaml:2: error: base_url '/chronology/' must be an absolute http(s) URL"),
    ("base_url: https://example.org/chronology/", "base_url: example.org/chronology/",
     "config.yaml:2: error: base_url 'example.org/chronology/' must be an absolute http(s) URL"),
    ("digits: latn", "digits: arabic",
     "config.yaml:7: error: digits must be 'latn' or 'arab', not 'arabic'"),
    ("timezone: Asia/Damascus", "timezone: Asia/Damascos",
     "config.yaml:8: error: unknown timezone 'Asia/Damascos'; use an IANA name such as 'Asia/Damascus'"),
    ("timezone: Asia/Damascus", "timezone: Asia/Damascus\ncontent: contents",
     "config.yaml:9: error: content folder 'contents' does not exist"),
    ("title: {ar: وقائع تجريبية, en: Test Chronicle}", "title: {ar: وقائع تجريبية}",
     "config.yaml:1: error: title has no 'en' value"),
    ("timezone: Asia/Damascus", "timezone: Asia/Damascus\nrelated: {count: many}",
     "config.yaml:9: error: 'related.count' must be a whole number of zero or more, not 'many'"),
    ("timezone: Asia/Damascus", "timezone: Asia/Damascus\nrelated: {count: 5",
     "config.yaml:10: error: malformed YAML: did not find expected ',' or '}'"),
    ("languages:\n  ar: {locale: ar_SY}\n  en: {locale: en}", "languages: [ar, en]",
     "config.yaml:4: error: languages must map language codes to {locale: ...}"),
    ("timezone: Asia/Damascus", "timezone: Asia/Damascus\npage_size: 0",
     "config.yaml:9: error: page_size must be between 1 and 1000, not 0"),
    ("timezone: Asia/Damascus", "timezone: Asia/Damascus\npage_size: lots",
     "config.yaml:9: error: 'page_size' must be a whole number of zero or more, not 'lots'"),
], ids=["unknown-setting", "unknown-locale", "unknown-language-setting",
        "default-not-a-language", "default-did-you-mean", "relative-base-url", "base-url-no-scheme",
        "bad-digits", "unknown-timezone", "no-content-folder", "title-missing-a-language",
        "bad-related-count", "malformed-yaml", "languages-as-list", "page-size-zero",
        "page-size-not-a-number"])
def test_a_config_problem(make_site: MakeSite, old: str, new: str, expected: str) -> None:
    assert old in CONFIG
    root = make_site(config=CONFIG.replace(old, new))
    assert config_problems(root) == [expected]


def test_page_size_default_and_setting(make_site: MakeSite) -> None:
    default, _ = load_config(make_site() / "config.yaml")
    assert default is not None and default.page_size == 50
    root = make_site(config=CONFIG + "page_size: 10\n")
    config, _ = load_config(root / "config.yaml")
    assert config is not None and config.page_size == 10


def test_a_misspelled_languages_setting(make_site: MakeSite) -> None:
    config = CONFIG.replace("languages:", "langauges:")
    assert config_problems(make_site(config=config)) == [
        "config.yaml:1: error: missing setting 'languages'",
        "config.yaml:4: error: unknown setting 'langauges'; did you mean 'languages'?",
    ]


def test_a_bad_locale_is_reported_once(make_site: MakeSite) -> None:
    config = CONFIG.replace("ar: {locale: ar_SY}", "ar: {locale: xx_YY}")
    assert config_problems(make_site(config=config)) == [
        "config.yaml:5: error: unknown locale 'xx_YY'; use a locale such as 'ar_SY' or 'en'",
    ]


def test_the_default_content_folder_must_exist(make_site: MakeSite) -> None:
    registries = ("types", "places", "actors", "tags")
    root = make_site(basic=False, files={f"content/{name}.yaml": None for name in registries})
    assert not (root / "content").exists()
    assert config_problems(root) == ["config.yaml:1: error: content folder 'content' does not exist"]


def test_an_empty_config(make_site: MakeSite) -> None:
    assert config_problems(make_site(config="")) == [
        "config.yaml:1: error: config must be a mapping of settings",
    ]


def test_every_required_setting_is_named(make_site: MakeSite) -> None:
    assert config_problems(make_site(config="digits: latn\n")) == [
        "config.yaml:1: error: missing setting 'title'",
        "config.yaml:1: error: missing setting 'base_url'",
        "config.yaml:1: error: missing setting 'languages'",
    ]


def test_a_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"^cannot read config file .*nowhere\.yaml"):
        load_config(tmp_path / "nowhere.yaml")


def test_base_url_gets_a_final_slash(make_site: MakeSite) -> None:
    config = CONFIG.replace("https://example.org/chronology/", "https://example.org/chronology")
    assert config_of(make_site(config=config)).base_url == "https://example.org/chronology/"


def test_base_url_override_wins(make_site: MakeSite) -> None:
    config = config_of(make_site(), base_url="http://localhost:8000")
    assert config.base_url == "http://localhost:8000/"


def test_base_url_override_is_used_even_if_the_configured_one_is_bad(make_site: MakeSite) -> None:
    root = make_site(config=CONFIG.replace("https://example.org/chronology/", "/chronology/"))
    assert config_of(root, base_url="https://preview.example/").base_url == "https://preview.example/"


def test_a_relative_base_url_override_is_a_usage_error(make_site: MakeSite) -> None:
    with pytest.raises(UsageError, match=r"^--base-url '/preview/' is not an absolute http\(s\) URL$"):
        load_config(make_site() / "config.yaml", base_url="/preview/")


def test_direction_comes_from_the_locale(make_site: MakeSite) -> None:
    config = config_of(make_site())
    assert [(lang.code, lang.locale, lang.direction) for lang in config.languages.values()] == [
        ("ar", "ar_SY", "rtl"), ("en", "en", "ltr"),
    ]


def test_settings_and_paths(make_site: MakeSite) -> None:
    root = make_site()
    config = config_of(root)
    assert (config.default_language, config.digits, config.timezone) == ("ar", "latn", "Asia/Damascus")
    assert config.content == root.resolve() / "content"
    assert config.output == root.resolve() / "site"
    assert config.related.count == 5
    assert config.relative(root.resolve() / "content" / "tags.yaml") == Path("content/tags.yaml")
