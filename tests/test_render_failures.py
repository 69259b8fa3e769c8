"""Rendering when something goes wrong: an unexpected error, a dying worker, Ctrl-C, a killed run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli
from examkit.render import html as render_html
from tests.fixtures.render.support import copy_fixture

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(cli, ["render", *args])


def _failing_key(real):
    def render_document(env, doc, *args, **kwargs):
        if doc == "key":
            raise RuntimeError("boom")
        return real(env, doc, *args, **kwargs)
    return render_document


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unexpected_error_is_one_line_and_the_written_files_are_still_reported(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(render_html, "render_document", _failing_key(render_html.render_document))
    folder = copy_fixture(tmp_path / "exam")
    result = run(str(folder), "--format", "html", "--only", "exam,key", "--jobs", jobs)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        "error: key: could not render (RuntimeError: boom); render it alone with --only and --jobs 1, and report "
        "it with the template or exam set that caused it",
        f"error: {folder}: the other documents: wrote 2 files (exam-A.html, exam-B.html); render again to finish",
    ]
    assert (folder / "exam-A.html").is_file() and not (folder / "key.html").exists()


def test_a_worker_that_dies_gives_one_line(tmp_path, monkeypatch):
    real = render_html.render_document

    def render_document(env, doc, *args, **kwargs):
        if doc == "key":
            os._exit(3)
        return real(env, doc, *args, **kwargs)

    monkeypatch.setattr(render_html, "render_document", render_document)
    folder = copy_fixture(tmp_path / "exam")
    # Three jobs, so they run on worker processes (one job alone would run in this process).
    result = run(str(folder), "--format", "html", "--only", "exam,key", "--jobs", "2")
    assert result.exit_code == 1 and "Traceback" not in result.output and "BrokenProcessPool" not in result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {folder}: a render process stopped unexpectedly (killed, or out of memory?): ")
    assert line.endswith("; render again, with --jobs 1 if memory is short")


# A render whose exam pages take far too long: the test interrupts or kills it part way.
SLOW_RENDER = """
import signal, sys, time
# A shell without job control starts background jobs with Ctrl-C ignored: restore it.
signal.signal(signal.SIGINT, signal.default_int_handler)
from pathlib import Path
from examkit.render import html
folder = sys.argv[1]
real = html.render_document
def slow(env, doc, *args, **kwargs):
    if doc == "exam":
        Path(folder, "started-" + str(time.time())).touch()
        time.sleep(300)
    return real(env, doc, *args, **kwargs)
html.render_document = slow
from examkit.cli import main
sys.argv = ["examkit", "render", folder, "--format", "html", "--only", "exam,key", "--jobs", "2"]
main()
"""


def _start_slow_render(folder: Path) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", SLOW_RENDER, str(folder)], cwd=ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_until_started(process, folder)
    return process


def wait_until_started(process: subprocess.Popen, folder: Path) -> None:
    """Wait until a worker is busy on a slow job (its `started-*` file exists). On a loaded
    machine the second worker may start much later, so one is enough: the interrupt must stop
    whatever is running or waiting. A run that never gets there is killed, its output shown."""
    deadline = time.monotonic() + 120
    while not list(folder.glob("started-*")):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"no worker started a slow job: {process.communicate()}")
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_ctrl_c_stops_render_quickly_with_one_line(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    process = _start_slow_render(folder)
    workers = _children(process.pid)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)  # the jobs would take minutes
    assert process.returncode == 1 and "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"error: {folder}: interrupted: wrote ") and line.endswith("; render again to finish")
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)]
    assert not list(folder.glob(".*.tmp"))


def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    process = _start_slow_render(folder)
    workers = _children(process.pid)
    assert workers
    process.kill()
    process.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in workers if _alive(pid)]


def test_one_document_table_drives_plan_templates_and_the_cli_default():
    from examkit.cli.rendercmd import ALL_DOCUMENTS
    from examkit.render.batch import plan_jobs

    assert ALL_DOCUMENTS == ",".join(render_html.DOCUMENTS)
    jobs, notes = plan_jobs(["A"], ("pdf",), render_html.DOCUMENTS)
    html_only = [d.name for d in render_html.DOCUMENT_TABLE if d.html_only]
    assert notes == [f"the {name} page exists only as HTML; add html to --format to get it" for name in html_only]
    by_cost = sorted((d for d in render_html.DOCUMENT_TABLE if not d.html_only), key=lambda d: d.cost)
    assert [j.doc for j in jobs] == [d.name for d in by_cost]
    assert set(render_html.TEMPLATE_OF.values()) == {f"{d}.html.j2" for d in render_html.DOCUMENTS}


def test_regenerating_fewer_forms_then_rendering_leaves_no_stale_document(tmp_path):
    from examkit.cli import cli as examkit

    out = tmp_path / "exam"
    runner = CliRunner()
    assert runner.invoke(examkit, ["generate", "-b", "aif-c01-task-2.1-quiz", "--forms", "3", "--seed", "1",
                                   "-o", str(out)]).exit_code == 0
    assert run(str(out), "--format", "html", "--only", "exam,key", "--jobs", "1").exit_code == 0
    (out / "exam-notes.txt").write_text("the teacher's own file")
    assert sorted(p.name for p in out.glob("exam-*")) == ["exam-A.html", "exam-B.html", "exam-C.html",
                                                         "exam-notes.txt"]
    # Rendering only some documents keeps the others: they still match the exam set.
    assert run(str(out), "--format", "html", "--only", "key", "--jobs", "1").exit_code == 0
    assert (out / "exam-C.html").is_file()
    regenerated = runner.invoke(examkit, ["generate", "-b", "aif-c01-task-2.1-quiz", "--forms", "2", "--seed", "2",
                                          "-o", str(out), "--force"])
    assert "removed 4 document(s) rendered from the previous exam set (exam-A.html, exam-B.html, exam-C.html, ...)" \
        in regenerated.output
    assert sorted(p.name for p in out.iterdir()) == ["exam-notes.txt", "examset.json", "key.csv"]
    assert run(str(out), "--format", "html", "--only", "exam", "--jobs", "1").exit_code == 0
    assert sorted(p.name for p in out.glob("exam-*")) == ["exam-A.html", "exam-B.html", "exam-notes.txt"]


def test_render_removes_documents_of_forms_the_exam_set_no_longer_has(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    (folder / "exam-C.pdf").write_bytes(b"from an exam set with three forms")
    (folder / "exam-C.notes").write_text("not a document name render gives")
    result = run(str(folder), "--format", "html", "--only", "key", "--jobs", "1")
    assert result.exit_code == 0
    assert "note: removed 1 document(s) of forms this exam set no longer has (exam-C.pdf)" in result.stderr
    assert not (folder / "exam-C.pdf").exists() and (folder / "exam-C.notes").is_file()


def test_a_leftover_temporary_file_is_named_as_such_and_the_exam_sets_own_are_cleaned(tmp_path):
    from examkit.cli import cli as examkit

    out = tmp_path / "exam"
    out.mkdir()
    (out / ".examset.json.k1ll3d.tmp").write_text("half")
    (out / ".report.html.abc.tmp").write_text("half")
    result = CliRunner().invoke(examkit, ["generate", "-b", "aif-c01-task-2.1-quiz", "-o", str(out), "--force"])
    assert result.exit_code == 0
    assert not (out / ".examset.json.k1ll3d.tmp").exists()
    assert ("note: 1 temporary file(s) left by an interrupted run (.report.html.abc.tmp); delete them when no "
            "examkit command is running") in result.output
    assert "other file" not in result.output
