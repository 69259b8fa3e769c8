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
from examkit.grade.analysis import ItemStatistics, analyse_run, form_statistics, item_statistics

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


def test_a_class_of_two_gets_every_statistic():
    """Two students, two items worth one point, marked in halves (partial credit):

        student  item1 item2 total
        S1        0.5   0.5    1
        S2        0     0      0

    Item 1 (item 2 is the same): x = 0.5, 0; rest r = 0.5, 0; mean x = mean r = 0.25.
      Sxx = 2 * 0.25^2 = 0.125 = Srr = Sxr (x and r move together).
      facility 100 * 0.25 = 25%;  sd = 100 * sqrt(0.125 / 1) = 35.355%;  discrimination 100 * 0.125 / 0.125 = 100%
      covmax: sorted x 0, 0.5 with sorted r 0, 0.5 is the same pairing: 0.125 -> efficiency 100%
      upper/lower: group 0.27 * 2 = 0.54 students: upper S1 (0.5), lower S2 (0) -> 100 * 0.5 = 50.
    Form: totals 1, 0 -> mean 0.5, median (0 + 1) / 2 = 0.5, sample variance 0.5 / 1 = 0.5, sd 0.707107;
      item variances 0.125 each, alpha = 2/1 * (1 - 0.25 / 0.5) = 1.0 (the items always agree), SEM 0.
    """
    marks = [[0.5, 0.5], [0, 0]]
    one, two = item_statistics(marks, [1, 1])
    assert one == two
    assert one.facility == pytest.approx(25.0)
    assert one.sd == pytest.approx(35.3553, abs=1e-4)
    assert one.discrimination == pytest.approx(100.0)
    assert one.efficiency == pytest.approx(100.0)
    assert one.upper_lower == pytest.approx(50.0)
    stats = form_statistics(marks, [1, 1])
    assert (stats.mean, stats.median, stats.minimum, stats.maximum) == (0.5, 0.5, 0, 1)
    assert stats.sd == pytest.approx(0.707107, abs=1e-6)
    assert stats.alpha == pytest.approx(1.0)
    assert stats.sem == pytest.approx(0.0, abs=1e-9)


def test_an_even_class_takes_the_median_between_the_two_middle_totals():
    # Totals 1, 1, 2, 4 (one item worth 4): the middle two are 1 and 2 -> median 1.5; mean 8/4 = 2;
    # deviations -1, -1, 0, 2 -> squares sum 6, variance 6/3 = 2, sd 1.414214. One item: no alpha (k - 1 = 0).
    stats = form_statistics([[1], [1], [2], [4]], [4])
    assert (stats.n, stats.mean, stats.median) == (4, 2.0, 1.5)
    assert stats.sd == pytest.approx(1.414214, abs=1e-6)
    assert stats.alpha is None and stats.sem is None
    # A single item has no rest to correlate with.
    assert item_statistics([[1], [1], [2], [4]], [4])[0].discrimination is None


def test_a_two_point_item_marked_in_halves():
    """A two-point item (marks 0, 0.5, 1.5, 2) and a one-point item:

        student  item1 item2 total
        S1        2     1     3
        S2        1.5   0     1.5
        S3        0.5   1     1.5
        S4        0     0     0

    Item 1: x = 2, 1.5, 0.5, 0 (mean 1), r = 1, 0, 1, 0 (mean 0.5).
      Sxx = 1 + 0.25 + 0.25 + 1 = 2.5;  Srr = 4 * 0.25 = 1;  Sxr = 0.5 - 0.25 - 0.25 + 0.5 = 0.5
      facility 100 * 1 / 2 = 50%;  sd = 100 * sqrt(2.5 / 3) / 2 = 45.644%;  discrimination 100 * 0.5 / sqrt(2.5) = 31.623%
      covmax: sorted x 0, 0.5, 1.5, 2 with sorted r 0, 0, 1, 1:
              (-1)(-0.5) + (-0.5)(-0.5) + (0.5)(0.5) + (1)(0.5) = 1.5 -> efficiency 0.5 / 1.5 = 33.333%
      upper/lower: group 0.27 * 4 = 1.08. Upper: S1 (2) + 0.08 of the two at 1.5 (x 1.5 + 0.5 = 2, so 0.08 * 2/2)
              = 2.08 / 1.08; lower: S4 (0) + the same 0.08 = 0.08 / 1.08; index 100 * (2 / 1.08) / 2 = 92.593.
    Item 2: x = 1, 0, 1, 0, r = 2, 1.5, 0.5, 0 (mean 1): Sxx 1, Srr 2.5, Sxr 0.5 -> the same 31.623% and 33.333%.
    Form: totals 3, 1.5, 1.5, 0 -> mean 1.5, median 1.5, variance 4.5 / 3 = 1.5, sd 1.224745;
      item variances 2.5/3 + 1/3 = 7/6; alpha = 2 * (1 - (7/6) / 1.5) = 4/9 = 0.444444;
      SEM = sqrt(1.5 * 5/9) = 0.912871.
    """
    marks = [[2, 1], [1.5, 0], [0.5, 1], [0, 0]]
    one, two = item_statistics(marks, [2, 1])
    assert (one.n, one.max_mark, two.max_mark) == (4, 2, 1)
    assert one.facility == pytest.approx(50.0)
    assert one.sd == pytest.approx(45.6435, abs=1e-4)
    assert one.discrimination == pytest.approx(31.6228, abs=1e-4)
    assert one.efficiency == pytest.approx(33.3333, abs=1e-4)
    assert one.upper_lower == pytest.approx(92.5926, abs=1e-4)
    assert two.discrimination == pytest.approx(31.6228, abs=1e-4)
    assert two.efficiency == pytest.approx(33.3333, abs=1e-4)
    stats = form_statistics(marks, [2, 1])
    assert (stats.max_points, stats.mean, stats.median, stats.minimum, stats.maximum) == (3, 1.5, 1.5, 0, 3)
    assert stats.sd == pytest.approx(1.224745, abs=1e-6)
    assert stats.alpha == pytest.approx(4 / 9)
    assert stats.sem == pytest.approx(0.912871, abs=1e-6)


def test_an_item_worth_no_points_has_no_statistics():
    # A zero-point item cannot have a facility (a share of nothing): no statistic, and no division by zero.
    assert item_statistics([[1, 0], [0, 0]], [1, 0])[1] == ItemStatistics(2, 0)

