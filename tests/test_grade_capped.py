"""Grading past CACHE_LIMIT distinct cells per item (issue 16): later cells are read each time and
not kept, yet the marks, the flags, the blanks and the item analysis's counts stay right."""

from __future__ import annotations

from pathlib import Path

import pytest

import examkit.grade.score as score
from examkit.bank import load_bank
from examkit.fileio import read_examset
from examkit.generate import generate_examset
from examkit.grade import GradeOptions, grade_files
from examkit.grade.analysis import analyse_run
from examkit.grade.key import ItemKey
from examkit.grade.score import ItemGrader, Rules
from examkit.models import Blueprint

from .fixtures.grade.support import write_sheet
from .test_item_analysis import NUMBERS_ITEM

FIXTURES = Path(__file__).parent / "fixtures"
EXAMSET = read_examset(FIXTURES / "grade" / "examset.json")
# Form A: 1 single (key A: Tokens), 2 multiple (A,C), 3 ordering (B,C,A,D), 4 matching (1-B;2-A;3-D),
# 5 short (chunking | chunks), 6 single (B), 7 short (feedback | feedback stage).
CLASS = [
    ["s1", "A", "A", "A,C", "BCAD", "BAD", "chunking", "B", "feedback"],    # 7: the first cell of every item
    ["s2", "A", "a", "AC", "B,C,A,D", "1-B;2-A;3-D", "Chunking", "", "feedbak"],  # 6: all right, 6 left blank
    ["s3", "A", "Tokens", "A,B", "DCBA", "ABD", "chunkz", "Z", "review"],   # 1: "chunkz" and "Z" to review
    ["s4", "A", "", " ", "-", "", "", "", ""],                               # no answers at all
    ["s5", "A", "B", "a c", "D,C,B,A", "B A D", "Vectors", "b", "Review"],  # 3
    ["s6", "A", "E", "C", "CBAD", "BAD", "chunks", "B", "feedback stage"],  # 4 and item 1 to review
    ["s7", "A", "C", "A,C", "BCAD", "CAB", "chunking", "B", "feedback"],    # 5: wrong otherwise than s3 on item 4
]


@pytest.fixture
def capped(monkeypatch):
    """Graders made from here on keep one cell per item: every other cell is read past the limit."""
    monkeypatch.setattr(score, "CACHE_LIMIT", 1)


def test_an_item_keeps_its_first_cells_and_reads_later_ones_each_time(monkeypatch):
    monkeypatch.setattr(score, "CACHE_LIMIT", 2)
    grader = ItemGrader(ItemKey("A", EXAMSET.form("A").items[0]), Rules())
    first, lower, tokens, again = grader("A"), grader("a"), grader("Tokens"), grader("Tokens")
    assert grader("A") is first and grader("a") is lower  # kept: read once
    assert "Tokens" not in grader.cache and again is not tokens  # the third cell: read each time
    assert (again.raw, again.answer, again.result, again.points) == ("Tokens", "A", "correct", 1.0)
    # Counted in the item analysis as the first outcome of its reading, however often it comes.
    assert (first.counted_as, tokens.counted_as, again.counted_as) == (first, tokens, tokens)
    # A flagged cell read past the limit joins the flagged set (the row test) until its row is done.
    stray = grader("Z")
    assert stray.flag == "Z is not an option letter (A-D)"
    assert grader.cache.flagged == {stray} and grader.cache.strays == [stray]


