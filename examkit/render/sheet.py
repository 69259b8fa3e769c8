"""The answer sheet's geometry: every mark, bubble and box at a fixed position, in points.

The layout is computed here, not by the browser engine, so the very numbers that place each
element on the page go into `sheet-X.layout.json` for scanned-sheet grading, into the sheet's
PDF (drawn directly from these numbers by `sheetpdf.py`) and into its HTML. Coordinates are in
PostScript points (1/72 inch), origin at the top-left corner of the page, y growing down.
Pure functions only.

Every answer a machine reads is a bubble in a grid: a grid kind (`GRID_KINDS`) says, for an
item type, which rows and columns of bubbles it gets, what each bubble means (its `value`,
which the layout file records) and what is printed in it. A new kind of bubble item is one
more builder here and one more reading rule in `examkit/scan/bubbles.py` (`READERS`). A numeric
digit grid, for instance: rows "0"-"9" and ".", a column per digit position, value
"<position>-<digit>", the digit printed in the bubble; read one mark per column.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from ..models import ExamSet, Form, FormItem

LAYOUT_FORMAT = "examkit.sheet-layout/2"
QR_PREFIX = "examkit:sheet/1?"
PAPER_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}

MARK_SIZE = 16.0  # side of a solid registration square
MARK_INSET = 20.0  # page edge to the square's outer edge
MARGIN = 50.0  # page edge to the content
QR_SIZE = 66.0  # the symbol itself; white space around it is kept free as its quiet zone
COLUMN_GAP = 22.0
NUMBER_WIDTH = 24.0  # the item number before each block
ROW_LABEL_WIDTH = 22.0  # premise number or rank before a grid row
BUBBLE_RADIUS = 6.0  # 12 pt = 4.2 mm across
BUBBLE_PITCH = 17.0
ROW_PITCH = 17.0  # between the rows of a grid
BLOCK_PAD = 3.5  # above and below an item's bubbles, inside its shaded band
BLOCK_GAP = 4.0  # between items
SHORT_BOX_HEIGHT = 42.0  # two handwritten lines
ID_DIGITS = 8
ID_RADIUS = 6.0
ID_PITCH_X = 16.0
ID_PITCH_Y = 15.0
ID_BOX_HEIGHT = 15.0
FOOTER_ROOM = 12.0
MIN_RADIUS = 4.5  # a very long option list squeezes to this, then the pitch shrinks


@dataclass
class Bubble:
    value: str  # what filling it means: "B", or "2-C" for premise 2 gets C / rank 2 is step C
    label: str  # what is printed inside it
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
class Label:
    text: str
    x: float  # right edge
    y: float  # centre line


@dataclass
class Block:
    """One item's band on the sheet: its number, bubbles (or write-in box) and row labels."""

    position: int
    item_id: str
    type: str
    x: float
    y: float
    w: float
    h: float
    bubbles: list[Bubble] = field(default_factory=list)
    row_labels: list[Label] = field(default_factory=list)
    box: Box | None = None  # the write-in box of a short answer
    note: str = ""  # e.g. "choose 2", drawn after the bubbles
    note_x: float = 0.0
    note_y: float = 0.0

    @property
    def radius(self) -> float:
        return self.bubbles[0].r if self.bubbles else 0.0


@dataclass
class Page:
    number: int
    qr_payload: str
    qr: Box
    marks: list[Box]
    blocks: list[Block]
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


# --------------------------------------------------------------------------- grid kinds


@dataclass
class Grid:
    """The bubbles of one item as rows x columns; `value(row, column)` names each bubble."""

    rows: list[str]  # printed before each row ("" for a one-row item)
    columns: list[str]  # printed inside the bubbles, unless `label` says otherwise
    value: Callable[[int, str], str]
    note: str = ""
    label: Callable[[int, str], str] | None = None  # (row, column) -> text in the bubble

    def label_of(self, row: int, column: str) -> str:
        return self.label(row, column) if self.label else column


def _choice_grid(item: FormItem) -> Grid:
    note = f"choose {sum(o.correct for o in item.options)}" if item.type == "multiple" else ""
    return Grid([""], [o.letter for o in item.options], lambda row, letter: letter, note)


def _matching_grid(item: FormItem) -> Grid:
    numbers = [p.number for p in item.premises]
    return Grid([str(n) for n in numbers], [r.letter for r in item.responses],
                lambda row, letter: f"{numbers[row]}-{letter}")


def _ordering_grid(item: FormItem) -> Grid:
    return Grid([ordinal(i + 1) for i in range(len(item.steps))], [s.letter for s in item.steps],
                lambda row, letter: f"{row + 1}-{letter}")


