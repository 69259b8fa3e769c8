"""A 5,000-character unbroken word in a stem or option wraps inside the page, in PDF and HTML."""

from __future__ import annotations

import json

from click.testing import CliRunner
from pypdf import PdfReader

from examkit.cli import cli
from tests.fixtures.render.support import copy_fixture

WORD = "Supercalifragilistic" * 250  # 5,000 characters, no break opportunity


def test_a_long_unbroken_word_wraps_inside_the_page(tmp_path):
    folder = copy_fixture(tmp_path / "exam")
    data = json.loads((folder / "examset.json").read_text(encoding="utf-8"))
    first = data["forms"][0]["items"][0]
    item_id, option = first["item_id"], first["options"][1]["text"]
    for form in data["forms"]:  # an item reads the same on every form that prints it
        for item in form["items"]:
            if item["item_id"] == item_id:
                item["stem"] = f"Which is right? {WORD}"
                next(o for o in item["options"] if o["text"] == option)["text"] = WORD
    (folder / "examset.json").write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["render", str(folder), "--only", "exam", "--format", "html,pdf", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    lines = [line for page in PdfReader(folder / "exam-A.pdf").pages for line in page.extract_text().splitlines()]
    pieces = [line for line in lines if "Supercali" in line]
    # Wrapped: the word's 10,000 characters (stem and option) come out as many page-wide lines.
    assert sum(len(line) for line in pieces) >= 9_000
    assert max(len(line) for line in pieces) < 200 and len(pieces) > 50
    assert "overflow-wrap: anywhere" in (folder / "exam-A.html").read_text(encoding="utf-8")
