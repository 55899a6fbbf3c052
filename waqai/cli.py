"""Arguments -> a command -> an exit code: 0 done, 1 content errors, 2 usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from waqai import commands
from waqai.config import UsageError, load_config
from waqai.problems import Problems, report

COMMANDS = ("build", "check", "serve", "new")


def main(argv: Sequence[str]) -> int:
    """Run one command and return its exit code."""
    args = list(argv)
    if not args or args[0] not in (*COMMANDS, "-h", "--help"):
        args.insert(0, "build")
    options = _parser().parse_args(args)
    try:
        return _run(options)
    except UsageError as exc:
        print(f"build.py: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _run(options: argparse.Namespace) -> int:
    base_url = getattr(options, "base_url", None)
    if options.command == "serve":  # the preview's own address, so that every link stays local
        base_url = f"http://{options.host}:{options.port}/"
    config, problems = load_config(Path(options.config), base_url=base_url)
    if config is None:
        return _finish(problems, "config")
    if options.command == "check":
        _, found = commands.check(config)
        return _finish(found, "check")
    if options.command == "build":
        out = Path(options.out) if options.out else config.output
        found = commands.build(config, out, drafts=options.drafts)
        code = _finish(found, "build")
        if code == 0:
            print(f"built {config.relative(out.resolve()).as_posix()}/", file=sys.stderr)
        return code
    if options.command == "new":
        path = commands.new(config, options.id, options.lang or config.default_language, options.date)
        print(config.relative(path).as_posix())
        return 0
    from waqai.serve import serve  # watchfiles is only needed here

    return serve(config, host=options.host, port=options.port)


def _finish(problems: Problems, what: str) -> int:
    report(problems, sys.stderr, sys.stdout, github=os.environ.get("GITHUB_ACTIONS") == "true")
    errors = len(problems.errors)
    if errors:
        warnings = len(problems) - errors
        tail = "; nothing was written" if what == "build" else ""
        print(f"{errors} error(s), {warnings} warning(s){tail}", file=sys.stderr)
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
    check = sub.add_parser("check", help="validate only")
    _config_option(check)
    serve = sub.add_parser("serve", help="build, serve and rebuild on change")
    _config_option(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    new = sub.add_parser("new", help="write a ready-to-edit incident")
    new.add_argument("id", help="incident id, e.g. 2021-01-27-hasakah-protest")
    _config_option(new)
    new.add_argument("--lang", help="language of the original (default: default_language)")
    new.add_argument("--date", help="date of the incident (default: today)")
    return parser


def _config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", default="config.yaml", help="path to config.yaml")
