"""The `coach` command line: one module per command, the group in app.py, shared options in options.py.
Argument handling only: loading, analysis and rendering live elsewhere."""

from .app import cli, main

__all__ = ["cli", "main"]
