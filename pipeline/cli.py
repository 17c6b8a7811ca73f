"""glaneur: French public-interest writing, from a raw/ folder to clean structured records.

Exit status: 0 done; 1 nothing found (a search without a match); 2 a usage
error or a fatal problem (bad config, unreadable input, unwritable output),
said in one line on stderr.
"""

from __future__ import annotations

import argparse
from dataclasses import asdict
import json
import os
import sys
from pathlib import Path
from typing import Any, Iterator

from . import __version__, api
from .config import ConfigError
from .messages import say

DEFAULT_CONFIG = "config/pipeline.toml"
# Every word the command line prints is a message id of the catalogue (messages.py): in French under a
# French locale.  argparse fills %(default)s in a help text itself.
DESCRIPTION = """glaneur: French public-interest writing, from a raw/ folder to clean structured records.

Exit status: 0 done; 1 nothing found (a search without a match); 2 a usage
error or a fatal problem (bad config, unreadable input, unwritable output),
said in one line on stderr."""
CONFIG_HELP = "config file (default %(default)s when it exists, else the one glaneur ships)"
EXAMPLES = """examples:
  glaneur run raw --out clean          refresh clean/ from raw/
  glaneur repair affiche.txt           the repaired text of one file
  glaneur annotate - < page.txt        language, entities and dates as JSON
  glaneur annotate --jsonl < in.jsonl  one JSON object per input line, the model loaded once
  glaneur search 'économie solidaire'  the best matching records of clean/
  glaneur export --format dc > dc.json the records as Dublin Core JSON-LD
"""


def _limit(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(say("must be a whole number from 1"))
    return number


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, say("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in the user's language: its titles, its help option and its error line (argparse's own
    error texts, "invalid choice: …", stay as Python writes them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, formatter_class=_Formatter, add_help=False, **kwargs)
        self._positionals.title = say("positional arguments")
        self._optionals.title = say("options")
        self.add_argument("-h", "--help", action="help", help=say("show this help message and exit"))

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(2, say("%(prog)s: error: %(message)s", prog=self.prog, message=message) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="glaneur", description=say(DESCRIPTION), epilog=say(EXAMPLES))
    parser.add_argument("--version", action="version", version=f"glaneur {__version__}",
                        help=say("show program's version number and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    config_help = say(CONFIG_HELP)

    run = sub.add_parser("run", help=say("refresh CLEAN_DIR from RAW_DIR"),
                         description=say("Refresh CLEAN_DIR from RAW_DIR: extract, repair, segment, deduplicate, "
                                         "classify, resolve names; nothing is redone for unchanged input."))
    run.add_argument("raw", nargs="?", default="raw", metavar="RAW_DIR",
                     help=say("input folder, walked recursively (default raw/)"))
    run.add_argument("--out", default="clean", metavar="CLEAN_DIR", help=say("output folder (default clean/)"))
    run.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=config_help)
    run.add_argument("--no-cache", action="store_true",
                     help=say("recompute every stage, do not read or write the cache"))
    run.add_argument("--force", action="store_true", help=say("rewrite CLEAN_DIR even when it is up to date"))
    run.add_argument("--quiet", action="store_true", help=say("no progress bar, no summary"))

    for name, text, description in (
            ("repair", say("print the repaired text of one file"), say("Print the repaired text of one file.")),
            ("annotate", say("print language, entities and dates of one text as JSON"),
             say("Print language, entities and dates of one text as JSON."))):
        one = sub.add_parser(name, help=text, description=description)
        one.add_argument("file", nargs="?", default="-", metavar="FILE",
                         help=say("a file of any supported format, or - for stdin (default)"))
        one.add_argument("--jsonl", action="store_true",
                         help=say('read JSON Lines on stdin ({"text": …, other fields kept}) and write one result '
                                  'per line, loading word lists and the model once'))
        one.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=config_help)

    search = sub.add_parser("search", help=say("print the records that best match a query"),
                            description=say("Print the records of CLEAN_DIR that best match QUERY. Words match "
                                            "with or without accents and ligatures (oeuvre finds œuvre); \"a "
                                            "phrase\", AND, OR, NOT, ( ) and prefix* are allowed."))
    search.add_argument("query", metavar="QUERY", help=say("the words to look for"))
    search.add_argument("--out", default="clean", metavar="CLEAN_DIR",
                        help=say("the CLEAN_DIR to search (default clean/)"))
    search.add_argument("--limit", type=_limit, default=10, metavar="N", help=say("at most N records (default 10)"))
    search.add_argument("--json", action="store_true", help=say("one JSON object per record instead of text"))

    cache = sub.add_parser("cache", help=say("look after the stage cache"),
                           description=say("The stage cache ([run] cache_dir): `prune` removes the entries no run "
                                           "has used for DAYS days."))
    cache.add_argument("action", choices=("prune",), help=say("prune: remove entries not used for DAYS days"))
    cache.add_argument("--days", type=float, default=30.0, metavar="DAYS",
                       help=say("remove entries no run has used for this many days (default 30; 0 empties the "
                                "cache)"))
    cache.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=config_help)
    cache.add_argument("--out", default="clean", metavar="CLEAN_DIR",
                       help=say("the output folder whose cache it is (a relative cache_dir lives beside it; "
                                "default: clean)"))

    export = sub.add_parser("export", help=say("print the records as JSON-LD for catalogue tools"),
                            description=say("Print the records of CLEAN_DIR as one JSON-LD document: schema.org "
                                            "(jsonld) or Dublin Core (dc), with title, dates, language, themes, "
                                            "places and their codes, organisations and people, and provenance."))
    export.add_argument("--format", choices=("jsonld", "dc"), default="jsonld",
                        help=say("vocabulary (default jsonld)"))
    export.add_argument("--out", default="clean", metavar="CLEAN_DIR",
                        help=say("the CLEAN_DIR to export (default clean/)"))
    export.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=config_help)
    return parser


