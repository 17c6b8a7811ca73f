"""The pipeline: a plain list of stages, run in this order.

Every stage module has `NAME`, `VERSION` (bump it when its output changes,
so cached results are recomputed), `SECTIONS` (the config sections it reads),
`SCOPE` and one entry point `run(...)`:

* `file` scope: run on one input file at a time, cached per file (extract,
  which takes the file itself); file stages come first;
* `corpus` scope: run once on all records, because they learn from the whole
  corpus (repair learns site chrome, deduplicate compares records);
* `record` scope: run on records, cached per record (segment, which may split
  one record into several and says so with `SPLITS = True`, and classify).
"""

from . import classify, deduplicate, extract, repair, segment

STAGES = [extract, repair, segment, deduplicate, classify]
