"""Grading input a careless or hostile user writes: defused CSV cells, conflicting forms, odd letters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli

from .fixtures.grade.support import copy_examdir, write_sheet

FORMULA_LIKE = ["=HYPERLINK(\"http://x\")", "\t=1+1", "\r=1+1", " =1+1", "\n=1+1", "+1", "-1+1", "@SUM(A1)",
                "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)"]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", " ", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def test_no_input_cell_reaches_a_csv_looking_like_a_formula(tmp_path):
    examdir = copy_examdir(tmp_path)
    # Position 6 of form A is a short answer: each formula-like text goes in as a typed answer,
    # as a student name, and as a form letter; the file itself is named like a formula.
    rows = [[text, "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D", text, "B", "feedback"] for text in FORMULA_LIKE]
    rows += [[f"student {n}", text, "A", "A", "A", "A", "A", "A", "A"] for n, text in enumerate(FORMULA_LIKE)]
    sheet = write_sheet(tmp_path / "=1+1.csv", rows)
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-report", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out").glob("*.csv"))
    assert [p.name for p in written] == ["form-statistics.csv", "item-analysis.csv", "responses.csv", "scores.csv"]
    cells = 0
    for path in written:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                cells += 1
                assert not cell.startswith(DANGEROUS_START) or cell == "-", (path.name, cell)
    assert cells > 500
    responses = (tmp_path / "out" / "responses.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in responses
    assert "'=1+1.csv:2" in (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8")


def _examdir_with_form_letters(tmp_path: Path, letters: dict[str, str]) -> Path:
    examdir = copy_examdir(tmp_path)
    data = json.loads((examdir / "examset.json").read_text(encoding="utf-8"))
    for form in data["forms"]:
        form["letter"] = letters.get(form["letter"], form["letter"])
    (examdir / "examset.json").write_text(json.dumps(data), encoding="utf-8")
    return examdir


def _grade(examdir: Path, sheet: Path, out: Path, *options: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-report", "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader((out / "scores.csv").open(encoding="utf-8")))


ANN = ["A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"]


def test_form_option_flags_a_row_whose_form_column_names_another_form(tmp_path):
    sheet = write_sheet(tmp_path / "class.csv", [["Ann", "A", *ANN], ["Bo", "B", *ANN], ["Cy", "", *ANN]])
    rows = _grade(copy_examdir(tmp_path), sheet, tmp_path / "out", "--form", "A")
    assert [(r["student"], r["form"], r["status"]) for r in rows] == [
        ("Ann", "A", "graded"), ("Bo", "A", "flagged"), ("Cy", "A", "graded")]
    assert rows[1]["reason"] == "the form column says 'B' but --form A was given; check which form this student sat"


def test_lower_case_form_letters_in_the_exam_set_grade(tmp_path):
    examdir = _examdir_with_form_letters(tmp_path, {"A": "a", "B": "b"})
    sheet = write_sheet(tmp_path / "class.csv", [["Ann", "A", *ANN], ["Bo", "form a", *ANN]])
    rows = _grade(examdir, sheet, tmp_path / "out")
    assert [(r["form"], r["status"], r["points"]) for r in rows] == [("a", "graded", "7"), ("a", "graded", "7")]
    assert _grade(examdir, sheet, tmp_path / "forced", "--form", "A", "--void", "A:1")[0]["max_points"] == "6"


def test_forms_after_z_are_graded_like_any_other(tmp_path):
    examdir = _examdir_with_form_letters(tmp_path, {"A": "AA", "B": "AB"})
    sheet = write_sheet(tmp_path / "class.csv", [["Ann", "AA", *ANN], ["Bo", "Form ab", *ANN], ["Cy", "ZZ", *ANN]])
    rows = _grade(examdir, sheet, tmp_path / "out")
    assert [r["form"] for r in rows] == ["AA", "AB", "ZZ"]
    assert [bool(r["points"]) for r in rows] == [True, True, False]  # AB is graded (form B's key)
    assert rows[0]["points"] == "7" and rows[0]["status"] == "graded"
    assert rows[2]["reason"] == "unknown form 'ZZ' (the forms are AA, AB)"


def test_regrading_into_a_results_folder_removes_reports_not_written_this_time(tmp_path):
    examdir = copy_examdir(tmp_path)
    sheet = write_sheet(tmp_path / "class.csv", [["Ann", "A", *ANN]])
    out = tmp_path / "results"
    first = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf", "-o", str(out)])
    assert first.exit_code == 0 and (out / "report.html").is_file()
    (out / "my-notes.csv").write_text("kept")
    again = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-report", "-o", str(out)])
    assert again.exit_code == 0, again.output
    assert "note: removed report.html: left by an earlier run and not written this time" in again.output
    assert sorted(p.name for p in out.iterdir()) == ["form-statistics.csv", "item-analysis.csv", "my-notes.csv",
                                                     "responses.csv", "scores.csv"]


def test_generate_force_never_pairs_a_new_exam_set_with_an_old_key(tmp_path, monkeypatch):
    from examkit.generate import writer

    out = tmp_path / "exam"
    assert CliRunner().invoke(cli, ["generate", "-b", "aif-c01-task-2.1-quiz", "--seed", "1", "-o", str(out)]).exit_code == 0
    before = {name: (out / name).read_bytes() for name in ("examset.json", "key.csv")}

    def no_key(examset):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(writer, "key_csv", no_key)
    failed = CliRunner().invoke(cli, ["generate", "-b", "aif-c01-task-2.1-quiz", "--seed", "2", "-o", str(out),
                                      "--force"])
    assert failed.exit_code != 0
    assert {name: (out / name).read_bytes() for name in before} == before
    assert not list(out.glob(".*.tmp"))


@pytest.mark.parametrize("command", ["generate", "grade", "render"])
def test_an_unwritable_output_is_one_cannot_write_line_for_every_command(tmp_path, command):
    from .fixtures.render.support import copy_fixture

    blocker = tmp_path / "file"
    blocker.write_text("a regular file")
    target = blocker / "out"  # a folder under a regular file: no one can write there, root included
    if command == "generate":
        args = ["generate", "-b", "aif-c01-task-2.1-quiz", "-o", str(target), "--force"]
    elif command == "grade":
        sheet = write_sheet(tmp_path / "class.csv", [["Ann", "A", *ANN]])
        args = ["grade", str(copy_examdir(tmp_path)), str(sheet), "--no-report", "-o", str(target)]
    else:
        folder = copy_fixture(tmp_path / "exam")
        (folder / "key.html").mkdir()  # a folder where the file must go
        args = ["render", str(folder), "--format", "html", "--only", "key", "--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and ": cannot write: " in line, line


def test_one_oversized_cell_flags_its_row_not_the_whole_file(tmp_path):
    big = "x" * 1_000_000
    sheet = write_sheet(tmp_path / "class.csv", [["Ann", "A", *ANN], ["Bo", "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D",
                                                                         big, "B", "feedback"]])
    rows = _grade(copy_examdir(tmp_path), sheet, tmp_path / "out")
    assert [(r["student"], r["status"]) for r in rows] == [("Ann", "graded"), ("Bo", "flagged")]
    assert rows[1]["reason"].startswith("column 7: a 1,000,000-character cell (more than 10,000) was not read")
    assert rows[1]["points"] == "6"


@pytest.mark.parametrize(("head", "what"), [(b"%PDF-1.7\n", "a PDF"), (b"\x89PNG\r\n\x1a\n", "a PNG image"),
                                            (b"\xff\xd8\xff\xe0", "a JPEG image")])
def test_a_pdf_or_image_is_not_an_answer_file(tmp_path, head, what):
    scan = tmp_path / "scan.csv"
    scan.write_bytes(head + bytes(range(256)) * 4)
    result = CliRunner().invoke(cli, ["grade", str(copy_examdir(tmp_path)), str(scan), "--no-report"])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {scan}: this is {what}, not an answer file; grade the answers as CSV, JSON or "
                             "YAML (scanned paper sheets are read with 'examkit scan')\n")


def test_deeply_nested_json_answers_are_one_line(tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text("[" * 2000 + "]" * 2000)
    result = CliRunner().invoke(cli, ["grade", str(copy_examdir(tmp_path)), str(answers), "--no-report"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(f"error: {answers}: ") and result.stderr.count("\n") == 1


def test_a_renamed_google_forms_grid_row_is_reported_not_mapped_to_the_whole_item(tmp_path):
    fixture = Path(__file__).parent / "fixtures" / "grade" / "google-forms-export.csv"
    text = fixture.read_text(encoding="utf-8")
    renamed = "4. Match each lifecycle stage to its main activity. [Training on the whole internet]"
    assert text.count("4. Match each lifecycle stage to its main activity. [Pre-training]") == 1
    sheet = tmp_path / "export.csv"
    sheet.write_text(text.replace("4. Match each lifecycle stage to its main activity. [Pre-training]", renamed),
                     encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", str(copy_examdir(tmp_path)), str(sheet), "--no-report"])
    assert result.exit_code == 1, result.output
    header = next(csv.reader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    column = header.index(renamed) + 1
    assert result.stderr == (f'error: {sheet}:1: column {column} "{renamed}": "Training on the whole internet" is no '
                             "premise of item life-match; name the row after one of its premises\n")
