"""The one error that stops a run."""


class FatalError(Exception):
    """A problem that stops the run (bad config, unreadable RAW_DIR, unwritable CLEAN_DIR); its message is one
    actionable line."""
