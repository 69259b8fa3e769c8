"""Moodle's list of allowed grades (question_bank::fraction_options_full): one value off this list
and Moodle refuses the whole import file, so exports snap to it and imports check against it."""

from __future__ import annotations

# As Moodle stores them (seven decimals); written in percent with five (83.33333, not 83.3).
ALLOWED = (1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
           0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0)
_TOLERANCE = 1e-6


def percent(value: float) -> str:
    """A fraction from the list, in percent as Moodle writes it: '100', '33.33333', '-50'."""
    text = f"{value * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def share_of(n: int) -> float:
    """1/n on Moodle's list, rounded down to the nearest allowed value so shares never exceed 100%."""
    return max(v for v in ALLOWED if v <= 1 / n + _TOLERANCE)


def penalty_share(n: int) -> float:
    """The smallest allowed value of at least 1/n: n wrong options marked together cancel all credit."""
    return min(v for v in ALLOWED if v >= 1 / n - _TOLERANCE)


def allowed(fraction: float) -> bool:
    """Whether a fraction (0..1, negative for penalties) is on Moodle's list."""
    return any(abs(abs(fraction) - v) < _TOLERANCE for v in ALLOWED) and abs(fraction) <= 1 + _TOLERANCE


def listing() -> str:
    return ", ".join(percent(v) for v in ALLOWED)
