"""Item statistics against values worked out by hand (Moodle's definitions, see examkit/grade/analysis.py).

The data set: five students, three right-or-wrong items of one point.

    student  item1 item2 item3  total
    S1         1     1     1      3
    S2         1     1     0      2
    S3         1     0     1      2
    S4         0     1     0      1
    S5         0     0     0      0

Form: totals 3,2,2,1,0 -> mean 8/5 = 1.6, median 2; deviations 1.4,0.4,0.4,-0.6,-1.6, squares sum 5.2,
sample variance 5.2/4 = 1.3, sd = sqrt(1.3) = 1.140175. Each item has three (or two) right of five, so
its sample variance is 1.2/4 = 0.3 (see below); alpha = 3/2 * (1 - 0.9/1.3) = 1.5 * 0.4/1.3 = 0.461538
(KR-20 with p*q and population variance gives the same: 1.5 * (1 - 0.72/1.04)). SEM = sd * sqrt(1 - alpha)
= sqrt(1.3 * 0.538462) = sqrt(0.7) = 0.836660.

Item 1: x = 1,1,1,0,0, rest r = total - x = 2,1,1,1,0; mean x 0.6, mean r 1.0.
  Sxx = 3(0.4^2) + 2(0.6^2) = 1.2;  Srr = 1 + 0 + 0 + 0 + 1 = 2;  Sxr = 0.4*1 + 0 + 0 + 0 + (-0.6)(-1) = 1.0
  facility 60%; sd = 100 sqrt(1.2/4) = 54.772%; discrimination = 100 * 1.0 / sqrt(1.2 * 2) = 64.550%
  covmax: sorted x 0,0,1,1,1 with sorted r 0,1,1,1,2: (-0.6)(-1) + (-0.6)(0) + 0 + 0 + (0.4)(1) = 1.0 -> 100%
  upper/lower 27%: group 0.27 * 5 = 1.35 students. Upper: S1 (x 1) and 0.35 of the two at total 2 (x 1 and 1,
  so 0.35 * 2/2 = 0.35): (1 + 0.35)/1.35 = 1. Lower: S5 (0) and 0.35 of S4 (0): 0. Index 100.
Item 2: x = 1,1,0,1,0, r = 2,1,2,0,0; mean x 0.6, mean r 1.0.
  Sxr = 0.4*1 + 0.4*0 + (-0.6)(1) + 0.4(-1) + (-0.6)(-1) = 0 -> discrimination 0, efficiency 0.
  upper: S1 (1) + 0.35 * (S2 1 + S3 0)/2 = 1.175 -> 0.87037; lower: S5 (0) + 0.35 * S4 (1) = 0.35 -> 0.259259;
  index 100 * (0.87037 - 0.259259) = 61.111.
Item 3: x = 1,0,1,0,0, r = 2,2,1,1,0; mean x 0.4, mean r 1.2.
  Sxx = 2(0.6^2) + 3(0.4^2) = 1.2;  Srr = 0.64 + 0.64 + 0.04 + 0.04 + 1.44 = 2.8
  Sxr = 0.6*0.8 - 0.4*0.8 + 0.6*(-0.2) - 0.4*(-0.2) - 0.4*(-1.2) = 0.48 - 0.32 - 0.12 + 0.08 + 0.48 = 0.60
  facility 40%; discrimination = 100 * 0.6 / sqrt(1.2 * 2.8) = 60 / 1.833030 = 32.733%
  covmax: sorted x 0,0,0,1,1 with sorted r 0,1,1,2,2:
          (-0.4)(-1.2) + (-0.4)(-0.2) + (-0.4)(-0.2) + (0.6)(0.8) + (0.6)(0.8) = 1.60 -> efficiency 0.6/1.6 = 37.5%
  upper: S1 (1) + 0.35 * (0 + 1)/2 = 1.175 -> 0.87037; lower: S5 (0) + 0.35 * S4 (0) = 0 -> index 87.037.
"""

from __future__ import annotations

import functools

from pathlib import Path

import pytest

from examkit.fileio import read_examset
from examkit.grade import grade_files
from examkit.grade.analysis import analyse_run, form_statistics, item_statistics

MARKS = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 0], [0, 0, 0]]


def test_item_statistics_match_the_hand_computation():
    one, two, three = item_statistics(MARKS, [1, 1, 1])
    assert one.facility == pytest.approx(60.0)
    assert one.sd == pytest.approx(54.7723, abs=1e-4)
    assert one.discrimination == pytest.approx(64.5497, abs=1e-4)
    assert one.efficiency == pytest.approx(100.0)
    assert one.upper_lower == pytest.approx(100.0)
    assert two.discrimination == pytest.approx(0.0, abs=1e-9)
    assert two.efficiency == pytest.approx(0.0, abs=1e-9)
    assert two.upper_lower == pytest.approx(61.1111, abs=1e-4)
    assert three.facility == pytest.approx(40.0)
    assert three.discrimination == pytest.approx(32.7327, abs=1e-4)
    assert three.efficiency == pytest.approx(37.5)
    assert three.upper_lower == pytest.approx(87.0370, abs=1e-4)


def test_form_statistics_match_the_hand_computation():
    stats = form_statistics(MARKS, [1, 1, 1])
    assert (stats.n, stats.items, stats.max_points) == (5, 3, 3)
    assert stats.mean == pytest.approx(1.6)
    assert stats.median == pytest.approx(2.0)
    assert stats.sd == pytest.approx(1.140175, abs=1e-6)
    assert (stats.minimum, stats.maximum) == (0, 3)
    assert stats.alpha == pytest.approx(0.461538, abs=1e-6)
    assert stats.sem == pytest.approx(0.836660, abs=1e-6)


