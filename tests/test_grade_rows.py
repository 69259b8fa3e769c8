"""Nothing lost: every input row comes out in scores.csv, graded or flagged with its reason."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli
from examkit.errors import ExamkitError
from examkit.fileio import read_examset
from examkit.grade import grade_files, write_results

from .fixtures.grade.support import copy_examdir, write_sheet

PERFECT_A = ["A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"]


@pytest.fixture
def examdir(tmp_path) -> Path:
    return copy_examdir(tmp_path)


def read_csv(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


MESSY = [
    ["ann", "A", *PERFECT_A],                              # 2 fine
    ["bob", "C", "A", "B", "C", "D", "E", "F", "G"],       # 3 unknown form
    ["ann", "A", *PERFECT_A],                              # 4 duplicate of row 2
    ["cy", "A", *PERFECT_A, "stray"],                      # 5 one cell too many
    ["dee", "A", "A", "A,C"],                              # 6 too few cells
    [],                                                    # 7 an empty line
    ["", "", "", "", "", "", "", "", ""],                  # 8 a row of empty cells
    ["", "A", *PERFECT_A],                                 # 9 no student name
    ["eve", "A", "", "", "", "", "", "", ""],              # 10 no answers
    ["fay", "A", "E", *PERFECT_A[1:]],                     # 11 an answer to review
    ["<b>gus</b>", "B", "chunks", "", "", "", "", "", ""],  # 12 fine, odd name
]


def write_messy(folder: Path) -> Path:
    return write_sheet(folder / "messy.csv", MESSY)


def test_every_row_appears_graded_or_flagged_with_its_reason(tmp_path, examdir):
    sheet = write_messy(tmp_path)
    run = grade_files(read_examset(examdir), [sheet])
    write_results(run, examdir / "results", report=False)
    rows = read_csv(examdir / "results" / "scores.csv")
    assert len(rows) == len(MESSY)
    by_source = {r["source"]: r for r in rows}
    expected = {
        "messy.csv:2": ("flagged", "duplicate student (also at messy.csv:4)", "7"),
        "messy.csv:3": ("flagged", "unknown form 'C' (the forms are A, B)", ""),
        "messy.csv:4": ("flagged", "duplicate student (also at messy.csv:2)", "7"),
        "messy.csv:5": ("flagged", "too many cells: 10 for 9 columns (extra: 'stray')", "7"),
        "messy.csv:6": ("flagged", "too few cells: 4 for 9 columns", "2"),
        "messy.csv:7": ("flagged", "empty row", ""),
        "messy.csv:8": ("flagged", "empty row", ""),
        "messy.csv:9": ("flagged", "no student name", "7"),
        "messy.csv:10": ("flagged", "no answers", "0"),
        "messy.csv:11": ("flagged", "position 1: E is not an option letter (A-D)", "6"),
        "messy.csv:12": ("graded", "", "1"),
    }
    assert {s: (r["status"], r["reason"], r["points"]) for s, r in by_source.items()} == expected
    assert rows[0]["percent"] == "100.0" and rows[0]["max_points"] == "7"


def test_cells_that_cannot_be_graded_are_kept_in_responses_csv(tmp_path, examdir):
    sheet = write_messy(tmp_path)
    run = grade_files(read_examset(examdir), [sheet])
    write_results(run, examdir / "results", report=False)
    responses = read_csv(examdir / "results" / "responses.csv")
    bob = [r for r in responses if r["student"] == "bob"]
    assert [r["raw"] for r in bob] == list("ABCDEFG")
    assert all(r["method"] == "not graded" and "unknown form 'C'" in r["flag"] for r in bob)
    stray = [r for r in responses if r["student"] == "cy" and r["method"] == "not graded"]
    assert [(r["raw"], r["flag"]) for r in stray] == [("stray", 'not graded: column "column 10"')]
    fay = [r for r in responses if r["student"] == "fay"]
    assert (fay[0]["raw"], fay[0]["result"], fay[0]["flag"]) == ("E", "review", "E is not an option letter (A-D)")
    # One audit record per student and item for every graded row.
    graded = [r for r in responses if r["method"] != "not graded"]
    assert len(graded) == 7 * sum(1 for r in run.results if r.graded)


def test_answers_outside_the_form_and_missing_columns_are_flagged(tmp_path, examdir):
    sheet = tmp_path / "short.csv"
    sheet.write_text("student,form,1,2,3,4,5,6,8\nann,A,A,\"A,C\",BCAD,BAD,chunking,B,extra\n", encoding="utf-8")
    run = grade_files(read_examset(examdir), [sheet])
    (ann,) = run.results
    assert ann.points == 6
    assert ann.reasons == ["no column for positions 7 of form A (too few columns)",
                           "answer in a column that is not on form A: \"8\" = 'extra'"]
    assert ann.extras == [("8", "extra")]


def test_a_failing_run_leaves_earlier_results_untouched(tmp_path, examdir):
    examset = read_examset(examdir)
    good = write_messy(tmp_path)
    write_results(grade_files(examset, [good]), examdir / "results", report=False)
    before = {p.name: p.read_bytes() for p in (examdir / "results").iterdir()}
    broken = tmp_path / "broken.csv"
    broken.write_bytes("student,form,1\nZoë,A,B\n".encode("cp1252"))
    with pytest.raises(ExamkitError):
        write_results(grade_files(examset, [good, broken]), examdir / "results", report=False)
    after = {p.name: p.read_bytes() for p in (examdir / "results").iterdir()}
    assert after == before  # same files, same bytes, no temporary files left


def test_a_failure_while_writing_discards_every_staged_file(tmp_path, examdir, monkeypatch):
    import examkit.grade.results as results

    run = grade_files(read_examset(examdir), [write_messy(tmp_path)])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(results, "write_item_analysis", explode)
    with pytest.raises(RuntimeError):
        write_results(run, examdir / "results", report=False)
    assert not (examdir / "results").exists() or not any((examdir / "results").iterdir())


def test_strict_exits_non_zero_when_anything_is_flagged(tmp_path, examdir):
    runner = CliRunner()
    sheet = write_messy(tmp_path)
    result = runner.invoke(cli, ["grade", str(examdir), str(sheet), "--no-report", "--strict"])
    assert result.exit_code == 1
    assert "error: 10 rows flagged (--strict)" in result.output
    assert (examdir / "results" / "scores.csv").is_file()  # the results are written all the same
    clean = tmp_path / "clean.csv"
    clean.write_text("student,form,1,2,3,4,5,6,7\nann,A," + ",".join(f'"{c}"' for c in PERFECT_A) + "\n",
                     encoding="utf-8")
    result = runner.invoke(cli, ["grade", str(examdir), str(clean), "--no-report", "--strict"])
    assert result.exit_code == 0, result.output


def test_typed_formulas_never_run_in_a_spreadsheet(tmp_path, examdir):
    sheet = write_sheet(tmp_path / "evil.csv", [["=cmd|' /C calc'!A0", "A", "A", "A,C", "", "", "=1+1", "B", ""]])
    out = tmp_path / "results"
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "-o", str(out), "--no-report"])
    assert result.exit_code == 0, result.output
    (score,) = read_csv(out / "scores.csv")
    assert score["student"] == "'=cmd|' /C calc'!A0"
    raw = {row["position"]: row["raw"] for row in read_csv(out / "responses.csv")}
    assert raw["5"] == "'=1+1" and raw["1"] == "A"
