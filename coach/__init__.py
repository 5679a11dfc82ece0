"""coach: a local writing coach for residency applications."""

__version__ = "0.1.0"
