"""Reading answer-sheet files: CSV as spreadsheets write it, JSON, YAML, and Forms exports.

`read_sheet(path, examset)` returns a `Sheet`: the classified columns and a lazy stream of rows
(CSV is never loaded whole, so a class of 100,000 reads in constant memory). Spreadsheet habits
are handled: a byte-order mark, CRLF, `;` or tab as delimiter, quoted fields, UTF-16 from
Excel's "Unicode text". A file that does not decode is refused with its byte offset and the
`--encoding` to use; rows are never dropped here, only classified later.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..models import ExamSet
from .columns import Column, canonical_columns, identity_role, position_of
from .forms_export import check_unique, detect_export, map_question_columns

FORMATS = ("csv", "json", "yaml", "google", "microsoft")
KIND_NAMES = {
    "csv": "answer-sheet CSV", "json": "JSON answers", "yaml": "YAML answers", "google": "Google Forms export",
    "microsoft": "Microsoft Forms export", "questions": "sheet headed by question texts",
}
_DELIMITERS = (",", ";", "\t", "|")
_SAMPLE = 1 << 16
# The csv module refuses a whole file over one cell longer than 128 KB; such a cell is read
# and its row flagged by the grader instead (see grader.MAX_CELL_CHARS).
csv.field_size_limit(max(csv.field_size_limit(), 1 << 28))


@dataclass
class Sheet:
    """One answer-sheet file: what its columns hold and its rows as (source, cells)."""

    path: Path
    kind: str
    columns: list[Column]
    rows: Iterator[tuple[str, list[str]]]
    encoding: str = "utf-8"
    delimiter: str = ","
    notes: list[str] = field(default_factory=list)
    worksheet: str | None = None  # the worksheet read, for a workbook (.xlsx)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def width(self) -> int:
        return len(self.columns)

    def mapping(self) -> list[str]:
        """How the columns were understood, one line each, for the user to check."""
        lines = [f"{self.name}: {KIND_NAMES.get(self.kind, self.kind)}{self._how_read()}"]
        answers = [c for c in self.columns if c.role in ("answer", "grid")]
        positional = [c for c in answers if c.position]
        if positional and len(positional) == len(answers) and self.kind in ("csv", "json", "yaml"):
            positions = sorted(c.position for c in positional)
            lines.append(f"  answers: positions {_ranges(positions)}")
        else:
            lines.extend(f"  {c.describe()}" for c in answers)
        for role, title in (("student", "student"), ("form", "form"), ("extra", "not graded, kept in responses.csv"),
                            ("meta", "ignored")):
            found = [c for c in self.columns if c.role == role]
            if found:
                lines.append(f"  {title}: " + ", ".join(f'"{c.label}"' for c in found))
        lines.extend(self._set_aside())
        lines.extend(f"  note: {n}" for n in self.notes)
        return lines

    def _how_read(self) -> str:
        if self.worksheet is not None:
            return f" (workbook, sheet '{self.worksheet}')"
        if self.kind in ("json", "yaml"):
            return ""
        return f" ({_show_encoding(self.encoding)}, '{_show_delimiter(self.delimiter)}'-separated)"

    def _set_aside(self) -> list[str]:
        """The Forms quiz's own points and feedback columns, counted: one or two per question,
        their titles would bury the mapping."""
        quiz = sum(1 for c in self.columns if c.role == "quiz")
        if not quiz:
            return []
        shapes = "... [Score], ... [Feedback]" if self.kind == "google" else "Points - ..., Feedback - ..."
        return [f"  set aside: {quiz} column{'s' if quiz > 1 else ''} of the form's own points and feedback, "
                f"ignored ({shapes})"]


def read_sheet(path: Path, examset: ExamSet, *, fmt: str | None = None, encoding: str | None = None) -> Sheet:
    """Open one answer-sheet file (see the module docstring); ExamkitError when it cannot be read."""
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise ExamkitError(Problem(shown, None, "no such answer-sheet file; check the path"))
    if fmt is not None and fmt not in FORMATS:
        raise ExamkitError(Problem(shown, None, f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}"))
    with path.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExamkitError(Problem(shown, None, "this is an old Excel workbook (.xls), which examkit does not read; "
                                                "save it as .xlsx, or as CSV (File > Save As > CSV UTF-8)"))
    if head.startswith(b"PK\x03\x04"):
        return _workbook_sheet(path, examset, fmt)
    what = _not_answers(head)
    if what:
        raise ExamkitError(Problem(shown, None, f"this is {what}, not an answer file; grade the answers as CSV, "
                                                "JSON or YAML (scanned paper sheets are read with 'examkit scan')"))
    suffix = path.suffix.lower()
    if fmt == "json" or (fmt is None and suffix == ".json"):
        return _structured_sheet(path, examset, "json", encoding)
    if fmt == "yaml" or (fmt is None and suffix in (".yaml", ".yml")):
        return _structured_sheet(path, examset, "yaml", encoding)
    return _csv_sheet(path, examset, fmt, encoding)


# The first bytes of files teachers may pick up by mistake: a scan or a photo of the sheets.
_MAGIC = ((b"%PDF", "a PDF"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
          (b"BM", "a BMP image"))


def _not_answers(head: bytes) -> str | None:
    """What the file is when its first bytes say it is a document or an image, else None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head[4:8] == b"ftyp" or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "a photo (HEIC or WebP image)"
    return None


