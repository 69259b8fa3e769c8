"""Every document of the fixture exam set, rendered once and read back from the PDFs."""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from examkit.fileio import read_examset
from examkit.render import make_environment, render_document, render_folder, sheet
from examkit.render.html import practice_data
from examkit.render.sheet import (
    PAPER_SIZES,
    layout_data,
    layout_sheet,
    parse_qr_payload,
)
from tests.fixtures.render.support import (
    HERE,
    PdfText,
    assert_cases_boxed_once,
    assert_form_printed,
    copy_fixture,
    norm,
    plain,
    read_key_csv,
)

EXAMSET = read_examset(HERE)
EXPECTED_FILES = {
    "examset.json", "key.csv", "key.html", "key.pdf",
    *(f"{doc}-{f}.{ext}" for doc in ("exam", "sheet", "teacher") for f in "AB" for ext in ("html", "pdf")),
    "sheet-A.layout.json", "sheet-B.layout.json", "practice-A.html", "practice-B.html",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """Both forms, every document, both formats, in two worker processes."""
    folder = copy_fixture(tmp_path_factory.mktemp("render") / "exam")
    report = render_folder(folder, jobs=2)
    assert report.workers == 2 and report.refused == []
    return folder


def test_every_file_is_written_with_its_documented_name(rendered):
    assert {p.name for p in rendered.iterdir()} == EXPECTED_FILES


@pytest.mark.parametrize("letter", ["A", "B"])
def test_exam_prints_every_stem_and_option_in_order_with_letters(rendered, letter):
    form = EXAMSET.form(letter)
    text = assert_form_printed(rendered / f"exam-{letter}.pdf", form)
    assert f"Form {letter}" in text.pages[0]
    assert "Name" in text.pages[0] and "Candidate ID" in text.pages[0]
    assert "Time limit: 20 minutes" in text.text and "Passing score: 700 on a scale of 100–1000" in text.text
    assert "There is no penalty for guessing." in text.text  # the exam set's instructions, Markdown rendered
    assert "(Select TWO.)" in text.text


@pytest.mark.parametrize("doc", ["exam", "teacher"])
@pytest.mark.parametrize("letter", ["A", "B"])
def test_case_scenario_is_printed_once_boxed_before_its_items(rendered, letter, doc):
    form = EXAMSET.form(letter)
    text = PdfText(rendered / f"{doc}-{letter}.pdf")
    assert assert_cases_boxed_once(text, EXAMSET, form) == 1
    case_items = [i for i in form.items if i.case]
    before = [i for i in form.items if i.position == case_items[0].position - 1]
    if before:  # the box comes after the item before the case, and before the case's first item
        assert text.text.index(plain(before[0].stem)) < text.text.index("CASE STUDY")


def test_key_pdf_matches_key_csv(rendered):
    text = PdfText(rendered / "key.pdf").text
    rows = read_key_csv(rendered / "key.csv")
    assert len(rows) == sum(len(f.items) for f in EXAMSET.forms)
    start = 0
    for letter in ("A", "B"):
        start = text.index(f"Form {letter} NO. ANSWER TYPE OBJECTIVE PTS ITEM", start)
        for row in (r for r in rows if r["form"] == letter):
            line = f"{row['position']} {row['answer']} {row['type']} {row['objective']} {row['points']} {row['item_id']}"
            found = text.find(line, start)
            assert found >= 0, f"key row {line!r} missing after {text[start:start + 80]!r}"
            start = found + len(line)


@pytest.mark.parametrize("letter", ["A", "B"])
def test_teacher_edition_marks_answers_with_every_rationale(rendered, letter):
    text = PdfText(rendered / f"teacher-{letter}.pdf")
    assert "TEACHER EDITION" in text.pages[0]
    start = 0
    for item in EXAMSET.form(letter).items:
        fragments = [f"{item.position} {plain(item.stem)}"]
        if item.type in ("single", "multiple"):
            for o in item.options:
                fragments += [f"{o.letter} {plain(o.text)}" + (" ✓" if o.correct else ""), plain(o.why)]
            answer = ", ".join(o.letter for o in item.options if o.correct)
        elif item.type == "matching":
            for p in item.premises:
                fragments += [f"{p.answer} {p.number}. {plain(p.text)}", plain(p.why)]
            answer = ", ".join(f"{p.number} → {p.answer}" for p in item.premises)
        elif item.type == "ordering":
            for s in item.steps:
                fragments += [f"{s.letter} {plain(s.text)}", f"Step {s.rank}: {plain(s.why)}"]
            answer = " → ".join(s.letter for s in sorted(item.steps, key=lambda s: s.rank))
        else:
            fragments.append(f"Answer: {' | '.join(item.answers)}")
            answer = " | ".join(item.answers)
        fragments += [f"Answer: {answer}", plain(item.explanation),
                      f"Objective: {item.objective} {EXAMSET.objectives[item.objective]}",
                      f"Source: {item.source}", f"Item: {item.item_id}"]
        offsets = text.find_in_order(fragments, start)
        assert text.page_of(offsets[0]) == text.page_of(offsets[-1]), f"item {item.position} split"
        start = offsets[-1]


@pytest.mark.parametrize("letter", ["A", "B"])
def test_sheet_layout_has_one_block_per_item_inside_the_page(rendered, letter):
    layout = json.loads((rendered / f"sheet-{letter}.layout.json").read_text())
    form = EXAMSET.form(letter)
    width, height = layout["page_size"]["width"], layout["page_size"]["height"]
    assert (layout["format"], layout["units"], layout["exam"], layout["form"]) == (
        "examkit.sheet-layout/2", "pt", "mini", letter)
    rows = [item for page in layout["pages"] for item in page["items"]]
    assert [r["position"] for r in rows] == [i.position for i in form.items]
    for row, item in zip(rows, form.items):
        assert row["item_id"] == item.item_id and row["type"] == item.type
        box = row["area"]
        expected = {
            "single": [o.letter for o in item.options], "multiple": [o.letter for o in item.options],
            "matching": [f"{p.number}-{r.letter}" for p in item.premises for r in item.responses],
            "ordering": [f"{n}-{s.letter}" for n in range(1, len(item.steps) + 1) for s in item.steps],
            "short": []}[item.type]
        assert [b["value"] for b in row.get("bubbles", [])] == expected
        if expected:
            assert row["radius"] * 2 >= 4 * 72 / 25.4  # bubbles at least 4 mm across
        for b in row.get("bubbles", []):  # each bubble sits wholly inside its item's band
            assert box["x"] <= b["x"] - row["radius"] and b["x"] + row["radius"] <= box["x"] + box["w"]
            assert box["y"] <= b["y"] - row["radius"] and b["y"] + row["radius"] <= box["y"] + box["h"]
        if item.type == "short":
            b = row["box"]
            assert b["h"] >= 36 and box["x"] <= b["x"] and b["x"] + b["w"] <= box["x"] + box["w"]
    for page in layout["pages"]:
        rects = [r["area"] for r in page["items"]]
        for i, a in enumerate(rects):  # rows never overlap
            for b in rects[i + 1:]:
                assert (a["x"] + a["w"] <= b["x"] or b["x"] + b["w"] <= a["x"]
                        or a["y"] + a["h"] <= b["y"] or b["y"] + b["h"] <= a["y"])
            assert 0 < a["x"] and a["x"] + a["w"] < width and 0 < a["y"] and a["y"] + a["h"] < height
        corners = {m["corner"]: (m["x"], m["y"]) for m in page["marks"]}
        assert corners["top-left"][0] < 40 and corners["bottom-right"][0] > width - 40
        assert corners["top-left"][1] < 40 and corners["bottom-right"][1] > height - 40
        qr = parse_qr_payload(page["qr"]["payload"])
        assert qr["exam"] == "mini" and qr["form"] == letter and qr["page"] == page["page"]
        assert qr["pages"] == len(layout["pages"]) and qr["set"] == layout["set"]
    ids = layout["pages"][0]["student_id"]
    assert ids["digits"] == len(ids["columns"]) and all(len(c) == 10 for c in ids["columns"])


def _text_positions(pdf: Path) -> list[tuple[str, float, float]]:
    """(text, x, y-from-top) of every text run on the first page, in points."""
    page = PdfReader(pdf).pages[0]
    height = float(page.mediabox.height)
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            # text matrix times current matrix: where the run's baseline starts on the page
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            runs.append((text.strip(), x, height - y))

    page.extract_text(visitor_text=visit)
    return runs


def test_sheet_pdf_prints_each_bubble_letter_where_the_layout_says(rendered):
    layout = json.loads((rendered / "sheet-A.layout.json").read_text())
    reader = PdfReader(rendered / "sheet-A.pdf")
    assert len(reader.pages) == len(layout["pages"])
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == (
        round(layout["page_size"]["width"], 1), round(layout["page_size"]["height"], 1))
    runs = _text_positions(rendered / "sheet-A.pdf")
    for row in layout["pages"][0]["items"]:
        for bubble in row.get("bubbles", []):
            label = bubble["value"].split("-")[-1]
            near = [(x, y) for text, x, y in runs
                    if text == label and abs(x - bubble["x"]) < row["radius"] and abs(y - bubble["y"]) < row["radius"]]
            assert near, f"no letter {label} drawn in the bubble of item {row['position']}"
    numbers = [text for text, _, _ in runs if text.isdigit()]
    for row in layout["pages"][0]["items"]:
        assert str(row["position"]) in numbers


def test_the_pdf_and_html_sheets_print_the_same_marking_instructions(rendered):
    """One wording for both sheets (they drifted once: "as the item says" on one, "as the row
    says" on the other), with a line for each item type the form holds; a multiple-response row
    carries its own "choose N" note, so the line points at the row."""
    html_sheet = (rendered / "sheet-A.html").read_text(encoding="utf-8")
    box = html_sheet.split('class="sheet-instructions"', 1)[1].split("</ul>", 1)[0]
    html_lines = [norm(html.unescape(re.sub(r"<[^>]+>", " ", li))) for li in re.findall(r"<li>(.*?)</li>", box, re.S)]
    pdf_text = PdfText(rendered / "sheet-A.pdf").pages[0]
    pdf_box = pdf_text.split("HOW TO MARK THIS SHEET", 1)[1].split(" right ", 1)[0]
    assert pdf_box.strip() == " ".join(html_lines)
    assert len(html_lines) == 2 + len({i.type for i in EXAMSET.form("A").items} - {"single"}) + 1
    assert "Multiple response: fill as many bubbles as the row says (“choose 2”)." in html_lines


def test_the_booklet_says_to_mark_the_rows_the_answer_sheet_has(rendered):
    """Answers go on the answer sheet, whose matching and ordering rows are bubbles, so the
    booklet's line for a type says how the sheet's row is marked, in the sheet's own words (it
    used to tell students to write letters in boxes, which nobody reads)."""
    booklet = PdfText(rendered / "exam-A.pdf").pages[0]
    sheet_text = PdfText(rendered / "sheet-A.pdf").pages[0]
    assert {"matching", "ordering", "short"} <= {i.type for i in EXAMSET.form("A").items}
    for name in ("Matching", "Ordering", "Short answer"):
        how = re.search(rf"{name}: ([^.]*\.)", sheet_text)[1]
        assert f"{name}: on the answer sheet, {how}" in booklet
    assert "write the letter" not in booklet and "in the box" not in booklet
    assert "The boxes and lines in this booklet are for your working: only the answer sheet is marked." in booklet


def _gray_page(pdf: Path, dpi: int) -> tuple[int, int, bytes]:
    out = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", "1", "-l", "1", str(pdf)],
                         check=True, capture_output=True).stdout
    header, rest = out.split(b"\n", 1)
    assert header == b"P5"
    size, rest = rest.split(b"\n", 1)
    width, height = (int(v) for v in size.split())
    _maxval, pixels = rest.split(b"\n", 1)
    return width, height, pixels


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_sheet_pixels_agree_with_the_layout(rendered):
    """Rasterised, the marks are solid black and each bubble's ring passes where the layout says."""
    layout = json.loads((rendered / "sheet-A.layout.json").read_text())
    dpi = 144
    scale = dpi / 72
    width, _, pixels = _gray_page(rendered / "sheet-A.pdf", dpi)

    def darkest(x: float, y: float, reach: int = 1) -> int:
        px, py = round(x * scale), round(y * scale)
        return min(pixels[(py + dy) * width + px + dx] for dx in range(-reach, reach + 1) for dy in range(-reach, reach + 1))

    page = layout["pages"][0]
    for mark in page["marks"]:
        assert darkest(mark["x"], mark["y"]) < 40
        assert darkest(mark["x"] + mark["size"], mark["y"] + mark["size"], 0) > 200  # white beyond its edge
    for row in page["items"]:
        r = row.get("radius")
        for b in row.get("bubbles", []):
            for dx, dy in ((r, 0), (-r, 0), (0, r), (0, -r)):
                assert darkest(b["x"] + dx * 0.97, b["y"] + dy * 0.97) < 128, (row["position"], b)
            assert darkest(b["x"] + r * 0.62, b["y"] - r * 0.62, 0) > 150  # inside the ring, off the letter: light


