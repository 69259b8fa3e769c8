"""The answer sheet as PDF drawing operations, straight from its computed geometry.

The sheet is squares, circles, short labels and a QR code at positions `sheet.py` already
knows to the point, so laying it out again as HTML boxes (as the exam is) only costs time.
This writes a small PDF by hand: one content stream per page, the PDF core fonts (Helvetica,
no embedding), a QR code as filled squares. Every bubble is its own path object, so a reader
of the PDF finds exactly the circles of `sheet-X.layout.json`.
"""

from __future__ import annotations

import zlib

from ..models import ExamSet, Form
from .sheet import NUMBER_WIDTH, Block, Box, Bubble, Page, SheetLayout, instructions

# Advance widths (1/1000 em) of ASCII 32..126 in Helvetica and Helvetica-Bold, from Adobe's
# core-font AFM files; anything else is measured as an average letter.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584)
_HELVETICA_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584)
FONTS = {"R": ("Helvetica", _HELVETICA), "B": ("Helvetica-Bold", _HELVETICA_BOLD), "I": ("Helvetica-Oblique", _HELVETICA)}
_KAPPA = 0.5523  # Bezier control distance for a quarter circle, as a fraction of the radius
INK, MUTED, LABEL, SHADE, RULE = 0.0, 0.33, 0.5, 0.945, 0.8
# A circle as four Bezier quarters: moveto, then 4 curveto of three points each.
_CIRCLE = "%.2f %.2f m " + " ".join(["%.2f %.2f %.2f %.2f %.2f %.2f c"] * 4) + " h"


def text_width(text: str, size: float, font: str = "R") -> float:
    widths = FONTS[font][1]
    return sum(widths[ord(c) - 32] if 32 <= ord(c) < 127 else 556 for c in text) * size / 1000


def _pdf_string(text: str) -> str:
    raw = text.encode("cp1252", "replace").decode("latin-1")
    return "(" + raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _n(value: float) -> str:
    return "%.2f" % value


class Canvas:
    """PDF content-stream operators for one page, taking top-left, y-down coordinates."""

    def __init__(self, height: float):
        self.height = height
        self.ops: list[str] = []

    def rect(self, x: float, y: float, w: float, h: float, fill: float | None = None,
             stroke: float | None = None, width: float = 0.75) -> None:
        self.ops.append(f"q {self._paint(fill, stroke, width)} {_n(x)} {_n(self.height - y - h)} {_n(w)} {_n(h)} re "
                        f"{self._op(fill, stroke)} Q")

    def circle(self, cx: float, cy: float, r: float, fill: float | None = None, stroke: float | None = None,
               width: float = 0.8) -> None:
        y, k = self.height - cy, r * _KAPPA
        path = _CIRCLE % (cx + r, y, cx + r, y + k, cx + k, y + r, cx, y + r, cx - k, y + r, cx - r, y + k, cx - r, y,
                          cx - r, y - k, cx - k, y - r, cx, y - r, cx + k, y - r, cx + r, y - k, cx + r, y)
        self.ops.append(f"q {self._paint(fill, stroke, width)} {path} {self._op(fill, stroke)} Q")

    def line(self, x1: float, y1: float, x2: float, y2: float, gray: float = INK, width: float = 0.75) -> None:
        self.ops.append(f"q {_n(gray)} G {_n(width)} w {_n(x1)} {_n(self.height - y1)} m "
                        f"{_n(x2)} {_n(self.height - y2)} l S Q")

    def squares(self, cells: list[tuple[float, float, float, float]]) -> None:
        """Many filled black rectangles as one path (the QR code's modules)."""
        body = " ".join(f"{_n(x)} {_n(self.height - y - h)} {_n(w)} {_n(h)} re" for x, y, w, h in cells)
        self.ops.append(f"q 0 g {body} f Q")

    def text(self, x: float, y: float, text: str, size: float, font: str = "R", gray: float = INK,
             align: str = "left") -> None:
        """`text` with its baseline at `y`; `x` is its left edge, centre or right edge by `align`."""
        if align != "left":
            x -= text_width(text, size, font) / (2 if align == "center" else 1)
        self.ops.append(f"BT /{font} {_n(size)} Tf {_n(gray)} g {_n(x)} {_n(self.height - y)} Td "
                        f"{_pdf_string(text)} Tj ET")

    def centred(self, cx: float, cy: float, text: str, size: float, font: str = "R", gray: float = INK) -> None:
        """`text` centred on a point (capital letters' middle at `cy`)."""
        self.text(cx, cy + 0.36 * size, text, size, font, gray, "center")

    @staticmethod
    def _paint(fill: float | None, stroke: float | None, width: float) -> str:
        parts = []
        if fill is not None:
            parts.append(f"{_n(fill)} g")
        if stroke is not None:
            parts.append(f"{_n(stroke)} G {_n(width)} w")
        return " ".join(parts)

    @staticmethod
    def _op(fill: float | None, stroke: float | None) -> str:
        return "B" if fill is not None and stroke is not None else ("f" if fill is not None else "S")


