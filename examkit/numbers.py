"""How numbers are written in every file and page examkit makes: the CSV files, the report and
the rendered documents all use these, so a score reads the same everywhere."""

from __future__ import annotations

import functools


# Points take few distinct values, and grading writes some of them for every answer it reads.
@functools.lru_cache(maxsize=4096)
def format_number(value: float) -> str:
    """Points as people write them: 1, 0.5, 0.3333, never -0 or 1.0."""
    value = round(value + 0.0, 4) + 0.0
    if value == int(value):
        return str(int(value))
    return f"{value:.4f}".rstrip("0")


def plain_number(value: float) -> str:
    """A number as written in a key, every digit kept: 0.8, 1234567, 12345.67 (never 1.23457e+06 or -0)."""
    return f"{round(value, 10) + 0.0:.15g}"


def fixed(value: float | None, digits: int = 2) -> str:
    """A statistic with a fixed number of decimals; empty when there is none."""
    # round first, so a tiny negative value prints as 0.0, never -0.0
    return "" if value is None else f"{round(value, digits) + 0.0:.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    """A percentage with its sign, for pages: '82.5%'; empty when there is none."""
    return "" if value is None else f"{fixed(value, digits)}%"