def test_sheet_layout_on_letter_paper_fits_the_page():
    form = EXAMSET.form("A")
    data = layout_data(layout_sheet(EXAMSET, form, "letter"))
    assert (data["page_size"]["width"], data["page_size"]["height"]) == PAPER_SIZES["letter"]
    for page in data["pages"]:
        for item in page["items"]:
            assert item["area"]["y"] + item["area"]["h"] < PAPER_SIZES["letter"][1] - 40


def test_a_long_form_continues_on_more_sheet_pages():
    form = EXAMSET.form("A")
    long_form = form.model_copy(update={"placements": [form.placements[(n - 1) % 8] for n in range(1, 121)]})
    layout = layout_sheet(EXAMSET, long_form, "a4")
    assert len(layout.pages) >= 2
    assert [r.position for p in layout.pages for r in p.blocks] == list(range(1, 121))
    assert layout.pages[1].id_bubbles == []  # the student ID grid only on page 1
    assert all(r.y + r.h <= layout.height - 50 for p in layout.pages for r in p.blocks)
    last = layout.pages[-1].blocks  # the last page is balanced over its two columns
    left = [b for b in last if b.x == last[0].x]
    right = [b for b in last if b.x != last[0].x]
    assert right and abs((left[-1].y + left[-1].h) - (right[-1].y + right[-1].h)) <= max(b.h for b in last) + 4


