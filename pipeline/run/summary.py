"""The run's summary on stderr: a table of stages, then the files quarantined or flagged."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from . import RunResult


def print_summary(result: "RunResult", seconds: float, log: TextIO) -> None:
    summary = result.manifest["summary"]
    print(f"{'stage':<12} {'files':>6} {'in':>6} {'out':>6} {'computed':>9} {'cached':>7} {'seconds':>8}", file=log)
    for st in result.stats:
        print(f"{st.name:<12} {st.files or '-':>6} {st.records_in or '-':>6} {st.records_out:>6} "
              f"{st.computed:>9} {st.cached:>7} {st.seconds:>8.2f}", file=log)
    print(f"glaneur: {summary['files']} files ({summary['ok']} ok, {summary['quarantined']} quarantined, "
          f"{summary['skipped']} skipped), {summary['records']} records -> {result.out_dir} in {seconds:.1f}s",
          file=log)
    for f in result.manifest["files"]:
        if f["status"] == "quarantined":
            print(f"  quarantined {f['path']}: {f['reason']}", file=log)
        for note in f["flags"]:
            print(f"  flagged {f['path']}: {note}", file=log)
