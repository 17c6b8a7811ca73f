"""Each stage's version, bumped when what it gives changes, so that cached results are recomputed and an
existing output is no longer up to date.  Kept here, in the pipeline's order, apart from the stages' code:
`glaneur run` on an output that is up to date reads them without importing every stage (each compiles its
patterns as it is imported: most of a no-change run's time)."""

VERSIONS = {
    "extract": "2",
    "repair": "18",
    "segment": "8",
    "deduplicate": "8",
    "classify": "18",
    "resolve": "3",
}

# The outputs' own version (records.jsonl's shape, corpus.sqlite, the report's pages, scripts and words), bumped
# when what they give changes without any stage's output changing, so that an existing CLEAN_DIR is no longer up
# to date: a fix to the report's search once left clean/ "up to date" with the old report.
OUTPUTS = "1"
