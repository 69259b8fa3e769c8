"""The README's bank example is a real bank file: it validates against the shipped exam."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.errors import ExamkitError
from examkit.generate import generate_examset, load_blueprint
from examkit.resources import shipped_bank, shipped_blueprints

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_validates_except_for_the_half_case_study(tmp_path: Path):
    text = README.read_text(encoding="utf-8")
    (block,) = [b for b in yaml_blocks(text) if b.startswith("cases:")]
    example = tmp_path / "example.yaml"
    example.write_text(block, encoding="utf-8")
    with pytest.raises(ExamkitError) as caught:
        load_bank([shipped_bank() / "exam.yaml", example])
    (problem,) = caught.value.problems
    assert "case 'case-shop': has 1 item(s)" in problem.message


def yaml_blocks(text: str) -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", text, re.S)


def test_readme_blueprint_example_is_the_shipped_file_and_generates(tmp_path: Path):
    (block,) = [b for b in yaml_blocks(README.read_text(encoding="utf-8")) if "\ntitle:" in b]
    assert block == (shipped_blueprints() / "aif-c01-task-2.1-practice.yaml").read_text(encoding="utf-8")
    path = tmp_path / "blueprint.yaml"
    path.write_text(block, encoding="utf-8")
    examset = generate_examset(load_bank(), load_blueprint(path), forms=2, seed=1)
    assert [len(f.items) for f in examset.forms] == [30, 30]
    assert examset.scoring.scale == (100, 1000)


def test_readme_gives_exactly_the_two_setup_commands():
    text = README.read_text(encoding="utf-8")
    setup = text.split("## Set up on a fresh machine", 1)[1].split("##", 1)[0]
    (block,) = re.findall(r"```sh\n(.*?)```", setup, re.S)
    assert [line.split("#")[0].strip() for line in block.strip().splitlines()] == ["make demo", "make test"]
