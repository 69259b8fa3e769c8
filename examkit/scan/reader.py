"""One scanned page, read: which sheet it is, each item's answer or why a person must look.

QR code -> form and page -> corner marks -> the page warped upright onto its layout ->
every bubble measured -> states -> each item's reading. Nothing here guesses: a page that
cannot be tied to its layout, or a cell that is not clear, comes back with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..render.sheet import parse_qr_payload
from .bubbles import (
    EMPTY,
    FILLED,
    READERS,
    UNCERTAIN,
    Bands,
    adapt_bands,
    classify,
    darkness,
    disc_means,
    flatten,
    read_student_id,
)
from .marks import RegistrationError, register
from .qr import read_qr

SCALE = 2.0  # px per pt of the upright page the bubbles are read on (144 dpi)
PICTURE_SCALE = 1.0  # px per pt of the annotated page in review.html
CROP_MARGIN = 4.0  # pt around an item's area in its crop
_COLOURS = {FILLED: (40, 150, 40), UNCERTAIN: (0, 140, 255), EMPTY: (200, 170, 120)}  # BGR


@dataclass
class Cell:
    position: int
    value: str | None  # the grader's notation; None when a person must look
    reason: str = ""
    crop: bytes | None = None  # PNG of the item as scanned, for review and for short answers
    short: bool = False
    crop_file: str = ""  # where the crop was written, relative to the output folder
    read: str = ""  # what the bubbles were read as, shown beside the crop of a flagged cell


@dataclass
class PageResult:
    source: str
    number: int  # page of the scanned file, from 1
    problem: str = ""  # why the whole page could not be read
    form: str = ""
    page: int = 0  # page of the answer sheet, from 1
    pages: int = 0
    student: str | None = None
    student_reason: str = ""
    student_crop: bytes | None = None
    cells: list[Cell] = field(default_factory=list)
    picture: bytes | None = None  # JPEG of the page with every bubble's reading drawn on it
    residual: float = 0.0
    upside_down: bool = False
    picture_file: str = ""
    student_crop_file: str = ""


@dataclass
class ReadContext:
    exam: str
    fingerprint: str
    layouts: dict[str, dict]
    bands: Bands


def is_blank(gray: np.ndarray) -> bool:
    """No ink at all: a blank page (the back of a sheet, a separator)."""
    sample = gray[::4, ::4]
    paper = float(np.percentile(sample, 90))
    return float(np.mean(sample < paper - 80)) < 0.0005


def read_page(gray: np.ndarray, source: str, number: int, context: ReadContext) -> PageResult:
    result = _read(gray, PageResult(source, number), context)
    if result.picture is None and not result.problem.startswith("blank page"):
        result.picture = _thumbnail(gray)  # a page that could not be read is still shown as it is
    return result


def _thumbnail(gray: np.ndarray) -> bytes:
    import cv2

    factor = min(1.0, 842 * PICTURE_SCALE / max(gray.shape))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    return cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes()


def _read(gray: np.ndarray, result: PageResult, context: ReadContext) -> PageResult:
    if is_blank(gray):
        result.problem = "blank page; nothing to read (if it is an answer sheet, rescan it darker)"
        return result
    qr = read_qr(gray)
    if qr is None:
        result.problem = ("no examkit QR code could be read; rescan the page, or type its answers into responses.csv "
                          "if it is a damaged answer sheet")
        return result
    fields = parse_qr_payload(qr.text)
    if fields is None:
        result.problem = "the QR code is not an examkit answer sheet's; not graded"
        return result
    if fields["exam"] != context.exam or fields["set"] != context.fingerprint:
        result.problem = (f"a sheet of another exam set (exam {fields['exam']}, set {fields['set']}; this folder is "
                          f"{context.exam}, set {context.fingerprint}); not graded, scan it with its own exam folder")
        return result
    result.form, result.page, result.pages = str(fields["form"]), int(fields["page"]), int(fields["pages"])
    layout = context.layouts.get(result.form)
    if layout is None or not 1 <= result.page <= len(layout["pages"]) or result.pages != len(layout["pages"]):
        result.problem = f"form {result.form} page {result.page} is not in this exam folder's sheet layouts; not graded"
        return result
    page = layout["pages"][result.page - 1]
    try:
        registration = register(gray, page, qr.corners)
    except RegistrationError as exc:
        result.problem = str(exc)
        return result
    result.residual = registration.residual
    # The QR code's first corner is its printed top-left: near the bottom of the picture, the page is upside down.
    result.upside_down = bool(qr.corners[0, 1] > gray.shape[0] / 2)
    upright = _warp(gray, registration.homography, layout["page_size"])
    _read_bubbles(upright, page, context.bands, result)
    return result


def _warp(gray: np.ndarray, homography: np.ndarray, size: dict) -> np.ndarray:
    import cv2

    to_picture = homography @ np.diag([1 / SCALE, 1 / SCALE, 1.0])
    shape = (int(round(size["width"] * SCALE)), int(round(size["height"] * SCALE)))
    return cv2.warpPerspective(gray, to_picture, shape, flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_CONSTANT, borderValue=255)


def _read_bubbles(upright: np.ndarray, page: dict, bands: Bands, result: PageResult) -> None:
    flat = flatten(upright)
    marks = np.array([[m["x"], m["y"]] for m in page["marks"]], float) * SCALE
    ink = float(np.median(disc_means(flat, marks, page["marks"][0]["size"] * SCALE * 0.3)))

    groups = _bubble_groups(page)
    values = [darkness(flat, centres * SCALE, radius * SCALE, ink) for _, _, centres, radius in groups]
    every = np.concatenate(values) if values else np.zeros(0)
    empty_level = float(np.median(every)) if every.size else 0.0
    dark_page = empty_level > bands.dark_page
    bands = adapt_bands(every, empty_level, bands)
    states = [classify(v, empty_level, bands) for v in values]

    id_states: list[list[str]] = []
    for (kind, what, _, _), group_states in zip(groups, states):
        if kind == "id":
            id_states.append(group_states)
        else:
            result.cells.append(_item_cell(upright, what, group_states, dark_page))
    for item in page["items"]:
        if "box" in item:  # a short answer: handwriting, read by a person from its crop
            result.cells.append(Cell(item["position"], None, "short answer: read the handwriting and type it",
                                     _crop(upright, item["box"]), short=True))
    result.cells.sort(key=lambda c: c.position)
    if page.get("student_id"):
        _read_student(upright, page["student_id"], id_states, dark_page, result)
    result.picture = _picture(upright, groups, states, result)


def _bubble_groups(page: dict) -> list[tuple[str, object, np.ndarray, float]]:
    """The page's bubbles in groups read together: (kind, what, centres in pt, radius), the
    student-ID columns first, then each item with bubbles."""
    groups: list[tuple[str, object, np.ndarray, float]] = []
    student = page.get("student_id")
    if student:
        for column in student["columns"]:
            groups.append(("id", column, np.array([[b["x"], b["y"]] for b in column], float), student["radius"]))
    for item in page["items"]:
        if item.get("bubbles"):
            groups.append(("item", item, np.array([[b["x"], b["y"]] for b in item["bubbles"]], float), item["radius"]))
    return groups


def _item_cell(upright: np.ndarray, item: dict, group_states: list[str], dark_page: bool) -> Cell:
    """The item's reading from its bubbles' states; a cell it cannot read carries its crop."""
    reader = READERS.get(item["type"])
    bubble_states = {b["value"]: s for b, s in zip(item["bubbles"], group_states)}
    reading = reader(bubble_states) if reader else None
    if dark_page:
        cell = Cell(item["position"], None, "the page reads as almost all marked (a dark copy?); check it by eye")
    elif reading is None:
        cell = Cell(item["position"], None, f"no reading rule for {item['type']} items; type the answer")
    else:
        cell = Cell(item["position"], reading.cell, reading.reason)
    if cell.value is None:
        cell.crop = _crop(upright, item["area"])
        cell.read = describe_states(bubble_states)
    return cell


def _read_student(upright: np.ndarray, student: dict, id_states: list[list[str]], dark_page: bool,
                  result: PageResult) -> None:
    """The student ID from its columns; when it cannot be read, the crop of the ID block."""
    if dark_page:
        result.student, result.student_reason = None, "the page reads as almost all marked; type the student's ID"
    else:
        result.student, result.student_reason = read_student_id(id_states)
    if result.student is None:
        xs = [b["x"] for column in student["columns"] for b in column]
        ys = [b["y"] for column in student["columns"] for b in column]
        top = min(w["y"] for w in student["write_in"])
        result.student_crop = _crop(upright, {"x": min(xs) - 8, "y": top, "w": max(xs) - min(xs) + 16,
                                              "h": max(ys) - top + 8})


def describe_states(states: dict[str, str]) -> str:
    """'marked A, C; unclear B' for a person checking the machine's reading."""
    parts = [f"{label} {', '.join(v for v, s in states.items() if s == state)}"
             for state, label in ((FILLED, "marked"), (UNCERTAIN, "unclear"))
             if any(s == state for s in states.values())]
    return "; ".join(parts) or "nothing marked"


