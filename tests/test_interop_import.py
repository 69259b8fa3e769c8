"""`examkit import` on files written as each LMS's documentation shows them, and on broken files:
what imports, what is left out (one line each, with file:line and the reason), and the errors."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

import examkit
from examkit.cli import cli
from examkit.interop.bankwrite import MISSING
from examkit.interop.importer import detect

FIXTURES = Path(__file__).parent / "fixtures" / "interop"


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    """The fixtures copied to a working folder, so messages name them by their short paths."""
    shutil.copytree(FIXTURES, tmp_path / "in")
    monkeypatch.chdir(tmp_path / "in")
    return tmp_path / "in"


def _items(bank) -> dict:
    return {i.id: i for i in bank.items}


def _imports_cleanly(out: Path, report) -> object:
    """The promise: the bank validates, lint flags only the rationales to add, and it generates."""
    bank = report.bank
    assert [i.id for i in bank.items] == [i.id for i in examkit.load_bank(out).items]
    lint = examkit.lint_bank(bank)
    assert {f.rule for f in lint.errors} <= {"missing-rationale", "coverage"}
    assert sum(f.rule == "missing-rationale" for f in lint.errors) == report.missing_rationales
    examset = examkit.generate_examset(bank, examkit.load_blueprint(report.blueprint), forms=1, seed=3)
    assert len(examset.forms[0].items) == len(bank.items)
    return bank


def test_moodle_gift_examples(here):
    report = examkit.import_lms(Path("moodle-docs.gift"), here / "out")
    bank = _imports_cleanly(here / "out", report)
    items = _items(bank)
    assert bank.exam.id == "moodle-docs" and bank.exam.title == "Moodle docs"
    assert [o.title for o in bank.objectives.values()] == ["GIFT examples", "Weights and escapes"]
    # true/false: two options, the key as written, feedback (wrong first, then right) as rationales
    assert [(o.text, o.correct) for o in items["q1"].options] == [("True", True), ("False", False)]
    assert items["q1"].stem == "1+1=2"
    east = items["the-sun-rises-in-the-east"]
    assert [(o.text, o.correct, o.why) for o in east.options] == [
        ("True", True, "Yes, in the east."), ("False", False, "No: it rises in the east.")]
    assert [o.why for o in items["q2"].options] == ["right; good!", "wrong, it's yellow", "wrong, it's yellow"]
    # missing word, short answer, matching
    assert items["q3"].type == "short" and items["q3"].answers == ["two", "2"]
    assert items["q3"].stem == "Two plus _____ equals four."
    assert items["grant-is-in-grant-s-tomb"].stem == "Grant is _____ in Grant's tomb."
    capitals = items["match-the-following-countries-with-their-corresponding"]
    keys = {r.key: r.text for r in capitals.responses}
    assert [(p.text, keys[p.answer]) for p in capitals.premises] == [
        ("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo"), ("India", "New Delhi")]
    # weights: the positive ones are the keys
    tomb = items["what-two-people-are-entombed-in-grant-s-tomb"]
    assert tomb.type == "multiple" and [o.text for o in tomb.options if o.correct] == ["Grant", "Grant's wife"]
    # escapes, titles with an escaped colon, general feedback, HTML to Markdown
    assert [o.text for o in items["which-answer-equals-5"].options] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    pounds = items["gift-a-title-with-a-colon"]
    assert pounds.source == "Imported from moodle-docs.gift, question 'GIFT: a title with a colon'"
    assert pounds.explanation == "A kilogram is about 2.2 pounds, a pound about 0.45 kilograms."
    assert items["which-word-is-in-bold-here"].stem == "Which word is in **bold** here?"
    # no rationale in the source: a placeholder lint reports, never an invented reason
    assert items["q1"].explanation == MISSING and items["q1"].options[0].why == MISSING
    # what cannot be imported: one line each, file:line and the reason
    left = sorted(str(s) for s in report.skipped)
    assert left == [
        "moodle-docs.gift:15: question 'q4' not imported: a matching item needs at least three premises, "
        "found 2; add premises",
        "moodle-docs.gift:18: a numeric question with a tolerance or range cannot be graded as a short answer; "
        "left out",
        "moodle-docs.gift:21: an essay question (empty answer block) needs a human grader; left out",
        "moodle-docs.gift:64: holds an image, which a bank cannot hold",
    ]


def test_aiken_example(here):
    report = examkit.import_lms(Path("moodle-docs.aiken"), here / "out")
    bank = _imports_cleanly(here / "out", report)
    first, second = bank.items
    assert first.stem == "What is the correct answer to this question?"
    assert [o.text for o in first.options if o.correct] == ["Must be this one!"]
    assert len(second.options) == 6 and second.options[0].correct and second.options[0].text == "Moodle"


def test_moodle_xml_example(here):
    report = examkit.import_lms(Path("moodle-docs.xml"), here / "out")
    bank = _imports_cleanly(here / "out", report)
    items = _items(bank)
    assert bank.exam.title == "XML import test"
    assert [o.title for o in bank.objectives.values()] == ["Sub/category"]  # '//' is a slash in a name
    first = items["name-of-question"]
    assert first.explanation == "The **correct** answer is the first one."
    assert [(o.text, o.correct, o.why) for o in first.options] == [
        ("The correct answer", True, "Correct!"), ("A distractor", False, "Ooops!"),
        ("Another distractor", False, "Ooops!")]
    assert first.tags == ["easy-one"]
    truefalse = items["name-of-question-2"]
    assert [(o.text, o.correct) for o in truefalse.options] == [("True", True), ("False", False)]
    water = items["water"]
    assert water.stem == "Which elements form *water*?"
    assert [o.text for o in water.options if o.correct] == ["Hydrogen", "Oxygen"]
    assert items["name-of-question-3"].answers == ["The correct answer", "An alternative answer"]
    capitals = items["name-of-question-4"]
    assert [p.text for p in capitals.premises] == ["France", "Italy", "Spain"]
    assert "Berlin" in [r.text for r in capitals.responses] and capitals.responses[-1].why == MISSING
    assert [s.text for s in items["planets"].steps] == ["Mercury", "Venus", "Earth"]
    assert sorted(str(s) for s in report.skipped) == [
        "moodle-docs.xml:113: a cloze question (embedded answers) cannot be imported; left out",
        "moodle-docs.xml:78: an essay question (it needs a human grader) cannot be imported; left out",
    ]


def _ims_package(here: Path) -> Path:
    """The IMS example items in a content package, with a test that puts them in two sections."""
    items = sorted((here / "qti21").glob("*.xml"))
    refs = "".join(f'<assessmentItemRef identifier="r{n}" href="../items/{p.name}"/>' for n, p in enumerate(items))
    test = ('<assessmentTest xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="t" title="Examples">'
            '<testPart identifier="p" navigationMode="linear" submissionMode="individual">'
            '<assessmentSection identifier="s" title="All" visible="true">'
            f'<assessmentSection identifier="s1" title="IMS examples" visible="true">{refs}</assessmentSection>'
            '</assessmentSection></testPart></assessmentTest>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("imsmanifest.xml", '<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"/>')
        archive.writestr("tests/test.xml", test)
        for path in items:
            archive.writestr(f"items/{path.name}", path.read_bytes())
    target = here / "ims.zip"
    target.write_bytes(buffer.getvalue())
    return target


def test_qti21_examples(here):
    package = _ims_package(here)
    assert detect(package.read_bytes(), "ims.zip") == "qti21"
    report = examkit.import_lms(package, here / "out")
    bank = _imports_cleanly(here / "out", report)
    items = _items(bank)
    assert [o.title for o in bank.objectives.values()] == ["IMS examples"]
    water = items["composition-of-water"]
    assert water.stem == "Which of the following elements are used to form water?"
    assert [o.text for o in water.options if o.correct] == ["Hydrogen", "Oxygen"]
    podium = items["grand-prix-of-bahrain"]
    assert [s.text for s in podium.steps] == ["Michael Schumacher", "Rubens Barrichello", "Jenson Button"]
    assert podium.explanation == "Schumacher won, ahead of Barrichello and Button."
    quote = items["richard-iii-take-3"]
    assert quote.answers == ["York", "york"] and quote.stem.startswith("Identify the missing word")
    assert sorted(s.reason for s in report.skipped) == [
        "extendedTextInteraction cannot be imported (essay, hotspot, gap-match and similar need other item types)",
        "holds an image, which a bank cannot hold",
        "question 'characters-and-plays' not imported: a matching item needs at least as many responses as "
        "premises (3 < 4); add responses",
    ]
    assert all(s.where.startswith("ims.zip!items/") for s in report.skipped)


def test_canvas_quiz(here):
    assert detect((here / "canvas-quiz.xml").read_bytes(), "c") == "canvas"
    report = examkit.import_lms(Path("canvas-quiz.xml"), here / "out")
    bank = _imports_cleanly(here / "out", report)
    first, truefalse, primes, planet = bank.items
    assert first.stem == "What is 2 &amp; 2 **plus** 1?".replace("&amp;", "&")
    assert [(o.text, o.correct, o.why) for o in first.options] == [
        ("5", True, MISSING), ("4", False, "That is 2 + 2 only."), ("22", False, MISSING)]
    assert first.explanation == "Add first, then add one."
    assert [(o.text, o.correct) for o in truefalse.options] == [("True", True), ("False", False)]
    assert primes.type == "multiple" and [o.text for o in primes.options if o.correct] == ["2", "3"]
    assert planet.answers == ["Jupiter", "jupiter"]
    assert [str(s) for s in report.skipped] == [
        "canvas-quiz.xml:96: Canvas question type 'essay_question' cannot be imported"]


def test_broken_files_name_file_and_line(here):
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "broken.gift", "-o", "out"])
    assert result.exit_code == 0  # the good question is imported, each broken one named
    errors = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert errors == [
        "error: broken.gift:2: the answer block '{' is never closed; add '}' after the answers",
        "error: broken.gift:4: weight %35% is not on Moodle's list of grades, so Moodle would refuse this file; "
        "use one of 100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, 16.66667, "
        "14.28571, 12.5, 11.11111, 10, 5, 0 (or its negative)",
        "error: broken.gift:10: no correct answer; mark it with '=' (or give '~%50%'-style weights)",
    ]
    assert "imported 1 items" in result.output

    (here / "latin1.xml").write_bytes('<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n<question type="shortanswer">'
                                      '<questiontext><text>Caf\xe9?</text></questiontext></question></quiz>\n'
                                      .encode("latin-1"))
    result = runner.invoke(cli, ["import", "broken.aiken", "-o", "out2"])
    assert [line for line in result.output.splitlines() if line.startswith("error: ")] == [
        "error: broken.aiken:1: the question has no 'ANSWER:' line; add 'ANSWER: <letter>' after its options",
        "error: broken.aiken:9: 'ANSWER: C' names no option of this question; use one of A, B",
    ]

    for name, expected in [
        ("broken-fraction.xml", "error: broken-fraction.xml:7: fraction '35' is not on Moodle's list of grades"),
        ("broken-markup.xml", "error: broken-markup.xml:6: malformed XML (mismatched tag); fix the markup"),
        ("latin1.gift", "error: latin1.gift:1: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
        ("latin1.xml", "error: latin1.xml:3: malformed XML (not well-formed (invalid token)); save the file as "
                       "UTF-8 or declare its encoding"),
    ]:
        result = runner.invoke(cli, ["import", name, "-o", "out3"])
        assert result.exit_code == 1, result.output  # nothing could be imported
        assert result.output.startswith(expected), result.output
        assert "Traceback" not in result.output
        assert not (here / "out3").exists()


def test_format_detection_and_from(here):
    assert detect((here / "moodle-docs.gift").read_bytes(), "x") == "gift"
    assert detect((here / "moodle-docs.aiken").read_bytes(), "x") == "aiken"
    assert detect((here / "moodle-docs.xml").read_bytes(), "x") == "moodle-xml"
    assert detect((here / "qti21" / "order.xml").read_bytes(), "x") == "qti21"
    (here / "notes.txt").write_text("just some notes\n")
    result = CliRunner().invoke(cli, ["import", "notes.txt", "-o", "out"])
    assert result.exit_code == 1
    assert result.output.startswith("error: notes.txt:1: cannot tell the format from the content; give --from")
    result = CliRunner().invoke(cli, ["import", "moodle-docs.aiken", "--from", "gift", "-o", "out"])
    assert result.exit_code == 1 and "no answer block" in result.output


def test_import_under_an_objective_of_an_existing_exam(here):
    report = examkit.import_lms(Path("moodle-docs.aiken"), here / "out", exam="aif-c01", objective="aif-c01:2.1.1")
    assert not (here / "out" / "exam.yaml").exists()
    shipped = examkit.load_bank()
    bank = report.bank  # the shipped bank and the imported items, loaded together
    imported = [i for i in bank.items if i.id not in {s.id for s in shipped.items}]
    # The shipped exam allows only four-option single items: the six-option one is left out.
    assert [i.objective for i in imported] == ["aif-c01:2.1.1"]
    assert "has 6 options; this exam's single-choice items have exactly 4" in report.skipped[0].reason
    blueprint = examkit.load_blueprint(report.blueprint)
    assert len(examkit.generate_examset(bank, blueprint, forms=1, seed=1).forms[0].items) == len(imported)
    result = CliRunner().invoke(cli, ["import", "moodle-docs.aiken", "-o", "o2", "--exam", "aif-c01",
                                      "--objective", "aif-c01:9.9"])
    assert result.exit_code == 1 and "'aif-c01:9.9' is not an objective of aif-c01" in result.output


def test_item_ids_are_stable_and_unique(here):
    first = examkit.import_lms(Path("moodle-docs.xml"), here / "a")
    second = examkit.import_lms(Path("moodle-docs.xml"), here / "b")
    assert (here / "a" / "moodle-docs.yaml").read_text() == (here / "b" / "moodle-docs.yaml").read_text()
    ids = [i.id for i in examkit.load_bank(here / "a").items]
    assert len(ids) == len(set(ids)) == first.imported == second.imported


def test_moodle_numerical_with_tolerance_is_left_out(here):
    (here / "num.xml").write_text(
        '<?xml version="1.0"?>\n<quiz>\n<question type="numerical"><name><text>Pi</text></name>'
        '<questiontext><text>Give pi.</text></questiontext>'
        '<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer></question>\n'
        '<question type="numerical"><name><text>Dozen</text></name>'
        '<questiontext><text>How many in a dozen?</text></questiontext>'
        '<answer fraction="100"><text>12</text><tolerance>0</tolerance></answer></question>\n</quiz>\n')
    report = examkit.import_lms(Path("num.xml"), here / "out")
    assert [str(s) for s in report.skipped] == [
        "num.xml:3: a numerical question with a tolerance cannot be graded as a short answer; left out"]
    assert [(i.type, i.answers) for i in report.bank.items] == [("short", ["12"])]


def test_a_question_the_bank_models_refuse_is_explained_as_the_bank_loader_would(here):
    """Two weighted keys make a multiple-response question with two options; the bank wants three:
    the reason reads like `examkit validate`'s (what is wrong; what to do), not pydantic's wording."""
    (here / "two.gift").write_text("::two-keys::Which two are primes? {\n\t~%50%Two\n\t~%50%Three\n}\n\n"
                                   "::ok::Pick one {\n\t=Yes\n\t~No\n}\n")
    report = examkit.import_lms(Path("two.gift"), here / "out")
    assert [str(s) for s in report.skipped] == [
        "two.gift:1: question 'two-keys' not imported: 'options' needs at least 3 entries; add them"]
    assert [i.id for i in report.bank.items] == ["ok"]


def test_xml_entities_are_refused(here):
    """A 'billion laughs' file declares entities that expand to gigabytes; none are read."""
    (here / "laughs.xml").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<quiz><question type="shortanswer"><name><text>&lol2;</text></name></question></quiz>\n')
    result = CliRunner().invoke(cli, ["import", "laughs.xml", "-o", "out"])
    assert result.exit_code == 1
    assert result.output.startswith("error: laughs.xml:3: the XML declares entities, which examkit does not read")


def test_zip_bombs_are_refused(here):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("items/big.xml", b"<assessmentItem>" + b" " * (101 * 1024 * 1024))
    (here / "bomb.zip").write_bytes(buffer.getvalue())
    result = CliRunner().invoke(cli, ["import", "bomb.zip", "-o", "out"])
    assert result.exit_code == 1
    assert result.output.startswith("error: bomb.zip: the zip unpacks to more than 100 MB")


def test_the_same_case_in_two_files_stays_valid(here):
    case = "Case study\\: A shop\\n\\nA shop sells tea.\\n\\nQuestion\\: "
    text = f"{case}What does it sell? {{=tea ~coffee ~cake}}\n\n{case}Where? {{=online ~nowhere ~moon}}\n"
    for name in ("one.gift", "two.gift"):
        (here / name).write_text(text, encoding="utf-8")
    report = examkit.import_lms([Path("one.gift"), Path("two.gift")], here / "out")
    assert len(report.bank.items) == 4 and len(report.bank.cases) == 2
    assert {c.scenario for c in report.bank.cases.values()} == {"A shop sells tea."}
    assert {i.stem for i in report.bank.items} == {"What does it sell?", "Where?"}


def test_the_next_commands_import_prints_run_as_printed_under_an_existing_exam(here):
    import shlex

    result = CliRunner().invoke(cli, ["import", "moodle-docs.aiken", "-o", "o3", "--exam", "aif-c01",
                                      "--objective", "aif-c01:2.1.1"])
    assert result.exit_code == 0, result.output
    (hint,) = [line for line in result.output.splitlines() if line.strip().startswith("next: ")]
    validate, generate = hint.strip().removeprefix("next: ").split("; ")
    # The folder alone has no exam definition: the hint names the exam's own bank with it.
    checked = CliRunner().invoke(cli, shlex.split(validate)[1:])
    assert checked.exit_code == 0, (validate, checked.output)
    made = CliRunner().invoke(cli, [*shlex.split(generate)[1:], "-o", "o3-exam"])
    assert made.exit_code == 0, (generate, made.output)