# --------------------------------------------------------------------------- decoding


def choose_encoding(head: bytes, requested: str | None) -> str:
    """The codec to read with: the user's choice, else what a byte-order mark or UTF-16 zeros say, else UTF-8."""
    if requested:
        name = codecs.lookup(requested).name
        return "utf-8-sig" if name == "utf-8" else name
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    if len(head) >= 4 and head[0] and not head[1] and head[2] and not head[3]:
        return "utf-16-le"
    if len(head) >= 4 and not head[0] and head[1] and not head[2] and head[3]:
        return "utf-16-be"
    return "utf-8-sig"


def _check_encoding(shown: str, requested: str | None) -> None:
    if requested:
        try:
            # Encoding text also refuses codecs that are no text encodings (hex, base64, rot13...).
            "".encode(requested)
        except LookupError:
            raise ExamkitError(Problem(shown, None, f"unknown encoding '{requested}'; use for example "
                                                     "utf-8, cp1252, latin-1 or utf-16")) from None


def decode_problem(path: Path, encoding: str, requested: str | None) -> Problem:
    """Where a file stops decoding, and what to do about it."""
    raw = path.read_bytes()
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        offset = exc.start
    else:  # pragma: no cover - only called after a decode failure
        offset = 0
    line = raw.count(b"\n", 0, offset) + 1
    shown_enc = "UTF-8" if encoding == "utf-8-sig" else encoding
    fix = ("pass the --encoding it was saved in" if requested else
           "if Excel or an older Windows program saved it, pass --encoding cp1252 (or the encoding it was saved in)")
    return Problem(display_path(path), line,
                   f"cannot decode the file as {shown_enc} (byte 0x{raw[offset]:02x} at offset {offset}); {fix}")


# --------------------------------------------------------------------------- CSV


def _csv_sheet(path: Path, examset: ExamSet, fmt: str | None, requested: str | None) -> Sheet:
    shown = display_path(path)
    _check_encoding(shown, requested)
    handle = path.open("rb")
    encoding = choose_encoding(handle.read(4), requested)
    handle.seek(0)
    stream = io.TextIOWrapper(handle, encoding=encoding, newline="")
    try:
        sample = stream.read(_SAMPLE)
        stream.seek(0)
    except UnicodeDecodeError:
        stream.close()
        raise ExamkitError(decode_problem(path, encoding, requested)) from None
    delimiter = sniff_delimiter(sample)
    reader = csv.reader(stream, delimiter=delimiter)
    rows = _csv_rows(reader, stream, path, encoding, requested)
    try:
        return _headed_sheet(path, examset, fmt, rows, encoding=encoding, delimiter=delimiter)
    except ExamkitError:
        stream.close()
        raise


def _headed_sheet(path: Path, examset: ExamSet, fmt: str | None, rows: Iterator[tuple[str, list[str]]],
                  **where) -> Sheet:
    """A sheet whose first non-empty row is its header: CSV or a workbook's worksheet."""
    shown = display_path(path)
    header: list[str] | None = None
    for _, cells in rows:
        if any(c.strip() for c in cells):
            header = [c.replace("\ufeff", "").strip() for c in cells]
            break
    if header is None:
        raise ExamkitError(Problem(shown, None, "the file has no header row and no answers; export it again"))
    kind = fmt if fmt in ("google", "microsoft") else None
    if fmt is None:
        kind = detect_export(header)
        if kind is None:
            kind = "csv" if any(position_of(h) for h in header) else "questions"
    elif fmt == "csv":
        kind = "csv"
    if kind == "csv":
        columns = canonical_columns(header)
        check_unique(columns, shown)
    else:
        columns = map_question_columns(header, examset, kind, shown)
    sheet = Sheet(path, kind, columns, rows, **where)
    _require_answers(sheet, shown)
    return sheet


