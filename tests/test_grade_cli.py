"""`examkit grade` end to end: the command, its files, the HTML report and the PDF read back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli

from .fixtures.grade.support import copy_examdir, write_sheet

ROWS = [
    ["Ann Lee", "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"],
    ["<script>alert(1)</script>", "A", "B", "A", "C,B,A,D", "1-B;2-A;3-C", "embedding", "A", "monitoring"],
    ["Cy Díaz", "B", "chunks", "1-B;2-D;3-C", "A", "D", "feedback", "D,C,B,A", "D,E"],
    ["Dee", "B", "", "", "", "", "", "", ""],
]


@pytest.fixture
def examdir(tmp_path) -> Path:
    return copy_examdir(tmp_path)


@pytest.fixture
def sheet(tmp_path) -> Path:
    return write_sheet(tmp_path / "class.csv", ROWS)


def test_grade_writes_every_file_and_shows_the_mapping(examdir, sheet):
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf"])
    assert result.exit_code == 0, result.output
    assert "class.csv: answer-sheet CSV (UTF-8, ','-separated)" in result.output
    assert "4 rows: 4 graded, 1 flagged, 0 not gradable" in result.output
    assert "flagged class.csv:5 Dee: no answers" in result.output
    results = examdir / "results"
    assert sorted(p.name for p in results.iterdir()) == ["form-statistics.csv", "item-analysis.csv", "report.html",
                                                         "responses.csv", "scores.csv", "students"]
    assert sorted(p.name for p in (results / "students").iterdir()) == ["Ann-Lee.html", "Cy-D-az.html", "Dee.html",
                                                                        "script-alert-1-script.html"]
    scores = list(csv.reader(io.StringIO((results / "scores.csv").read_text(encoding="utf-8"))))
    assert scores[0] == ["student", "form", "points", "max_points", "percent", "status", "reason", "scaled_score",
                         "result", "mini:1 %", "mini:1.1 %", "mini:1.2 %", "source"]
    assert scores[1] == ["Ann Lee", "A", "7", "7", "100.0", "graded", "", "1000", "pass", "100.0", "100.0", "100.0",
                         "class.csv:2"]
    assert scores[3][:9] == ["Cy Díaz", "B", "6", "7", "85.7", "graded", "", "871", "pass"]
    item_analysis = list(csv.DictReader(io.StringIO((results / "item-analysis.csv").read_text(encoding="utf-8"))))
    assert len(item_analysis) == 14 and item_analysis[0]["item_id"] == "tok-single"
    assert item_analysis[0]["choices"] == "A* 1 | B 1 | C 0 | D 0"


def test_options_reach_the_grader(examdir, sheet, tmp_path):
    out = tmp_path / "regraded"
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "-o", str(out), "--no-report",
                                      "--void", "shop-two", "--accept", "tok-short=embedding",
                                      "--partial", "matching", "--negative", "0.25"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((out / "scores.csv").open(encoding="utf-8")))
    # The second student: 1 wrong (-0.25), 2 wrong (-0.25), 3 wrong (-0.25), 4 two of three pairs (2/3),
    # 5 accepted later (1), 6 wrong (-0.25), 7 voided.
    assert (rows[1]["points"], rows[1]["max_points"]) == ("0.6667", "6")
    assert not (examdir / "results").exists()


def test_errors_are_one_line_without_traceback(tmp_path, sheet):
    result = CliRunner().invoke(cli, ["grade", str(tmp_path), str(sheet)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "no exam set here; run 'examkit generate' first" in result.output


def test_report_html_opens_with_the_class_list_and_is_escaped(examdir, sheet):
    CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf"], catch_exceptions=False)
    html = (examdir / "results" / "report.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<svg" in html and html.count('<rect x=') == 10  # a bar per score band
    # The class list comes first: a row per student with points, percent, scaled score, verdict, flags.
    assert html.index("Class list (4)") < html.index("Class summary")
    rows = html.split('<table class="classlist" id="classlist">')[1].split("</table>")[0].split("<tr")[2:]
    assert len(rows) == 4
    assert '<a href="students/Cy-D-az.html">Cy Díaz</a>' in rows[2] and "6 / 7" in rows[2] and "871" in rows[2]
    assert "verdict-pass" in rows[2]
    # No student's feedback page is in the class report any more: that is in the handouts.
    assert '<section class="student' not in html and "Questions to revisit" not in html


def test_each_handout_holds_one_students_feedback_and_no_one_elses(examdir, sheet):
    CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf"], catch_exceptions=False)
    folder = examdir / "results" / "students"
    second = (folder / "script-alert-1-script.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in second and "<script>alert(1)" not in second
    # A missed item with the student's answer, the key, the rationales and the notes to study.
    assert "Tokens are the units the model reads and writes." in second       # why of the right option
    assert "Chunks are segments of a long document" in second                  # why of the chosen one
    assert "Study: Notes › Tokens" in second and "Notes › Lifecycle" in second
    assert "Case study: An online shop" in second
    names = {"Ann-Lee.html": "Ann Lee", "Cy-D-az.html": "Cy Díaz", "Dee.html": "Dee",
             "script-alert-1-script.html": "&lt;script&gt;"}
    for file, name in names.items():
        text = (folder / file).read_text(encoding="utf-8")
        assert name in text
        others = [n for f, n in names.items() if f != file]
        assert not any(other in text for other in others), file
    # Cy Díaz wrote "chunks" for position 1 on form B; nobody else's answers appear in Ann's handout.
    assert "embedding" not in (folder / "Ann-Lee.html").read_text(encoding="utf-8")


def test_report_pdf_reads_back(examdir, sheet):
    from pypdf import PdfReader

    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(str(examdir / "results" / "report.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Results: Mini exam practice" in text
    assert "Class list (4)" in text
    assert "Cy Díaz" in text and "<script>alert(1)</script>" in text  # shown as text, never run
    assert "Questions to revisit" not in text
    assert len(reader.pages) <= 4  # a summary: no page per student


def test_handout_pdfs_with_pdf_read_back(examdir, sheet):
    from pypdf import PdfReader

    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--pdf", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "and 8 handout files in students/" in result.output
    text = "\n".join(p.extract_text() for p in PdfReader(str(examdir / "results" / "students" / "Cy-D-az.pdf")).pages)
    assert "Cy Díaz" in text and "Questions to revisit" in text and "Ann Lee" not in text


def test_same_input_gives_byte_identical_results(examdir, sheet, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    for out in (first, second):
        result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "-o", str(out), "--no-pdf"])
        assert result.exit_code == 0
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert len(files) == 9
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path
    assert str(tmp_path) not in (first / "report.html").read_text(encoding="utf-8")


def test_big_classes_get_no_pdf_and_no_feedback_pages_unless_asked(examdir, sheet, monkeypatch):
    import examkit.grade as grade

    monkeypatch.setattr(grade, "PDF_LIMIT", 2)
    monkeypatch.setattr(grade, "FEEDBACK_LIMIT", 3)
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet)])
    assert result.exit_code == 0, result.output
    assert "note: report.pdf not written for 4 students (more than 2); pass --pdf to write it anyway" in result.output
    assert "note: no handouts in students/: 4 students are more than 3; pass --handouts to write them anyway" \
        in result.output
    assert not (examdir / "results" / "report.pdf").exists()
    assert not (examdir / "results" / "students").exists()
