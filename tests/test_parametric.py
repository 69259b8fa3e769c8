"""Parametric items (numbers drawn per form, computed keys) and numeric answers, end to end."""

from __future__ import annotations

import csv
import shutil
import textwrap
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.errors import ExamkitError
from examkit.expressions import ExpressionError, parse
from examkit.fileio import read_examset
from examkit.generate import generate_examset, write_examset
from examkit.grade import GradeOptions, grade_files
from examkit.models import Blueprint
from examkit.render import make_environment, render_document

MINI_EXAM = Path(__file__).parent / "fixtures" / "bank" / "exam.yaml"

ITEMS = """
items:
  - id: matrix-precision
    type: single
    objective: "mini:1.2"
    stem: >-
      A model flagged {flagged} cases; {tp} were real. It missed {fn} real cases.
      What is its precision?
    difficulty: medium
    explanation: Precision is TP / (TP + FP) = {tp} / {flagged}.
    source: Notes › Evaluation
    params:
      tp: {min: 40, max: 90}
      fp: {min: 5, max: 40}
      fn: {min: 5, max: 40}
      tn: {min: 200, max: 600, step: 10}
    values:
      flagged: tp + fp
      precision: tp / (tp + fp)
      recall: tp / (tp + fn)
      accuracy: (tp + tn) / (tp + fp + fn + tn)
      miss: fp / (tp + fp)
    conditions:
      - "abs(precision - recall) > 0.02"
      - "abs(precision - accuracy) > 0.02"
      - "abs(recall - accuracy) > 0.02"
      - "miss < 0.4"
    options:
      - {text: "{precision:.2f}", correct: true, why: "TP / (TP + FP) = {tp} / {flagged}."}
      - {text: "{recall:.2f}", why: "That is recall: it divides by the real cases, {tp} + {fn}."}
      - {text: "{accuracy:.2f}", why: "That is accuracy: it counts the true negatives too."}
      - {text: "{miss:.2f}", why: "That is the share of flags that were wrong, 1 - precision."}
  - id: matrix-f1
    type: numeric
    objective: "mini:1.2"
    stem: "Precision is {p:.2f} and recall is {r:.2f}. What is the F1 score?"
    difficulty: hard
    explanation: F1 is the harmonic mean, 2PR / (P + R) = {f1:.3f}.
    source: Notes › Evaluation
    params:
      p: {min: 0.5, max: 0.95, step: 0.05}
      r: {min: 0.5, max: 0.95, step: 0.05}
    values:
      f1: 2 * p * r / (p + r)
    answer: f1
    tolerance: 0.005
    decimals: 3
  - id: fixed-share
    type: numeric
    objective: "mini:1.2"
    stem: Four of five answers were right. What share was right?
    difficulty: easy
    explanation: 4 / 5 = 0.8.
    source: Notes › Evaluation
    answer: 0.8
  - id: short-number
    type: short
    objective: "mini:1.2"
    stem: A model is right on 80 of 100 cases. What is its accuracy, as a percentage?
    difficulty: easy
    explanation: 80 / 100 = 80%.
    source: Notes › Evaluation
    answers: ["80.0%"]
"""


