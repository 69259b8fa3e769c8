"""Scoring rules: all-or-nothing by default, partial credit, negative marking, points, void, accept, scale.

Form A of tests/fixtures/grade/examset.json: 1 tok-single (key A), 2 tok-multiple (A,C), 3 life-order
(B,C,A,D), 4 life-match (1-B;2-A;3-D), 5 tok-short (chunking | chunks), 6 shop-one (B), 7 shop-two
(feedback | feedback stage). Form B holds the same items in another order with other letters.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from examkit.errors import ExamkitError
from examkit.fileio import read_examset
from examkit.grade import GradeOptions, grade_files
from examkit.grade.key import ItemKey
from examkit.grade.results import ObjectiveColumns, scaled_and_result
from examkit.grade.score import ItemGrader, Rules

EXAMSET = Path(__file__).parent / "fixtures" / "grade" / "examset.json"
PERFECT_A = ["A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"]
PERFECT_B = ["chunks", "1-B;2-D;3-C", "D", "D", "feedback stage", "D,C,B,A", "D,E"]


@pytest.fixture(scope="module")
def examset():
    return read_examset(EXAMSET)


def grader(examset, position: int, rules: Rules = Rules(), points: float | None = None) -> ItemGrader:
    item = examset.form("A").items[position - 1]
    if points is not None:
        item = item.model_copy(update={"points": points})
    return ItemGrader(ItemKey("A", item), rules)


def scores(examset, cell_rules: Rules, position: int, cells: list[str]) -> list[float]:
    g = grader(examset, position, cell_rules)
    return [round(g(c).points, 4) for c in cells]


def write_sheet(folder: Path, rows: list[list[str]], name: str = "answers.csv") -> Path:
    path = folder / name
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "form", *range(1, 8)])
        writer.writerows(rows)
    return path


def test_all_or_nothing_by_default(examset):
    assert scores(examset, Rules(), 2, ["A,C", "A", "A,C,D", "C,A", ""]) == [1, 0, 0, 1, 0]
    assert scores(examset, Rules(), 4, ["1-B;2-A;3-D", "1-B;2-A;3-C", "1-B"]) == [1, 0, 0]
    assert scores(examset, Rules(), 3, ["B,C,A,D", "B,C,D,A"]) == [1, 0]
    g = grader(examset, 1)
    assert (g("").result, g("A").result, g("B").result) == ("blank", "correct", "wrong")


def test_partial_credit_multiple_is_right_minus_wrong_floored_at_zero(examset):
    rules = Rules(partial=frozenset({"multiple"}))
    # key A,C: one right -> 1/2; one right one wrong -> 0; two right one wrong -> 1/2; two wrong -> 0 (not -1)
    assert scores(examset, rules, 2, ["A", "A,B", "A,C,D", "B,D", "A,C"]) == [0.5, 0, 0.5, 0, 1]
    assert grader(examset, 2, rules)("A").result == "partial"


def test_partial_credit_matching_per_pair(examset):
    rules = Rules(partial=frozenset({"matching"}))
    assert scores(examset, rules, 4, ["1-B;2-A;3-C", "1-B", "1-A;2-B;3-C", "1-B;2-A;3-D"]) == [0.6667, 0.3333, 0, 1]


def test_partial_credit_ordering_per_adjacent_pair(examset):
    rules = Rules(partial=frozenset({"ordering"}))
    # key B,C,A,D has the adjacent pairs BC, CA, AD.
    #   B,C,D,A: BC right, CD, DA wrong          -> 1/3
    #   C,A,D,B: CA, AD right, DB wrong          -> 2/3
    #   B,A,C,D: BA, AC, CD all wrong            -> 0
    #   B,C,B,C: BC found twice, counted once    -> 1/3
    assert scores(examset, rules, 3, ["B,C,D,A", "C,A,D,B", "B,A,C,D", "B,C,B,C"]) == [0.3333, 0.6667, 0, 0.3333]


def test_partial_credit_only_for_the_types_chosen(examset):
    rules = Rules(partial=frozenset({"matching"}))
    assert scores(examset, rules, 2, ["A"]) == [0]
    assert scores(examset, rules, 3, ["C,A,D,B"]) == [0]


def test_negative_marking(examset):
    rules = Rules(partial=frozenset({"multiple"}), negative=0.25)
    g = grader(examset, 1, rules)
    assert [g(c).points for c in ("A", "B", "", "E")] == [1, -0.25, 0, 0]  # E is flagged for review: no penalty
    assert g("E").result == "review"
    # With partial credit, some credit means no penalty; none at all means the penalty.
    assert scores(examset, rules, 2, ["A", "B,D"]) == [0.5, -0.25]


def test_points_from_the_exam_set(examset):
    rules = Rules(partial=frozenset({"multiple"}), negative=0.5)
    g = grader(examset, 2, rules, points=2)
    assert [g(c).points for c in ("A,C", "A", "B,D")] == [2, 1, -1]
    assert g("A,C").max_points == 2


def test_rules_come_from_the_blueprint_unless_overridden(examset):
    scoring = examset.scoring.model_copy(update={"partial_credit": ["multiple"], "negative_marking": 0.25})
    assert Rules.from_scoring(scoring) == Rules(frozenset({"multiple"}), 0.25)
    assert Rules.from_scoring(scoring, partial=[], negative=0) == Rules(frozenset(), 0)
    assert Rules.from_scoring(scoring, partial=["ordering", "matching"]).partial == {"ordering", "matching"}


def test_void_takes_an_item_out_of_every_score(tmp_path, examset):
    sheet = write_sheet(tmp_path, [["ann", "A", *PERFECT_A], ["bob", "B", *PERFECT_B[:4], "", *PERFECT_B[5:]]])
    run = grade_files(examset, [sheet], GradeOptions(void=["shop-two"]))
    ann, bob = run.results
    assert (ann.points, ann.max_points) == (6, 6) and (bob.points, bob.max_points) == (6, 6)
    assert ann.outcomes[6].result == "voided" and bob.outcomes[4].result == "voided"
    run = grade_files(examset, [sheet], GradeOptions(void=["A:7"]))
    assert run.results[0].max_points == 6 and run.results[1].max_points == 7


def test_accept_an_extra_answer_after_the_fact(tmp_path, examset):
    # Option text: the same on every form, so it applies to both (B on form A, C on form B).
    sheet = write_sheet(tmp_path, [["ann", "A", "B", *PERFECT_A[1:]], ["bob", "B", *PERFECT_B[:2], "C", *PERFECT_B[3:]],
                                   ["cy", "A", *PERFECT_A[:4], "tokenisation", *PERFECT_A[5:]]])
    before = grade_files(examset, [sheet])
    assert [r.points for r in before.results] == [6, 6, 6]
    after = grade_files(examset, [sheet], GradeOptions(accept=["tok-single=Chunks", "tok-short=tokenisation"]))
    assert [r.points for r in after.results] == [7, 7, 7]
    assert after.results[0].outcomes[0].method == "letter (accepted later)"
    # A letter means different options on the two forms: refused unless the form is named.
    with pytest.raises(ExamkitError, match="letters of item tok-single differ between forms"):
        grade_files(examset, [sheet], GradeOptions(accept=["tok-single=B"]))
    only_a = grade_files(examset, [sheet], GradeOptions(accept=["A:tok-single=B"]))
    assert [r.points for r in only_a.results] == [7, 6, 6]


@pytest.mark.parametrize("options, message", [
    (GradeOptions(void=["nope"]), "'nope': no such item"),
    (GradeOptions(void=["5"]), "position 5 holds different items on each form"),
    (GradeOptions(accept=["tok-single"]), "write ITEM=ANSWER"),
    (GradeOptions(accept=["tok-single=Nonsense words"]), "is not an answer to item tok-single"),
    (GradeOptions(partial=["short"]), "'short' cannot earn partial credit"),
    (GradeOptions(negative=2), "out of range"),
    (GradeOptions(threshold=0), "out of range"),
    (GradeOptions(form="Z"), "no form 'Z'"),
])
def test_bad_options_are_one_line_errors(tmp_path, examset, options, message):
    sheet = write_sheet(tmp_path, [["ann", "A", *PERFECT_A]])
    with pytest.raises(ExamkitError, match=message) as caught:
        grade_files(examset, [sheet], options)
    assert "\n" not in str(caught.value)


def test_scaled_score_pass_fail_and_objective_subscores(tmp_path, examset):
    # The fixture's blueprint scoring: scale 100-1000, pass mark 700 (on the scale).
    wrong_two = ["B", "A", *PERFECT_A[2:]]               # misses tok-single and tok-multiple (objective 1.1)
    wrong_three = ["B", "A", "C,B,A,D", *PERFECT_A[3:]]  # and life-order (objective 1.2)
    sheet = write_sheet(tmp_path, [["ann", "A", *PERFECT_A], ["bob", "A", *wrong_two], ["cy", "A", *wrong_three]])
    run = grade_files(examset, [sheet])
    ann, bob, cy = run.results
    assert scaled_and_result(run, ann) == ("1000", "pass")
    assert scaled_and_result(run, bob) == ("743", "pass")   # 100 + 900 * 5/7 = 742.86
    assert scaled_and_result(run, cy) == ("614", "fail")    # 100 + 900 * 4/7 = 614.29
    objectives = ObjectiveColumns.of(run)
    assert objectives.ids == ["mini:1", "mini:1.1", "mini:1.2"]
    assert objectives.scores(bob) == [(5, 7), (2, 4), (3, 3)]
    assert objectives.scores(cy) == [(4, 7), (2, 4), (2, 3)]


def test_pass_mark_in_percent_without_a_scale(tmp_path, examset):
    plain = examset.model_copy(update={"scoring": examset.scoring.model_copy(update={"scale": None, "pass_mark": 70})})
    sheet = write_sheet(tmp_path, [["ann", "A", "B", "A", *PERFECT_A[2:]], ["bob", "A", "B", "A", "A", *PERFECT_A[3:]]])
    run = grade_files(plain, [sheet])
    # 5/7 = 71.4% passes a 70% mark; 4/7 = 57.1% does not.
    assert [scaled_and_result(run, r) for r in run.results] == [("", "pass"), ("", "fail")]


def test_repeating_steps_never_earns_full_ordering_credit(examset):
    # key B,C,A,D: every right pair is there, but a step is written twice, so the order is not right.
    rules = Rules(partial=frozenset({"ordering"}))
    g = grader(examset, 3, rules)
    assert [(g(c).result, round(g(c).points, 4)) for c in ("A,D,B,C,A", "B,C,A,D,B")] == [
        ("partial", 0.75), ("partial", 0.75)]


def test_a_blank_row_stays_blank_when_an_item_is_voided(tmp_path, examset):
    sheet = write_sheet(tmp_path, [["ann", "A", *[""] * 7], ["bob", "A", *PERFECT_A]])
    run = grade_files(examset, [sheet], GradeOptions(void=["tok-single"]))
    ann, bob = run.results
    assert (ann.reason, ann.counted) == ("no answers", False) and bob.counted
    assert ann.outcomes[0].blank and ann.outcomes[0].result == "voided"


def test_an_accepted_short_answer_that_normalises_like_another_is_still_exact(tmp_path, examset):
    sheet = write_sheet(tmp_path, [["ann", "A", *PERFECT_A[:4], "chunks", *PERFECT_A[5:]]])
    run = grade_files(examset, [sheet], GradeOptions(accept=["tok-short=Chunks"]))
    outcome = run.results[0].outcomes[4]
    assert (outcome.result, outcome.method) == ("correct", "exact")
