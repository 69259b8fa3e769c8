"""Writing an exam set to its folder: `examset.json` (the whole contract) and `key.csv` beside it."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import TypeAdapter

from ..bulk import collector_paused
from ..errors import ExamkitError, Problem, display_path
from ..fileio import EXAMSET_FILE, inside, write_atomic
from ..models import ExamSet

KEY_FILE = "key.csv"
KEY_COLUMNS = ("form", "position", "item_id", "objective", "type", "answer", "points")


_EXAMSET = TypeAdapter(ExamSet)


def examset_json(examset: ExamSet) -> bytes:
    """The JSON of an exam set as UTF-8 bytes: fields in model order, no timestamps or paths.

    Same text as `model_dump_json(indent=2)`, without decoding 80 MB to str and encoding it back.
    """
    return _EXAMSET.dump_json(examset, indent=2) + b"\n"


def key_rows(examset: ExamSet) -> list[tuple[str, ...]]:
    """One row per printed item: where it is, what it is, and its answer in canonical notation."""
    return [
        (form.letter, str(item.position), item.item_id, item.objective, item.type, item.key, f"{item.points:g}")
        for form in examset.forms
        for item in form.items
    ]


def key_csv(examset: ExamSet) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(KEY_COLUMNS)
    with collector_paused():
        writer.writerows(key_rows(examset))
    return buffer.getvalue()


def write_examset(examset: ExamSet, out_dir: Path, *, force: bool = False) -> list[Path]:
    """Write `examset.json` and `key.csv` into `out_dir`; refuse a non-empty folder unless `force`.

    With `force` only these two files are replaced; other files in the folder are left alone.
    """
    out_dir = Path(out_dir)
    shown = display_path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExamkitError(Problem(shown, None, "is a file, not a folder; choose another output folder with -o"))
    if out_dir.is_dir() and not force and any(out_dir.iterdir()):
        raise ExamkitError(Problem(shown, None, "the output folder is not empty; pass --force to overwrite "
                                                "its exam set, or choose another folder with -o"))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [
        write_atomic(inside(out_dir, EXAMSET_FILE), examset_json(examset)),
        write_atomic(inside(out_dir, KEY_FILE), key_csv(examset)),
    ]
    return written
