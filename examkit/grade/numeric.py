"""Reading the number in what people type: `0.8`, `.80`, `80%`, `80 %`, `4/5`, `0,8`, `F1 = 0.80`.

A cell is searched for numbers that stand on their own (the 1 of `F1` or the 4 of `GPT-4` is
part of a word, not a number). A percent sign divides by 100, a fraction is divided out, and a
comma before one or two digits (or after a lone 0) is a decimal comma. `1,000` could be one
thousand or one with a decimal comma: it reads as both, so it is ambiguous. A cell whose numbers
disagree (`0.8 or 0.75`) is ambiguous too; the grader flags it rather than guess.
"""

from __future__ import annotations

import re

# A number not glued to a word on either side: an optional sign, digits with an optional
# decimal point or comma (or a bare decimal part), an optional "/ denominator", an optional %.
NUMBER = re.compile(r"""
    (?<![\w.,/-])                      # not the tail of a word, a number or a dash (GPT-4)
    (?P<sign>[-+\u2212])?
    (?P<whole>\d+)?
    (?:(?P<mark>[.,])(?P<part>\d+))?   # decimal part; a comma may be a thousands separator
    (?<=\d)                            # at least one digit so far
    (?:\s*/\s*(?P<den>\d+(?:\.\d+)?))? # a fraction such as 4/5
    (?P<pct>\s*(?:%|percent\b|per\s?cent\b))?
    (?![\w.,]*\d)                      # not followed by more of a word or number
    (?![A-Za-z])
""", re.X)


def candidates(match: re.Match) -> set[float]:
    """The values one written number may mean (two for `1,000`)."""
    whole, mark, part = match.group("whole") or "0", match.group("mark"), match.group("part")
    sign = -1.0 if match.group("sign") in ("-", "\u2212") else 1.0
    if mark is None:
        readings = {float(whole)}
    elif mark == ".":
        readings = {float(f"{whole}.{part}")}
    elif len(part) == 3 and whole != "0":
        readings = {float(f"{whole}.{part}"), float(whole + part)}  # decimal comma, or thousands
    else:
        readings = {float(f"{whole}.{part}")}
    if match.group("den"):
        denominator = float(match.group("den"))
        readings = {r / denominator for r in readings} if denominator else set()
    if match.group("pct"):
        readings = {r / 100 for r in readings}
    return {sign * r for r in readings}


def read_number(text: str) -> tuple[float | None, str]:
    """The number a cell holds, or None with the reason: no number, or more than one."""
    found = [candidates(m) for m in NUMBER.finditer(text)]
    values = set().union(*found) if found else set()
    distinct = sorted(_distinct(values))
    if not distinct:
        return None, "no number in it"
    if len(distinct) > 1:
        return None, f"it reads as {' or '.join(f'{v:g}' for v in distinct[:3])}"
    return distinct[0], ""


def _distinct(values: set[float]) -> list[float]:
    """Values with 0.8 and 0.80000000001 counted once."""
    kept: list[float] = []
    for value in sorted(values):
        if not kept or not close(kept[-1], value):
            kept.append(value)
    return kept


def close(a: float, b: float, tolerance: float = 0.0) -> bool:
    """Within the tolerance, allowing for floating point (80% is 0.8 exactly, as people mean it)."""
    return abs(a - b) <= tolerance + 1e-9 * max(1.0, abs(a), abs(b))
