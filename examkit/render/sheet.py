"""The answer sheet's geometry: every mark, bubble and box at a fixed position, in points.

The layout is computed here, not by the browser engine, so the very numbers that place each
element on the page go into `sheet-X.layout.json` for scanned-sheet grading. Coordinates are
in PostScript points (1/72 inch), origin at the top-left corner of the page, y growing down.
Pure functions only; the template draws what this module decides.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from ..models import ExamSet, Form, FormItem

LAYOUT_FORMAT = "examkit.sheet-layout/1"
QR_PREFIX = "examkit:sheet/1?"
PAPER_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}

MARK_SIZE = 14.0  # side of a solid registration square
MARK_INSET = 22.0  # page edge to the square's outer edge
MARGIN = 50.0  # page edge to the content
QR_SIZE = 64.0  # the symbol itself; white space around it is kept free as its quiet zone
ROW_HEIGHT = 19.0
COLUMN_GAP = 22.0
NUMBER_WIDTH = 28.0  # the item number before each row's bubbles or boxes
BUBBLE_RADIUS = 6.0
BUBBLE_PITCH = 18.0
BOX_WIDTH = 16.0
BOX_HEIGHT = 15.0
BOX_LABEL = 9.0  # room for the premise number (matching) or arrow (ordering) before a box
ID_DIGITS = 8
ID_RADIUS = 5.0
ID_PITCH_X = 15.0
ID_PITCH_Y = 12.5
FOOTER_ROOM = 12.0
NOTE_ROOM = 44.0  # width of a row's hint such as 'choose 2'


@dataclass
class Bubble:
    label: str
    x: float  # centre
    y: float
    r: float


@dataclass
class Box:
    label: str
    x: float  # top-left corner
    y: float
    w: float
    h: float


@dataclass
class Row:
    position: int
    item_id: str
    type: str
    y: float  # top of the row
    x: float  # left of the column
    w: float
    bubbles: list[Bubble] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    note: str = ""  # e.g. "choose 2", drawn after the bubbles
    note_x: float = 0.0


@dataclass
class Page:
    number: int
    qr_payload: str
    qr: Box
    marks: list[Box]
    rows: list[Row]
    items_top: float
    id_boxes: list[Box] = field(default_factory=list)  # write-in digit boxes (page 1 only)
    id_bubbles: list[list[Bubble]] = field(default_factory=list)  # one column of 0-9 per digit


@dataclass
class SheetLayout:
    exam: str
    title: str
    form: str
    paper: str
    width: float
    height: float
    fingerprint: str
    pages: list[Page]
    header: dict[str, Box] = field(default_factory=dict)  # where the printed labels go

    @property
    def content(self) -> tuple[float, float, float, float]:
        """left, top, right, bottom of the area inside the margins."""
        return MARGIN, MARGIN, self.width - MARGIN, self.height - MARGIN


def examset_fingerprint(examset: ExamSet) -> str:
    """A short hash of the exam set, so a scanned sheet is never graded against another set."""
    blob = examset.model_dump_json().encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]


def qr_payload(exam: str, form: str, page: int, pages: int, fingerprint: str) -> str:
    return QR_PREFIX + urlencode(
        {"exam": exam, "form": form, "page": page, "pages": pages, "set": fingerprint}
    )


def parse_qr_payload(text: str) -> dict[str, str | int] | None:
    """The fields of a sheet's QR code, or None when the text is not one of ours."""
    if not text.startswith(QR_PREFIX):
        return None
    fields: dict[str, str | int] = dict(parse_qsl(text[len(QR_PREFIX):]))
    if not {"exam", "form", "page", "pages", "set"} <= fields.keys():
        return None
    try:
        fields["page"] = int(fields["page"])
        fields["pages"] = int(fields["pages"])
    except ValueError:
        return None
    return fields


def first_page_items_top() -> float:
    """Below the header, name fields and the student ID grid of page 1."""
    return id_bubbles_top() + 9 * ID_PITCH_Y + ID_RADIUS + 22.0


def later_page_items_top() -> float:
    return MARGIN + QR_SIZE + 14.0


def id_boxes_top() -> float:
    return MARGIN + QR_SIZE + 52.0


def id_bubbles_top() -> float:
    return id_boxes_top() + BOX_HEIGHT + 4.0 + ID_RADIUS + 2.0


