"""Bubbles: how dark each one is, whether it is filled, and what an item's bubbles say.

Measure first, decide later. A bubble's darkness is the mean of the inner 75% of its circle
(the printed ring excluded) on a page whose uneven light has been flattened, scaled so that
0 is this page's paper and 1 is this page's printed ink (the corner marks). The page's empty
level is the median darkness of all its bubbles (most bubbles on a sheet are empty, and the
letters printed in them are the same on every page); a bubble clearly above it is filled,
clearly near it empty, and anything between is uncertain and goes to a person. So pencil,
pale copies and grey photos are judged against themselves, never against a fixed number.

An item's reading rule (`READERS`) turns the states of its bubbles into the grader's notation
(`B`, `A,C`, `1-B;2-A`, `C,A,B,D`) or a reason for review; it is never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

FILLED, EMPTY, UNCERTAIN = "filled", "empty", "uncertain"
INNER = 0.75  # of the radius: the ring and a little misregistration stay outside
MARK_SHARE = 0.5  # of the page's typical clear mark, above the empty level, to count as filled


@dataclass(frozen=True)
class Bands:
    """Darkness above the page's empty level: at most `empty` is empty, at least `filled` filled."""

    empty: float
    filled: float
    dark_page: float = 0.30  # an empty level above this: a dark copy, or a page read as all marked


NORMAL = Bands(empty=0.16, filled=0.27)


def flatten(gray: np.ndarray) -> np.ndarray:
    """The page as float32 with its paper at about 1.0 everywhere, whatever the lighting."""
    import cv2

    small = cv2.resize(gray, None, fx=1 / 8, fy=1 / 8, interpolation=cv2.INTER_AREA)
    # The brightest pixel in each neighbourhood is paper: ink marks are smaller than the kernel.
    paper = cv2.dilate(small, cv2.getStructuringElement(cv2.MORPH_RECT, (7, 7)))
    paper = cv2.GaussianBlur(paper, (0, 0), 3)
    paper = cv2.resize(paper, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return gray.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)


def disc_means(image: np.ndarray, centres: np.ndarray, radius: float) -> np.ndarray:
    """Mean of `image` over a disc of `radius` px around each (x, y) centre."""
    reach = int(np.ceil(radius))
    dy, dx = np.mgrid[-reach:reach + 1, -reach:reach + 1]
    inside = dx ** 2 + dy ** 2 <= radius ** 2
    dx, dy = dx[inside], dy[inside]
    xs = np.clip(np.rint(centres[:, 0]).astype(int)[:, None] + dx, 0, image.shape[1] - 1)
    ys = np.clip(np.rint(centres[:, 1]).astype(int)[:, None] + dy, 0, image.shape[0] - 1)
    return image[ys, xs].mean(axis=1)


def darkness(flat: np.ndarray, centres: np.ndarray, radius: float, ink: float) -> np.ndarray:
    """0 for this page's paper, 1 for its printed ink, for the inner disc of each bubble."""
    return (1.0 - disc_means(flat, centres, radius * INNER)) / max(1.0 - ink, 0.2)


def adapt_bands(values: np.ndarray, empty_level: float, bands: Bands) -> Bands:
    """The bands for this page: a mark must reach over half as far as the page's own clear marks.

    A grey smudge among pen marks is then uncertain, while a page all in light pencil still
    reads (its clear marks are light too); the fixed band stays the floor.
    """
    above = values - empty_level
    strong = above[above >= bands.filled]
    if strong.size < 3:
        return bands
    return replace(bands, filled=max(bands.filled, MARK_SHARE * float(np.median(strong))))


def classify(values: np.ndarray, empty_level: float, bands: Bands) -> list[str]:
    above = values - empty_level
    return [FILLED if a >= bands.filled else EMPTY if a <= bands.empty else UNCERTAIN for a in above]


# --------------------------------------------------------------------------- reading rules


@dataclass
class ItemReading:
    cell: str | None  # the grader's notation ("" for blank); None when a person must look
    reason: str = ""


def _unclear(states: dict[str, str]) -> ItemReading | None:
    unclear = [v for v, s in states.items() if s == UNCERTAIN]
    if unclear:
        return ItemReading(None, f"unclear mark at {', '.join(unclear)} (light, ticked, small or erased); "
                                 "look at the sheet and type the answer")
    return None