def write_bank(tmp_path: Path, items: str = ITEMS) -> Path:
    folder = tmp_path / "bank"
    folder.mkdir(exist_ok=True)
    shutil.copy(MINI_EXAM, folder / "exam.yaml")
    (folder / "items.yaml").write_text(textwrap.dedent(items).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.fixture
def examdir(tmp_path) -> Path:
    bank = load_bank([write_bank(tmp_path)])
    examset = generate_examset(bank, Blueprint(title="Metrics", items=4), forms=3, seed=4)
    write_examset(examset, tmp_path / "exam")
    return tmp_path / "exam"


def printed(examdir: Path):
    return {(f.letter, i.item_id): i for f in read_examset(examdir).forms for i in f.items}


def test_each_form_draws_its_own_numbers_and_the_key_follows(examdir):
    items = printed(examdir)
    precision = [items[(f, "matrix-precision")] for f in "ABC"]
    assert len({tuple(sorted(i.values.items())) for i in precision}) == 3  # neighbours' answers differ
    for item in precision:
        v = item.values
        assert f"flagged {v['tp'] + v['fp']:g} cases; {v['tp']:g} were real" in item.stem
        key = next(o for o in item.options if o.letter == item.key)
        assert key.text == f"{v['tp'] / (v['tp'] + v['fp']):.2f}"
        assert len({o.text for o in item.options}) == 4
    for letter in "ABC":
        f1 = items[(letter, "matrix-f1")]
        p, r = f1.values["p"], f1.values["r"]
        assert f1.number == pytest.approx(2 * p * r / (p + r)) and f1.tolerance == 0.005
        assert f1.key == f"{2 * p * r / (p + r):.3f} ±0.005"
    with (examdir / "key.csv").open(encoding="utf-8") as handle:
        keys = {(r["form"], r["item_id"]): r["answer"] for r in csv.DictReader(handle)}
    assert all(keys[k] == item.key for k, item in items.items())


def test_the_same_seed_draws_the_same_numbers(tmp_path):
    bank = load_bank([write_bank(tmp_path)])
    blueprint = Blueprint(title="Metrics", items=4)
    first = generate_examset(bank, blueprint, forms=2, seed=9)
    second = generate_examset(bank, blueprint, forms=2, seed=9)
    assert [p.values for f in first.forms for p in f.placements] == [p.values for f in second.forms for p in f.placements]


def test_the_teacher_edition_and_exam_show_the_forms_numbers(examdir):
    examset = read_examset(examdir)
    form = examset.form("B")
    item = next(i for i in form.items if i.item_id == "matrix-precision")
    env = make_environment()
    exam = render_document(env, "exam", examset, form)
    teacher = render_document(env, "teacher", examset, form)
    assert f"were real. It missed {item.values['fn']:g} real cases" in exam
    assert "This form&#39;s numbers" in teacher or "This form's numbers" in teacher
    assert f"tp = {item.values['tp']:g}" in teacher
    f1 = next(i for i in form.items if i.item_id == "matrix-f1")
    assert f1.key.split(" ")[0] in teacher and f1.key.split(" ")[0] not in exam


def test_numbers_are_read_as_people_type_them_and_two_readings_are_flagged(examdir, tmp_path):
    items = printed(examdir)
    f1 = items[("A", "matrix-f1")].number
    positions = {i.item_id: i.position for (letter, _), i in items.items() if letter == "A"}
    cells = {
        "ann": ("0.8", f"{f1:.2f}", "80%"),
        "bob": (".80", f"F1 = {f1:.3f}", "80.0 %"),
        "cy": ("4/5", f"{100 * f1:.1f}%", "0,8"),
        "dee": ("0.8 or 0.75", f"{f1 + 0.02:.3f}", "80"),
    }
    sheet = tmp_path / "answers.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "form", *range(1, 5)])
        for student, (share, f1_cell, accuracy) in cells.items():
            row = [""] * 4
            row[positions["fixed-share"] - 1] = share
            row[positions["matrix-f1"] - 1] = f1_cell
            row[positions["short-number"] - 1] = accuracy
            writer.writerow([student, "A", *row])
    run = grade_files(read_examset(examdir), [sheet], GradeOptions())
    outcome = {r.student: {k.item_id: o for k, o in zip(run.keys["A"], r.outcomes)} for r in run.results}
    for student in ("ann", "bob", "cy"):
        assert [outcome[student][i].result for i in ("fixed-share", "matrix-f1", "short-number")] == \
            ["correct"] * 3, student
    dee = outcome["dee"]
    assert dee["fixed-share"].result == "review" and "0.75 or 0.8" in dee["fixed-share"].flag
    assert dee["matrix-f1"].result == "wrong"  # 0.02 away, outside the 0.005 tolerance
    assert dee["short-number"].result == "wrong"  # 80 is not 80%
    assert any("0.75 or 0.8" in reason for reason in next(r for r in run.results if r.student == "dee").reasons)


@pytest.mark.parametrize("formula, message", [
    ("9**9**9", "too large"),
    ("-" * 300 + "a", "too deeply nested"),
    ("(a+" * 120 + "1" + ")" * 120, "too deeply nested"),
    ("a.__class__", "attribute is not allowed"),
    ("__import__('os')", "only these functions may be called"),
    ("'x' * 10", "only numbers may appear"),
    ("1 / (a - a)", "division by zero"),
])
def test_a_hostile_formula_is_refused_at_validation_with_its_line(tmp_path, formula, message):
    items = f"""
    items:
      - id: hostile
        type: numeric
        objective: "mini:1.2"
        stem: "What is {{x}}?"
        difficulty: easy
        explanation: It is x.
        source: Notes › Evaluation
        params:
          a: {{min: 1, max: 5}}
        values:
          x: "{formula}"
        answer: x
    """
    with pytest.raises(ExamkitError) as caught:
        load_bank([write_bank(tmp_path, items)])
    (problem,) = caught.value.problems
    assert problem.path.endswith("items.yaml") and problem.line == 2 and problem.item == "hostile"
    assert message in problem.message and "\n" not in str(problem)


def test_a_huge_formula_is_refused_before_it_is_parsed():
    with pytest.raises(ExpressionError, match="10,000,000 characters long"):
        parse("1+" * 5_000_000)


def test_validation_names_the_values_that_make_two_options_print_alike(tmp_path):
    items = """
    items:
      - id: clash
        type: single
        objective: "mini:1.2"
        stem: "Which is larger, {a} or {b}?"
        difficulty: easy
        explanation: Compare them.
        source: Notes › Evaluation
        params:
          a: {min: 1, max: 3}
          b: {min: 1, max: 3}
        options:
          - {text: "{a}", correct: true, why: "It is a."}
          - {text: "{b}", why: "It is b."}
          - {text: "Neither number", why: "One is larger."}
          - {text: "Both are equal", why: "Not in general."}
    """
    with pytest.raises(ExamkitError) as caught:
        load_bank([write_bank(tmp_path, items)])
    (problem,) = caught.value.problems
    assert "parametric draw fails with a=" in problem.message and "two options print as" in problem.message


def test_conditions_no_draw_can_meet_are_an_error(tmp_path):
    items = ITEMS.replace('- "miss < 0.4"', '- "miss > 2"')
    with pytest.raises(ExamkitError, match="none of 200 draws meets the conditions"):
        load_bank([write_bank(tmp_path, items)])


@pytest.mark.parametrize(("number", "tolerance", "decimals", "key"), [
    (1234567.0, 0, None, "1234567"), (12345.67, 0, None, "12345.67"), (0.8, 0.01, None, "0.8 ±0.01"),
    (-0.001, 0, 2, "0.00"), (2.5, 1234567.0, 1, "2.5 ±1234567"),
])
def test_a_numeric_key_keeps_every_digit(number, tolerance, decimals, key):
    from examkit.models.examset import numeric_key

    assert numeric_key(number, tolerance, decimals) == key
