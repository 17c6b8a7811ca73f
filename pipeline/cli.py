"""Command line: `glaneur run|repair|annotate|search` (see ../shared/CONTRACT.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import api
from .config import ConfigError

DEFAULT_CONFIG = "config/pipeline.toml"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="glaneur", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="refresh CLEAN_DIR from RAW_DIR")
    run.add_argument("raw", nargs="?", default="raw", help="input folder, walked recursively (default raw/)")
    run.add_argument("--out", default="clean", help="output folder (default clean/)")
    run.add_argument("--config", default=DEFAULT_CONFIG, help=f"config file (default {DEFAULT_CONFIG})")
    run.add_argument("--no-cache", action="store_true", help="recompute every stage, do not read or write the cache")
    run.add_argument("--force", action="store_true", help="rewrite CLEAN_DIR even when it is up to date")
    run.add_argument("--quiet", action="store_true", help="no progress bar, no summary")

    for name, text in (("repair", "print the repaired text of one file"),
                       ("annotate", "print language, entities and dates of one text as JSON")):
        one = sub.add_parser(name, help=text)
        one.add_argument("file", nargs="?", default="-", help="a file of any supported format, or - for stdin")
        one.add_argument("--config", default=DEFAULT_CONFIG)

    search = sub.add_parser("search", help="print the records that best match a query")
    search.add_argument("query")
    search.add_argument("--out", default="clean", help="the CLEAN_DIR to search (default clean/)")
    search.add_argument("--limit", type=int, default=10)
    return parser


def _read_text(file: str, config) -> str:
    """The text of FILE as extraction gives it (any supported format); '-' reads the bytes of stdin as a
    .txt file, through the same decoding (byte-order mark, UTF-16, UTF-8, cp1252…)."""
    from .run.discover import read_regular

    if file == "-":
        return api.read_text(sys.stdin.buffer.read(), "stdin.txt", config)
    return api.read_text(read_regular(file), Path(file).name, config)


def _print(text: str) -> None:
    """Always UTF-8 on stdout, whatever the locale says (a C locale would refuse "é")."""
    sys.stdout.flush()
    sys.stdout.buffer.write((text + "\n").encode("utf-8", "surrogateescape"))
    sys.stdout.buffer.flush()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "search":
            return _search(args)
        config = api.load_config(args.config)
        if args.command == "run":
            from .errors import FatalError

            try:
                api.run(args.raw, args.out, config, use_cache=not args.no_cache,
                        progress=not args.quiet, log=None if args.quiet else sys.stderr, force=args.force)
            except FatalError as exc:
                print(f"glaneur: error: {exc}", file=sys.stderr)
                return 2
            return 0
        from .extract import Unreadable

        try:
            text = _read_text(args.file, config)
        except Unreadable as exc:
            print(f"glaneur: error: {args.file}: {exc}", file=sys.stderr)
            return 1
        except OSError as exc:
            print(f"glaneur: error: {args.file}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        if args.command == "repair":
            _print(api.repair(text, config)[0])
        else:
            _print(json.dumps(api.annotate(text, config), ensure_ascii=False))
        return 0
    except ConfigError as exc:
        print(f"glaneur: error: {exc}", file=sys.stderr)
        return 2


def _search(args) -> int:
    try:
        hits = api.search(args.query, args.out, args.limit)
    except FileNotFoundError as exc:
        print(f"glaneur: error: {exc}", file=sys.stderr)
        return 2
    for hit in hits:
        print(f"{hit['id']}  {hit['title'] or '(sans titre)'}  [{hit['path']}]")
        print(f"    {' '.join(hit['snippet'].split())}")
    if not hits:
        print(f"glaneur: no record matches {args.query!r}", file=sys.stderr)
    return 0 if hits else 1
