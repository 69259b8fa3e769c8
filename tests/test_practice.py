"""`examkit practice`: the study page's file, its data and the command line (the browser side is
in test_practice_browser.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from examkit.cli import cli
from examkit.render.practice import accepted_sentence

FIXTURE_BANK = Path(__file__).parent / "fixtures" / "bank"
HOSTILE = 'Which tag is this? </script><img src=x onerror="alert(1)"> {{ 7*7 }}'


def run(*args: str):
    return CliRunner().invoke(cli, ["practice", *args])


def page_data(html: str) -> dict:
    (blob,) = re.findall(r'<script type="application/json" id="study-data">(.*?)</script>', html, re.S)
    return json.loads(blob)


def test_command_writes_one_self_contained_page_with_the_blueprints_pool(tmp_path: Path):
    out = tmp_path / "study" / "quiz.html"
    result = run("-b", "aif-c01-task-2.1-quiz", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    data = page_data(html)
    assert result.output.startswith(f"wrote {out}: {len(data['items'])} questions, 10 per attempt, 15-minute timer")
    assert data["total"] == 10 and data["time_limit_minutes"] == 15
    assert {i["type"] for i in data["items"]} == {"single", "multiple", "matching", "ordering", "short"}
    assert not any(i["case"] for i in data["items"])  # the quiz allows no case studies
    # Everything inline: no file or address is fetched.
    assert not re.search(r'\b(src|href)="(?!#)', html)
    assert "default-src 'none'" in html


def test_without_a_blueprint_every_item_of_a_bank_and_the_case_studies_whole(tmp_path: Path):
    out = tmp_path / "mini.html"
    result = run(str(FIXTURE_BANK), "-o", str(out), "--items", "3")
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["total"] == 3 and data["time_limit_minutes"] is None
    case_units = [u for u in data["units"] if data["items"][u["items"][0]]["case"]]
    assert case_units and all(len(u["items"]) >= 2 for u in case_units)
    assert sum(len(u["items"]) for u in data["units"]) == len(data["items"])


def test_bank_text_is_escaped_in_the_html_and_in_the_script_data(tmp_path: Path):
    bank = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, bank)
    items = bank / "items.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace(
        "stem: Which term names the basic units of text that a language model processes?",
        f"stem: '{HOSTILE}'"), encoding="utf-8")
    out = tmp_path / "study.html"
    assert run(str(bank), "-o", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<img src=x" not in html and '</script><img' not in html and "49" not in html
    assert "&lt;img src=x onerror=" in html  # shown as text
    labels = [i["label"] for i in page_data(html)["items"]]
    assert any("<img src=x" in label for label in labels)  # the data keeps the text; |tojson escaped it


def test_usage_errors_name_the_fix(tmp_path: Path):
    result = run("-b", "no-such-blueprint", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1 and "no such blueprint" in result.output
    result = run("-b", "aif-c01-task-2.1-quiz", "--items", "5", "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1 and "drop --items or drop -b" in result.output
    from examkit.resources import shipped_blueprints

    result = run(str(shipped_blueprints() / "aif-c01-task-2.1-quiz.yaml"), "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 1 and "is a blueprint, not a bank; give it with -b" in result.output
    assert not (tmp_path / "x.html").exists()


def test_accepted_answers_read_as_a_sentence():
    assert accepted_sentence(["chunking"]) == "Accepted answer: “chunking”."
    assert accepted_sentence(["chunking", "chunks", "splitting"]) == "Accepted answers: “chunking”, “chunks” or “splitting”."


def test_a_forms_practice_page_says_it_holds_that_forms_answers(tmp_path: Path):
    from examkit.render import render_folder
    from tests.fixtures.render.support import copy_fixture

    folder = copy_fixture(tmp_path / "exam")
    examset = (folder / "examset.json").read_text(encoding="utf-8")
    paper = "Write the letter of a response next to each numbered premise."
    (folder / "examset.json").write_text(examset.replace("Answer every question. There is **no penalty** for guessing.",
                                                         paper), encoding="utf-8")
    render_folder(folder, only=("practice",), formats=("html",), jobs=1)
    html = (folder / "practice-A.html").read_text(encoding="utf-8")
    assert "This file contains the answers to Form A." in html
    assert paper not in html  # the screen's instructions, not the paper's
    assert "choose a response from the list" in html


def test_the_library_refuses_items_with_a_blueprint_too(tmp_path):
    from examkit.errors import ExamkitError
    from examkit.render.practice import build_practice

    try:
        build_practice(tmp_path / "study.html", None, "aif-c01-task-2.1-quiz", items=5)
    except ExamkitError as exc:
        assert "drop --items or drop -b" in str(exc)
    else:
        raise AssertionError("build_practice accepted --items with a blueprint")
    assert not (tmp_path / "study.html").exists()
