"""A Dask worker that sets glaneur's stages up when it starts:

    dask worker tcp://HOST:8786 --preload pipeline.run.preload

loads the config named by the environment variable GLANEUR_CONFIG (a path; glaneur's shipped config when
unset), sets every stage up with its settings and loads what they load lazily (the spaCy model, the
gazetteer, the language detector), before the worker takes any task.  A run whose config gives the same
settings (the same fingerprint: values and data files' content) finds its stages ready, from its first
task; a run with other settings sets its own up at its first task, as without the preload.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def preload_stages(config_path: str | None = None) -> list[str]:
    """Set up and warm every stage of the config in this process, registered under the references a run
    sends; the names of the stages set up."""
    from ..config import load
    from ..stages import build
    from .executor import register

    config = load(Path(config_path)) if config_path else load(None)
    _, stages = build(config)
    for stage in stages:
        register(stage, config.settings(stage.name))
        if hasattr(stage, "warm"):
            stage.warm(shared=True)  # the worker stays up: everything its tasks may need, read now
    return [stage.name for stage in stages]


def dask_setup(worker: Any) -> None:
    """Dask's preload hook: called once as the worker starts."""
    preload_stages(os.environ.get("GLANEUR_CONFIG") or None)


def stages_ready() -> tuple[list[tuple[str, str]], int]:
    """What this process holds set up: (section, fingerprint) of each stage, and how many spaCy pipelines
    are loaded (`client.run(stages_ready)` asks every worker of a cluster)."""
    from ..classify.model import _MODELS
    from .executor import _STAGES

    return sorted((section, fingerprint) for _, section, fingerprint in _STAGES), len(_MODELS)
