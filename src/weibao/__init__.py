"""weibao (维保): operations-and-maintenance contract management for government IT."""

__version__ = "0.1.0"
