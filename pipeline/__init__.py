"""ictp: a statistics pipeline for ICT indicators."""

__version__ = "0.1.0"
