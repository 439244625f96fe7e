"""runlog: a terminal run-and-reflect logger."""

__version__ = "0.1.0"
