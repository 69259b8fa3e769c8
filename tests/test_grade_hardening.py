"""Grading input a careless or hostile user writes: defused CSV cells, conflicting forms, odd letters."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli

from .fixtures.grade.support import copy_examdir, write_sheet

FORMULA_LIKE = ["=HYPERLINK(\"http://x\")", "\t=1+1", "\r=1+1", " =1+1", "\n=1+1", "+1", "-1+1", "@SUM(A1)",
                "\uff1d1+1", "\uff0b1", "\uff0d1", "\uff20SUM(A1)"]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", " ", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def test_no_input_cell_reaches_a_csv_looking_like_a_formula(tmp_path):
    examdir = copy_examdir(tmp_path)
    # Position 6 of form A is a short answer: each formula-like text goes in as a typed answer,
    # as a student name, and as a form letter; the file itself is named like a formula.
    rows = [[text, "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D", text, "B", "feedback"] for text in FORMULA_LIKE]
    rows += [[f"student {n}", text, "A", "A", "A", "A", "A", "A", "A"] for n, text in enumerate(FORMULA_LIKE)]
    sheet = write_sheet(tmp_path / "=1+1.csv", rows)
    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-report", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted((tmp_path / "out").glob("*.csv"))
    assert [p.name for p in written] == ["form-statistics.csv", "item-analysis.csv", "responses.csv", "scores.csv"]
    cells = 0
    for path in written:
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
            for cell in row:
                cells += 1
                assert not cell.startswith(DANGEROUS_START) or cell == "-", (path.name, cell)
    assert cells > 500
    responses = (tmp_path / "out" / "responses.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in responses
    assert "'=1+1.csv:2" in (tmp_path / "out" / "scores.csv").read_text(encoding="utf-8")