def layout_sheet(examset: ExamSet, form: Form, paper: str = "a4", fingerprint: str | None = None) -> SheetLayout:
    """Place every item of `form` on as few pages as the paper allows, columns filled top-down.

    `fingerprint` is `examset_fingerprint(examset)` when the caller has it already: it hashes
    the whole set, so a batch computes it once rather than once per form.
    """
    width, height = PAPER_SIZES[paper]
    left, right = MARGIN, width - MARGIN
    column_width = (right - left - COLUMN_GAP) / 2
    bottom = height - MARGIN - FOOTER_ROOM
    if fingerprint is None:
        fingerprint = examset_fingerprint(examset)

    pending = list(form.items)
    chunks: list[tuple[float, list[list[FormItem]]]] = []
    while pending or not chunks:
        top = first_page_items_top() if not chunks else later_page_items_top()
        per_column = max(1, int((bottom - top) // ROW_HEIGHT))
        columns = []
        for _ in range(2):
            columns.append(pending[:per_column])
            pending = pending[per_column:]
        chunks.append((top, columns))

    pages: list[Page] = []
    for index, (top, columns) in enumerate(chunks, start=1):
        rows = []
        for column, items in enumerate(columns):
            x = left + column * (column_width + COLUMN_GAP)
            for slot, item in enumerate(items):
                rows.append(_row(item, x, top + slot * ROW_HEIGHT, column_width))
        page = Page(
            number=index,
            qr_payload=qr_payload(examset.exam, form.letter, index, len(chunks), fingerprint),
            qr=Box("qr", _r(right - QR_SIZE), MARGIN, QR_SIZE, QR_SIZE),
            marks=_marks(width, height),
            rows=rows,
            items_top=top,
        )
        if index == 1:
            page.id_boxes, page.id_bubbles = _student_id(left)
        pages.append(page)
    return SheetLayout(examset.exam, examset.title, form.letter, paper, width, height, fingerprint, pages,
                       header_boxes(width, height))


def header_boxes(width: float, height: float) -> dict[str, Box]:
    """Boxes for the printed text: titles, form letter, name line, instructions, footer."""
    left, right = MARGIN, width - MARGIN
    form_left = right - QR_SIZE - 14.0 - 56.0
    fields_top = MARGIN + QR_SIZE + 12.0
    id_right = left + 8.0 + ID_DIGITS * ID_PITCH_X
    grid_bottom = id_bubbles_top() + 9 * ID_PITCH_Y + ID_RADIUS
    instructions_left = id_right + 18.0
    return {
        "title": Box("title", left, MARGIN, _r(form_left - left - 12.0), QR_SIZE),
        "form": Box("form", _r(form_left), MARGIN, 56.0, QR_SIZE),
        "name": Box("name", left, _r(fields_top), _r((right - left) * 0.62), 18.0),
        "date": Box("date", _r(left + (right - left) * 0.62 + 14.0), _r(fields_top), _r((right - left) * 0.38 - 14.0), 18.0),
        "id_label": Box("id", left, _r(id_boxes_top() - 13.0), _r(id_right - left), 11.0),
        "instructions": Box("instructions", _r(instructions_left), _r(id_boxes_top() - 13.0),
                            _r(right - instructions_left), _r(grid_bottom - id_boxes_top() + 13.0)),
        "continued": Box("continued", left, MARGIN, _r(form_left - left - 12.0), QR_SIZE),
        "footer": Box("footer", left, _r(height - MARGIN - 9.0), _r(right - left), 10.0),
    }


def _r(value: float) -> float:
    return round(value, 2)


def _marks(width: float, height: float) -> list[Box]:
    near, far_x, far_y = MARK_INSET, width - MARK_INSET - MARK_SIZE, height - MARK_INSET - MARK_SIZE
    corners = (("top-left", near, near), ("top-right", far_x, near),
               ("bottom-left", near, far_y), ("bottom-right", far_x, far_y))
    return [Box(name, _r(x), _r(y), MARK_SIZE, MARK_SIZE) for name, x, y in corners]


def _student_id(left: float) -> tuple[list[Box], list[list[Bubble]]]:
    boxes, columns = [], []
    for digit in range(ID_DIGITS):
        cx = left + 8.0 + digit * ID_PITCH_X
        boxes.append(Box(str(digit + 1), _r(cx - 6.0), _r(id_boxes_top()), 12.0, BOX_HEIGHT))
        columns.append([Bubble(str(n), _r(cx), _r(id_bubbles_top() + n * ID_PITCH_Y), ID_RADIUS) for n in range(10)])
    return boxes, columns


def _row(item: FormItem, x: float, y: float, width: float) -> Row:
    row = Row(item.position, item.item_id, item.type, _r(y), _r(x), _r(width))
    start = x + NUMBER_WIDTH
    room = width - NUMBER_WIDTH - 2.0
    centre_y = y + ROW_HEIGHT / 2
    if item.type in ("single", "multiple"):
        letters = [o.letter for o in item.options]
        # A very long option list squeezes together rather than leaving the column.
        pitch = min(BUBBLE_PITCH, room / max(1, len(letters)))
        radius = min(BUBBLE_RADIUS, pitch / 2 - 1.0)
        row.bubbles = [
            Bubble(letter, _r(start + radius + 1.0 + i * pitch), _r(centre_y), _r(radius)) for i, letter in enumerate(letters)
        ]
        if item.type == "multiple":
            row.note = f"choose {sum(o.correct for o in item.options)}"
            row.note_x = _r(start + len(letters) * pitch + 4.0)
    elif item.type in ("matching", "ordering"):
        labels = [str(p.number) for p in item.premises] if item.type == "matching" else [
            str(i + 1) for i in range(len(item.steps))
        ]
        cell = min(BOX_LABEL + BOX_WIDTH + 5.0, room / max(1, len(labels)))
        box_width = min(BOX_WIDTH, cell - BOX_LABEL - 1.0)
        row.boxes = [
            Box(label, _r(start + i * cell + BOX_LABEL), _r(centre_y - BOX_HEIGHT / 2), _r(box_width), BOX_HEIGHT)
            for i, label in enumerate(labels)
        ]
        note = "letter per item" if item.type == "matching" else "first → last"
        note_x = start + len(labels) * cell + 3.0
        if note_x + NOTE_ROOM <= x + width:  # only where it fits; the instructions say it too
            row.note, row.note_x = note, _r(note_x)
    else:  # short: one write-in box across the column
        row.boxes = [Box("answer", _r(start), _r(centre_y - BOX_HEIGHT / 2), _r(room), BOX_HEIGHT)]
    return row


def layout_data(layout: SheetLayout) -> dict:
    """The layout file's content: what a scanner needs to find every mark on every page."""
    pages = []
    for page in layout.pages:
        items = []
        for row in page.rows:
            entry: dict = {"position": row.position, "item_id": row.item_id, "type": row.type,
                           "row": {"x": row.x, "y": row.y, "w": row.w, "h": ROW_HEIGHT}}
            if row.bubbles:
                entry["radius"] = row.bubbles[0].r
                entry["bubbles"] = [{"option": b.label, "x": b.x, "y": b.y} for b in row.bubbles]
            if row.boxes:
                key = {"matching": "premise", "ordering": "place"}.get(row.type, "box")
                entry["boxes"] = [{key: b.label, "x": b.x, "y": b.y, "w": b.w, "h": b.h} for b in row.boxes]
            items.append(entry)
        data: dict = {
            "page": page.number,
            "qr": {"payload": page.qr_payload, **_box(page.qr)},
            "marks": [{"corner": m.label, "x": _r(m.x + m.w / 2), "y": _r(m.y + m.h / 2), "size": m.w} for m in page.marks],
            "items": items,
        }
        if page.id_bubbles:
            data["student_id"] = {
                "digits": len(page.id_bubbles),
                "radius": ID_RADIUS,
                "write_in": [_box(b) for b in page.id_boxes],
                "columns": [[{"digit": int(b.label), "x": b.x, "y": b.y} for b in column] for column in page.id_bubbles],
            }
        pages.append(data)
    return {
        "format": LAYOUT_FORMAT,
        "units": "pt",
        "origin": "top-left, y down",
        "exam": layout.exam,
        "form": layout.form,
        "set": layout.fingerprint,
        "paper": layout.paper,
        "page_size": {"width": layout.width, "height": layout.height},
        "pages": pages,
    }


def layout_json(layout: SheetLayout) -> str:
    return json.dumps(layout_data(layout), indent=1, ensure_ascii=False) + "\n"


def _box(box: Box) -> dict:
    return {"x": box.x, "y": box.y, "w": box.w, "h": box.h}

