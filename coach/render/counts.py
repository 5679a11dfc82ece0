"""A count with its noun, in the singular for one: "1 sentence", "3 warnings"."""

from __future__ import annotations


def counted(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
