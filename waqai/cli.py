"""Arguments -> a command -> an exit code: 0 done, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from waqai import commands
from waqai.config import PROJECT, BuildFailed, Config, UsageError, load_config
from waqai.i18n import load_translations
from waqai.problems import N_, Gettext, Problems, english, report, translated
from waqai.translations import status_json, status_text

COMMANDS = ("build", "check", "serve", "new", "status")
INTERFACE_LANGUAGES = ("ar", "en")
"""Languages the command line speaks: those of the project's catalogues."""
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the environment names its language, in gettext's order."""


def main(argv: Sequence[str]) -> int:
    """Run one command and return its exit code."""
    args = list(argv)
    if not args or args[0] not in (*COMMANDS, "-h", "--help"):
        args.insert(0, "build")
    options = _parser().parse_args(args)
    gettext = interface(interface_language(getattr(options, "ui", None), os.environ))
    try:
        return _run(options, gettext)
    except UsageError as exc:
        print(f"build.py: error: {translated(exc.args[0], gettext)}", file=sys.stderr)
        return 2
    except BuildFailed as exc:
        print(f"build.py: error: {translated(exc.args[0], gettext)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def interface_language(chosen: str | None, environ: Mapping[str, str]) -> str:
    """The language to speak to the editor in: the one chosen (--ui, or --lang
    on check and build), else the environment's (the first of LANGUAGE,
    LC_ALL, LC_MESSAGES and LANG that is set: Arabic if it starts with `ar`),
    else English."""
    if chosen:
        return chosen
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "").split(":")[0]
        if value:
            return "ar" if value.lower().startswith("ar") else "en"
    return "en"


def interface(lang: str) -> Gettext:
    """The catalogue lookup of the interface language (messages are written in English)."""
    return english if lang == "en" else load_translations(PROJECT / "locales", lang).gettext


def _run(options: argparse.Namespace, gettext: Gettext) -> int:
    base_url = getattr(options, "base_url", None)
    if options.command == "serve":  # the preview's own address, so that every link stays local
        base_url = f"http://{options.host}:{options.port}/"
    config, problems = load_config(Path(options.config), base_url=base_url)
    if config is None:
        return _finish(problems, "config", gettext)
    if options.command == "check":
        _, found = commands.check(config, drafts=options.drafts)
        return _finish(found, "check", gettext)
    if options.command == "build":
        out = Path(options.out) if options.out else config.output
        found = commands.build(config, out, drafts=options.drafts)
        code = _finish(found, "build", gettext)
        if code == 0:
            built = N_("built {folder}", folder=f"{config.relative(out.resolve()).as_posix()}/")
            print(built.translated(gettext), file=sys.stderr)
        return code
    if options.command == "new":
        print(config.relative(_new(config, options, gettext)).as_posix())
        return 0
    if options.command == "status":
        languages = [options.lang] if options.lang else list(config.languages)
        statuses, found = commands.status(config, languages)
        if found.has_errors:
            return _finish(found, "status", gettext)
        print(status_json(statuses) if options.json else status_text(statuses, gettext), end="")
        return 0
    from waqai.serve import serve  # watchfiles is only needed here

    return serve(config, host=options.host, port=options.port, drafts=options.drafts)


def _new(config: Config, options: argparse.Namespace, gettext: Gettext) -> Path:
    if options.translate:
        if options.id or options.date:
            raise UsageError(N_("new --translate ID takes no other id and no --date: "
                                "the translation's facts are its original's"))
        if not options.lang:
            raise UsageError(N_("new --translate ID needs --lang, the language to translate into"))
        return commands.new_translation(config, options.translate, options.lang, gettext)
    if not options.id:
        raise UsageError(N_("new needs an incident id (or --translate ID --lang L)"))
    return commands.new(config, options.id, options.lang or config.default_language, options.date, gettext)


def _finish(problems: Problems, what: str, gettext: Gettext) -> int:
    report(problems, sys.stderr, sys.stdout, github=os.environ.get("GITHUB_ACTIONS") == "true",
           gettext=gettext)
    errors = len(problems.errors)
    if errors:
        counts = {"errors": errors, "warnings": len(problems) - errors}
        total = (N_("{errors} error(s), {warnings} warning(s); nothing was written", **counts)
                 if what == "build" else N_("{errors} error(s), {warnings} warning(s)", **counts))
        print(total.translated(gettext), file=sys.stderr)
        return 1
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description="Build a bilingual chronology site.")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="validate, then build the whole site (default)")
    _config_option(build)
    build.add_argument("--out", help="output folder (default: output in config.yaml)")
    build.add_argument("--drafts", action="store_true", help="include incidents marked draft")
    build.add_argument("--base-url", help="absolute URL the site is published at")
    _interface_option(build, "--ui", "--lang")
    check = sub.add_parser("check", help="validate only")
    _config_option(check)
    check.add_argument("--drafts", action="store_true",
                       help="check drafts as if published (their problems are errors)")
    _interface_option(check, "--ui", "--lang")
    serve = sub.add_parser("serve", help="build, serve and rebuild on change")
    _config_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--drafts", action=argparse.BooleanOptionalAction, default=True,
                       help="show drafts, marked as drafts (default; --no-drafts: as published)")
    new = sub.add_parser("new", help="write a ready-to-edit incident, or a translation of one")
    new.add_argument("id", nargs="?", help="incident id, e.g. 2021-01-27-hasakah-protest")
    _config_option(new)
    new.add_argument("--translate", metavar="ID", help="write a translation of incident ID, beside it")
    new.add_argument("--lang", help="language of the file (default for an original: default_language)")
    new.add_argument("--date", help="date of the incident (default: today)")
    _interface_option(new, "--ui")
    status = sub.add_parser("status", help="untranslated and stale translations, per language")
    _config_option(status)
    status.add_argument("--lang", help="only this language")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    _interface_option(status, "--ui")
    return parser


def _interface_option(parser: argparse.ArgumentParser, *names: str) -> None:
    parser.add_argument(*names, dest="ui", choices=INTERFACE_LANGUAGES,
                        help="language of messages (default: the environment's, else English)")


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="config.yaml", help="path to config.yaml")
