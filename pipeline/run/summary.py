"""The run's summary on stderr: a table of stages, then the files quarantined or flagged.

Quarantined files are listed one by one (each needs looking at).  Flags are listed one by one while there are
few; past `SHOWN`, one line per kind of flag (its count and a first example, the rarest kind first, as in
the report), and a pointer to the manifest, which lists every one, and to the report: 2,000 scraped pages
flagged "no title" are a fact about the corpus, not 1,300 lines to scroll through."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..messages import count, decimal, reason, say, say_n, stage_name
from ..outputs.manifest import flags_by_kind

if TYPE_CHECKING:
    from . import RunResult

SHOWN = 10  # flags printed one by one; past that, counted by kind


def print_summary(result: "RunResult", seconds: float, log: TextIO) -> None:
    summary = result.manifest["summary"]
    heads = [say("stage"), say("files"), say("in"), say("out"), say("computed"), say("cached"), say("seconds")]
    names = [stage_name(st.name) for st in result.stats]
    widths = [max(len(h), w) for h, w in zip(heads, (max([12, *map(len, names)]), 6, 6, 6, 9, 7, 8))]
    print(_row(heads, widths), file=log)
    for name, st in zip(names, result.stats):
        print(_row([name, count(st.files) if st.files else "-", count(st.records_in) if st.records_in else "-",
                    count(st.records_out), count(st.computed), count(st.cached), decimal(st.seconds, 2)], widths),
              file=log)
    print(say("glaneur: %(files)s (%(ok)s, %(quarantined)s, %(skipped)s), %(records)s -> %(out)s in %(seconds)ss",
              files=say_n("%(n)s file", "%(n)s files", summary["files"]),
              ok=say_n("%(n)s ok", "%(n)s ok", summary["ok"]),
              quarantined=say_n("%(n)s quarantined", "%(n)s quarantined", summary["quarantined"]),
              skipped=say_n("%(n)s skipped", "%(n)s skipped", summary["skipped"]),
              records=say_n("%(n)s record", "%(n)s records", summary["records"]), out=result.out_dir,
              seconds=decimal(seconds, 1)), file=log)
    flags = []
    for f in result.manifest["files"]:
        if f["status"] == "quarantined":
            print(say("  quarantined %(path)s: %(reason)s", path=f["path"], reason=reason(f["reason"])), file=log)
        flags += [(f["path"], note) for note in f["flags"]]
    if len(flags) <= SHOWN:
        for path, note in flags:
            print(say("  flagged %(path)s: %(note)s", path=path, note=reason(note)), file=log)
        return
    kinds = [[(f["path"], note) for f, notes in group for note in notes]
             for group in flags_by_kind(result.manifest["files"]).values()]
    for found in sorted(kinds, key=len):  # the rarest first, as in the report; ties as they came
        path, note = found[0]
        print(say("  flagged %(count)s time(s), first %(path)s: %(note)s", count=count(len(found)), path=path,
                  note=reason(note)), file=log)
    print(say("  every flag is in %(manifest)s; the files to look at, kind by kind: %(report)s",
              report=result.out_dir / "report.html", manifest=result.out_dir / "manifest.json"), file=log)


def _row(cells: list[object], widths: list[int]) -> str:
    """A line of the table: the stage's name to the left of its column, the figures to the right."""
    return " ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(cells, widths)))