def test_statistics_do_not_depend_on_row_order():
    assert item_statistics(MARKS[::-1], [1, 1, 1]) == item_statistics(MARKS, [1, 1, 1])


def test_partial_marks_and_points_above_one():
    # Two-point item with marks 0, 1, 2 and a one-point item: facility is mean over the maximum.
    stats = item_statistics([[2, 1], [1, 0], [0, 0], [2, 1]], [2, 1])
    assert stats[0].facility == pytest.approx(62.5)      # mean 1.25 of 2
    assert stats[1].facility == pytest.approx(50.0)


def test_degenerate_classes():
    nobody = item_statistics([], [1, 1])
    assert nobody[0].facility is None and nobody[0].n == 0
    alone = item_statistics([[1, 0]], [1, 1])
    assert alone[0].facility == 100 and alone[0].discrimination is None
    same = item_statistics([[1, 1], [1, 0]], [1, 1])
    assert same[0].discrimination is None  # everyone right: no variance, no correlation
    assert form_statistics([[1, 1], [1, 1]], [1, 1]).alpha is None


def test_analysis_of_a_graded_class_with_choices_and_flags(tmp_path):
    fixtures = Path(__file__).parent / "fixtures" / "grade"
    examset = read_examset(fixtures / "examset.json")
    sheet = tmp_path / "class.csv"
    # Form A, item 1 (key A): three choose A, one B, one leaves it blank; C and D nobody chooses.
    sheet.write_text("student,form,1,2,3,4,5,6,7\n"
                     "s1,A,A,\"A,C\",BCAD,BAD,chunking,B,feedback\n"
                     "s2,A,A,\"A,C\",BCAD,BAD,chunking,B,x\n"
                     "s3,A,A,\"A,B\",CBAD,BAD,x,A,x\n"
                     "s4,A,B,\"A,C\",BCAD,BAD,chunks,A,x\n"
                     "s5,A,,B,DCBA,ABD,embedding,C,x\n", encoding="utf-8")
    run = grade_files(examset, [sheet])
    form_a = next(a for a in analyse_run(run) if a.form == "A")
    first = form_a.items[0]
    assert first.choices == [("A", 3, True), ("B", 1, False), ("C", 0, False), ("D", 0, False), ("blank", 1, False)]
    # Five students: too few to judge discrimination or unused distractors, so no alarm is raised.
    assert "discrimination and distractors unreliable: 5 students (fewer than 30)" in first.flags
    assert not any("chosen by nobody" in f for f in first.flags)
    assert first.stats.facility == pytest.approx(60.0)
    short = form_a.items[4]
    assert short.choices[:2] == [("chunking", 2, True), ("chunks", 1, True)]
    last = form_a.items[6]
    assert last.stats.facility == pytest.approx(20.0) and "too hard" in last.flags
    assert form_a.test.n == 5
    # Nobody sat form B: it has no statistics, and the run says it is left out.
    assert [a.form for a in analyse_run(run)] == ["A"]
    assert "item analysis leaves out forms nobody's answers were graded on: B" in run.notes


def test_item_flags_below_thirty_students_mark_discrimination_unreliable():
    from examkit.grade.analysis import RELIABLE_FROM, item_flags
    from examkit.grade.key import ItemKey

    assert RELIABLE_FROM == 30
    examset = read_examset(Path(__file__).parent / "fixtures" / "grade" / "examset.json")
    key = ItemKey("A", examset.form("A").items[0])
    choices = [("A", 3, True), ("B", 1, False), ("C", 0, False), ("D", 0, False)]
    reversed_marks = [[0, 1, 1], [0, 1, 1], [0, 1, 1], [1, 1, 0], [1, 0, 0]]
    small = item_statistics(reversed_marks * 5, [1, 1, 1])[0]       # 25 students
    large = item_statistics(reversed_marks * 6, [1, 1, 1])[0]       # 30 students
    assert small.discrimination < 0 and large.discrimination < 0
    assert item_flags(key, small, choices) == ["discrimination and distractors unreliable: 25 students (fewer than 30)"]
    assert item_flags(key, large, choices) == ["negative discrimination", "distractors C, D chosen by nobody"]


def test_item_flags_from_the_hand_computed_statistics():
    from examkit.grade import analysis
    from examkit.grade.key import ItemKey

    examset = read_examset(Path(__file__).parent / "fixtures" / "grade" / "examset.json")
    key = ItemKey("A", examset.form("A").items[0])  # a single-choice item, options A-D
    choices = [("A", 3, True), ("B", 1, False), ("C", 1, False), ("D", 1, False)]
    one, two, three = item_statistics(MARKS, [1, 1, 1])
    # The formulas themselves, on a hand-computed class of five: no minimum group size here.
    item_flags = functools.partial(analysis.item_flags, reliable_from=2)
    assert item_flags(key, one, choices) == []                          # efficiency 100%
    assert item_flags(key, two, choices) == ["dubious: discriminative efficiency 0% (below 15%)"]
    assert item_flags(key, three, choices) == []                        # efficiency 37.5%
    # Item 1 right only for the two weakest students: negative discrimination. Item 2 right for all but one.
    reversed_marks = [[0, 1, 1], [0, 1, 1], [0, 1, 1], [1, 1, 0], [1, 0, 0]]
    low, easy, _ = item_statistics(reversed_marks * 4, [1, 1, 1])
    assert low.discrimination < 0 and "negative discrimination" in item_flags(key, low, choices)
    assert easy.facility == pytest.approx(80.0)
    almost_all = item_statistics([[1, 1]] * 19 + [[0, 0]], [1, 1])[0]
    assert item_flags(key, almost_all, choices[:1] + [("B", 1, False), ("C", 0, False), ("D", 0, False)]) == [
        "too easy", "distractors C, D chosen by nobody"]
