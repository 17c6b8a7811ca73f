"""The one exception extraction raises for a file it cannot read."""


class Unreadable(Exception):
    """The file cannot be read; its message is the one-line quarantine reason."""
