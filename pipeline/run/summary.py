"""The run's summary on stderr: a table of stages, then the files quarantined or flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from ..messages import say

if TYPE_CHECKING:
    from . import RunResult


def print_summary(result: "RunResult", seconds: float, log: TextIO) -> None:
    summary = result.manifest["summary"]
    heads = [say("stage"), say("files"), say("in"), say("out"), say("computed"), say("cached"), say("seconds")]
    widths = [max(len(h), w) for h, w in zip(heads, (12, 6, 6, 6, 9, 7, 8))]
    print(_row(heads, widths), file=log)
    for st in result.stats:
        print(_row([st.name, st.files or "-", st.records_in or "-", st.records_out, st.computed, st.cached,
                    f"{st.seconds:.2f}"], widths), file=log)
    print(say("glaneur: %(files)s files (%(ok)s ok, %(quarantined)s quarantined, %(skipped)s skipped), %(records)s "
              "records -> %(out)s in %(seconds)ss", files=summary["files"], ok=summary["ok"],
              quarantined=summary["quarantined"], skipped=summary["skipped"], records=summary["records"],
              out=result.out_dir, seconds=f"{seconds:.1f}"), file=log)
    for f in result.manifest["files"]:
        if f["status"] == "quarantined":
            print(say("  quarantined %(path)s: %(reason)s", path=f["path"], reason=f["reason"]), file=log)
        for note in f["flags"]:
            print(say("  flagged %(path)s: %(note)s", path=f["path"], note=note), file=log)


def _row(cells: list[object], widths: list[int]) -> str:
    """A line of the table: the stage's name to the left of its column, the figures to the right."""
    return " ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(cells, widths)))
