"""Writing an exam set to its folder: `examset.json` (the whole contract) and `key.csv` beside it."""

from __future__ import annotations

import csv
import io
import os
import signal
import tempfile
from pathlib import Path

from pydantic import TypeAdapter

from ..bulk import collector_paused
from ..errors import ExamkitError, Problem, display_path
from ..fileio import EXAMSET_FILE, inside, leftover_temporaries, ordinary_file_mode, remove_stale
from ..models import ExamSet, Form, placement_key
from ..numbers import format_number

KEY_FILE = "key.csv"
KEY_COLUMNS = ("form", "position", "item_id", "objective", "type", "answer", "points")


_EXAMSET = TypeAdapter(ExamSet)
_FORM = TypeAdapter(Form)


def examset_json(examset: ExamSet) -> bytes:
    """The JSON of an exam set as UTF-8 bytes: fields in model order, no timestamps or paths.

    Everything but the forms is indented for people to read; each form is one line (its letter
    and placements), so 10,000 forms are 10,000 lines rather than millions. Defaults are left
    out (an option with no `why`, an item with no tags); reading fills them in again.
    """
    head = _EXAMSET.dump_json(examset, indent=1, exclude_defaults=True, exclude={"forms"})
    forms = b",\n  ".join(_FORM.dump_json(form) for form in examset.forms)
    # `head` ends with "\n}": the forms go in before the closing brace.
    return head[:-2] + b',\n "forms": [\n  ' + forms + b"\n ]\n}\n"


def key_rows(examset: ExamSet) -> list[tuple[str, ...]]:
    """One row per printed item: where it is, what it is, and its answer in canonical notation.

    Computed from the placements, so no form's items are printed just to write their key.
    """
    items = examset.items
    points = {item_id: format_number(item.points) for item_id, item in items.items()}
    keys: dict = {}  # most placements recur on other forms: work each key out once
    rows = []
    for form in examset.forms:
        for position, p in enumerate(form.placements, start=1):
            item = items[p.item]
            key = keys.get(p)
            if key is None:
                key = keys[p] = placement_key(item, p)
            rows.append((form.letter, str(position), p.item, item.objective, item.type, key, points[p.item]))
    return rows


def key_csv(examset: ExamSet) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(KEY_COLUMNS)
    with collector_paused():
        writer.writerows(key_rows(examset))
    return buffer.getvalue()


class WrittenFiles(list):
    """The paths written, and the names of stale files removed on the way (`removed`)."""

    removed: list[str]


def write_examset(examset: ExamSet, out_dir: Path, *, force: bool = False) -> WrittenFiles:
    """Write `examset.json` and `key.csv` into `out_dir`; refuse a non-empty folder unless `force`.

    Both files are written in full first and then switched in together, so a folder never holds a
    new exam set beside an old key. With `force`, the documents `examkit render` made from the
    previous exam set are removed (they would not match), as are temporary files a killed run
    left; files examkit did not write are left alone.
    """
    out_dir = Path(out_dir)
    shown = display_path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExamkitError(Problem(shown, None, "is a file, not a folder; choose another output folder with -o"))
    if out_dir.is_dir() and not force and any(out_dir.iterdir()):
        raise ExamkitError(Problem(shown, None, "the output folder is not empty; pass --force to overwrite "
                                                "its exam set, or choose another folder with -o"))
    out_dir.mkdir(parents=True, exist_ok=True)
    ours = (f".{EXAMSET_FILE}.", f".{KEY_FILE}.")
    for leftover in leftover_temporaries(out_dir):
        if leftover.name.startswith(ours):
            leftover.unlink()
    targets = [inside(out_dir, EXAMSET_FILE), inside(out_dir, KEY_FILE)]
    _switch_together(out_dir, [(targets[0], examset_json(examset)), (targets[1], key_csv(examset).encode("utf-8"))])
    written = WrittenFiles(targets)
    from ..render.batch import is_rendered_name

    written.removed = remove_stale(out_dir, is_rendered_name, keep=set())
    return written


def _switch_together(folder: Path, files: list[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary name, then rename them all with Ctrl-C and kill held back
    for those few system calls, so the set of files changes all at once or not at all."""
    staged: list[tuple[str, Path]] = []
    try:
        for target, payload in files:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            staged.append((tmp, target))
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.chmod(tmp, ordinary_file_mode())
        held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
        try:
            for tmp, target in staged:
                os.replace(tmp, target)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