def test_html_pages_are_self_contained(rendered):
    for path in sorted(rendered.glob("*.html")):
        page = path.read_text(encoding="utf-8")
        for needle in ("<link", "src=\"http", "src='http", "url(http", "@import", "<script src"):
            assert needle not in page, f"{path.name} refers outside itself: {needle}"
    exam = (rendered / "exam-A.html").read_text(encoding="utf-8")
    assert plain(EXAMSET.form("A").items[0].stem) in exam


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="workers are spawned here")
def test_forked_workers_use_what_the_parent_prepared(tmp_path, monkeypatch):
    """Each worker used to read examset.json again and set up its own templates; forked, it has
    the parent's already. A worker that calls prepare() leaves a mark."""
    from examkit.render import batch

    parent, marks = os.getpid(), tmp_path / "marks"
    marks.mkdir()
    real = batch.prepare

    def prepare(*args):
        if os.getpid() != parent:
            (marks / str(os.getpid())).touch()
        return real(*args)

    monkeypatch.setattr(batch, "prepare", prepare)
    report = render_folder(copy_fixture(tmp_path / "exam"), only=("sheet",), formats=("html",), jobs=2)
    assert report.workers == 2 and len(report.written) == 4
    assert list(marks.iterdir()) == []


def test_rendering_is_deterministic_and_independent_of_jobs(rendered, tmp_path):
    again = copy_fixture(tmp_path / "again")
    render_folder(again, only=("exam", "sheet", "key"), jobs=1)
    for name in ("exam-A.pdf", "exam-B.pdf", "sheet-A.pdf", "sheet-A.layout.json", "key.pdf", "key.html", "exam-B.html"):
        assert (again / name).read_bytes() == (rendered / name).read_bytes(), name
    assert str(tmp_path) not in (again / "exam-A.html").read_text()  # no absolute paths in output


