"""The pipeline: a reader, then a plain list of stages, run in this order.

extract (the reader: one raw file in, its record out) → repair → segment →
deduplicate → classify → resolve (one canonical name per thing across the corpus).  Each is built and set up with its own section of the
config by `build`, which also checks the order rules (pipeline/stage.py).
Bump a stage's `version` when its output changes, so cached results are
recomputed.
"""

from __future__ import annotations

from .classify import Classify
from .config import Config
from .deduplicate import Deduplicate
from .extract import Extract
from .repair import Repair
from .resolve import Resolve
from .segment import Segment
from .stage import Reader, Stage, check_pipeline

READER = Extract
STAGES = [Repair, Segment, Deduplicate, Classify, Resolve]


def build(config: Config) -> tuple[Reader, list[Stage]]:
    """The reader and the stages, each set up with its own settings (rules and word lists read now)."""
    reader = READER()
    reader.setup(config.settings(reader.name))
    stages: list[Stage] = [cls() for cls in STAGES]
    for stage in stages:
        stage.setup(config.settings(stage.name))
    check_pipeline(reader, stages)
    return reader, stages
