"""The bank commands through click's CliRunner, and the start-up path without weasyprint."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from examkit.cli import cli

from .conftest import MINI_BANK


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_validate_ok_counts_types():
    result = run("validate", str(MINI_BANK))
    assert result.exit_code == 0
    assert result.output == ("ok: 7 items (2 single, 1 multiple, 1 matching, 1 ordering, 2 short), "
                             "1 case studies in 2 files for mini\n")


def test_validate_broken_bank_exits_1_with_one_line_per_problem(write_items):
    folder = write_items("items:\n  - id: q1\n    type: single\n")
    result = run("validate", str(folder))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines and all(line.startswith("error: ") and "items.yaml:2: item 'q1': missing field" in line
                         for line in lines)
    assert "Traceback" not in result.output


def test_usage_errors_exit_2():
    assert run("validate", "--nope").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_list_shows_the_tree_with_counts():
    result = run("list", str(MINI_BANK))
    assert result.exit_code == 0
    rows = result.output.splitlines()
    assert rows[1].split() == ["objective", "single", "multiple", "matching", "ordering", "short", "numeric",
                               "total", "title"]
    assert rows[2].split()[:8] == ["1", "2", "1", "1", "1", "2", "0", "7"]
    assert rows[3].split()[:8] == ["1.1", "2", "1", "0", "0", "1", "0", "4"]
    assert rows[-1] == "7 items, 1 case studies (objectives without items hidden; --all shows them)"


def test_list_hides_empty_rows_unless_all():
    shown, every = run("list").output, run("list", "--all").output
    for title in ("Fundamentals of AI and ML [20%]", "Security, Compliance, and Governance for AI Solutions [14%]"):
        assert title not in shown and title in every
    assert "Fundamentals of Generative AI [24%]" in shown
    from examkit.models import ITEM_TYPES

    totals = [row.split()[1 + len(ITEM_TYPES)] for row in shown.splitlines()[2:-1]]
    assert totals and "0" not in totals


def test_list_and_lint_name_item_types_alike():
    from examkit.models import ITEM_TYPES

    list_head = run("list").output.splitlines()[1].split()
    coverage = run("lint", "--coverage").output.splitlines()
    lint_head = next(line for line in coverage if line.startswith("objective")).split()
    assert list_head[1:1 + len(ITEM_TYPES)] == lint_head[1:1 + len(ITEM_TYPES)] == list(ITEM_TYPES)


def test_validate_on_a_blueprint_says_what_it_is_and_which_command_takes_it(tmp_path):
    from examkit.resources import shipped_blueprints

    quiz = shipped_blueprints() / "aif-c01-task-2.1-quiz.yaml"
    result = run("validate", str(quiz))
    assert result.exit_code == 0, result.output
    assert "is a blueprint ('AIF-C01 quiz" in result.output and "10 items per form" in result.output
    assert "examkit generate -b" in result.output and "unknown top-level key" not in result.output
    broken = tmp_path / "bp.yaml"
    broken.write_text("title: Mine\nitems: 5\ntype_counts: {single: 9}\n", encoding="utf-8")
    result = run("validate", str(broken))  # checked as a blueprint, with its line
    assert result.exit_code == 1 and "bp.yaml:3:" in result.output and "type counts add up to 9" in result.output


def test_validate_on_an_exam_folder_or_another_file(tmp_path):
    from examkit.generate import find_blueprint, generate_examset, load_blueprint, write_examset

    folder = tmp_path / "exam"
    write_examset(generate_examset(load_bank_for_test(), load_blueprint(find_blueprint("aif-c01-task-2.1-quiz")),
                                   forms=2, seed=3), folder)
    for path in (folder, folder / "examset.json"):
        result = run("validate", str(path))
        assert result.exit_code == 0, result.output
        assert "is a generated exam" in result.output and "2 form(s) of 10 items" in result.output
        assert f"examkit render {folder}" in result.output and f"examkit grade {folder}" in result.output
    result = run("validate", str(folder / "key.csv"))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "key.csv: not a bank file" in result.output


def load_bank_for_test():
    from examkit.bank import load_bank

    return load_bank()


def test_no_command_summary_is_cut_in_the_help():
    result = CliRunner().invoke(cli, ["--help"], terminal_width=80)
    commands = result.output.split("Commands:", 1)[1].strip().splitlines()
    assert len(commands) >= 10
    assert all("..." not in line and len(line) <= 80 for line in commands), commands


def test_schema_is_json_schema_of_the_bank_format(tmp_path):
    result = run("schema")
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"exam", "cases", "items"}
    single = schema["$defs"]["SingleItem"]
    assert {"id", "stem", "explanation", "source", "options"} <= set(single["required"]) | set(single["properties"])
    blueprint = json.loads(run("schema", "--for", "blueprint").output)
    assert {"title", "items", "objectives", "scoring"} <= set(blueprint["properties"])
    examset = json.loads(run("schema", "--for", "examset").output)
    assert "forms" in examset["properties"]
    target = tmp_path / "bank.schema.json"
    assert run("schema", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text()) == schema


def test_help_does_not_import_weasyprint():
    code = ("import sys; from click.testing import CliRunner; from examkit.cli import cli; "
            "r = CliRunner().invoke(cli, ['--help']); assert r.exit_code == 0, r.output; "
            "print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "examkit", "validate", str(MINI_BANK)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("ok: 7 items")
