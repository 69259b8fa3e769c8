"""Edge cases of each pattern in grade/notation.py, and long cells that once took quadratic time.

Form A of the grading fixture (see test_grade_notation.py): 1 single (Tokens*), 2 multiple,
3 ordering (key B,C,A,D), 4 matching (key 1-B;2-A;3-D), 5 short (chunking | chunks).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from examkit.fileio import read_examset
from examkit.grade.key import ItemKey
from examkit.grade.notation import ANSWER, BLANK, UNREADABLE, SEPARATORS, notation, parse_rank, read_answer

EXAMSET = Path(__file__).parent / "fixtures" / "grade" / "examset.json"


@pytest.fixture(scope="module")
def form_a() -> dict[int, ItemKey]:
    return {item.position: ItemKey("A", item) for item in read_examset(EXAMSET).form("A").items}


def reads(key: ItemKey, cell) -> tuple[str, str]:
    reading = read_answer(key, cell)
    return reading.status, notation(key, reading)


@pytest.mark.parametrize("separator", list(SEPARATORS))
def test_every_separator_splits_texts_pairs_and_steps_alike(form_a, separator):
    assert reads(form_a[2], f"A token can be a whole word {separator} a token can be a single period") == (ANSWER, "A,C")
    assert reads(form_a[4], f"1-B{separator}2-A {separator} 3-D") == (ANSWER, "1-B;2-A;3-D")
    steps = separator.join(["Data selection", " Pre-training ", "Fine-tuning", "Evaluation"])
    assert reads(form_a[3], steps) == (ANSWER, "B,C,A,D")


@pytest.mark.parametrize("cell", [
    "1 - Learn broad patterns from large general-purpose data,  2 - Update the weights with a smaller "
    "task-specific dataset , 3-Integrate the model into production systems  ",
    "1) Learn broad patterns from large general-purpose data\t2) Update the weights with a smaller task-specific "
    "dataset\n3)Integrate the model into production systems",
    "1 -> Learn broad patterns from large general-purpose data, 2 => Update the weights with a smaller "
    "task-specific dataset, 3 \u2192 D",
])
def test_text_pairs_keep_their_words_and_drop_the_blanks_around_them(form_a, cell):
    assert reads(form_a[4], cell) == (ANSWER, "1-B;2-A;3-D")


@pytest.mark.parametrize(("cell", "rank"), [("#3", 3), ("no. 2", 2), ("3rd", 3), ("position 4", 4), ("2e", 2),
                                            (" 1. ", 1), ("second", 2), ("x3", None), ("", None)])
def test_ordinals(cell, rank):
    assert parse_rank(cell) == rank


@pytest.mark.parametrize("cell", ["(B) Chunks", "B) Chunks", "B. Chunks", "B: Chunks", "B - Chunks"])
def test_labelled_options(form_a, cell):
    assert reads(form_a[1], cell)[1] == "B"


@pytest.mark.parametrize("cell", ["Answer: B", "options = b", "Letter B"])
def test_a_word_announcing_the_answer_is_skipped(form_a, cell):
    assert reads(form_a[1], cell) == (ANSWER, "B")


@pytest.mark.parametrize("cell", ["_", "/", "\\", "*", "...", "\u2026", "\u2013", " ?? "])
def test_blank_marks(form_a, cell):
    assert reads(form_a[1], cell)[0] == BLANK


LONG = 40_000
SHAPES = {
    "blanks then a word": " " * LONG + "x",
    "a pair, blanks, a word": "1- x" + " " * LONG + "y",
    "tabs and blanks": "\t " * (LONG // 2) + "y",
    "a word, a comma, blanks": "x," + " " * LONG + "y",
    "pairs and blanks": "1-B" + " " * LONG + "2-A",
    "commas": "a, " * (LONG // 3),
    "dashes": "-" * LONG + "x",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_long_cells_read_in_linear_time(form_a, shape):
    cell = SHAPES[shape]
    started = time.perf_counter()
    for key in form_a.values():
        assert read_answer(key, cell).status in (ANSWER, BLANK, UNREADABLE, "ambiguous", "review")
    # A guard against the old quadratic splits (26 s on one cell), not a speed target.
    assert time.perf_counter() - started < 5
