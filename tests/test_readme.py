"""The README's bank example is a real bank file: it validates against the shipped exam."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.errors import ExamkitError
from examkit.resources import shipped_bank

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_validates_except_for_the_half_case_study(tmp_path: Path):
    text = README.read_text(encoding="utf-8")
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "items:" in b]
    example = tmp_path / "example.yaml"
    example.write_text(block, encoding="utf-8")
    with pytest.raises(ExamkitError) as caught:
        load_bank([shipped_bank() / "exam.yaml", example])
    (problem,) = caught.value.problems
    assert "case 'case-shop': has 1 item(s)" in problem.message


def test_readme_gives_exactly_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set up on a fresh machine", 1)[1].split("##", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make demo", "make test"]