NUMBER_PLACES = 6  # characters of a written number: the same for every item, so it gives nothing away
NUMBER_MARKS = [*"0123456789", "."]


def _number_grid(item: FormItem) -> Grid:
    """A column per character of the number, rows 0-9 and the decimal point; '3-7' is a 7 in place 3."""
    return Grid(NUMBER_MARKS, [str(n) for n in range(1, NUMBER_PLACES + 1)],
                lambda row, place: f"{place}-{NUMBER_MARKS[row]}", "one per column",
                label=lambda row, place: NUMBER_MARKS[row])


# item type -> its bubble grid; types absent here (short) get a write-in box instead
GRID_KINDS: dict[str, Callable[[FormItem], Grid]] = {
    "single": _choice_grid,
    "multiple": _choice_grid,
    "matching": _matching_grid,
    "ordering": _ordering_grid,
    "numeric": _number_grid,
}


# How the row of each type is marked (the rows GRID_KINDS builds; a short answer's box), in the
# words of both the sheet's instructions and the exam booklet's, so the booklet never asks for
# something the sheet does not offer. A single-choice row needs no more than "fill the bubble".
HOW_TO_MARK = {
    "multiple": ("Multiple response", "fill as many bubbles as the row says (\u201cchoose 2\u201d)"),  # the row's note
    "matching": ("Matching", "one bubble per numbered row, the letter of its response"),
    "ordering": ("Ordering", "one bubble per row, the step that comes 1st, 2nd, and so on"),
    "short": ("Short answer", "print your answer clearly inside its box"),
    # The number row has no space to write in: each column is one character, marked as a bubble.
    "numeric": ("Number", "one column per character, from the left: in each, fill the bubble of its digit "
                          "or of the point"),
}


def instructions(types: Collection[str]) -> tuple[str, ...]:
    """How to mark the sheet, one line each, for the item types on the form: the one wording both
    the HTML sheet (templates/sheet.html.j2) and the drawn PDF sheet (sheetpdf.py) print, so they
    cannot drift apart."""
    return ("Use a dark pen or a soft pencil. Fill the bubble completely, not a tick, cross or dot.",
            "Write your student ID in the boxes, one digit per box, then fill the matching bubble below each digit.",
            *(f"{name}: {how}." for kind, (name, how) in HOW_TO_MARK.items() if kind in types),
            "Erase changes cleanly. Do not write on the black squares or the code.")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------- identity


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


# --------------------------------------------------------------------------- layout


def id_boxes_top() -> float:
    return MARGIN + QR_SIZE + 50.0


def id_bubbles_top() -> float:
    return id_boxes_top() + ID_BOX_HEIGHT + 4.0 + ID_RADIUS + 2.0


def first_page_items_top() -> float:
    """Below the header, name fields and the student ID grid of page 1."""
    return id_bubbles_top() + 9 * ID_PITCH_Y + ID_RADIUS + 16.0


def later_page_items_top() -> float:
    return MARGIN + QR_SIZE + 14.0


def block_height(item: FormItem) -> float:
    if item.type not in GRID_KINDS:
        return SHORT_BOX_HEIGHT + 2 * BLOCK_PAD
    return len(GRID_KINDS[item.type](item).rows) * ROW_PITCH + 2 * BLOCK_PAD


def layout_sheet(examset: ExamSet, form: Form, paper: str = "a4", fingerprint: str | None = None) -> SheetLayout:
    """Place every item of `form` in two columns over as many pages as it needs.

    Full pages fill the left column, then the right; the last page balances its items over
    both columns. `fingerprint` is `examset_fingerprint(examset)` when the caller has it
    already: it hashes the whole set, so a batch computes it once rather than once per form.
    """
    width, height = PAPER_SIZES[paper]
    left, right = MARGIN, width - MARGIN
    column_width = (right - left - COLUMN_GAP) / 2
    bottom = height - MARGIN - FOOTER_ROOM
    if fingerprint is None:
        fingerprint = examset_fingerprint(examset)

    chunks = _paginate([block_height(item) for item in form.items], bottom)
    pages: list[Page] = []
    items = iter(form.items)
    for index, (top, columns) in enumerate(chunks, start=1):
        blocks = []
        for column, heights in enumerate(columns):
            x, y = left + column * (column_width + COLUMN_GAP), top
            for h in heights:
                blocks.append(_block(next(items), x, y, column_width, h))
                y += h + BLOCK_GAP
        page = Page(
            number=index,
            qr_payload=qr_payload(examset.exam, form.letter, index, len(chunks), fingerprint),
            qr=Box("qr", _r(right - QR_SIZE), MARGIN, QR_SIZE, QR_SIZE),
            marks=_marks(width, height),
            blocks=blocks,
            items_top=top,
        )
        if index == 1:
            page.id_boxes, page.id_bubbles = _student_id(left)
        pages.append(page)
    return SheetLayout(examset.exam, examset.title, form.letter, paper, width, height, fingerprint, pages,
                       header_boxes(width, height))


