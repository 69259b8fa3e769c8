"""Rendering fetches nothing it should not: no network, no file outside the allowed folders,
and raw HTML in a bank is printed as text in both the PDF and the HTML."""

from __future__ import annotations

import http.server
import shutil
import struct
import threading
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from examkit.cli import cli
from examkit.fileio import read_examset
from examkit.render import render_folder, write_pdf
from examkit.render.pdf import FetchRefused, check_url, render_pdf_bytes
from examkit.resources import shipped_templates
from tests.fixtures.render.support import PdfText, copy_fixture, norm

HOSTILE_STEM = 'Which tag is this? <img src="file:///etc/passwd"> <script>alert("x")</script>'
HOSTILE_OPTION = "<b>bold?</b> <iframe src=\"http://127.0.0.1:9/\"></iframe>"


def tiny_png() -> bytes:
    """A 2x2 red PNG, made here so the test needs no image file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def counting_server():
    """An HTTP server on the loopback that counts requests: rendering must send it none."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_check_url_allows_only_data_and_files_inside_the_roots(tmp_path):
    root = tmp_path / "templates"
    root.mkdir()
    (root / "logo.png").write_bytes(b"x")
    assert check_url((root / "logo.png").as_uri(), [root]) == (root / "logo.png").resolve()
    assert check_url("data:text/plain,hi", [root]) is None
    for url in ("http://127.0.0.1/x.css", "https://example.org/a.png", "ftp://h/x", "file:///etc/passwd",
                "file://otherhost/etc/passwd", (root / ".." / "secret").resolve().as_uri(),
                (tmp_path / "templates-evil" / "x").as_uri()):
        with pytest.raises(FetchRefused):
            check_url(url, [root])