def wrap(text: str, size: float, width: float, font: str = "R") -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and text_width(candidate, size, font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + ([line] if line else [])


def fit(text: str, size: float, width: float, font: str = "R") -> str:
    """`text` cut with an ellipsis where it would run past `width`."""
    if text_width(text, size, font) <= width:
        return text
    while text and text_width(text + "\u2026", size, font) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


# --------------------------------------------------------------------------- the sheet


def _bubble(canvas: Canvas, b: Bubble, size: float, bold: bool = True, width: float = 0.8) -> None:
    canvas.circle(b.x, b.y, b.r, fill=1.0, stroke=0.13, width=width)
    canvas.centred(b.x, b.y, b.label, size, "B" if bold else "R", LABEL)


def _qr(canvas: Canvas, payload: str, box: Box) -> None:
    import segno

    # A fixed mask: choosing the best of eight costs more than drawing the whole sheet, and any
    # mask reads (the scanner tests decode these very codes after blur, noise and JPEG).
    matrix = segno.make(payload, error="m", micro=False, mask=0).matrix
    module = box.w / len(matrix)
    cells = []
    for row, bits in enumerate(matrix):
        start = None
        for col, bit in enumerate([*bits, 0]):
            if bit and start is None:
                start = col
            elif not bit and start is not None:
                cells.append((box.x + start * module, box.y + row * module, (col - start) * module, module))
                start = None
    canvas.squares(cells)


def _header(canvas: Canvas, layout: SheetLayout, examset: ExamSet, page: Page, types: set[str]) -> None:
    head = layout.header
    title_box = head["title"] if page.number == 1 else head["continued"]
    kicker = "Answer sheet" if page.number == 1 else "Answer sheet \u00b7 continued"
    subtitle = examset.title if page.number == 1 else f"Page {page.number} of {len(layout.pages)}"
    canvas.text(title_box.x, title_box.y + 7, kicker.upper(), 7, "B", gray=0.2)
    canvas.text(title_box.x, title_box.y + 22, fit(examset.exam_title or examset.title, 12.5, title_box.w, "B"), 12.5, "B")
    canvas.text(title_box.x, title_box.y + 35, fit(subtitle, 8.5, title_box.w), 8.5, gray=MUTED)
    form = head["form"]
    canvas.rect(form.x, form.y, form.w, form.h, stroke=INK, width=1.25)
    canvas.text(form.x + form.w / 2, form.y + 14, "FORM", 6.5, align="center")
    canvas.text(form.x + form.w / 2, form.y + 46, layout.form, 28, "B", align="center")
    if page.number != 1:
        return
    for key, label in (("name", "Name"), ("date", "Date")):
        box = head[key]
        canvas.text(box.x, box.y + box.h - 2, label, 7.5, gray=MUTED)
        start = box.x + text_width(label, 7.5) + 4
        canvas.line(start, box.y + box.h, box.x + box.w, box.y + box.h)
    label = head["id_label"]
    canvas.text(label.x, label.y + 8, "STUDENT ID", 7, "B")
    for box in page.id_boxes:
        canvas.rect(box.x, box.y, box.w, box.h, stroke=INK)
    for column in page.id_bubbles:
        for b in column:
            _bubble(canvas, b, 6.5, bold=False, width=0.7)
    box = head["instructions"]
    canvas.rect(box.x, box.y, box.w, box.h, stroke=RULE)
    y = box.y + 12
    canvas.text(box.x + 8, y, "HOW TO MARK THIS SHEET", 7, "B", gray=0.2)
    for line in instructions(types):
        for n, part in enumerate(wrap(line, 7.3, box.w - 26)):
            y += 9.9
            if n == 0:
                canvas.text(box.x + 9, y, "\u2022", 7.3)
            canvas.text(box.x + 16, y, part, 7.3)
    y += 16
    canvas.circle(box.x + 20, y - 2.5, 4.5, fill=INK, stroke=INK, width=0.7)
    canvas.text(box.x + 28, y, "right", 7.3)
    for n in range(3):  # a tick, a cross and a dot: the marks a scanner cannot trust
        cx = box.x + 62 + n * 13
        canvas.circle(cx, y - 2.5, 4.5, stroke=INK, width=0.7)
        if n == 0:
            canvas.line(cx - 2.5, y - 2.5, cx - 0.8, y - 0.5)
            canvas.line(cx - 0.8, y - 0.5, cx + 2.8, y - 5.5)
        elif n == 1:
            canvas.line(cx - 2.2, y - 4.7, cx + 2.2, y - 0.3)
            canvas.line(cx - 2.2, y - 0.3, cx + 2.2, y - 4.7)
        else:
            canvas.circle(cx, y - 2.5, 1.0, fill=INK)
    canvas.text(box.x + 62 + 3 * 13 - 2, y, "wrong", 7.3)


def _block(canvas: Canvas, block: Block) -> None:
    if block.position % 2 == 0:
        canvas.rect(block.x, block.y, block.w, block.h, fill=SHADE)
    first_row = block.y + block.h / 2 if block.box is None and not block.row_labels else block.y + 3.5 + 8.5
    canvas.text(block.x + NUMBER_WIDTH - 6, first_row + 3.2, str(block.position), 9, "B", align="right")
    for label in block.row_labels:
        canvas.text(label.x, label.y + 2.4, label.text, 6.8, gray=MUTED, align="right")
    for b in block.bubbles:
        _bubble(canvas, b, round(b.r * 1.12, 2))
    if block.box is not None:
        box = block.box
        canvas.rect(box.x, box.y, box.w, box.h, fill=1.0, stroke=0.13, width=0.8)
        canvas.line(box.x + 4, box.y + box.h / 2, box.x + box.w - 4, box.y + box.h / 2, gray=RULE, width=0.5)
    if block.note:
        canvas.text(block.note_x, block.note_y + 2.3, block.note, 6.5, "I", gray=MUTED)


def page_stream(layout: SheetLayout, examset: ExamSet, page: Page, types: set[str]) -> bytes:
    canvas = Canvas(layout.height)
    for mark in page.marks:
        canvas.rect(mark.x, mark.y, mark.w, mark.h, fill=INK)
    _qr(canvas, page.qr_payload, page.qr)
    _header(canvas, layout, examset, page, types)
    for block in page.blocks:
        _block(canvas, block)
    footer = layout.header["footer"]
    canvas.text(footer.x + footer.w / 2, footer.y + 7,
                f"{layout.exam} \u00b7 Form {layout.form} \u00b7 Page {page.number} of {len(layout.pages)} "
                f"\u00b7 set {layout.fingerprint}", 6.5, gray=MUTED, align="center")
    return "\n".join(canvas.ops).encode("latin-1")


def sheet_pdf(layout: SheetLayout, examset: ExamSet, form: Form) -> bytes:
    """The answer sheet of `form` as PDF bytes; the same input always gives the same bytes."""
    types = {item.type for item in form.items}
    fonts = {key: index for index, key in enumerate(FONTS, start=3)}
    first_page = 3 + len(FONTS)
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        ("<< /Type /Pages /Count %d /Kids [%s] >>" % (
            len(layout.pages), " ".join(f"{first_page + 2 * i} 0 R" for i in range(len(layout.pages))))).encode(),
    ]
    objects += [f"<< /Type /Font /Subtype /Type1 /BaseFont /{name} /Encoding /WinAnsiEncoding >>".encode()
                for name, _ in FONTS.values()]
    font_dict = " ".join(f"/{key} {number} 0 R" for key, number in fonts.items())
    for index, page in enumerate(layout.pages):
        stream = zlib.compress(page_stream(layout, examset, page, types), 6)
        objects.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_n(layout.width)} {_n(layout.height)}] "
                        f"/Resources << /Font << {font_dict} >> >> /Contents {first_page + 2 * index + 1} 0 R >>").encode())
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    title = _pdf_string(f"{examset.title} \u2014 Answer sheet, Form {form.letter}")
    objects.append(f"<< /Title {title} /Producer (examkit) >>".encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, len(objects), xref)
    return bytes(out)

