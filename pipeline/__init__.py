"""glaneur: raw/ folder of French public-interest writing -> clean structured records."""

__version__ = "0.1.0"
