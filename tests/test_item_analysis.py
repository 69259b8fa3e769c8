"""The item analysis of a graded class: what students chose per item, the flags a teacher reads, and
the form statistics, on real cells read by the grader (the formulas are checked in test_analysis.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.fileio import read_examset
from examkit.generate import generate_examset
from examkit.grade import GradeOptions, grade_files
from examkit.grade.analysis import ItemStatistics, analyse_run, choice_counts, item_flags, item_statistics
from examkit.grade.key import ItemKey
from examkit.grade.score import ItemGrader, Rules
from examkit.models import Blueprint

from .fixtures.grade.support import write_sheet
from .fixtures.numbers import PLAIN_NUMBER_ITEM

FIXTURES = Path(__file__).parent / "fixtures"
EXAMSET = read_examset(FIXTURES / "grade" / "examset.json")
# Form A: 1 single (key A, options A-D), 2 multiple (A,C of A-E), 3 ordering (B,C,A,D),
# 4 matching (1-B;2-A;3-D, responses A-D), 5 short (chunking | chunks), 6 single (B), 7 short (feedback).
FORM_A = EXAMSET.form("A").items


def counted(position: int, cells: dict[str, int], accept: tuple[str, ...] = ()) -> list[tuple[str, int, bool]]:
    """choice_counts of form A's item at `position`, for cells as the grader reads them, each written by n students."""
    key = ItemKey("A", FORM_A[position - 1])
    for answer in accept:
        key.accept_text(answer)
    grader = ItemGrader(key, Rules())
    return choice_counts(key, Counter({grader(cell): n for cell, n in cells.items()}))


def test_options_count_every_way_a_letter_was_written_and_blanks_and_reviews_apart():
    # "A", "a" and the text "Tokens" are all option A: 3 + 2 + 1 = 6. "" and "-" are both blank: 2 + 1.
    # "Z" (no such option) and "A or B" (two answers to a single-choice item) both go to review: 1 + 2.
    choices = counted(1, {"A": 3, "a": 2, "Tokens": 1, "B": 1, "": 2, "-": 1, "Z": 1, "A or B": 2})
    assert choices == [("A", 6, True), ("B", 1, False), ("C", 0, False), ("D", 0, False),
                       ("blank", 3, False), ("to review", 3, False)]


def test_a_multiple_choice_answer_counts_for_each_letter_it_gives():
    # "A,C" x3 and "A,B" x1 -> A 4, B 1, C 3; "C" x2 -> C 5. The key is A and C.
    assert counted(2, {"A,C": 3, "A,B": 1, "C": 2}) == [
        ("A", 4, True), ("B", 1, False), ("C", 5, True), ("D", 0, False), ("E", 0, False)]


def test_a_matching_answer_counts_each_response_it_uses():
    # "BAD" x2 and "1-B;2-A;3-D" x1 are the key (B, A, D used once each); "ABD" x1 uses them too.
    # Response C belongs to no premise: it is the distractor.
    assert counted(4, {"BAD": 2, "1-B;2-A;3-D": 1, "ABD": 1}) == [
        ("A", 4, True), ("B", 4, True), ("C", 0, False), ("D", 4, True)]


def test_orders_show_the_five_given_most_often():
    # "BCAD" x3 and "B,C,A,D" x1 are one order: 4. Then 2, 2 (ties alphabetically), 1, 1; the sixth is cut.
    choices = counted(3, {"BCAD": 3, "B,C,A,D": 1, "DCBA": 2, "CBAD": 2, "ADBC": 1, "ACBD": 1, "ABCD": 1})
    assert choices == [("B,C,A,D", 4, True), ("C,B,A,D", 2, False), ("D,C,B,A", 2, False),
                       ("A,B,C,D", 1, False), ("A,C,B,D", 1, False)]


