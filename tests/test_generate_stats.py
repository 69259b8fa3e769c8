"""Observed difficulty: forms balanced by the facility items showed in earlier classes."""

from __future__ import annotations

import csv
import random
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.cli import cli
from examkit.errors import ExamkitError
from examkit.fileio import read_examset
from examkit.generate import find_blueprint, generate_examset, load_blueprint
from examkit.generate.stats import LABEL_FACILITY, MIN_STUDENTS, read_facility

HEADER = ["form", "position", "item_id", "objective", "type", "students", "facility", "sd", "discrimination_index",
          "discriminative_efficiency", "upper_lower_27", "choices", "flags"]


def analysis_file(path: Path, rows: list[tuple[str, int, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n, (item_id, students, facility) in enumerate(rows, start=1):
            writer.writerow(["A", n, item_id, "x:1", "single", students, facility, "", "", "", "", "", ""])
    return path


def test_facility_is_pooled_by_students_and_thin_items_are_left_out(tmp_path):
    first = analysis_file(tmp_path / "a.csv", [("one", 30, "50.0"), ("two", 5, "90.0"), ("three", 40, "")])
    second = analysis_file(tmp_path / "b.csv", [("one", 10, "90.0"), ("two", 10, "30.0")])
    facility = read_facility([first, second])
    assert facility["one"] == pytest.approx((30 * 50 + 10 * 90) / 40)
    assert "two" not in facility  # 15 students in all: fewer than MIN_STUDENTS
    assert "three" not in facility and MIN_STUDENTS == 20


def test_forms_balanced_by_observed_facility_differ_by_at_most_two_points(tmp_path):
    bank = load_bank()
    rng = random.Random(3)
    # Earlier classes found some items far easier or harder than their labels say.
    observed = {item.id: round(rng.uniform(15, 98), 1) for item in bank.items}
    stats = analysis_file(tmp_path / "item-analysis.csv", [(i, 60, f"{f:.1f}") for i, f in observed.items()])
    facility = read_facility([stats])
    blueprint = load_blueprint(find_blueprint(None))
    examset = generate_examset(bank, blueprint, forms=6, seed=5, facility=facility)
    means = []
    for form in examset.forms:
        points = sum(i.points for i in form.items)
        means.append(sum(i.points * observed[i.item_id] for i in form.items) / points)
        assert form.expected_mean == pytest.approx(means[-1], abs=0.01)
    assert max(abs(a - b) for a, b in combinations(means, 2)) <= 2.0


def test_without_stats_the_labels_give_every_form_the_same_expected_mean():
    examset = generate_examset(load_bank(), load_blueprint(find_blueprint(None)), forms=4, seed=2)
    form = examset.forms[0]
    by_label = sum(i.points * LABEL_FACILITY[i.difficulty] for i in form.items) / sum(i.points for i in form.items)
    assert {f.expected_mean for f in examset.forms} == {round(by_label, 2)}


@pytest.mark.parametrize("text, message", [
    ("item_id,facility\nx,50\n", "bad.csv:1: no column students"),
    (",".join(HEADER) + "\nA,1,x,x:1,single,many,50,,,,,,\n", "bad.csv:2: students 'many' or facility '50'"),
    (",".join(HEADER) + "\nA,1,x,x:1,single,30,150,,,,,,\n", "bad.csv:2: facility 150 is outside 0-100"),
])
def test_a_broken_stats_file_is_one_line_with_file_and_row(tmp_path, text, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(ExamkitError) as caught:
        read_facility([bad])
    assert message in str(caught.value)
    result = CliRunner().invoke(cli, ["generate", "--stats", str(bad), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


def test_generate_reports_the_expected_mean_of_every_form(tmp_path):
    stats = analysis_file(tmp_path / "s.csv", [(i.id, 50, "70.0") for i in load_bank().items[:40]])
    result = CliRunner().invoke(cli, ["generate", "--forms", "2", "--seed", "1", "--stats", str(stats),
                                      "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "expected mean %" in line)
    forms = read_examset(tmp_path / "out").forms
    assert [float(x) for x in row.split()[-2:]] == pytest.approx([f.expected_mean for f in forms], abs=0.05)
    assert "earlier classes" in result.output