def read_one(states: dict[str, str]) -> ItemReading:
    marked = [v for v, s in states.items() if s == FILLED]
    if len(marked) > 1:
        return ItemReading(None, f"{len(marked)} marks on a one-answer item ({', '.join(marked)}); "
                                 "type the intended letter, or leave it if both were meant")
    return _unclear(states) or ItemReading(marked[0] if marked else "")


def read_any(states: dict[str, str]) -> ItemReading:
    return _unclear(states) or ItemReading(",".join(v for v, s in states.items() if s == FILLED))


def _rows(states: dict[str, str]) -> dict[str, list[str]]:
    """'N-L' bubbles grouped by row N: the letters filled in each row, in printed order."""
    rows: dict[str, list[str]] = {}
    for value, state in states.items():
        row, letter = value.split("-", 1)
        rows.setdefault(row, [])
        if state == FILLED:
            rows[row].append(letter)
    return rows


def _one_per_row(states: dict[str, str], what: str) -> ItemReading | dict[str, str]:
    unclear = _unclear(states)
    if unclear:
        return unclear
    picked = {}
    for row, letters in _rows(states).items():
        if len(letters) > 1:
            return ItemReading(None, f"{what} {row} has {len(letters)} marks ({', '.join(letters)}); type the intended answer")
        if letters:
            picked[row] = letters[0]
    return picked


def read_matching(states: dict[str, str]) -> ItemReading:
    picked = _one_per_row(states, "premise")
    if isinstance(picked, ItemReading):
        return picked
    return ItemReading(";".join(f"{row}-{letter}" for row, letter in picked.items()))


def read_ordering(states: dict[str, str]) -> ItemReading:
    picked = _one_per_row(states, "rank")
    if isinstance(picked, ItemReading):
        return picked
    ranks = list(_rows(states))
    if picked and len(picked) < len(ranks):
        empty = [r for r in ranks if r not in picked]
        return ItemReading(None, f"rank {', '.join(empty)} has no step marked; type the order the student meant")
    return ItemReading(",".join(picked[r] for r in ranks) if picked else "")


def read_number(states: dict[str, str]) -> ItemReading:
    """A number written one character per column: marked columns must follow each other."""
    picked = _one_per_row(states, "digit place")
    if isinstance(picked, ItemReading):
        return picked
    places = list(_rows(states))
    used = [i for i, place in enumerate(places) if place in picked]
    if not used:
        return ItemReading("")
    gap = [places[i] for i in range(used[0], used[-1]) if places[i] not in picked]
    if gap:
        return ItemReading(None, f"digit place {gap[0]} is empty between marked places; type the number")
    text = "".join(picked[places[i]] for i in used)
    if text.count(".") > 1 or text == ".":
        return ItemReading(None, f"'{text}' is not a number; type the number the student meant")
    return ItemReading(text)


# item type -> how its bubbles read; a new bubble-grid kind adds its rule here
READERS: dict[str, Callable[[dict[str, str]], ItemReading]] = {
    "single": read_one,
    "multiple": read_any,
    "matching": read_matching,
    "ordering": read_ordering,
    "numeric": read_number,
}


def read_student_id(columns: list[list[str]]) -> tuple[str | None, str]:
    """The ID from its digit columns (states of 0-9 each): the digits, or None and why."""
    digits: list[str | None] = []
    for number, states in enumerate(columns, start=1):
        marked = [str(d) for d, s in enumerate(states) if s == FILLED]
        if any(s == UNCERTAIN for s in states):
            return None, f"student ID digit {number} has an unclear mark; type the ID from the boxes"
        if len(marked) > 1:
            return None, f"student ID digit {number} has {len(marked)} marks; type the ID from the boxes"
        digits.append(marked[0] if marked else None)
    filled = [i for i, d in enumerate(digits) if d is not None]
    if not filled:
        return None, "no student ID marked; type the student's ID"
    gap = [i + 1 for i in range(filled[0], filled[-1]) if digits[i] is None]
    if gap:
        return None, f"student ID digit {gap[0]} is empty between marked digits; type the ID from the boxes"
    return "".join(d for d in digits if d is not None), ""
