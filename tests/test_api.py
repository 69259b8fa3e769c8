"""The public Python API: the README's example runs as written, and the CLI and API stay in step."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import examkit

README = Path(__file__).resolve().parent.parent / "README.md"


def api_example() -> str:
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    (block,) = re.findall(r"```python\n(.*?)```", section, re.S)
    return block


def test_the_readme_api_example_runs_and_grades(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    # Ann answers form A's first item with its key and leaves the rest blank.
    bank = examkit.load_bank()
    blueprint = examkit.load_blueprint(examkit.find_blueprint("aif-c01-task-2.1-quiz"))
    first = examkit.generate_examset(bank, blueprint, forms=2, seed=7).forms[0].items[0]
    with Path("answers.csv").open("w", encoding="utf-8", newline="") as handle:  # quoted: a key may be "A,C,F"
        csv.writer(handle).writerows([["student", "form", "1"], ["Ann", "A", first.key.split(" | ")[0]]])

    exec(compile(api_example(), "README.md", "exec"), {})

    folder = tmp_path / "output" / "quiz"
    assert {"examset.json", "key.csv", "exam-A.html", "practice-B.html", "key.html"} <= {p.name for p in folder.iterdir()}
    with (folder / "results" / "scores.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["student"] == "Ann" and row["form"] == "A" and float(row["points"]) == first.points
    assert capsys.readouterr().out.startswith("Ann ")


def test_every_api_name_resolves_and_unknown_names_fail():
    for name in examkit.__all__:
        assert getattr(examkit, name) is not None
    try:
        examkit.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("an unknown name resolved")


def test_importing_examkit_and_its_cli_loads_no_heavy_library():
    code = ("import sys, examkit, examkit.cli; "
            "print(sorted(m for m in ('weasyprint', 'jinja2', 'rapidfuzz', 'yaml', 'cv2', 'zxingcpp', 'pypdfium2', 'numpy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
