"""The pipeline: a plain list of stages, run in this order.

Every stage module has `NAME`, `VERSION` (bump it when its output changes,
so cached results are recomputed), `SECTIONS` (the config sections it reads),
`SCOPE` and one entry point `run(...)`:

* `file` scope: run on the records of one input file at a time, cached per
  file (extract, which takes the file itself, repair, segment);
* `corpus` scope: run once on all records (deduplicate);
* `record` scope: run on records, cached per record (classify).
"""

from . import classify, deduplicate, extract, repair, segment

STAGES = [extract, repair, segment, deduplicate, classify]
