"""Files at the edges: atomic writes, paths that stay inside an output folder, reading exam sets."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from pydantic import ValidationError

from .errors import ExamkitError, Problem, display_path
from .models import ExamSet
from .models.examset import FORMAT_V1, upgrade_v1

EXAMSET_FILE = "examset.json"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def write_atomic(path: Path, data: str | bytes) -> Path:
    """Write to a temporary file beside `path`, then rename it into place: never a half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        # mkstemp makes the file private (0600); give it the mode an ordinary write would.
        os.chmod(tmp, ordinary_file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def ordinary_file_mode() -> int:
    """The mode an ordinary write would give a new file under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


# What a spreadsheet may read as the start of a formula: the four signs and their full-width
# forms (which some spreadsheets fold to ASCII), after any blanks some of them skip first.
_FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_RISKY_FIRST = frozenset(_FORMULA_START)


def spreadsheet_text(text: str) -> str:
    """A CSV cell that spreadsheets show as text: typed text that starts like a formula
    (`=HYPERLINK(...)`, `+1`, `@SUM`, ` =1+1`, `＝1+1`) or with a tab or carriage return gets a
    leading apostrophe, which Excel and LibreOffice hide, so a student's answer can never run
    as a formula on the teacher's machine. A lone `-` (a blank answer) stays as it is."""
    first = text[:1]
    if first not in _RISKY_FIRST and not first.isspace():  # most cells: one look at one character
        return text
    if text.startswith(("\t", "\r")):
        return "'" + text
    bare = text.lstrip()
    return "'" + text if bare.startswith(_FORMULA_START) and text.strip() != "-" else text


def safe_name(text: str) -> str:
    """A file-name component made from an id or title: no separators, no '..', never empty."""
    name = _UNSAFE.sub("-", text).strip(".-") or "unnamed"
    return name[:100]


def inside(folder: Path, *parts: str) -> Path:
    """`folder/parts...`, refusing any result that would land outside `folder`."""
    root = folder.resolve()
    target = root.joinpath(*(safe_name(p) for p in parts)).resolve()
    if root != target and root not in target.parents:
        raise ExamkitError(Problem(display_path(folder), None, f"refusing to write outside the folder: {parts}"))
    return target


def read_examset(path: Path) -> ExamSet:
    """Read `examset.json` (or the folder holding it) with a one-line error when it is not valid."""
    file = path / EXAMSET_FILE if path.is_dir() else path
    shown = display_path(file)
    if not file.is_file():
        raise ExamkitError(Problem(shown, None, "no exam set here; run 'examkit generate' first or point at its folder"))
    raw = file.read_bytes()
    try:
        try:
            return ExamSet.model_validate_json(raw)
        except ValidationError:
            data = _json_object(raw)
            if data.get("format") != FORMAT_V1:
                raise
            # Written by examkit 0.1: every form with its items in full. Still graded as printed.
            return ExamSet.model_validate(upgrade_v1(data))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise ExamkitError(Problem(shown, None, f"not a valid exam set ({where}: {first['msg']}); regenerate it")) from None
    except ValueError as exc:  # a version-1 set whose forms print one item in two ways
        raise ExamkitError(Problem(shown, None, f"not a valid exam set ({exc})")) from None


def _json_object(raw: bytes) -> dict:
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def remove_stale(folder: Path, owned, keep: set[str]) -> list[str]:
    """Delete the files in `folder` that a command writes (`owned(name)` says so, by the file names
    it documents) but did not write this time (not in `keep`); their names. Nothing else is touched:
    not other files, not folders, not symbolic links."""
    removed = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.iterdir()):
        if owned(path.name) and path.name not in keep and path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path.name)
    return removed


def leftover_temporaries(folder: Path) -> list[Path]:
    """Temporary files that a killed run of examkit left in `folder` (`.NAME.XXXX.tmp`)."""
    return sorted(p for p in folder.glob(".*.tmp") if p.is_file())
