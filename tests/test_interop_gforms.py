"""The Google Forms export: an Apps Script run under node against a FormApp stand-in that records
every call; the recorded quizzes are checked item by item against the exam set, and a responses
export built from them is graded by `examkit grade`, which must map every column back."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
from pathlib import Path

import pytest

import examkit
from examkit.interop.gforms import ordinal

STANDIN = Path(__file__).parent / "fixtures" / "interop" / "formapp-standin.js"


@pytest.fixture(scope="module")
def exam_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("gforms") / "exam"
    bank = examkit.load_bank()
    blueprint = examkit.load_blueprint(examkit.find_blueprint("aif-c01-task-2.1-quiz"))
    examkit.write_examset(examkit.generate_examset(bank, blueprint, forms=2, seed=11), folder)
    return folder


def run_script(script: Path) -> dict:
    node = shutil.which("node")
    assert node, "node is needed for this test: scripts/system-deps test installs Debian's nodejs"
    done = subprocess.run([node, str(STANDIN), str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def recorded(exam_dir: Path) -> dict:
    report = examkit.export_lms(exam_dir, "google-forms", exam_dir / "quiz.gs")
    assert report.path.read_text().startswith("// Written by examkit")
    return run_script(report.path)


def test_one_quiz_per_form_with_email_required(recorded, exam_dir):
    examset = examkit.read_examset(exam_dir)
    assert [f["title"] for f in recorded["forms"]] == [f"{examset.title} (form {f.letter})" for f in examset.forms]
    for form in recorded["forms"]:
        assert form["settings"]["setIsQuiz"] is True
        assert form["settings"]["setCollectEmail"] is True
        assert form["settings"]["setShuffleQuestions"] is False
    assert len(recorded["links"]) == 2


def test_every_item_recorded_in_printed_order(recorded, exam_dir):
    examset = examkit.read_examset(exam_dir)
    for form, quiz in zip(examset.forms, recorded["forms"]):
        assert len(quiz["items"]) == len(form.items)
        for fi, item in zip(form.items, quiz["items"]):
            assert item["title"] == fi.stem
            if fi.type in ("single", "multiple"):
                assert item["kind"] == ("MultipleChoiceItem" if fi.type == "single" else "CheckboxItem")
                assert [c["value"] for c in item["choices"]] == [o.text for o in fi.options]
                assert [c["isCorrect"] for c in item["choices"]] == [o.correct for o in fi.options]
                assert item["points"] == fi.points
                key_why = next(o.why for o in fi.options if o.correct)
                assert key_why in item["feedbackForCorrect"]["text"]
                for option in fi.options:
                    if not option.correct:
                        assert option.why in item["feedbackForIncorrect"]["text"]
            elif fi.type == "matching":
                assert item["kind"] == "GridItem"
                assert item["rows"] == [p.text for p in fi.premises]
                assert item["columns"] == [r.text for r in fi.responses]
            elif fi.type == "ordering":
                assert item["kind"] == "GridItem"
                assert item["rows"] == [s.text for s in fi.steps]
                assert item["columns"] == [ordinal(n) for n in range(1, len(fi.steps) + 1)]
            else:
                assert item["kind"] == "TextItem"
                assert item["points"] == fi.points
            if fi.case:
                assert examset.cases[fi.case].scenario in item["helpText"]


def _right_answers(item: dict, fi) -> dict[str, str]:
    """The cells a student who answers everything right has in a Forms responses export."""
    if item["kind"] == "MultipleChoiceItem":
        return {item["title"]: next(c["value"] for c in item["choices"] if c["isCorrect"])}
    if item["kind"] == "CheckboxItem":
        return {item["title"]: ";".join(c["value"] for c in item["choices"] if c["isCorrect"])}
    if item["kind"] == "TextItem":
        return {item["title"]: fi.answers[0]}
    if fi.type == "matching":
        text = {r.letter: r.text for r in fi.responses}
        return {f"{item['title']} [{p.text}]": text[p.answer] for p in fi.premises}
    return {f"{item['title']} [{s.text}]": ordinal(s.rank) for s in fi.steps}


def test_responses_export_maps_back_through_grade(recorded, exam_dir, tmp_path):
    examset = examkit.read_examset(exam_dir)
    for form, quiz in zip(examset.forms, recorded["forms"]):
        cells: dict[str, str] = {}
        for fi, item in zip(form.items, quiz["items"]):
            cells.update(_right_answers(item, fi))
        path = tmp_path / f"responses-{form.letter}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(["Timestamp", "Email Address", "Score", *cells])
            writer.writerow(["2026/09/04 7:51:43 PM GMT+5:30", "ana@example.org", "0 / 10", *cells.values()])
        run = examkit.grade_files(examset, [path], examkit.GradeOptions(form=form.letter))
        result = run.results[0]
        assert not result.reasons, result.reasons
        lost = [(k.item_id, o.raw, o.answer, o.method, o.result) for k, o in zip(run.keys[form.letter], result.outcomes) if o.points < k.points]
        assert result.percent == 100, lost


def test_bank_text_cannot_break_out_of_the_script(tmp_path):
    from examkit.interop.gforms import export
    from examkit.interop.model import Choice, Package, Question, Quiz

    evil = "'); Logger.log('pwned'); //\u2028</script>"
    q = Question(id="x", type="single", stem=evil, choices=[Choice(evil, True, evil), Choice("b", False, "c")])
    script, _ = export(Package("x", "X", [Quiz("x", evil, [q])]))
    path = tmp_path / "evil.gs"
    path.write_text(script)
    recorded = run_script(path)
    assert recorded["forms"][0]["title"] == evil
    assert recorded["forms"][0]["items"][0]["title"] == evil
    assert not any(call[0] == "Logger.log" and call[1] == "pwned" for call in recorded["calls"])
