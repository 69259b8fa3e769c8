"""Property tests of reading typed numbers: every way people write a number reads as that number,
and a cell with two different numbers is never read as either."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from examkit.grade.numeric import close, read_number

hundredths = st.integers(0, 9999).map(lambda n: Fraction(n, 10000))


@settings(max_examples=200, deadline=None)
@given(value=hundredths, words=st.sampled_from(["", "F1 = ", "precision is ", "answer: ", "about "]))
def test_every_notation_of_a_number_reads_as_it(value, words):
    x = float(value)
    written = [f"{x:.4f}", f"{x:.4f}".lstrip("0") if x < 1 else f"{x:.4f}", f"{100 * x:.2f}%", f"{100 * x:.2f} %",
               f"{x:.4f}".replace(".", ","), f"{100 * x:.2f} percent"]
    for text in written:
        number, why = read_number(words + text)
        assert number is not None and close(number, x), (words + text, number, why)


@settings(max_examples=100, deadline=None)
@given(numerator=st.integers(1, 99), denominator=st.integers(1, 99))
def test_fractions_are_divided_out(numerator, denominator):
    number, _ = read_number(f"{numerator}/{denominator}")
    assert close(number, numerator / denominator)


@settings(max_examples=200, deadline=None)
@given(a=hundredths, b=hundredths, joiner=st.sampled_from([" or ", ", maybe ", " / not ", " then "]))
def test_two_different_numbers_are_flagged_never_guessed(a, b, joiner):
    x, y = float(a), float(b)
    number, why = read_number(f"{x:.4f}{joiner}{y:.4f}")
    if close(x, y):
        assert number is not None and close(number, x)
    else:
        assert number is None and why.startswith("it reads as ")