def _print(text: str) -> None:
    """Always UTF-8 on stdout, whatever the locale says (a C locale would refuse "é"); written whole, or a
    BrokenPipeError when the reader has gone (a pipe may take part of a write and say nothing)."""
    data = memoryview((text + "\n").encode("utf-8", "surrogateescape"))
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture, an embedding program)
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    while data:
        data = data[os.write(fd, data):]


def _stdout_gone() -> bool:
    """Whether stdout is a pipe whose reader has gone (poll says so: POLLERR)."""
    try:
        import select

        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except (AttributeError, OSError, ValueError):
        return False


def _fail(message: str) -> int:
    print(say("%(prog)s: error: %(message)s", prog="glaneur", message=message), file=sys.stderr)
    return 2


def _read_text(file: str, config: Any) -> str:
    """The text of FILE as extraction gives it (any supported format); '-' reads the bytes of stdin as a
    .txt file, through the same decoding (byte-order mark, UTF-16, UTF-8, cp1252…)."""
    from .run.discover import read_regular

    if file == "-":
        return api.read_text(sys.stdin.buffer.read(), "stdin.txt", config)
    return api.read_text(read_regular(file), Path(file).name, config)


def _jsonl_input() -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(sys.stdin.buffer, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            raise ValueError(say("stdin line %(number)s: not JSON (%(why)s)", number=number, why=exc.msg)) from None
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise ValueError(say('stdin line %(number)s: expected an object with a "text" string', number=number))
        yield number, item


def _one_text(args: argparse.Namespace, config: Any) -> int:
    from .stage import Unreadable

    try:
        text = _read_text(args.file, config)
    except Unreadable as exc:
        return _fail(f"{args.file}: {exc}")
    except OSError as exc:
        return _fail(f"{args.file}: {exc.strerror or exc}")
    if args.command == "repair":
        _print(api.repair(text, config)[0])
    else:
        _print(json.dumps(api.annotate(text, config), ensure_ascii=False))
    return 0


def _many_texts(args: argparse.Namespace, config: Any) -> int:
    """--jsonl: each input object comes back with its fields and the result added, in input order."""
    process = api.repairer(config) if args.command == "repair" else api.annotator(config)
    try:
        for _, item in _jsonl_input():
            result = process(item["text"])
            if args.command == "repair":
                text, edits = result
                item = {**item, "text": text, "edits": [asdict(e) for e in edits]}
            else:
                item = {**item, **result}
            _print(json.dumps(item, ensure_ascii=False))
    except ValueError as exc:
        return _fail(str(exc))
    return 0


def _search(args: argparse.Namespace) -> int:
    from .outputs.sqlite import QueryError

    if not args.query.strip():
        return _fail(say("search: the query is empty"))
    try:
        hits = api.search(args.query, args.out, args.limit)
    except (FileNotFoundError, QueryError) as exc:
        return _fail(str(exc))
    for hit in hits:
        if args.json:
            _print(json.dumps(hit, ensure_ascii=False))
        else:
            _print(f"{hit['id']}  {hit['title'] or say('(untitled)')}  [{hit['path']}]")
            _print(f"    {' '.join(hit['snippet'].split())}")
    if not hits:
        print(say("glaneur: no record matches %(query)s", query=repr(args.query)), file=sys.stderr)
    return 0 if hits else 1


def main(argv: list[str] | None = None) -> int:
    """The command line.  Its output piped into a reader that stops early (`glaneur search … | head`) ends it
    quietly; Ctrl-C stops it with one line (a run's previous CLEAN_DIR stays whole, as after kill -9)."""
    try:
        return _main(argv)
    except BrokenPipeError:
        if not _stdout_gone():
            raise  # another pipe than the output's: not the reader's choice
        # the reader has gone: what was not written is not wanted; stdout pointed at nothing so that Python's
        # last flush does not fail again, and the status a shell gives a command stopped by SIGPIPE
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):
            pass
        return 141
    except KeyboardInterrupt:
        print(say("%(prog)s: interrupted; no output folder is left half-written (the next run puts the previous "
                  "one back if need be)", prog="glaneur"), file=sys.stderr)
        return 130


def _main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        if args.command == "search":
            return _search(args)
        config = api.load_config(args.config)
        if args.command == "cache":
            from .run.cache import cache_root, prune

            root = cache_root(config.section("run")["cache_dir"], Path(args.out))
            removed, freed = prune(root, max(0.0, args.days))
            print(say("glaneur: %(removed)s cache entries removed from %(root)s (%(size)s MB)", removed=removed,
                      root=root, size=f"{freed / 1024 / 1024:.1f}"), file=sys.stderr)
            return 0
        if args.command == "export":
            try:
                _print(json.dumps(api.export(args.format, args.out, config), ensure_ascii=False, indent=1))
            except FileNotFoundError as exc:
                return _fail(str(exc))
            return 0
        if args.command == "run":
            from .errors import FatalError

            try:
                api.run(args.raw, args.out, config, use_cache=not args.no_cache,
                        progress=not args.quiet, log=None if args.quiet else sys.stderr, force=args.force)
            except FatalError as exc:
                return _fail(str(exc))
            return 0
        return _many_texts(args, config) if args.jsonl else _one_text(args, config)
    except ConfigError as exc:
        return _fail(str(exc))