def test_typed_answers_show_the_five_given_most_often_as_accepted_or_typed():
    # "chunking", "Chunking" and the typo "chunkng" all read as the accepted "chunking": 2 + 1 + 1.
    # Unaccepted texts are grouped whatever their case: "vectors" 2 + "Vectors" 2 = 4.
    # "chunkz" is too close to call: to review. "tokens" is the sixth and is cut.
    choices = counted(5, {"chunking": 2, "Chunking": 1, "chunkng": 1, "vectors": 2, "Vectors": 2, "chunks": 1,
                          "embedding": 1, "prompt": 1, "tokens": 1, "chunkz": 1})
    assert choices == [("chunking", 4, True), ("vectors", 4, False), ("chunks", 1, True), ("embedding", 1, False),
                       ("prompt", 1, False), ("to review", 1, False)]
    # An answer accepted afterwards (--accept) is shown as the teacher wrote it, and as right.
    assert counted(5, {"RAG": 2, "chunks": 1}, accept=("RAG",)) == [("RAG", 2, True), ("chunks", 1, True)]


NUMBERS_ITEM = "items:\n" + PLAIN_NUMBER_ITEM


def test_a_numeric_item_is_analysed_by_the_numbers_given(tmp_path, write_items):
    # Before, the analysis of any exam with a numeric item stopped on a TypeError (a number has no [0]).
    bank = write_items(NUMBERS_ITEM, "numbers.yaml")
    examset = generate_examset(load_bank([bank]), Blueprint(title="Bytes", items=1), forms=1, seed=1)
    # "8" and "8.0" are the same number; "9" is wrong; "8 or 9" is two numbers, for a person to read.
    sheet = write_sheet(tmp_path / "bytes.csv", [["s1", "A", "8"], ["s2", "A", "8.0"], ["s3", "A", "9"],
                                                 ["s4", "A", "8 or 9"]], positions=1)
    (analysis,) = analyse_run(grade_files(examset, [sheet]))
    (item,) = analysis.items
    assert item.choices == [("8", 2, True), ("9", 1, False), ("to review", 1, False)]
    assert item.stats.facility == pytest.approx(50.0)


# A class of 30 on form A (30 is the smallest class whose discrimination and distractors are judged):
#   12 strong students get all 7 items (total 7); 6 write item 5 as "chunking", 6 as "Chunking",
#   10 get items 1, 4, 5, 7 (total 4),
#    8 get nothing (total 0).
STRONG = ["A", "A,C", "BCAD", "BAD", "chunking", "B", "feedback"]
MIDDLE = ["A", "A,B", "CBAD", "BAD", "chunks", "A", "feedback stage"]
WEAK = ["B", "C", "DCBA", "ABD", "embedding", "", "x"]


def graded_class(tmp_path, options: GradeOptions | None = None):
    rows = [[f"s{n}", "A", *STRONG] for n in range(6)]
    rows += [[f"s{n}", "A", *STRONG[:4], "Chunking", *STRONG[5:]] for n in range(6, 12)]
    rows += [[f"s{n}", "A", *MIDDLE] for n in range(12, 22)]
    rows += [[f"s{n}", "A", *WEAK] for n in range(22, 30)]
    sheet = write_sheet(tmp_path / "class.csv", rows)
    return analyse_run(grade_files(EXAMSET, [sheet], options))


def test_the_analysis_of_a_class_of_thirty(tmp_path):
    (form_a,) = graded_class(tmp_path)
    # Totals: 12 x 7, 10 x 4, 8 x 0 -> mean (84 + 40) / 30 = 4.1333; places 14 and 15 of 30 in order are both 4.
    test = form_a.test
    assert (test.n, test.items, test.max_points, test.median, test.minimum, test.maximum) == (30, 7, 7, 4, 0, 7)
    assert test.mean == pytest.approx(124 / 30)
    first, second, third, fourth, fifth, sixth, seventh = form_a.items
    assert (first.form, first.position, first.item_id, first.objective, first.type) == (
        "A", 1, "tok-single", "mini:1.1", "single")
    assert first.stem == "Which term names the basic units of text that a language model processes?"
    # Item 5: "chunking", "Chunking" (12) and "chunks" (10) are all right: 22 of 30.
    assert fifth.stats.facility == pytest.approx(100 * 22 / 30)
    assert fifth.choices == [("chunking", 12, True), ("chunks", 10, True), ("embedding", 8, False)]
    # Right for exactly the students with the highest totals: no alarm but the options nobody chose.
    assert first.choices == [("A", 22, True), ("B", 8, False), ("C", 0, False), ("D", 0, False)]
    assert first.flags == ["distractors C, D chosen by nobody"]
    assert second.flags == ["distractors D, E chosen by nobody"]
    assert third.flags == []
    assert fourth.flags == ["distractor C chosen by nobody"]
    assert sixth.choices == [("A", 10, False), ("B", 12, True), ("C", 0, False), ("D", 0, False), ("blank", 8, False)]
    assert seventh.choices == [("feedback", 12, True), ("feedback stage", 10, True), ("x", 8, False)]


