"""`examkit render` on the command line: options, messages, the default folder, the progress bar."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys

from click.testing import CliRunner

from examkit.cli import cli
from examkit.render import plan_jobs
from examkit.resources import shipped_templates
from tests.fixtures.render.support import copy_fixture


def run(*args: str):
    return CliRunner().invoke(cli, ["render", *args])


def test_renders_the_chosen_documents_and_formats_only(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--only", "key,practice", "--format", "html", "--jobs", "1")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in folder.iterdir())
    assert written == ["examset.json", "key.csv", "key.html", "practice-A.html", "practice-B.html"]
    assert "key" in result.output and "practice" in result.output and "3 file" not in result.output
    assert "rendering" not in result.output  # no progress bar when stdout is not a terminal


def test_unknown_format_or_document_is_a_one_line_error(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    for args, expected in ((["--format", "docx"], "error: format: unknown format docx; choose from html, pdf"),
                           (["--only", "exam,answers"], "error: document: unknown document answers; choose from exam, sheet, key, teacher, practice")):
        result = run(str(folder), *args)
        assert result.exit_code == 1
        assert result.stderr.strip() == expected
        assert "Traceback" not in result.output


def test_missing_exam_set_says_to_generate_first(tmp_path):
    result = run(str(tmp_path / "nothing-here"))
    assert result.exit_code == 1
    assert "no exam set here; run 'examkit generate' first" in result.stderr


def test_broken_exam_set_names_the_file(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    (folder / "examset.json").write_text('{"format": "examkit.examset/1", "forms": 3}')
    result = run(str(folder))
    assert result.exit_code == 1
    assert "examset.json: not a valid exam set" in result.stderr


def test_default_folder_is_the_generators_default_output(tmp_path, monkeypatch):
    copy_fixture(tmp_path / "output" / "aif-c01-task-2.1-practice")
    monkeypatch.chdir(tmp_path)
    result = run("--only", "key", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "aif-c01-task-2.1-practice" / "key.html").is_file()
    assert "rendered output/aif-c01-task-2.1-practice" in result.output


def test_practice_without_html_is_explained_not_silently_dropped(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--only", "practice", "--format", "pdf")
    assert result.exit_code == 0
    assert "note: the practice page exists only as HTML; add html to --format to get it" in result.stderr
    assert not list(folder.glob("practice*"))


def test_template_syntax_error_points_at_file_and_line(tmp_path):
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "key.html.j2").write_text("<h1>Key</h1>\n{% for x in %}\n")
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--only", "key", "--templates", str(templates))
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith("error: ") and "key.html.j2:2: template syntax error" in line and "\n" not in line
    assert not (folder / "key.html").exists()


def test_missing_templates_folder(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--templates", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert "no such templates folder" in result.stderr


def test_user_template_overrides_one_file_and_keeps_the_rest(tmp_path):
    templates = tmp_path / "mine"
    templates.mkdir()
    shutil.copy(shipped_templates() / "key.html.j2", templates / "key.html.j2")
    page = templates / "key.html.j2"
    page.write_text(page.read_text().replace("CONFIDENTIAL — FOR GRADERS ONLY", "Property of Room 101"))
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--only", "key,exam", "--format", "html", "--templates", str(templates))
    assert result.exit_code == 0, result.output
    assert "Property of Room 101" in (folder / "key.html").read_text()
    assert "PRACTICE EXAM" in (folder / "exam-A.html").read_text().upper()


def test_help_does_not_import_weasyprint():
    code = ("import sys; from click.testing import CliRunner; from examkit.cli import cli; "
            "r = CliRunner().invoke(cli, ['render', '--help']); assert r.exit_code == 0, r.output; "
            "assert '--templates' in r.output; print('weasyprint' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_progress_bar_on_a_terminal(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "examkit", "render", str(folder), "--only", "key,practice",
                                "--format", "html", "--jobs", "1"],
                               stdout=secondary, stderr=secondary, stdin=subprocess.DEVNULL,
                               env={**os.environ, "COLUMNS": "100"})
    os.close(secondary)
    output = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0, output
    os.close(primary)
    text = output.decode("utf-8", "replace")
    assert "rendering" in text and "3/3" in text  # key + two practice pages


def test_plan_orders_costly_documents_first():
    jobs, notes = plan_jobs(["A", "B"], ("html", "pdf"), ("practice", "key", "exam", "teacher", "sheet"))
    assert [j.doc for j in jobs] == ["teacher", "teacher", "exam", "exam", "sheet", "sheet", "key",
                                     "practice", "practice"]
    assert notes == []
    assert jobs[-1].formats == ("html",)
    assert jobs[4].file_names() == ["sheet-A.html", "sheet-A.pdf", "sheet-A.layout.json"]


def test_template_runtime_error_is_one_line_per_document(tmp_path):
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "exam.html.j2").write_text("<h1>{{ examset.title }}</h1>{{ no_such_thing.field }}\n")
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--only", "exam", "--format", "html", "--templates", str(templates), "--jobs", "2")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == ["error: exam.html.j2: template error: 'no_such_thing' is undefined; fix the template"]
    assert "Traceback" not in result.output


def test_a_lowercase_form_letter_renders_instead_of_crashing(tmp_path):
    """Forms are looked up by the letter the exam set holds, not upper-cased (a traceback before)."""
    folder = copy_fixture(tmp_path / "exam")
    data = json.loads((folder / "examset.json").read_text())
    data["forms"][0]["letter"] = "a"
    (folder / "examset.json").write_text(json.dumps(data))
    result = CliRunner().invoke(cli, ["render", str(folder), "--only", "exam", "--format", "html", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "Form a" in (folder / "exam-a.html").read_text() and (folder / "exam-B.html").is_file()
