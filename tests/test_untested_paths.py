"""Paths users hit that no test ran before (issue 17): each with its real input and exact outcome."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.cli import cli
from examkit.errors import ExamkitError
from examkit.fileio import write_atomic

from .conftest import MINI_BANK
from .fixtures.grade.support import copy_examdir, write_sheet
from .test_bank import GOOD_SINGLE, MATCHING, problems_of

ANN = ["A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"]


def grade(tmp_path: Path, answers: Path, *options: str, examdir: Path | None = None):
    examdir = examdir or (tmp_path / "exam" if (tmp_path / "exam").is_dir() else copy_examdir(tmp_path))
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(answers), "--no-report", "-o", str(tmp_path / "out"),
                                      *options])
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out" / "scores.csv").read_text(encoding="utf-8")))) \
        if result.exit_code == 0 else []
    return result, rows


def test_a_one_form_exam_grades_a_sheet_without_a_form_column(tmp_path):
    examdir = copy_examdir(tmp_path)
    data = json.loads((examdir / "examset.json").read_text(encoding="utf-8"))
    data["forms"] = data["forms"][:1]
    (examdir / "examset.json").write_text(json.dumps(data), encoding="utf-8")
    sheet = tmp_path / "class.csv"
    sheet.write_text("student,1,2,3,4,5,6,7\nAnn," + ",".join(f'"{a}"' for a in ANN) + "\n", encoding="utf-8")
    result, rows = grade(tmp_path, sheet, examdir=examdir)
    assert result.exit_code == 0, result.output
    assert [(r["student"], r["form"], r["points"], r["status"]) for r in rows] == [("Ann", "A", "7", "graded")]


def test_void_of_an_item_not_on_the_exam_is_refused(tmp_path):
    result, _ = grade(tmp_path, write_sheet(tmp_path / "c.csv", [["Ann", "A", *ANN]]), "--void", "no-such-item")
    assert result.exit_code == 1
    assert result.stderr == "error: --void: 'no-such-item': no such item in the exam set; use an item id from key.csv\n"


@pytest.mark.parametrize(("partial", "points"), [("none", "5"), ("all", "5.8333")])
def test_partial_none_and_all(tmp_path, partial, points):
    # Item 2 (multiple, A,C) answered A only (half); item 4 (matching) one pair of three right (a third).
    half = ["A", "A", "B,C,A,D", "1-B;2-D;3-A", "chunking", "B", "feedback"]
    result, rows = grade(tmp_path, write_sheet(tmp_path / "c.csv", [["Ann", "A", *half]]), "--partial", partial)
    assert result.exit_code == 0, result.output
    assert rows[0]["points"] == points


def test_a_malformed_csv_row_is_flagged_with_its_text_kept(tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text('student,form,1\n"Ann,A,x\n', encoding="utf-8")
    result, rows = grade(tmp_path, sheet)
    assert result.exit_code == 0, result.output
    assert rows[0]["status"] == "flagged" and rows[0]["student"] == "Ann,A,x"
    assert "too few cells: 1 for 3 columns" in rows[0]["reason"]


def test_utf16_without_a_byte_order_mark_is_recognised(tmp_path):
    sheet = tmp_path / "u16.csv"
    text = "student,form,1,2,3,4,5,6,7\nZoë,A," + ",".join(f'"{a}"' for a in ANN) + "\n"
    sheet.write_bytes(text.encode("utf-16-le"))
    result, rows = grade(tmp_path, sheet)
    assert "u16.csv: answer-sheet CSV (UTF-16, ','-separated)" in result.output
    assert [(r["student"], r["points"]) for r in rows] == [("Zoë", "7")]


SHAPES = {
    "list.json": json.dumps([{"student": "Ann", "form": "A", "answers": ANN}]),
    "responses.json": json.dumps({"responses": [{"student": "Ann", "form": "A",
                                                 "answers": dict(zip(map(str, range(1, 8)), ANN))}]}),
    "by-student.json": json.dumps({"Ann": {"form": "A", "answers": ANN}}),
    "positions.json": json.dumps([{"name": "Ann", "form": "A", **{f"q{n}": a for n, a in enumerate(ANN, 1)}}]),
    "list.yaml": "- student: Ann\n  form: A\n  answers: [A, 'A,C', 'B,C,A,D', '1-B;2-A;3-D', chunking, B, feedback]\n",
    "submissions.yaml": "submissions:\n  - {student: Ann, form: A, answers: [A, 'A,C', 'B,C,A,D', '1-B;2-A;3-D', "
                        "chunking, B, feedback]}\n",
}


@pytest.mark.parametrize("name", SHAPES)
def test_every_accepted_json_and_yaml_shape(tmp_path, name):
    answers = tmp_path / name
    answers.write_text(SHAPES[name], encoding="utf-8")
    result, rows = grade(tmp_path, answers)
    assert result.exit_code == 0, result.output
    assert [(r["student"], r["form"], r["points"]) for r in rows] == [("Ann", "A", "7")]


def test_answers_that_are_not_entries_and_the_wrong_encoding(tmp_path):
    answers = tmp_path / "text.json"
    answers.write_text('"hello"', encoding="utf-8")
    result, _ = grade(tmp_path, answers)
    assert result.stderr == (f"error: {answers}: expected a list of answer entries (student, form, answers), found "
                             "str; see 'examkit grade --help' for the layout\n")
    answers.write_text(SHAPES["list.json"], encoding="utf-8")
    result, _ = grade(tmp_path, answers, "--encoding", "utf-16")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "utf-16" in result.stderr
    answers.write_text(SHAPES["list.json"] + " ", encoding="utf-8")  # an even length decodes as UTF-16
    result, _ = grade(tmp_path, answers, "--encoding", "utf-16")
    assert result.stderr.startswith(f"error: {answers}:1: invalid JSON (")
    assert result.stderr.endswith("check --encoding utf-16 (the file may be in another encoding), or fix the file\n")


def test_multiple_matching_and_ordering_shape_rules(write_items):
    multiple = GOOD_SINGLE.replace("type: single", "type: multiple").replace("{text: Chunks,", "{text: Chunks, correct: true,")
    (message,) = [m for m in problems_of(write_items(multiple)) if "has 4 options" in m]
    assert message.endswith("items.yaml:2: item 'q1': has 4 options; this exam's multiple-response items have at "
                            "least 5, so add distractors")
    premises = "".join(f"      - {{text: Stage {n}, answer: a, why: W.}}\n" for n in range(8))
    responses = "".join(f"      - {{key: {k}, text: Activity {k}, why: W.}}\n" for k in "bcdefghij")
    many = MATCHING.replace("      - {text: Pre-training, answer: a, why: Broad.}\n", premises) + responses
    found = problems_of(write_items(many))
    assert any(m.endswith("item 'm1': has 9 premises; this exam's matching items have 3 to 7") for m in found), found


@pytest.mark.parametrize(("text", "says"), [
    ("- just a list\n", "items.yaml:1: the file must be a mapping with 'exam:', 'cases:' and/or 'items:' at the top"),
    ("items: {id: q1}\n", "items.yaml:1: 'items' must be a list"),
    ("cases:\n  - {id: c1, title: A, scenario: S.}\n  - {id: c1, title: B, scenario: T.}\n",
     "items.yaml:3: case 'c1': duplicate case id (first at "),
])
def test_bank_files_of_the_wrong_shape(write_items, text, says):
    assert any(says in m for m in problems_of(write_items(text)))


def test_a_bank_folder_without_yaml_and_an_unknown_scope(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no bank here")
    assert problems_of(empty) == [f"{empty}: no .yaml files in this folder; point at a bank"]
    bank = tmp_path / "bank"
    shutil.copytree(MINI_BANK, bank)
    exam = bank / "exam.yaml"
    exam.write_text(exam.read_text().replace('scope: ["mini:1"]', 'scope: ["mini:9"]'))
    assert "exam: scope names unknown objective 'mini:9'; fix the id" in problems_of(bank)


def test_the_temporary_file_is_removed_when_a_write_fails(tmp_path, monkeypatch):
    import os

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(OSError):
        write_atomic(tmp_path / "scores.csv", "a,b\n")
    assert list(tmp_path.iterdir()) == []


def test_load_bank_error_lists_every_problem_sorted(write_items):
    with pytest.raises(ExamkitError) as caught:
        load_bank([write_items("items: {id: q1}\nextra: 1\n")])
    assert [p.line for p in caught.value.problems] == sorted(p.line or 0 for p in caught.value.problems)