def test_letter_paper_pdfs(tmp_path):
    folder = copy_fixture(tmp_path / "letter")
    render_folder(folder, only=("sheet", "key"), formats=("pdf",), paper="letter", jobs=1)
    for name in ("sheet-A.pdf", "key.pdf"):
        box = PdfReader(folder / name).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (612, 792), name
    assert json.loads((folder / "sheet-A.layout.json").read_text())["paper"] == "letter"
    assert not (folder / "key.html").exists()


def test_a_batch_hashes_the_exam_set_once_for_all_its_answer_sheets(tmp_path, monkeypatch):
    """The fingerprint hashes the whole set; once per sheet made rendering grow with forms squared."""
    calls = []
    real = sheet.examset_fingerprint
    monkeypatch.setattr(sheet, "examset_fingerprint", lambda examset: calls.append(1) or real(examset))
    folder = copy_fixture(tmp_path / "exam")
    render_folder(folder, only=("sheet",), formats=("html",), jobs=1)
    assert len(calls) == 1
    expected = real(EXAMSET)
    for letter in "AB":
        assert json.loads((folder / f"sheet-{letter}.layout.json").read_text())["set"] == expected
        assert f"set {expected}" in (folder / f"sheet-{letter}.html").read_text()


def test_case_study_instruction_only_on_forms_with_a_case_study():
    examset = EXAMSET.model_copy(deep=True)
    for item in examset.form("B").items:
        item.case = None
    env = make_environment()
    assert "Case studies:" in render_document(env, "exam", examset, examset.form("A"))
    assert "Case studies:" not in render_document(env, "exam", examset, examset.form("B"))


def test_practice_objectives_follow_the_objective_tree_not_text_order():
    examset = EXAMSET.model_copy(deep=True)
    examset.objectives = {"mini:1": "Basics", "mini:1.2": "Lifecycle", "mini:1.10": "Concepts"}
    form = examset.form("A")
    for item in form.items:
        if item.objective == "mini:1.1":
            item.objective = "mini:1.10"
    assert list(practice_data(examset, form)["objectives"]) == ["mini:1.2", "mini:1.10"]
