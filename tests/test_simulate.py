"""A blank responses template and a simulated class: real CSV files the grader reads and grades."""

from __future__ import annotations

import csv
import re
import statistics
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.cli import cli
from examkit.fileio import read_examset
from examkit.generate import find_blueprint, generate_examset, load_blueprint, write_examset
from examkit.grade import grade_files
from examkit.grade import simulate as simulate_module
from examkit.grade.simulate import simulate_class


@pytest.fixture(scope="module")
def exam(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sim") / "quiz"
    blueprint = load_blueprint(find_blueprint("aif-c01-task-2.1-quiz"))
    write_examset(generate_examset(load_bank(), blueprint, forms=2, seed=11), folder)
    return folder


def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_responses_template_has_a_row_per_student_to_fill(exam: Path, tmp_path: Path):
    out = tmp_path / "blank.csv"
    result = CliRunner().invoke(cli, ["responses-template", str(exam), "-o", str(out), "--students", "5"])
    assert result.exit_code == 0, result.output
    rows = read_rows(out)
    assert rows[0] == ["student", "form", *(str(n) for n in range(1, 11))]
    assert [r[1] for r in rows[1:]] == ["A", "B", "A", "B", "A"]  # forms handed out in turn
    assert all(cell == "" for r in rows[1:] for cell in [r[0], *r[2:]])


def test_a_simulated_class_is_graded_and_its_scores_follow_ability(exam: Path, tmp_path: Path):
    out = tmp_path / "class.csv"
    result = CliRunner().invoke(cli, ["simulate", str(exam), "-o", str(out), "--students", "80", "--seed", "3"])
    assert result.exit_code == 0, result.output
    examset = read_examset(exam)
    run = grade_files(examset, [out])
    assert len(run.results) == 80 and all(r.graded for r in run.results)
    assert len(run.flagged) <= 8  # typing as people type: a few answers need a human's look

    abilities = simulate_class(examset, 80, 3).abilities
    percents = [r.percent for r in run.results]
    assert statistics.correlation(abilities, percents) > 0.6
    assert 20 < statistics.mean(percents) < 85 and statistics.pstdev(percents) > 10

    # Easy items are answered right more often than hard ones.
    share: dict[str, list[float]] = {"easy": [], "hard": []}
    for r in run.results:
        form = examset.form(r.form)
        for item, outcome in zip(form.items, r.outcomes):
            if item.difficulty in share:
                share[item.difficulty].append(outcome.points / outcome.max_points)
    assert statistics.mean(share["easy"]) > statistics.mean(share["hard"]) + 0.1

    cells = [(examset.form(row[1]).items[i], cell) for row in read_rows(out)[1:] for i, cell in enumerate(row[2:])]
    singles = [c for item, c in cells if item.type == "single"]
    multiples = [c for item, c in cells if item.type == "multiple"]
    assert any(re.fullmatch(r"[a-f]", c) for c in singles)  # lower-case letters
    assert any(re.fullmatch(r"\([A-Fa-f]\)", c) for c in singles)  # (B)
    assert any(len(c) > 8 for c in singles)  # the option's own text
    assert any(re.fullmatch(r"[a-f]( [a-f])+", c) for c in multiples)  # a c
    assert "" in [c for _, c in cells]  # blanks


def test_the_same_seed_gives_the_same_class(exam: Path):
    examset = read_examset(exam)
    assert simulate_class(examset, 10, 5) == simulate_class(examset, 10, 5)
    assert simulate_class(examset, 10, 5).rows != simulate_class(examset, 10, 6).rows


def test_a_type_the_simulation_does_not_know_is_left_blank(exam: Path, monkeypatch):
    monkeypatch.delitem(simulate_module.WRITERS, "short")
    examset = read_examset(exam)
    simulated = simulate_class(examset, 6, 1)
    for row in simulated.rows:
        items = examset.form(row[1]).items
        assert all(cell == "" for item, cell in zip(items, row[2:]) if item.type == "short")
        assert any(cell for item, cell in zip(items, row[2:]) if item.type != "short")


def test_numeric_items_are_answered_with_numbers(tmp_path: Path):
    import shutil

    from examkit.models import Blueprint
    from tests.test_practice import FIXTURE_BANK
    from tests.test_practice_browser import NUMERIC_ITEMS

    bank_dir = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, bank_dir)
    (bank_dir / "numbers.yaml").write_text(NUMERIC_ITEMS, encoding="utf-8")
    examset = generate_examset(load_bank([bank_dir]), Blueprint(title="Numbers", items=9), forms=2, seed=1)
    simulated = simulate_class(examset, 40, 2)
    outcomes = []
    for row in simulated.rows:
        for item, cell in zip(examset.form(row[1]).items, row[2:]):
            if item.type == "numeric" and cell:
                ratio = float(cell.replace(",", ".")) / item.number  # the key, or a slip of scale
                match = [f for f in (1, 0.5, 2, 10) if ratio == pytest.approx(f, rel=1e-5)]
                assert match, (cell, item.number)
                outcomes.append(match[0] == 1)
    assert len(outcomes) > 40 and 0 < sum(outcomes) < len(outcomes)  # right and wrong both happen
