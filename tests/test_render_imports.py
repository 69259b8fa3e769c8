"""weasyprint's import costs most of a second (a third of it cffi's failing library look-ups on
Debian), so only commands that print a PDF may pay for it."""

from __future__ import annotations

import subprocess
import sys

from tests.fixtures.render.support import copy_fixture

_CHECK = ("import sys; from click.testing import CliRunner; from examkit.cli import cli; "
          "r = CliRunner().invoke(cli, {args!r}); assert r.exit_code == 0, r.output; "
          "import threading; [t.join() for t in threading.enumerate() if t.name.startswith('import-')]; "
          "print('weasyprint' in sys.modules)")


def imports_weasyprint(*args: str) -> bool:
    out = subprocess.run([sys.executable, "-c", _CHECK.format(args=list(args))], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip() == "True"


def test_commands_that_print_no_pdf_never_import_weasyprint(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    assert not imports_weasyprint("validate")
    assert not imports_weasyprint("generate", "-o", str(tmp_path / "gen"), "--forms", "1", "--seed", "1")
    assert not imports_weasyprint("render", str(folder), "--format", "html", "--jobs", "1")
    # The answer sheet's PDF is drawn from its geometry, on one job or several: the command never
    # imports weasyprint for it, not even ahead of forking (as it does when a PDF is laid out).
    assert not imports_weasyprint("render", str(folder), "--only", "sheet", "--jobs", "1")
    assert not imports_weasyprint("render", str(folder), "--only", "sheet", "--jobs", "2")
    assert (folder / "sheet-A.pdf").read_bytes().startswith(b"%PDF")


def test_a_pdf_render_does_import_it(tmp_path):
    """The check above can fail: the same probe sees the import when a PDF is made."""
    folder = copy_fixture(tmp_path / "exam")
    assert imports_weasyprint("render", str(folder), "--format", "pdf", "--only", "key", "--jobs", "1")