# --------------------------------------------------------------------------- workbooks


def _workbook_sheet(path: Path, examset: ExamSet, fmt: str | None) -> Sheet:
    """The first worksheet of an .xlsx workbook (Microsoft Forms downloads one, and so can Google
    Sheets), its typed cells written as the text a CSV export would hold."""
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    shown = display_path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ExamkitError(Problem(shown, None, f"this is a spreadsheet workbook examkit cannot read ({exc}); "
                                                "save it again as .xlsx, or save it as CSV (File > Save As > CSV "
                                                "UTF-8) and grade that")) from None
    worksheet = workbook.worksheets[0] if workbook.worksheets else None
    if worksheet is None:
        workbook.close()
        raise ExamkitError(Problem(shown, None, "the workbook has no worksheet; export the responses again"))
    name = path.name

    def rows() -> Iterator[tuple[str, list[str]]]:
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield f"{name}:{number}", [cell_text(v) for v in values]
        finally:
            workbook.close()

    stream = rows()
    try:
        return _headed_sheet(path, examset, fmt, stream, worksheet=worksheet.title)
    except ExamkitError:
        stream.close()
        raise


def cell_text(value) -> str:
    """A workbook cell as the text a CSV export holds: dates as ISO dates, 3.0 as 3, empty as ''."""
    import datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sniff_delimiter(sample: str) -> str:
    """The delimiter of the first record: the candidate seen most often outside quotes."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in sample:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch in "\r\n":
                break
            if ch in counts:
                counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _csv_rows(reader, stream, path: Path, encoding: str, requested: str | None) -> Iterator[tuple[str, list[str]]]:
    name = path.name
    try:
        start = 1
        for cells in reader:
            yield f"{name}:{start}", cells
            start = reader.line_num + 1
    except UnicodeDecodeError:
        raise ExamkitError(decode_problem(path, encoding, requested)) from None
    except csv.Error as exc:
        raise ExamkitError(Problem(display_path(path), reader.line_num,
                                   f"the CSV is malformed ({exc}); re-export it from the spreadsheet")) from None
    finally:
        stream.close()


def _require_answers(sheet: Sheet, shown: str) -> None:
    if not any(c.role in ("answer", "grid") for c in sheet.columns):
        if sheet.kind == "csv":
            fix = "name the answer columns by position (1, 2, ... or q1, q2, ...) next to 'student' and 'form'"
        else:
            fix = "its headers match no question of the exam; check that it belongs to this exam set"
        raise ExamkitError(Problem(shown, 1, f"no answer columns found; {fix}"))


# --------------------------------------------------------------------------- JSON and YAML


def _structured_sheet(path: Path, examset: ExamSet, kind: str, requested: str | None) -> Sheet:
    shown = display_path(path)
    _check_encoding(shown, requested)
    if kind == "yaml":
        from ..bank.yamlfile import load_yaml

        data, problems = load_yaml(path)
        if problems:
            raise ExamkitError(problems)
    else:
        raw = path.read_bytes()
        encoding = choose_encoding(raw[:4], requested)
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise ExamkitError(decode_problem(path, encoding, requested)) from None
        try:
            data = json.loads(text)
        except RecursionError:
            raise ExamkitError(Problem(shown, None, "the JSON is nested too deeply to be answers; export the "
                                                    "answers again (a list of students, each a mapping)")) from None
        except json.JSONDecodeError as exc:
            fix = f"check --encoding {requested} (the file may be in another encoding), or fix the file" if requested \
                else "fix the file"
            raise ExamkitError(Problem(shown, exc.lineno, f"invalid JSON ({exc.msg} at column {exc.colno}); {fix}")) from None
    entries = _entries(data, shown, kind)
    return _entries_sheet(path, examset, kind, entries)


_LIST_KEYS = ("responses", "submissions", "students", "answers", "results")


def _entries(data, shown: str, kind: str) -> list[tuple[str, object]]:
    """(where, entry) pairs from a list of entries, {responses: [...]}, or {student: entry}."""
    item_lines = getattr(data, "item_lines", None)
    if isinstance(data, dict):
        for key in _LIST_KEYS:
            if isinstance(data.get(key), list):
                return _entries(data[key], shown, kind)
        key_lines = getattr(data, "key_lines", {})
        out = []
        for number, (student, entry) in enumerate(data.items(), start=1):
            where = str(key_lines.get(student, "")) or f"#{number}"
            if isinstance(entry, dict):
                entry = {"student": str(student), **entry}
            else:
                entry = {"student": str(student), "answers": entry}
            out.append((where, entry))
        return out
    if isinstance(data, list):
        return [(str(item_lines[i]) if item_lines else f"#{i + 1}", entry) for i, entry in enumerate(data)]
    raise ExamkitError(Problem(shown, getattr(data, "line", None),
                               f"expected a list of answer entries (student, form, answers), found {type(data).__name__}; "
                               "see 'examkit grade --help' for the layout"))


def _entries_sheet(path: Path, examset: ExamSet, kind: str, entries: list[tuple[str, object]]) -> Sheet:
    item_ids = {item.item_id for form in examset.forms for item in form.items}
    labels: dict[str, Column] = {}
    parsed: list[tuple[str, dict[str, str]]] = []

    def column_for(label: str, role_hint: str | None = None) -> str:
        if label not in labels:
            labels[label] = _entry_column(len(labels), label, item_ids, role_hint)
        return label

    column_for("student", "student")
    column_for("form", "form")
    for where, entry in entries:
        values: dict[str, str] = {}
        if not isinstance(entry, dict):
            values[column_for("entry")] = _cell_text(entry)
            parsed.append((where, values))
            continue
        identities: list[tuple[str, int, str, str]] = []
        for key, value in entry.items():
            key = str(key)
            identity = identity_role(key)
            if key in ("answers", "responses") and isinstance(value, (list, dict)):
                answers = enumerate(value, start=1) if isinstance(value, list) else value.items()
                for position, answer in answers:
                    values[column_for(_answer_label(position, item_ids))] = _cell_text(answer)
            elif identity:
                identities.append((identity[0], identity[1], key, _cell_text(value)))
            else:
                number = position_of(key)
                values[column_for(str(number) if number else key)] = _cell_text(value)
        # The most specific name is the student whatever the key order (name before e-mail
        # before id, as in a CSV; `student` and `form` themselves win ties); any other name
        # is kept as an extra column, never overwritten.
        identities.sort(key=lambda i: (i[0], i[1], i[2] != i[0]))
        for role, _, key, text in identities:
            values[column_for(key if role in values else role)] = text
        parsed.append((where, values))
    if any(c.position for c in labels.values()):
        # A position an entry leaves out is a blank answer, not a missing column.
        for position in range(1, max(len(f.items) for f in examset.forms) + 1):
            column_for(str(position))
    columns = list(labels.values())
    # Order: identity first, then answers by position, then the rest; indices follow that order.
    columns.sort(key=lambda c: (("student", "form", "answer").index(c.role) if c.role in ("student", "form", "answer") else 3,
                                c.position or 0, c.index))
    for index, column in enumerate(columns):
        column.index = index
    order = [c.label for c in columns]
    name = path.name

    def rows() -> Iterator[tuple[str, list[str]]]:
        # A YAML entry is shown by its line (file:12), a JSON entry by its number (file#3).
        for where, values in parsed:
            source = f"{name}{where}" if where.startswith("#") else f"{name}:{where}"
            yield source, [values.get(label, "") for label in order]

    sheet = Sheet(path, kind, columns, rows())
    _require_answers(sheet, display_path(path))
    return sheet


def _answer_label(position, item_ids: set[str]) -> str:
    label = str(position)
    if label in item_ids:
        return label
    number = position_of(label)
    return str(number) if number else f"answer {label}"


def _entry_column(index: int, label: str, item_ids: set[str], role_hint: str | None) -> Column:
    if role_hint:
        return Column(index, label, role_hint, priority=1)
    if label in item_ids:
        return Column(index, label, "answer", item_id=label)
    position = position_of(label)
    if position is not None:
        return Column(index, label, "answer", position=position)
    return Column(index, label, "extra")


def _cell_text(value) -> str:
    """An answer value as the text a spreadsheet cell would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value)
    if isinstance(value, list):
        parts = [_cell_text(v) for v in value]
        return ("; " if any(len(p) > 1 for p in parts) else ",").join(parts)
    if isinstance(value, dict):
        return "; ".join(f"{k}-{_cell_text(v)}" for k, v in value.items())
    return str(value)


def _show_encoding(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}.get(encoding, encoding)


def _show_delimiter(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)
