"""Observed difficulty: the facility each item showed in earlier classes, from the grader's
`item-analysis.csv` files, used to balance forms by their expected mean score.

An item's expected facility (the share of its points a student earns, in percent) is what
earlier classes showed when at least MIN_STUDENTS answered it, pooled over files by the number
of students; otherwise its difficulty label's typical value (LABEL_FACILITY).
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path

MIN_STUDENTS = 20
# Typical facility of items labelled so, where no class has answered them yet.
LABEL_FACILITY = {"easy": 80.0, "medium": 60.0, "hard": 40.0}
# Forms whose expected mean scores differ by no more than this many percentage points are balanced.
MAX_SPREAD = 2.0
NEEDED_COLUMNS = ("item_id", "students", "facility")


def read_facility(paths: list[Path]) -> dict[str, float]:
    """Item id -> observed facility (percent), pooled over the files, for items enough students answered."""
    totals: dict[str, list[float]] = {}
    for path in paths:
        shown = display_path(path)
        try:
            with Path(path).open(encoding="utf-8-sig", newline="") as handle:
                rows = csv.DictReader(handle)
                missing = [c for c in NEEDED_COLUMNS if c not in (rows.fieldnames or [])]
                if missing:
                    raise ExamkitError(Problem(shown, 1, f"no column {', '.join(missing)}; give the item-analysis.csv "
                                                         "that examkit grade writes into results/"))
                for line, row in enumerate(rows, start=2):
                    _add(totals, row, shown, line)
        except OSError as exc:
            raise ExamkitError(Problem(shown, None, f"cannot read: {exc.strerror or exc}")) from None
        except UnicodeDecodeError:
            raise ExamkitError(Problem(shown, None, "not UTF-8 text; give the item-analysis.csv examkit wrote")) from None
    return {item: weighted / n for item, (weighted, n) in sorted(totals.items()) if n >= MIN_STUDENTS}


def _add(totals: dict[str, list[float]], row: dict, shown: str, line: int) -> None:
    if not (row.get("facility") or "").strip():
        return  # nobody answered the item on that form
    try:
        n = int(row["students"])
        facility = float(row["facility"])
    except (TypeError, ValueError):
        raise ExamkitError(Problem(shown, line, f"students '{row.get('students')}' or facility "
                                                f"'{row.get('facility')}' is not a number; fix the row")) from None
    if not 0 <= facility <= 100 or n < 0:
        raise ExamkitError(Problem(shown, line, f"facility {facility:g} is outside 0-100 or students {n} is "
                                                "negative; fix the row"))
    entry = totals.setdefault(row["item_id"], [0.0, 0])
    entry[0] += facility * n
    entry[1] += n


def expected_facility(item_id: str, difficulty: str, observed: dict[str, float]) -> float:
    return observed.get(item_id, LABEL_FACILITY[difficulty])


def expected_mean(items: list[tuple[str, str, float]], observed: dict[str, float]) -> float:
    """The expected mean score (percent) of a form of (item id, difficulty, points) items."""
    points = sum(p for _, _, p in items)
    if not points:
        return 0.0
    return sum(p * expected_facility(i, d, observed) for i, d, p in items) / points
