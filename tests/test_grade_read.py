"""Answer-sheet formats: CSV as spreadsheets write it, JSON, YAML, Google Forms and Microsoft Forms exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from examkit.errors import ExamkitError
from examkit.fileio import read_examset
from examkit.grade import GradeOptions, grade_files
from examkit.grade.read import read_sheet, sniff_delimiter

FIXTURES = Path(__file__).parent / "fixtures" / "grade"
PERFECT_A = ["A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"]


@pytest.fixture(scope="module")
def examset():
    return read_examset(FIXTURES / "examset.json")


def summary(run) -> list[tuple]:
    return [(r.student, r.form, r.points, r.status) for r in run.results]


def test_canonical_csv_with_q_headers(tmp_path, examset):
    sheet = tmp_path / "class.csv"
    sheet.write_text("student,form,q1,q2,q3,q4,q5,q6,q7\n"
                     'ann,A,A,"A,C",BCAD,1-B;2-A;3-D,chunking,B,feedback\n'
                     "bob,a,b,a c,B > C > A > D,BAD,chunkng,output indicator,Feedback stage\n", encoding="utf-8")
    run = grade_files(examset, [sheet])
    assert summary(run) == [("ann", "A", 7, "graded"), ("bob", "A", 6, "graded")]
    assert run.sheets[0].mapping()[:2] == ["class.csv: answer-sheet CSV (UTF-8, ','-separated)",
                                          "  answers: positions 1-7"]


def test_spreadsheet_csv_bom_crlf_semicolons_quotes(tmp_path, examset):
    # As Excel writes "CSV UTF-8" in a locale whose list separator is ';'.
    text = ("student;form;1;2;3;4;5;6;7\r\n"
            'Zoë;Form A;A;"A;C";B,C,A,D;"1-B; 2-A; 3-D";chunking;B;feedback\r\n'
            '"Lee, Ann";B;chunks;1B 2D 3C;D;D;feedback;D C B A;"D, E"\r\n')
    sheet = tmp_path / "excel.csv"
    sheet.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    run = grade_files(examset, [sheet])
    assert summary(run) == [("Zoë", "A", 7, "graded"), ("Lee, Ann", "B", 7, "graded")]
    assert run.sheets[0].delimiter == ";"
    assert run.results[0].source == "excel.csv:2"


def test_excel_unicode_text_is_utf16_with_tabs(tmp_path, examset):
    text = "student\tform\t1\t2\t3\t4\t5\t6\t7\r\nZoë\tA\t" + "\t".join(PERFECT_A) + "\r\n"
    sheet = tmp_path / "unicode.txt"
    sheet.write_bytes(text.encode("utf-16"))  # with its byte-order mark, as Excel writes it
    run = grade_files(examset, [sheet])
    assert summary(run) == [("Zoë", "A", 7, "graded")]
    assert "UTF-16, 'tab'-separated" in run.sheets[0].mapping()[0]


def test_windows_1252_needs_the_encoding_option(tmp_path, examset):
    text = "student,form,1,2,3,4,5,6,7\r\nZoë,A," + ",".join(f'"{c}"' for c in PERFECT_A) + "\r\n"
    sheet = tmp_path / "cp1252.csv"
    sheet.write_bytes(text.encode("cp1252"))
    offset = text.encode("cp1252").index(b"\xeb")
    with pytest.raises(ExamkitError) as caught:
        grade_files(examset, [sheet])
    message = str(caught.value)
    assert f"cp1252.csv:2: cannot decode the file as UTF-8 (byte 0xeb at offset {offset})" in message
    assert "--encoding cp1252" in message
    run = grade_files(examset, [sheet], GradeOptions(encoding="cp1252"))
    assert summary(run) == [("Zoë", "A", 7, "graded")]
    with pytest.raises(ExamkitError, match="unknown encoding 'klingon'"):
        grade_files(examset, [sheet], GradeOptions(encoding="klingon"))


def test_decode_error_far_into_a_file_is_found_while_streaming(tmp_path, examset):
    rows = [f"s{i},A," + ",".join(PERFECT_A) for i in range(3000)]
    rows.append("Zoë,A," + ",".join(PERFECT_A))
    data = ("student,form,1,2,3,4,5,6,7\n" + "\n".join(rows) + "\n").replace(",A,C,", ',"A,C",').encode("cp1252")
    sheet = tmp_path / "late.csv"
    sheet.write_bytes(data)
    offset = data.index("ë".encode("cp1252"))
    with pytest.raises(ExamkitError, match=rf"late.csv:3002: .*offset {offset}\)"):
        grade_files(examset, [sheet])


def test_sniff_delimiter():
    assert sniff_delimiter('a;b;"c,d,e";f\n1,2,3,4') == ";"
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("single") == ","


def test_json_answers(tmp_path, examset):
    data = [
        {"student": "ann", "form": "A", "answers": ["A", ["A", "C"], ["B", "C", "A", "D"], {"1": "B", "2": "A", "3": "D"},
                                                    "chunking", "B", "feedback"]},
        {"student": "bob", "form": "B", "answers": {"1": "chunks", "3": "D", "q7": "D,E"}},
        {"name": "cy", "form": "A", "1": "A", "2": "A,C", "comment": "late"},
    ]
    sheet = tmp_path / "answers.json"
    sheet.write_text(json.dumps(data), encoding="utf-8")
    run = grade_files(examset, [sheet])
    assert summary(run) == [("ann", "A", 7, "graded"), ("bob", "B", 3, "graded"), ("cy", "A", 2, "graded")]
    assert [r.source for r in run.results] == ["answers.json#1", "answers.json#2", "answers.json#3"]
    assert run.results[2].extras == [("comment", "late")]


def test_json_and_yaml_errors_name_the_line(tmp_path, examset):
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"student": "ann",\n   "form": "A" "answers": []}\n]', encoding="utf-8")
    with pytest.raises(ExamkitError, match=r"broken.json:3: invalid JSON"):
        grade_files(examset, [broken])
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("just a sentence\n", encoding="utf-8")
    with pytest.raises(ExamkitError, match="expected a list of answer entries"):
        grade_files(examset, [wrong])


def test_yaml_answers_by_student(tmp_path, examset):
    sheet = tmp_path / "answers.yaml"
    sheet.write_text("ann:\n  form: A\n  answers: [A, 'A,C', BCAD, 1B 2A 3D, chunking, B, feedback]\n"
                     "bob:\n  form: B\n  answers:\n    3: D\n    4: D\n", encoding="utf-8")
    run = grade_files(examset, [sheet])
    assert summary(run) == [("ann", "A", 7, "graded"), ("bob", "B", 2, "graded")]
    assert [r.source for r in run.results] == ["answers.yaml:1", "answers.yaml:4"]


def test_google_forms_export(examset):
    run = grade_files(examset, [FIXTURES / "google-forms-export.csv"])
    assert summary(run) == [("Ann Lee", "A", 7, "graded"), ("Bo Chen", "A", 1, "graded"),
                            ("Cy Díaz", "B", 6, "graded"), ("Dee Eze", "", None, "flagged")]
    assert run.results[3].reason == "no form given (the forms are A, B)"
    # Nothing lost: Dee's answer and Bo's comment are kept, ungraded.
    assert run.results[3].extras == [("1. Which term names the basic units of text that a language model processes?",
                                      "Vectors")]
    assert run.results[1].extras == [("Anything you want to tell your teacher?", "The grid question was confusing")]
    mapping = "\n".join(run.sheets[0].mapping())
    assert "Google Forms export" in mapping
    assert '-> item life-order, row "Pre-training"' in mapping and '-> item life-match, row "Deployment"' in mapping
    assert 'ignored: "Timestamp", "Score"' in mapping
    bo = run.results[1].outcomes
    assert (bo[4].raw, bo[4].answer, bo[4].method, bo[4].result) == ("Chunkng", "chunking", "fuzzy 93", "correct")
    assert (bo[2].answer, bo[3].answer) == ("C,B,A,D", "1-B;2-D;3-A")


def test_microsoft_forms_export(examset):
    path = FIXTURES / "microsoft-forms-export.csv"
    # Both forms hold these questions, and the export has no form column: say which.
    with pytest.raises(ExamkitError, match="has no 'form' column; add one, or pass --form A"):
        grade_files(examset, [path])
    run = grade_files(examset, [path], GradeOptions(form="A"))
    assert summary(run) == [("Ann Lee", "A", 7, "graded"), ("Eli Fox", "A", 2, "graded"), ("3", "A", 0, "flagged")]
    assert run.results[2].reason == "no answers"
    eli = run.results[1].outcomes
    assert (eli[2].raw, eli[2].answer) == ("Pre-training;Data selection;Fine-tuning;Evaluation;", "C,B,A,D")
    assert (eli[6].raw, eli[6].method) == ("feedbak", "fuzzy 93")
    mapping = "\n".join(run.sheets[0].mapping())
    assert "Microsoft Forms export" in mapping and "the form's own points and feedback, ignored" in mapping


def test_a_form_question_per_export_needs_no_form_column(tmp_path, examset):
    # One Google Form per printed form, with only some items: the items tell the form.
    only_a = examset.model_copy(update={"forms": [examset.form("A"),
                                                   examset.form("B").model_copy(update={"placements": examset.form("B").placements[:3]})]})
    sheet = tmp_path / "export.csv"
    sheet.write_text("Timestamp,Email Address,Score,Which term names the basic units of text that a language model "
                     "processes?,The shop wants answers to follow a fixed JSON layout. Which prompt part sets this?\n"
                     "2025/03/04,ann@example.org,2 / 2,Tokens,The output indicator\n", encoding="utf-8")
    run = grade_files(only_a, [sheet])
    assert summary(run)[0][:3] == ("ann@example.org", "A", 2)
    assert "only form A holds these questions" in "\n".join(run.sheets[0].mapping())
    assert "no column for items" in run.results[0].reason  # the other five items of form A


def test_headers_that_match_two_items_equally_are_refused(tmp_path, examset):
    twin = examset.model_copy(deep=True)
    twin.forms[0].items[6].stem = twin.forms[0].items[5].stem + " Explain."
    sheet = tmp_path / "export.csv"
    sheet.write_text("Timestamp,Email Address,The shop wants answers to follow a fixed JSON layout\n2025,a@b.c,x\n",
                     encoding="utf-8")
    with pytest.raises(ExamkitError, match=r"column 3 .* matches items shop-one \(\d+\) and shop-two \(\d+\) about equally"):
        grade_files(twin, [sheet])


def test_two_columns_for_one_item_are_refused(tmp_path, examset):
    sheet = tmp_path / "twice.csv"
    sheet.write_text("student,form,1,2,q2\nann,A,A,B,C\n", encoding="utf-8")
    with pytest.raises(ExamkitError, match="columns 4 \"2\" and 5 \"q2\" both hold position 2"):
        grade_files(examset, [sheet])


def test_a_sheet_without_answer_columns_is_refused(tmp_path, examset):
    sheet = tmp_path / "names.csv"
    sheet.write_text("student,form\nann,A\n", encoding="utf-8")
    with pytest.raises(ExamkitError, match="names.csv:1: no answer columns found"):
        grade_files(examset, [sheet])
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(ExamkitError, match="empty.csv: the file has no header row"):
        grade_files(examset, [empty])
    with pytest.raises(ExamkitError, match="missing.csv: no such answer-sheet file"):
        grade_files(examset, [tmp_path / "missing.csv"])


def test_format_option_overrides_detection(tmp_path, examset):
    sheet = tmp_path / "answers.txt"
    sheet.write_text(json.dumps([{"student": "ann", "form": "A", "answers": PERFECT_A}]), encoding="utf-8")
    run = grade_files(examset, [sheet], GradeOptions(fmt="json"))
    assert summary(run) == [("ann", "A", 7, "graded")]
    assert read_sheet(FIXTURES / "google-forms-export.csv", examset, fmt="google").kind == "google"


def test_truncated_and_numbered_headers_still_map(tmp_path, examset):
    sheet = tmp_path / "short-headers.csv"
    sheet.write_text("Name,Form,Q1) Which term names the basic units of text,"
                     "Question 6: The shop wants answers to follow a fixed JSON layout (1 point)\n"
                     "ann,A,Tokens,The output indicator\n", encoding="utf-8")
    run = grade_files(examset, [sheet])
    columns = {c.label: c.item_id for c in run.sheets[0].columns if c.role == "answer"}
    assert list(columns.values()) == ["tok-single", "shop-one"]
    assert run.results[0].points == 2


def test_a_workbook_is_refused_with_the_way_out(tmp_path, examset):
    workbook = tmp_path / "answers.xlsx"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(ExamkitError, match=r"answers.xlsx: this is a spreadsheet workbook.*save it as CSV"):
        grade_files(examset, [workbook])


def test_json_prefers_the_name_to_the_email_and_keeps_both(tmp_path, examset):
    sheet = tmp_path / "answers.json"
    sheet.write_text(json.dumps([{"email": "cy@example.org", "name": "Cy", "form": "A", "answers": ["A"]},
                                 {"student": "Dee", "name": "D. Eze", "form": "A", "answers": ["A"]}]), encoding="utf-8")
    run = grade_files(examset, [sheet])
    assert [(r.student, r.extras) for r in run.results] == [("Cy", [("email", "cy@example.org")]),
                                                            ("Dee", [("name", "D. Eze")])]


def test_an_encoding_that_is_no_text_encoding_is_a_one_line_error(tmp_path, examset):
    sheet = tmp_path / "class.csv"
    sheet.write_text("student,form,1\nann,A,A\n", encoding="utf-8")
    with pytest.raises(ExamkitError, match="unknown encoding 'hex'"):
        grade_files(examset, [sheet], GradeOptions(encoding="hex"))


def test_grid_columns_out_of_range_or_for_one_row_twice_are_refused(tmp_path, examset):
    stem = "Put these stages of the foundation model lifecycle in order."
    for rows, message in ((["1st", "2nd", "3rd", "5th"], r"has 4 steps, so no position 5"),
                          (["1st", "1"], r"are the same row of item life-order")):
        sheet = tmp_path / "export.csv"
        sheet.write_text("Name,Form," + ",".join(f'"{stem} [{r}]"' for r in rows) + "\nann,A" + ",A" * len(rows) + "\n",
                         encoding="utf-8")
        with pytest.raises(ExamkitError, match=message):
            grade_files(examset, [sheet])


def test_a_grid_row_named_feedback_is_an_answer_not_the_quiz_feedback_column(tmp_path, examset):
    """Google writes a question's feedback as "Stem [Feedback]"; a grid row called Feedback looks the same."""
    renamed = examset.model_copy(deep=True)
    match = renamed.items["life-match"]
    match.premises[next(i for i, p in enumerate(match.premises) if p.text == "Deployment")].text = "Feedback"
    renamed.link_forms()
    stem = "Match each lifecycle stage to its main activity."
    sheet = tmp_path / "export.csv"
    sheet.write_text(
        f'Timestamp,Email Address,{stem} [Pre-training],{stem} [Fine-tuning],{stem} [Feedback]\n'
        "2025,ann@example.org,Learn broad patterns from large general-purpose data,"
        "Update the weights with a smaller task-specific dataset,Integrate the model into production systems\n",
        encoding="utf-8")
    run = grade_files(renamed, [sheet], GradeOptions(form="A"))
    mapping = "\n".join(run.sheets[0].mapping())
    assert 'row "Feedback"' in mapping and "points and feedback, ignored" not in mapping
    assert run.results[0].outcomes[3].points == 1  # all three rows read: full marks for the matching item


