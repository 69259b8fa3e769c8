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
    assert rows[-1] == "7 items, 1 case studies"


def test_list_shipped_bank_shows_every_domain():
    result = run("list")
    assert result.exit_code == 0
    for title in ("Fundamentals of AI and ML [20%]", "Security, Compliance, and Governance for AI Solutions [14%]"):
        assert title in result.output


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
