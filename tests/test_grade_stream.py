"""Grading in one pass (`grade_and_write`, what `examkit grade` does): rows are written as they
are graded and let go, with the same files as grading in memory."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from click.testing import CliRunner

import examkit.grade
from examkit.cli import cli
from examkit.errors import ExamkitError
from examkit.fileio import read_examset
from examkit.grade import GradeOptions, StudentResult, grade_and_write, grade_files, write_results

from .fixtures.grade.support import copy_examdir, write_sheet
from .test_grade_rows import MESSY, PERFECT_A, read_csv, write_messy

RESULT_FILES = ("scores.csv", "responses.csv", "item-analysis.csv", "form-statistics.csv", "report.html")


@pytest.fixture
def examdir(tmp_path) -> Path:
    return copy_examdir(tmp_path)


def big_class(folder: Path, rows: int) -> Path:
    names = [[f"student {n}", "A" if n % 2 else "B", *PERFECT_A] for n in range(rows)]
    return write_sheet(folder / "big.csv", names)


def test_streamed_files_are_those_of_grading_in_memory(tmp_path, examdir):
    # The messy class has a repeated student whose first row has gone by when the repeat comes.
    sheet = write_messy(tmp_path)
    examset = read_examset(examdir)
    write_results(grade_files(examset, [sheet]), tmp_path / "memory", pdf=False)
    run, tally, written = grade_and_write(examset, [sheet], tmp_path / "streamed", pdf=False)
    for name in RESULT_FILES:
        assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "memory" / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "streamed" / "students").iterdir()) == \
        sorted(p.name for p in (tmp_path / "memory" / "students").iterdir())
    assert run.results == [] and tally.rows == len(MESSY) and tally.graded == 8
    assert [(r.source, r.reason) for r in tally.flagged_rows][:2] == [
        ("messy.csv:2", "duplicate student (also at messy.csv:4)"), ("messy.csv:3", "unknown form 'C' (the forms are A, B)")]


def test_the_command_lists_a_repeated_students_first_row_in_input_order(tmp_path, examdir):
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(write_messy(tmp_path)), "--no-report"])
    assert result.exit_code == 0, result.output
    assert "11 rows: 8 graded, 10 flagged, 3 not gradable" in result.output
    lines = [line.strip() for line in result.output.splitlines() if line.startswith("  flagged")]
    assert lines[:2] == ["flagged messy.csv:2 ann: duplicate student (also at messy.csv:4)",
                         "flagged messy.csv:3 bob: unknown form 'C' (the forms are A, B)"]
    first = read_csv(examdir / "results" / "scores.csv")[0]
    assert (first["status"], first["reason"]) == ("flagged", "duplicate student (also at messy.csv:4)")


def test_a_large_class_keeps_no_row_and_its_report_has_no_class_list(tmp_path, examdir, monkeypatch):
    monkeypatch.setattr(examkit.grade, "CLASS_LIST_LIMIT", 5)
    sheet = big_class(tmp_path, 40)
    run, tally, _ = grade_and_write(read_examset(examdir), [sheet], tmp_path / "results", pdf=False)
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, StudentResult) and o.source.startswith("big.csv")]
    assert alive == [] and tally.kept is None
    assert any(n.startswith("report.html has no class list: 40 rows are more than 5") for n in run.notes)
    # 40 graded students would get handouts, but the rows they are made from were let go: said, not skipped silently.
    assert "no handouts in students/: 40 rows are more than 5; pass --handouts to write them anyway" in run.notes
    assert not (tmp_path / "results" / "students").exists()
    report = (tmp_path / "results" / "report.html").read_text(encoding="utf-8")
    assert "student 7" not in report
    assert [r["student"] for r in read_csv(tmp_path / "results" / "scores.csv")] == [f"student {n}" for n in range(40)]
    # Asking for the handouts keeps the rows they are made from, and the class list with them.
    run, tally, _ = grade_and_write(read_examset(examdir), [sheet], tmp_path / "again", pdf=False, handouts=True)
    assert len(tally.kept) == 40 and "student 7" in (tmp_path / "again" / "report.html").read_text(encoding="utf-8")
    assert len(list((tmp_path / "again" / "students").iterdir())) == 40


def test_a_run_failing_after_its_rows_were_written_leaves_earlier_results_untouched(tmp_path, examdir):
    examset = read_examset(examdir)
    sheet = write_messy(tmp_path)
    grade_and_write(examset, [sheet], examdir / "results", pdf=False)
    before = {p.name: p.read_bytes() for p in (examdir / "results").iterdir() if p.is_file()}
    # An override is checked once every row is graded, when the files are already staged.
    with pytest.raises(ExamkitError, match="no graded row of this student"):
        grade_and_write(examset, [sheet], examdir / "results", GradeOptions(overrides=["Nobody:1=A"]), pdf=False)
    after = {p.name: p.read_bytes() for p in (examdir / "results").iterdir() if p.is_file()}
    assert after == before  # same files, same bytes, no temporary files left


# What people type, with typos and slips, for each position of form A; the cycles have
# different lengths so that rows combine them in many ways.
VARIANTS = [
    ["A", "a", "(A)", "Tokens", "tokens", "Tokns", "Tokenz", "B", "Chunks", "Chunkz", "E", "", " "],
    ["A,C", "AC", "a c", "C, A", "A", "A,B", "A token can be a whole word, A token can be a single period", ""],
    ["B,C,A,D", "BCAD", "B > C > A > D", "A,B,C,D", "D,C,B,A", "B,C,D,A", "B C A D", "Q", ""],
    ["1-B;2-A;3-D", "1B 2A 3D", "1:b, 2:a, 3:d", "1-A;2-B;3-D", "BAD", "1-B;2-A", ""],
    ["chunking", "chunkin", "chunkng", "chunks", "Chunking", "tokens", "tokenising", "embedding", "chunkig", ""],
    ["B", "b", "The output indicator", "The output indicater", "A", "The context", "C", "", "F"],
    ["feedback", "feedbak", "Feedback stage", "feedback stag", "monitoring", "fedback", "review", "evaluation", ""],
]


def typed_class(folder: Path, rows: int) -> Path:
    names = [[f"student {n}", "A", *(v[(n * (i + 2) + n // 7) % len(v)] for i, v in enumerate(VARIANTS))]
             for n in range(rows)]
    return write_sheet(folder / "typed.csv", names)


def test_answers_read_past_the_cache_limit_grade_and_count_as_before(tmp_path, examdir, monkeypatch):
    """Past CACHE_LIMIT distinct cells an item's new cells are read each time and not kept: the
    marks, the audit, the flags and the item analysis stay those of reading everything once,
    except that typed answers with no fixed set of readings are counted as '(other answers)'."""
    import examkit.grade.score as score

    examset, sheet = read_examset(examdir), typed_class(tmp_path, 120)
    grade_and_write(examset, [sheet], tmp_path / "all-kept", pdf=False, handouts=False)
    monkeypatch.setattr(score, "CACHE_LIMIT", 3)
    run, tally, _ = grade_and_write(examset, [sheet], tmp_path / "capped", pdf=False, handouts=False)
    for name in ("scores.csv", "responses.csv", "form-statistics.csv"):
        assert (tmp_path / "capped" / name).read_bytes() == (tmp_path / "all-kept" / name).read_bytes(), name
    graders = run.graders["A"]
    # Each item kept its first 3 cells and nothing more of what students wrote; the rest was
    # counted under readings kept aside (keys no cell can be): the limit really was reached.
    cells = [[k for k in g.cache if not (isinstance(k, tuple) and k[0] == "counted as")] for g in graders]
    assert tally.flagged and [len(c) for c in cells] == [3] * len(graders)
    assert all(len(g.cache) > 3 for g in graders)
    # What was read and not kept leaves the row tests' sets once its row is done.
    kept_outcomes = {o for g in graders for o in g.cache.values()}
    assert graders[0].cache.flagged | graders[0].cache.blank <= kept_outcomes
    assert graders[0].cache.strays == []

    kept, capped = (read_csv(tmp_path / folder / "item-analysis.csv") for folder in ("all-kept", "capped"))
    for before, after in zip(kept, capped):
        assert {k: v for k, v in after.items() if k != "choices"} == {k: v for k, v in before.items() if k != "choices"}
        if before["type"] in ("single", "multiple", "matching", "ordering"):
            assert after["choices"] == before["choices"]
        else:
            assert "(other answers)" in after["choices"] or "(other right answers)" in after["choices"]


def test_the_command_shows_how_it_read_each_sheet_before_the_handouts_progress(tmp_path, examdir):
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(write_messy(tmp_path)), "--no-pdf"])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "messy.csv: answer-sheet CSV" in output and "handouts" in output
    assert output.index("messy.csv: answer-sheet CSV") < output.index("handouts") < output.index("11 rows:")


def test_grading_in_memory_keeps_the_class_list_of_any_class(tmp_path, examdir, monkeypatch):
    # Every row is in run.results already: the report lists them all, past CLASS_LIST_LIMIT too.
    monkeypatch.setattr(examkit.grade, "CLASS_LIST_LIMIT", 5)
    run = grade_files(read_examset(examdir), [big_class(tmp_path, 40)])
    write_results(run, tmp_path / "results", pdf=False, handouts=False)
    assert "student 37" in (tmp_path / "results" / "report.html").read_text(encoding="utf-8")
    assert not any("no class list" in note for note in run.notes)


def test_flagged_rows_past_the_first_few_are_counted_not_kept(tmp_path, examdir, monkeypatch):
    import examkit.grade.tally

    monkeypatch.setattr(examkit.grade.tally, "FLAGGED_KEPT", 3)
    run, tally, _ = grade_and_write(read_examset(examdir), [write_messy(tmp_path)], tmp_path / "results", pdf=False)
    # The repeated student's first row, flagged once the pass was over, still comes first.
    assert tally.flagged_count == 10
    assert [r.source for r in tally.flagged_rows] == ["messy.csv:2", "messy.csv:3", "messy.csv:4"]
    report = (tmp_path / "results" / "report.html").read_text(encoding="utf-8")
    assert "Flagged rows (10)" in report and "The first 3 are listed here; scores.csv has all 10" in report
    assert sum(1 for r in read_csv(tmp_path / "results" / "scores.csv") if r["status"] == "flagged") == 10
