"""The audit record of one answer (an Outcome and its responses.csv line): the share of points each
item type earns, numeric answers within their tolerance, voided items, grid cells as the audit shows
them, and a teacher's override.

Form A of tests/fixtures/grade/examset.json: 1 tok-single (key A), 2 tok-multiple (A,C), 3 life-order
(B,C,A,D), 4 life-match (1-B;2-A;3-D), 5 tok-short (chunking | chunks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.fileio import read_examset
from examkit.grade.key import ItemKey
from examkit.grade.score import ItemGrader, Rules, credit

EXAMSET = Path(__file__).parent / "fixtures" / "grade" / "examset.json"
PARTIAL = Rules(partial=frozenset({"multiple", "matching", "ordering"}))


@pytest.fixture(scope="module")
def form_a():
    return read_examset(EXAMSET).form("A").items


def key_of(form_a, position: int, **options) -> ItemKey:
    return ItemKey("A", form_a[position - 1], **options)


def numeric_key(form_a, **options) -> ItemKey:
    """Item 5 turned into a numeric item whose answer is 2.5, give or take 0.1."""
    item = form_a[4].model_copy(update={"type": "numeric", "answers": [], "number": 2.5, "tolerance": 0.1,
                                        "key": "2.5"})
    return ItemKey("A", item, **options)


def test_credit_is_a_share_from_nothing_to_all(form_a):
    single, multiple, ordering, matching, short = (key_of(form_a, n) for n in (1, 2, 3, 4, 5))
    assert [credit(single, frozenset(v), PARTIAL) for v in ("A", "B")] == [1.0, 0.0]
    assert [credit(multiple, frozenset(v), PARTIAL) for v in ("AC", "A", "ABC", "BD")] == [1.0, 0.5, 0.5, 0.0]
    assert credit(multiple, frozenset("A"), Rules()) == 0.0
    assert [credit(ordering, tuple(v), PARTIAL) for v in ("BCAD", "CADB", "BACD")] == [1.0, 2 / 3, 0.0]
    assert [credit(matching, v, PARTIAL) for v in (((1, "B"), (2, "A"), (3, "D")), ((1, "B"),))] == [1.0, 1 / 3]
    assert [credit(short, v, Rules()) for v in ((1, "chunks"), (None, "tokens"))] == [1.0, 0.0]
    numeric = numeric_key(form_a, extra=[4.0])
    assert [credit(numeric, v, Rules()) for v in (2.5, 2.59, 2.41, 2.65, 4.0, 4.05)] == [1, 1, 1, 0, 1, 0]


def test_a_numeric_answer_counts_within_its_tolerance_and_an_accepted_one_is_marked(form_a):
    grade = ItemGrader(numeric_key(form_a, extra=[4.0]), Rules(negative=0.5))
    outcomes = [grade(cell) for cell in ("2.58", "2.4", "2.7", "4", "")]
    assert [(o.result, o.points, o.method) for o in outcomes] == [
        ("correct", 1.0, "number"), ("correct", 1.0, "number"), ("wrong", -0.5, "number"),
        ("correct", 1.0, "number (accepted later)"), ("blank", 0.0, "blank")]
    assert outcomes[2].line == b"5,tok-short,mini:1.1,numeric,2.7,2.7,number,wrong,-0.5,1,\r\n"


def test_a_voided_item_is_worth_nothing_and_flags_nothing(form_a):
    grade = ItemGrader(key_of(form_a, 1, voided=True), Rules(negative=1))
    right, unclear = grade("A"), grade("E")
    assert (right.result, right.points, right.max_points, right.flag) == ("voided", 0.0, 0.0, "")
    assert (unclear.result, unclear.points, unclear.max_points, unclear.flag) == ("voided", 0.0, 0.0, "")
    assert unclear.line == b"1,tok-single,mini:1.1,single,E,,letter,voided,0,0,\r\n"
    assert ItemGrader(key_of(form_a, 1), Rules())("E").flag == "E is not an option letter (A-D)"


def test_grid_cells_are_shown_as_the_student_filled_them(form_a):
    order = ItemGrader(key_of(form_a, 3), Rules())(("rank-of-step", "2", " ", "1", ""))
    assert (order.raw, order.answer, order.result) == ("A: 2; C: 1", "C,A", "wrong")
    assert order.line == b'3,life-order,mini:1.2,ordering,A: 2; C: 1,"C,A",rank,wrong,0,1,\r\n'
    pairs = ItemGrader(key_of(form_a, 4), PARTIAL)(("premises", "B", "", "D"))
    assert (pairs.raw, pairs.answer, pairs.result, round(pairs.points, 4)) == ("1: B; 3: D", "1-B;3-D", "partial",
                                                                                0.6667)
    assert ItemGrader(key_of(form_a, 4), PARTIAL)("1-B; 3-D").raw == "1-B; 3-D"


def test_a_teachers_override_keeps_what_the_student_wrote_and_scores_the_decision(form_a):
    grade = ItemGrader(key_of(form_a, 2, voided=False), PARTIAL)
    settled = grade.settle("A or C?", "A")
    assert (settled.raw, settled.answer, settled.method, settled.result, settled.points, settled.max_points,
            settled.flag, settled.value, settled.blank) == (
        "A or C?", "A", "teacher override", "partial", 0.5, 1.0, "", frozenset("A"), False)
    assert settled.line == b"2,tok-multiple,mini:1.1,multiple,A or C?,A,teacher override,partial,0.5,1,\r\n"
    assert grade.settle("A or C?", "A") is settled  # one record per decision, counted once
    assert grade.settle("A or C?", "A,C").result == "correct"
    assert grade("A or C?").result == "review"  # the cell itself still reads as it did
    # A decision that itself needs review comes back flagged, and is not kept as the teacher's.
    unclear = grade.settle("A or C?", "Z")
    assert (unclear.method, unclear.result, unclear.flag) == ("letter", "review", "Z is not an option letter (A-E)")
    blank = grade.settle("", "")
    assert (blank.method, blank.result, blank.blank, blank.raw) == ("teacher override", "blank", True, "")
