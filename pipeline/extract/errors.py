"""The one exception extraction raises for a file it cannot read (defined with the Reader protocol)."""

from ..stage import Unreadable

__all__ = ["Unreadable"]