def test_a_voided_item_keeps_its_row_but_leaves_the_statistics(tmp_path):
    # Voiding by item id compiles form B too (it prints the item), but nobody sat B: it is still left out.
    (form_a,) = graded_class(tmp_path, GradeOptions(void=["tok-single"]))
    first = form_a.items[0]
    assert first.flags == ["voided"]
    assert first.stats == ItemStatistics(30, 0.0)
    assert first.choices[0] == ("A", 22, True)  # what students chose is still shown
    # Six items are left: worth 6 points, and the strong students' total is 6.
    assert (form_a.test.items, form_a.test.max_points, form_a.test.maximum) == (6, 6, 6)


@pytest.mark.parametrize(("forms", "note"), [
    (9, "B, C, D, E, F, G, H, I"),
    (10, "B, C, D, E, F, G, H, I, ... (9 forms)"),
])
def test_the_forms_nobody_sat_are_named_a_few_at_a_time(tmp_path, forms, note):
    examset = generate_examset(load_bank([FIXTURES / "bank"]), Blueprint(title="Many", items=2), forms=forms, seed=1)
    sheet = write_sheet(tmp_path / "one.csv", [["s1", "A", "A", "B"]], positions=2)
    run = grade_files(examset, [sheet])
    assert [a.form for a in analyse_run(run)] == ["A"]
    assert f"item analysis leaves out forms nobody's answers were graded on: {note}" in run.notes


KEY = ItemKey("A", FORM_A[0])
ALL_CHOSEN = [("A", 3, True), ("B", 1, False), ("C", 1, False), ("D", 1, False)]


def test_flags_for_classes_too_small_for_statistics():
    assert item_flags(KEY, item_statistics([], [1])[0], []) == ["too few students for statistics"]
    assert item_flags(KEY, item_statistics([[1]], [1])[0], ALL_CHOSEN) == []   # one student: nothing to judge
    two = item_statistics([[1, 1], [0, 0]], [1, 1])[0]
    assert item_flags(KEY, two, ALL_CHOSEN) == ["discrimination and distractors unreliable: 2 students (fewer than 30)"]


def test_the_flag_thresholds_are_strict():
    # 9 of 10 right is a facility of exactly 90%: not yet "too easy"; 3 of 12 is exactly 25%: not yet "too hard".
    nine_of_ten = item_statistics([[1]] * 9 + [[0]], [1])[0]
    three_of_twelve = item_statistics([[1]] * 3 + [[0]] * 9, [1])[0]
    assert (nine_of_ten.facility, three_of_twelve.facility) == (90.0, 25.0)
    assert item_flags(KEY, nine_of_ten, ALL_CHOSEN, reliable_from=2) == []
    assert item_flags(KEY, three_of_twelve, ALL_CHOSEN, reliable_from=2) == []
    assert item_flags(KEY, item_statistics([[1]] * 10 + [[0]], [1])[0], ALL_CHOSEN, reliable_from=2) == ["too easy"]
    # An efficiency of exactly 15% is not dubious; just below it is.
    at_limit = ItemStatistics(40, 1.0, facility=50.0, discrimination=10.0, efficiency=15.0)
    below = ItemStatistics(40, 1.0, facility=50.0, discrimination=10.0, efficiency=14.6)
    assert item_flags(KEY, at_limit, ALL_CHOSEN) == []
    assert item_flags(KEY, below, ALL_CHOSEN) == ["dubious: discriminative efficiency 15% (below 15%)"]