def _forms_workbook(path: Path) -> Path:
    """A Microsoft Forms download as it comes: an .xlsx with typed cells (ID a number, times
    Excel datetimes), built here from the CSV fixture's rows."""
    import csv
    import datetime

    import openpyxl

    with (FIXTURES / "microsoft-forms-export.csv").open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(header)
    for row in rows:
        typed: list = list(row)
        typed[0] = int(row[0])
        for column in (1, 2):
            typed[column] = datetime.datetime.strptime(row[column], "%m/%d/%y %H:%M:%S")
        typed[5] = int(row[5])
        typed[9] = int(row[9]) if row[9] else None  # "Points - ..." as numbers
        sheet.append([None if cell == "" else cell for cell in typed])
    book.save(path)
    return path


def test_a_microsoft_forms_workbook_is_read_directly(tmp_path, examset):
    workbook = _forms_workbook(tmp_path / "Quiz(1-3).xlsx")
    run = grade_files(examset, [workbook], GradeOptions(form="A"))
    # The same students and scores as the CSV a teacher would have had to save it as.
    assert summary(run) == [("Ann Lee", "A", 7, "graded"), ("Eli Fox", "A", 2, "graded"), ("3", "A", 0, "flagged")]
    assert run.results[0].source == "Quiz(1-3).xlsx:2"
    eli = run.results[1].outcomes
    assert (eli[2].raw, eli[2].answer) == ("Pre-training;Data selection;Fine-tuning;Evaluation;", "C,B,A,D")
    mapping = run.sheets[0].mapping()
    assert mapping[0] == "Quiz(1-3).xlsx: Microsoft Forms export (workbook, sheet 'Sheet1')"
    # The question mapping line by line; the 12 points and feedback columns as one count.
    assert any("-> item tok-single" in line for line in mapping)
    assert "  set aside: 12 columns of the form's own points and feedback, ignored (Points - ..., Feedback - ...)" \
        in mapping
    assert not any("Points - Which term" in line for line in mapping)


def test_workbook_cells_read_as_a_csv_export_writes_them():
    import datetime

    from examkit.grade.read import cell_text

    assert cell_text(datetime.datetime(2025, 3, 4, 10, 1, 12)) == "2025-03-04 10:01:12"
    assert cell_text(datetime.date(2025, 3, 4)) == "2025-03-04"
    assert [cell_text(v) for v in (3.0, 2.5, 7, None, True, " B ")] == ["3", "2.5", "7", "", "true", " B "]


def test_a_canonical_sheet_saved_as_a_workbook_grades_like_its_csv(tmp_path, examset):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["student", "form", 1, 2, 3, 4, 5, 6, 7])  # numbers as headers, as Google Sheets keeps them
    sheet.append(["Ann", "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"])
    book.save(tmp_path / "answers.xlsx")
    run = grade_files(examset, [tmp_path / "answers.xlsx"])
    assert summary(run) == [("Ann", "A", 7, "graded")]


def test_an_old_xls_workbook_is_refused_with_the_way_out(tmp_path, examset):
    workbook = tmp_path / "answers.xls"
    workbook.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(ExamkitError, match=r"answers.xls: this is an old Excel workbook \(.xls\).*save it as .xlsx"):
        grade_files(examset, [workbook])