def _crop(upright: np.ndarray, area: dict) -> bytes:
    import cv2

    x0 = max(0, int((area["x"] - CROP_MARGIN) * SCALE))
    y0 = max(0, int((area["y"] - CROP_MARGIN) * SCALE))
    x1 = int((area["x"] + area["w"] + CROP_MARGIN) * SCALE)
    y1 = int((area["y"] + area["h"] + CROP_MARGIN) * SCALE)
    return cv2.imencode(".png", upright[y0:y1, x0:x1])[1].tobytes()


def _picture(upright: np.ndarray, groups, states, result: PageResult) -> bytes:
    """The page small, each bubble ringed by how it was read, flagged items boxed in red."""
    import cv2

    factor = PICTURE_SCALE / SCALE
    small = cv2.cvtColor(cv2.resize(upright, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA), cv2.COLOR_GRAY2BGR)
    for (_, _, centres, radius), group_states in zip(groups, states):
        for (x, y), state in zip(centres * PICTURE_SCALE, group_states):
            cv2.circle(small, (int(round(x)), int(round(y))), int(round(radius * PICTURE_SCALE + 2)),
                       _COLOURS[state], 2 if state != EMPTY else 1, cv2.LINE_AA)
    flagged = {c.position for c in result.cells if c.value is None and not c.short}
    for kind, what, _, _ in groups:
        if kind == "item" and what["position"] in flagged:
            a = what["area"]
            cv2.rectangle(small, (int(a["x"] * PICTURE_SCALE), int(a["y"] * PICTURE_SCALE)),
                          (int((a["x"] + a["w"]) * PICTURE_SCALE), int((a["y"] + a["h"]) * PICTURE_SCALE)), (30, 30, 220), 2)
    return cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 70])[1].tobytes()