def test_check_url_sees_through_symlinks_out_of_the_roots(tmp_path):
    root = tmp_path / "templates"
    root.mkdir()
    (root / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(FetchRefused, match="outside"):
        check_url((root / "passwd").as_uri(), [root])


def test_write_pdf_refuses_and_logs_but_still_writes(tmp_path, caplog):
    (tmp_path / "ok.png").write_bytes(tiny_png())
    html = ('<p>text</p><img src="ok.png"><img src="file:///etc/passwd">'
            '<div style="background: url(http://127.0.0.1:9/bg.png)">bg</div>')
    target = tmp_path / "out" / "doc.pdf"
    with caplog.at_level("WARNING", logger="examkit.render"):
        write_pdf(html, target, [tmp_path], base_url=tmp_path)
    reader = PdfReader(target)
    assert "text" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 1  # the allowed image was fetched and drawn
    logged = caplog.text
    assert "file:///etc/passwd" in logged and "http://127.0.0.1:9/bg.png" in logged
    assert [p.name for p in target.parent.iterdir()] == ["doc.pdf"]  # no temporary file left


def hostile_folder(tmp_path: Path) -> Path:
    folder = copy_fixture(tmp_path / "exam")
    examset = read_examset(folder)
    placement = examset.forms[0].placements[0]
    stored = examset.items[placement.item]  # the item as stored once: every form prints it so
    stored.stem = HOSTILE_STEM
    stored.options[placement.order[0]].text = HOSTILE_OPTION
    (folder / "examset.json").write_text(examset.model_dump_json(indent=2))
    return folder


def test_bank_html_is_printed_as_text_in_pdf_and_html(tmp_path):
    folder = hostile_folder(tmp_path)
    report = render_folder(folder, only=("exam", "practice"), jobs=1)
    assert report.refused == []  # escaped text never even reaches the fetcher

    pdf_text = PdfText(folder / "exam-A.pdf").text
    assert norm('Which tag is this? <img src="file:///etc/passwd"> <script>alert("x")</script>') in pdf_text
    assert "<b>bold?</b>" in pdf_text
    assert "root:x:0:0" not in pdf_text
    for name in ("exam-A.html", "practice-A.html"):
        page = (folder / name).read_text(encoding="utf-8")
        assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
        assert '<img src="file:///etc/passwd"' not in page and '<script>alert("x")' not in page
        assert "<iframe" not in page and "<b>bold" not in page


def test_templates_cannot_fetch_from_network_or_outside_files(tmp_path, counting_server):
    base, hits = counting_server
    templates = tmp_path / "mytemplates"
    shutil.copytree(shipped_templates(), templates)
    (templates / "logo.png").write_bytes(tiny_png())
    css = templates / "print.css"
    css.write_text(f'@import url("{base}/evil.css");\n' + css.read_text()
                   + f"\n.doc-header {{ background: url({base}/bg.png) }}\n"
                   + ".kicker { background-image: url(file:///etc/passwd) }\n")
    exam = templates / "exam.html.j2"
    exam.write_text(exam.read_text().replace(
        "{% block body %}",
        f'{{% block body %}}<img src="logo.png" alt="logo"><img src="{base}/pixel.png">'
        '<img src="file:///etc/passwd"><link rel="stylesheet" href="../../../../etc/passwd">', 1))
    folder = copy_fixture(tmp_path / "exam")

    result = CliRunner().invoke(cli, ["render", str(folder), "--templates", str(templates),
                                      "--only", "exam", "--format", "pdf", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert hits == []  # not one request reached the server
    warnings = result.stderr
    for url in (f"{base}/evil.css", f"{base}/bg.png", f"{base}/pixel.png", "file:///etc/passwd"):
        assert f"refused to fetch '{url}'" in warnings, warnings
    assert "logo.png" not in warnings
    reader = PdfReader(folder / "exam-A.pdf")
    assert len(reader.pages[0].images) == 1  # the logo from the templates folder was allowed
    assert "root:x:0:0" not in PdfText(folder / "exam-A.pdf").text


def test_render_pdf_bytes_reports_each_refusal(tmp_path):
    pdf, refused = render_pdf_bytes('<img src="https://example.org/x.png"><p>hello</p>', [tmp_path], tmp_path)
    assert pdf.startswith(b"%PDF")
    assert len(refused) == 1 and "https://example.org/x.png" in refused[0]


# --------------------------------------------------------------------------- template packs

CODE_ATTACKS = (
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ objective_title.__globals__['__builtins__']['__import__']('os').popen('id').read() }}",
    "{{ examset.__class__.__mro__[-1].__subclasses__() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
)


def template_pack(tmp_path: Path) -> Path:
    templates = tmp_path / "pack"
    shutil.copytree(shipped_templates(), templates)
    return templates


@pytest.mark.parametrize("attack", CODE_ATTACKS)
def test_a_template_pack_cannot_run_code(tmp_path, attack):
    templates = template_pack(tmp_path)
    exam = templates / "exam.html.j2"
    exam.write_text(exam.read_text().replace("{% block body %}", "{% block body %}" + attack, 1))
    folder = copy_fixture(tmp_path / "exam")

    result = CliRunner().invoke(cli, ["render", str(folder), "--templates", str(templates),
                                      "--only", "exam", "--format", "html", "--jobs", "1"])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "exam.html.j2" in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert not (folder / "exam-A.html").exists()
    assert "uid=" not in result.output


@pytest.mark.parametrize("linked", ["print.css", "exam.html.j2"])
def test_a_template_pack_cannot_reach_a_file_through_a_symlink(tmp_path, linked):
    """An inlined stylesheet or a template that links out of the pack is refused, not read."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    templates = template_pack(tmp_path)
    (templates / linked).unlink()
    (templates / linked).symlink_to(secret)
    folder = copy_fixture(tmp_path / "exam")

    result = CliRunner().invoke(cli, ["render", str(folder), "--templates", str(templates),
                                      "--only", "exam", "--format", "html", "--jobs", "1"])
    assert result.exit_code == 1
    assert f"{linked}: refused: it links to a file outside the template folders" in result.stderr
    assert not (folder / "exam-A.html").exists()
    assert not any("TOP-SECRET-LINE" in p.read_text() for p in folder.glob("*.html"))


def test_a_report_template_cannot_run_code(tmp_path):
    from tests.fixtures.grade.support import copy_examdir, write_sheet

    examdir = copy_examdir(tmp_path)
    sheet = write_sheet(tmp_path / "class.csv", [["Ann", "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D",
                                                  "chunking", "B", "feedback"]])
    templates = tmp_path / "reports"
    templates.mkdir()
    report = shipped_templates() / "report.html.j2"
    (templates / "report.html.j2").write_text(CODE_ATTACKS[0] + report.read_text())

    result = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf", "--templates", str(templates)])
    assert result.exit_code == 1, result.output
    assert "report.html.j2" in result.stderr and "Traceback" not in result.output
    assert "uid=" not in result.output
    assert not (examdir / "results" / "report.html").exists()


def test_shipped_templates_render_unchanged_in_the_sandbox(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    render_folder(folder, formats=("html",), jobs=1)
    assert {p.name for p in folder.glob("*.html")} >= {"exam-A.html", "sheet-A.html", "key.html",
                                                       "teacher-A.html", "practice-A.html"}
