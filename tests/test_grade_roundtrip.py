"""The whole way round: generate an exam set from the bank, fill perfect sheets from key.csv, grade: 100%."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.bank import load_bank
from examkit.cli import cli
from examkit.generate import generate_examset, load_blueprint
from examkit.generate.writer import write_examset

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module", params=["draw", "scramble"])
def examdir(request, tmp_path_factory) -> Path:
    bank = load_bank([FIXTURES / "bank"])
    blueprint = load_blueprint(FIXTURES / "grade" / "blueprint.yaml")
    examset = generate_examset(bank, blueprint, forms=3, seed=11, mode=request.param)
    folder = tmp_path_factory.mktemp(f"exam-{request.param}")
    write_examset(examset, folder)
    return folder


def perfect_rows(examdir: Path) -> list[list[str]]:
    """One perfect student per form, answers copied from key.csv (a short item's first accepted answer)."""
    answers: dict[str, dict[int, str]] = {}
    with (examdir / "key.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            answers.setdefault(row["form"], {})[int(row["position"])] = row["answer"].split(" | ")[0]
    return [[f"perfect {form}", form, *(by_position[p] for p in sorted(by_position))]
            for form, by_position in answers.items()]


def test_perfect_sheets_filled_from_the_key_score_100_percent(examdir, tmp_path):
    rows = perfect_rows(examdir)
    sheet = tmp_path / "perfect.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "form", *range(1, len(rows[0]) - 1)])
        writer.writerows(rows)
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf", "--strict"])
    assert result.exit_code == 0, result.output
    scores = list(csv.DictReader((examdir / "results" / "scores.csv").open(encoding="utf-8")))
    assert [(s["form"], s["percent"], s["status"], s["scaled_score"], s["result"]) for s in scores] == [
        (form, "100.0", "graded", "1000", "pass") for form in ("A", "B", "C")]
    # The blueprint gives a matching item 2 points: 7 items, 8 points.
    assert {s["max_points"] for s in scores} == {"8"}
    responses = list(csv.DictReader((examdir / "results" / "responses.csv").open(encoding="utf-8")))
    assert len(responses) == 21 and {r["result"] for r in responses} == {"correct"}


def test_typing_the_option_texts_instead_of_letters_also_scores_100_percent(examdir, tmp_path):
    from examkit.fileio import read_examset

    examset = read_examset(examdir)
    rows = []
    for form in examset.forms:
        cells = []
        for item in form.items:
            if item.type in ("single", "multiple"):
                cells.append("; ".join(o.text for o in item.options if o.correct))
            elif item.type == "ordering":
                cells.append(" > ".join(s.text for s in sorted(item.steps, key=lambda s: s.rank)))
            elif item.type == "matching":
                texts = {r.letter: r.text for r in item.responses}
                cells.append("; ".join(f"{p.number}-{texts[p.answer]}" for p in item.premises))
            else:
                cells.append(item.answers[-1].upper())
        rows.append([f"typist {form.letter}", form.letter, *cells])
    sheet = tmp_path / "typed.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "form", *range(1, 8)])
        writer.writerows(rows)
    out = tmp_path / "typed-results"
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "-o", str(out), "--no-report", "--strict"])
    assert result.exit_code == 0, result.output
    scores = list(csv.DictReader((out / "scores.csv").open(encoding="utf-8")))
    assert [s["percent"] for s in scores] == ["100.0"] * 3