def test_a_capped_class_gets_the_marks_flags_and_counts_of_reading_everything_once(tmp_path, monkeypatch):
    sheet = write_sheet(tmp_path / "class.csv", CLASS)
    (kept,) = analyse_run(whole := grade_files(EXAMSET, [sheet]))
    monkeypatch.setattr(score, "CACHE_LIMIT", 1)
    run = grade_files(EXAMSET, [sheet])
    assert [(r.student, r.points, r.reason, r.counted) for r in run.results] == [
        ("s1", 7, "", True), ("s2", 6, "", True),
        ("s3", 1, 'position 5: close to accepted answer "chunks" (83, threshold 85); check it; '
                  "position 6: Z is not an option letter (A-D)", True),
        ("s4", 0, "no answers", False), ("s5", 3, "", True),
        ("s6", 4, "position 1: E is not an option letter (A-D)", True), ("s7", 5, "", True)]
    assert [(r.points, r.reason) for r in whole.results] == [(r.points, r.reason) for r in run.results]
    (form,) = analyse_run(run)
    assert form.test == kept.test and form.test.n == 6
    assert [i.stats for i in form.items] == [i.stats for i in kept.items]
    assert [i.flags for i in form.items] == [i.flags for i in kept.items]
    by_position = {i.position: i.choices for i in form.items}
    assert by_position[1] == [("A", 3, True), ("B", 1, False), ("C", 1, False), ("D", 0, False),
                              ("to review", 1, False)]
    assert by_position[4] == [("A", 6, True), ("B", 6, True), ("C", 1, False), ("D", 5, True)]
    assert by_position[6] == [("A", 0, False), ("B", 4, True), ("C", 0, False), ("D", 0, False),
                              ("blank", 1, False), ("to review", 1, False)]
    assert [i.choices for i in form.items if i.type in ("single", "multiple", "matching", "ordering")] == \
        [i.choices for i in kept.items if i.type in ("single", "multiple", "matching", "ordering")]
    # Accepted texts keep their names; texts that match none are counted together.
    assert by_position[5] == [("chunking", 3, True), ("(other answers)", 1, False), ("chunks", 1, True),
                              ("to review", 1, False)]
    assert by_position[7] == [("feedback", 3, True), ("(other answers)", 2, False), ("feedback stage", 1, True)]
    # What was read past the limit and flagged or blank left the row tests' sets with its row.
    caches = [g.cache for g in run.graders["A"]]
    assert caches[0].flagged | caches[0].blank <= {o for c in caches for o in c.values()}
    assert caches[0].flagged | caches[0].blank == set()  # each item kept only s1's answer: neither flagged nor blank
    assert caches[0].strays == []


def test_a_teachers_decision_is_counted_in_the_item_analysis(tmp_path, capped):
    sheet = write_sheet(tmp_path / "class.csv", CLASS)
    run = grade_files(EXAMSET, [sheet], GradeOptions(overrides=["s6:1=A"]))
    assert run.results[5].reason == ""
    (form,) = analyse_run(run)
    assert form.items[0].choices == [("A", 4, True), ("B", 1, False), ("C", 1, False), ("D", 0, False)]
    assert form.items[0].stats.facility == pytest.approx(100 * 4 / 6)


def test_numbers_read_past_the_limit_are_counted_as_other_right_or_other_answers(tmp_path, capped, write_items):
    bank = write_items(NUMBERS_ITEM, "numbers.yaml")
    examset = generate_examset(load_bank([bank]), Blueprint(title="Bytes", items=1), forms=1, seed=1)
    cells = ["8", "8.0", "9", "8 or 9", "", "10", "8", "8.00"]
    sheet = write_sheet(tmp_path / "bytes.csv", [[f"s{n}", "A", c] for n, c in enumerate(cells)], positions=1)
    run = grade_files(examset, [sheet])
    assert [r.points for r in run.results] == [1, 1, 0, 0, 0, 0, 1, 1]
    (analysis,) = analyse_run(run)
    (item,) = analysis.items
    # "8" is kept; "8.0" and "8.00" are right, "9" and "10" wrong; "" is blank, "8 or 9" to review.
    assert item.choices == [("(other answers)", 2, False), ("(other right answers)", 2, True), ("8", 2, True),
                            ("to review", 1, False)]
    assert item.stats.facility == pytest.approx(100 * 4 / 7)