def _stack(heights: list[float]) -> float:
    return sum(heights) + BLOCK_GAP * max(0, len(heights) - 1)


def _paginate(heights: list[float], bottom: float) -> list[tuple[float, list[list[float]]]]:
    """Block heights split into pages of two columns: (top of the items, [left, right])."""
    chunks: list[tuple[float, list[list[float]]]] = []
    pending = list(heights)
    while pending or not chunks:
        top = first_page_items_top() if not chunks else later_page_items_top()
        room = bottom - top
        split = _balanced_split(pending, room)
        if split is not None:
            chunks.append((top, [pending[:split], pending[split:]]))
            break
        columns: list[list[float]] = [[], []]
        for column in columns:
            # A block taller than a whole column still goes alone at the top of one.
            while pending and (not column or _stack(column + [pending[0]]) <= room):
                column.append(pending.pop(0))
        chunks.append((top, columns))
    return chunks


def _balanced_split(heights: list[float], room: float) -> int | None:
    """The split of `heights` into two columns of at most `room` with the lower taller column."""
    best, best_height = None, None
    for split in range(len(heights) + 1):
        tallest = max(_stack(heights[:split]), _stack(heights[split:]))
        if tallest <= room and (best_height is None or tallest < best_height - 1e-9):
            best, best_height = split, tallest
    return best


def header_boxes(width: float, height: float) -> dict[str, Box]:
    """Boxes for the printed text: titles, form letter, name line, instructions, footer."""
    left, right = MARGIN, width - MARGIN
    form_left = right - QR_SIZE - 14.0 - 56.0
    fields_top = MARGIN + QR_SIZE + 10.0
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
        boxes.append(Box(str(digit + 1), _r(cx - 6.5), _r(id_boxes_top()), 13.0, ID_BOX_HEIGHT))
        columns.append([Bubble(str(n), str(n), _r(cx), _r(id_bubbles_top() + n * ID_PITCH_Y), ID_RADIUS)
                        for n in range(10)])
    return boxes, columns


def _block(item: FormItem, x: float, y: float, width: float, height: float) -> Block:
    block = Block(item.position, item.item_id, item.type, _r(x), _r(y), _r(width), _r(height))
    make_grid = GRID_KINDS.get(item.type)
    if make_grid is None:  # short: a write-in box across the column, two lines high
        start = x + NUMBER_WIDTH
        block.box = Box("answer", _r(start), _r(y + BLOCK_PAD), _r(x + width - start - 2.0), SHORT_BOX_HEIGHT)
        return block
    grid = make_grid(item)
    labelled = any(grid.rows)
    start = x + NUMBER_WIDTH + (ROW_LABEL_WIDTH if labelled else 0.0)
    room = x + width - start - 2.0
    note_room = 40.0 if grid.note else 0.0
    pitch = min(BUBBLE_PITCH, (room - note_room) / max(1, len(grid.columns)))
    radius = max(MIN_RADIUS, min(BUBBLE_RADIUS, pitch / 2 - 1.5))
    for row, row_label in enumerate(grid.rows):
        cy = y + BLOCK_PAD + row * ROW_PITCH + ROW_PITCH / 2
        if labelled:
            block.row_labels.append(Label(row_label, _r(start - 5.0), _r(cy)))
        block.bubbles.extend(Bubble(grid.value(row, letter), grid.label_of(row, letter), _r(start + radius + 1.0 + i * pitch),
                                    _r(cy), _r(radius)) for i, letter in enumerate(grid.columns))
    if grid.note:
        block.note, block.note_x = grid.note, _r(start + len(grid.columns) * pitch + 4.0)
        block.note_y = _r(y + BLOCK_PAD + ROW_PITCH / 2)
    return block


# --------------------------------------------------------------------------- the layout file


def layout_data(layout: SheetLayout) -> dict:
    """The layout file's content: what a scanner needs to find every mark on every page."""
    pages = []
    for page in layout.pages:
        items = []
        for block in page.blocks:
            entry: dict = {"position": block.position, "item_id": block.item_id, "type": block.type,
                           "area": {"x": block.x, "y": block.y, "w": block.w, "h": block.h}}
            if block.bubbles:
                entry["radius"] = block.radius
                entry["bubbles"] = [{"value": b.value, "x": b.x, "y": b.y} for b in block.bubbles]
            if block.box is not None:
                entry["box"] = _box(block.box)
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
                "columns": [[{"digit": int(b.value), "x": b.x, "y": b.y} for b in column] for column in page.id_bubbles],
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
