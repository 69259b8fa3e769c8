"""Review and hand back: answers under review, the teacher's overrides, handout file names."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli

from .fixtures.grade.support import copy_examdir, write_sheet

RIGHT = ["A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"]  # every answer of form A right


def _grade(examdir: Path, sheet: Path, *args: str):
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf", *args])
    return result, examdir / "results"


def _scores(results: Path) -> dict[str, dict[str, str]]:
    return {row["student"]: row for row in csv.DictReader((results / "scores.csv").open(encoding="utf-8"))}


def _responses(results: Path, student: str) -> list[dict[str, str]]:
    rows = csv.DictReader((results / "responses.csv").open(encoding="utf-8"))
    return [row for row in rows if row["student"] == student]


@pytest.fixture
def examdir(tmp_path) -> Path:
    return copy_examdir(tmp_path)


@pytest.fixture
def sheet(tmp_path) -> Path:
    # Ann's first answer is a `?` a person must read; Bo's are all clear.
    return write_sheet(tmp_path / "class.csv", [["Ann Lee", "A", "?", *RIGHT[1:]], ["Bo", "A", *RIGHT]])


def test_a_row_with_answers_under_review_is_pending_not_pass_or_fail(examdir, sheet):
    result, results = _grade(examdir, sheet)
    assert result.exit_code == 0, result.output
    scores = _scores(results)
    assert scores["Ann Lee"]["result"] == "pending review" and scores["Ann Lee"]["status"] == "flagged"
    assert scores["Bo"]["result"] == "pass"
    html = (results / "report.html").read_text(encoding="utf-8")
    ann = html.split("Ann Lee</a>")[1].split("</tr>")[0]
    assert "pending review" in ann and '<td class="num">1</td>' in ann  # one flagged answer


def test_an_override_settles_the_answer_and_is_recorded_as_the_teachers(examdir, sheet):
    result, results = _grade(examdir, sheet, "--override", "ann lee:1=A")  # case and spacing do not matter
    assert result.exit_code == 0, result.output
    assert "0 flagged" in result.output
    ann = _scores(results)["Ann Lee"]
    assert (ann["points"], ann["status"], ann["result"]) == ("7", "graded", "pass")
    first = _responses(results, "Ann Lee")[0]
    assert (first["raw"], first["answer"], first["method"], first["result"], first["flag"]) == (
        "?", "A", "teacher override", "correct", "")
    assert sheet.read_text(encoding="utf-8").count("?") == 1  # the input file is untouched


def test_overrides_from_a_csv_file(examdir, sheet, tmp_path):
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("student,position,answer\nAnn Lee,1,B\n", encoding="utf-8")
    result, results = _grade(examdir, sheet, "--overrides", str(decisions))
    assert result.exit_code == 0, result.output
    ann = _scores(results)["Ann Lee"]
    assert (ann["points"], ann["result"]) == ("6", "pass")
    assert _responses(results, "Ann Lee")[0]["result"] == "wrong"


@pytest.mark.parametrize("args, message", [
    (["--override", "Anne:1=A"], "'Anne:1=A': no graded row of this student; write the name as in scores.csv"),
    (["--override", "Ann Lee:9=A"], "form A has no position 9 (it has 1-7)"),
    (["--override", "Ann Lee:1=?"], "'?' is not a clear answer to position 1"),
    (["--override", "Ann Lee=A"], "'Ann Lee=A': write STUDENT:POSITION=ANSWER"),
    (["--override", "Ann Lee:1=A", "--override", "Ann Lee:1=B"], "contradicts 'Ann Lee:1=A'"),
])
def test_an_override_that_cannot_apply_is_a_one_line_error(examdir, sheet, args, message):
    result, results = _grade(examdir, sheet, *args)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output
    assert not results.exists()


def test_a_broken_overrides_file_names_its_row(examdir, sheet, tmp_path):
    decisions = tmp_path / "decisions.csv"
    decisions.write_text("student,position,answer\nAnn Lee,first,B\n", encoding="utf-8")
    result, _ = _grade(examdir, sheet, "--overrides", str(decisions))
    assert result.exit_code == 1 and "decisions.csv:2" in result.output and "a position (a number)" in result.output


def test_handout_names_stay_inside_and_never_overwrite_each_other(examdir, tmp_path):
    # Three names that make the same safe file name, and one that tries to leave the folder.
    sheet = write_sheet(tmp_path / "class.csv", [["Ann Lee", "A", *RIGHT], ["Ann/Lee", "A", "B", *RIGHT[1:]],
                                                 ["ann lee", "A", "C", *RIGHT[1:]], ["../../evil", "A", *RIGHT]])
    result, results = _grade(examdir, sheet)
    assert result.exit_code == 0, result.output
    folder = results / "students"
    assert sorted(p.name for p in folder.iterdir()) == ["Ann-Lee-2.html", "Ann-Lee.html", "ann-lee-3.html",
                                                        "evil.html"]
    assert not (tmp_path / "evil.html").exists() and not (examdir / "evil.html").exists()
    # Each file is its own row's: the second holds the answer B at position 1, the third C.
    assert "Ann/Lee" in (folder / "Ann-Lee-2.html").read_text(encoding="utf-8")
    assert "<b>C</b>" in (folder / "ann-lee-3.html").read_text(encoding="utf-8")


def test_regrading_removes_handouts_of_students_no_longer_in_the_class(examdir, tmp_path):
    first = write_sheet(tmp_path / "one.csv", [["Ann", "A", *RIGHT], ["Bo", "A", *RIGHT]])
    _grade(examdir, first)
    (examdir / "results" / "students" / "teacher-notes.txt").write_text("mine")
    second = write_sheet(tmp_path / "two.csv", [["Ann", "A", *RIGHT]])
    result, results = _grade(examdir, second)
    assert "removed 1 handout file from students/" in result.output
    assert sorted(p.name for p in (results / "students").iterdir()) == ["Ann.html", "teacher-notes.txt"]


def test_progress_is_reported_for_every_handout(examdir, sheet):
    from examkit.fileio import read_examset
    from examkit.grade import grade_files, write_results

    run = grade_files(read_examset(examdir), [sheet])
    calls: list[tuple[int, int]] = []
    write_results(run, examdir / "results", pdf=False, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2)]


# Grading whose handout PDFs take far too long: the test interrupts it part way.
SLOW_HANDOUTS = """
import os, signal, sys, time
# A shell without job control starts background jobs with Ctrl-C ignored: restore it.
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from examkit.render import pdf
folder = sys.argv[1]
real, main_process = pdf.render_pdf_bytes, os.getpid()
def slow(html, *args, **kwargs):
    if os.getpid() == main_process:  # report.pdf, before the handouts
        return real(html, *args, **kwargs)
    Path(folder, "started-" + str(time.time())).touch()
    time.sleep(300)
pdf.render_pdf_bytes = slow
from examkit.cli import main
sys.argv = ["examkit", "grade", folder, sys.argv[2], "--pdf", "--jobs", "2", "-o", sys.argv[3]]
main()
"""


def test_ctrl_c_stops_the_handouts_with_one_line_and_writes_nothing(examdir, sheet, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from .test_render_failures import ROOT, _alive, _children, wait_until_started

    out = tmp_path / "results"
    process = subprocess.Popen([sys.executable, "-c", SLOW_HANDOUTS, str(examdir), str(sheet), str(out)], cwd=ROOT,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until_started(process, examdir)
    workers = _children(process.pid)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)  # the handouts would take minutes
    assert process.returncode == 1 and "Traceback" not in err
    (line,) = err.splitlines()
    assert "interrupted after 0 of 2 handout PDFs: no results written; grade again" in line
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]
