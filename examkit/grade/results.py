"""The results folder: scores.csv, responses.csv, item-analysis.csv, form-statistics.csv.

Every file is written to a temporary file beside its target and all of them are renamed into
place only when every one is complete, so a failing run leaves the previous results untouched
and never a half-written file. scores.csv and responses.csv are written a row at a time as the
rows are graded (`ScoresFile`, `ResponsesFile`); each distinct answer's CSV cells were encoded
once, when it was first graded, and are joined to each student's name here. The first row of a
repeated student is flagged in scores.csv once the pass is over (`ScoresFile.flag`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Mapping
from operator import attrgetter, itemgetter
from pathlib import Path

from ..fileio import ordinary_file_mode, remove_stale, spreadsheet_text
from ..numbers import fixed, format_number
from .analysis import FormAnalysis
from .grader import GradeRun, RowSummary, StudentResult

SCORES_FILE = "scores.csv"
RESPONSES_FILE = "responses.csv"
ITEM_ANALYSIS_FILE = "item-analysis.csv"
FORM_STATISTICS_FILE = "form-statistics.csv"
REPORT_FILES = ("report.html", "report.pdf")
# Every file grading may write into a results folder: what a run did not write is stale.
RESULT_FILES = frozenset({SCORES_FILE, RESPONSES_FILE, ITEM_ANALYSIS_FILE, FORM_STATISTICS_FILE, *REPORT_FILES})
RESPONSE_HEADER = ["student", "form", "position", "item_id", "objective", "type", "raw", "answer", "method",
                   "result", "points", "max_points", "flag"]
_line = attrgetter("line")
PENDING = "pending review"
# Objective columns of scores.csv hold percentages, and say so: "aif-c01:2.1.1 %".
OBJECTIVE_SUFFIX = " %"
# A cell the csv module would quote (minimal quoting): it holds a delimiter, quote or line break.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


class Staging:
    """Temporary files beside their targets, renamed into place together by `commit()`."""

    def __init__(self, folder: Path, owned=RESULT_FILES.__contains__):
        self.folder = folder
        self.owned = owned  # which names of the folder are ours: those of an earlier run not written now go
        self.staged: list[tuple[str, Path]] = []
        self.removed: list[str] = []

    def open(self, name: str, *, binary: bool = False):
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        self.staged.append((tmp, self.folder / name))
        if binary:
            return os.fdopen(fd, "wb", buffering=1 << 20)
        return os.fdopen(fd, "w", encoding="utf-8", newline="")

    def reserve(self, name: str) -> Path:
        """A temporary path for a writer that makes the file itself; renamed with the rest."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.folder)
        os.close(fd)
        self.staged.append((tmp, self.folder / name))
        return Path(tmp)

    def commit(self) -> list[Path]:
        # mkstemp makes files only the owner may read; results get the usual permissions.
        mode = ordinary_file_mode()
        for tmp, target in self.staged:
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        done = [target for _, target in self.staged]
        self.staged = []
        # Results of an earlier run that this run did not write would not match it: remove them.
        self.removed = remove_stale(self.folder, self.owned, keep={p.name for p in done})
        return done

    def discard(self) -> None:
        for tmp, _ in self.staged:
            Path(tmp).unlink(missing_ok=True)
        self.staged = []


# --------------------------------------------------------------------------- objectives


class ObjectiveColumns:
    """The objectives that get a subscore column, and which items of each form count for each.

    The columns follow from the exam set and the voided items alone, never from which forms
    were sat, so scores.csv's header can be written before the first row is graded.
    """

    def __init__(self, ids: list[str], titles: dict[str, str], keys):
        self.ids = ids
        self.titles = titles
        self._keys = keys  # form letter -> compiled keys (Grader.keys), built on first use
        # Per form, built the first time a row of that form comes: (picker or None, max points) per objective.
        self._forms: dict[str, list[tuple[object, float]]] = {}

    @classmethod
    def of(cls, run: GradeRun) -> ObjectiveColumns:
        examset = run.examset
        item_objectives = {item.objective for item in examset.items.values()}
        # The exam set lists objectives in the order of the tree; any it lacks go last.
        candidates = [*examset.objectives, *sorted(item_objectives - set(examset.objectives))]
        ids = [o for o in candidates if any(_covers(o, i) for i in item_objectives)]
        live = _live_objectives(run)
        ids = [o for o in ids if not _same_as_only_child(o, ids, live)]
        return cls(ids, {o: examset.objectives.get(o, o) for o in ids}, run.keys)

    def _of_form(self, letter: str) -> list[tuple[object, float]]:
        groups = self._forms.get(letter)
        if groups is None:
            keys = self._keys[letter]
            groups = []
            for objective in self.ids:
                indices = [i for i, k in enumerate(keys) if not k.voided and _covers(objective, k.objective)]
                groups.append((_picker(indices) if indices else None, sum(keys[i].points for i in indices)))
            self._forms[letter] = groups
        return groups

    def scores(self, result: StudentResult) -> list[tuple[float, float] | None]:
        """(points, max points) per objective for a graded row; None where the form has none of it."""
        if result.outcomes is None:
            return [None] * len(self.ids)
        marks = result.marks
        return [(sum(pick(marks)), maximum) if pick and maximum else None for pick, maximum in self._of_form(result.form)]


def _picker(indices: list[int]):
    if len(indices) == 1:
        index = indices[0]
        return lambda values: (values[index],)
    return itemgetter(*indices)


def _live_objectives(run: GradeRun) -> set[str]:
    """The objectives of the items some form prints and grades (a voided item is not graded)."""
    stored = run.examset.items
    compiled = run.keys.used()  # voiding an item compiles every form that prints it
    live = {k.objective for keys in compiled.values() for k in keys if not k.voided}
    placed = {p.item for form in run.examset.forms if form.letter not in compiled for p in form.placements}
    return live | {stored[item].objective for item in placed}


def _same_as_only_child(objective: str, ids: list[str], live: set[str]) -> bool:
    """A parent with one child objective and no live items of its own scores what the child
    does on every form: its column would only repeat the child's."""
    below = [o for o in ids if o != objective and _covers(objective, o)]
    children = [o for o in below if not any(p != o and _covers(p, o) for p in below)]
    return len(children) == 1 and all(_covers(children[0], o) for o in live if _covers(objective, o))


def _covers(objective: str, item_objective: str) -> bool:
    return item_objective == objective or item_objective.startswith(objective + ".")


# --------------------------------------------------------------------------- scores


def scaled_and_result(run: GradeRun, result: StudentResult) -> tuple[str, str]:
    """The scaled score and pass/fail, where the blueprint defines them ('' otherwise)."""
    scoring = run.examset.scoring
    if result.points is None or not result.max_points:
        return "", ""
    share = max(0.0, result.points) / result.max_points
    scaled = ""
    value = 100 * share
    if scoring.scale:
        low, high = scoring.scale
        value = int(low + (high - low) * share + 0.5)
        scaled = str(value)
    verdict = ""
    if scoring.pass_mark is not None and result.pending:
        verdict = PENDING  # neither pass nor fail until the teacher settles the flagged answers
    elif scoring.pass_mark is not None:
        verdict = "pass" if value >= scoring.pass_mark - 1e-9 else "fail"
    return scaled, verdict


SCORE_COLUMNS = ("student", "form", "points", "max_points", "percent", "status", "reason")


def score_header(run: GradeRun, objectives: ObjectiveColumns) -> list[str]:
    header = list(SCORE_COLUMNS)
    if run.examset.scoring.scale:
        header.append("scaled_score")
    if run.examset.scoring.pass_mark is not None:
        header.append("result")
    return header + [o + OBJECTIVE_SUFFIX for o in objectives.ids] + ["source"]


class ScoreRows:
    """Turns results into scores.csv rows; the few distinct totals are formatted once each."""

    def __init__(self, run: GradeRun, objectives: ObjectiveColumns):
        self.run = run
        self.objectives = objectives
        self.scaled = run.examset.scoring.scale is not None
        self.verdict = run.examset.scoring.pass_mark is not None
        self._totals: dict[tuple[float, float], list[str]] = {}
        self._shares: dict[tuple[float, float], str] = {}

    def _total(self, result: StudentResult) -> list[str]:
        key = (result.points, result.max_points, result.pending)
        cells = self._totals.get(key)
        if cells is None:
            cells = [format_number(result.points), format_number(result.max_points), fixed(result.percent, 1)]
            scaled, verdict = scaled_and_result(self.run, result)
            cells_after = ([scaled] if self.scaled else []) + ([verdict] if self.verdict else [])
            cells = self._totals[key] = [cells, cells_after]
        return cells

    def _share(self, score: tuple[float, float] | None) -> str:
        if score is None:
            return ""
        text = self._shares.get(score)
        if text is None:
            text = self._shares[score] = fixed(100 * score[0] / score[1], 1)
        return text

    def row(self, result: StudentResult, scores: list[tuple[float, float] | None]) -> list[str]:
        """A row's cells; `scores` are its `ObjectiveColumns.scores`."""
        if result.points is None:
            extra = [""] * (int(self.scaled) + int(self.verdict))
            return [spreadsheet_text(result.student), spreadsheet_text(result.form), "", "", "", result.status,
                    spreadsheet_text(result.reason), *extra, *([""] * len(self.objectives.ids)),
                    spreadsheet_text(result.source)]
        totals, after = self._total(result)
        shares = [self._share(s) for s in scores]
        return [spreadsheet_text(result.student), spreadsheet_text(result.form), *totals, result.status,
                spreadsheet_text(result.reason), *after, *shares, spreadsheet_text(result.source)]


class ScoresFile:
    """scores.csv, a row as each result comes (`add(result, its objective scores)`). The first
    row of a repeated student has gone by when the repeat is found: `flag(repeated)` flags
    those rows in the closed file."""

    def __init__(self, run: GradeRun, objectives: ObjectiveColumns, staging: Staging):
        self.path = staging.reserve(SCORES_FILE)
        self._handle = self.path.open("w", encoding="utf-8", newline="")
        writer = csv.writer(self._handle)
        writer.writerow(score_header(run, objectives))
        rows = ScoreRows(run, objectives)
        self.add = lambda result, scores: writer.writerow(rows.row(result, scores))

    def close(self) -> None:
        self._handle.close()

    def flag(self, repeated: Mapping[int, RowSummary]) -> None:
        """Flag the rows `repeated` names (by row number) in the closed file."""
        if repeated:
            _flag_rows(self.path, repeated)


def _flag_rows(path: Path, repeated: Mapping[int, RowSummary]) -> None:
    """Rewrite scores.csv with the status and reason of the rows `repeated` names (by row number)."""
    status, reason = SCORE_COLUMNS.index("status"), SCORE_COLUMNS.index("reason")
    fd, tmp = tempfile.mkstemp(prefix=f".{SCORES_FILE}.", suffix=".tmp", dir=path.parent)
    try:
        with path.open(newline="", encoding="utf-8") as source, os.fdopen(fd, "w", encoding="utf-8", newline="") as target:
            reader, writer = csv.reader(source), csv.writer(target)
            writer.writerow(next(reader))
            for row, cells in enumerate(reader):
                first = repeated.get(row)
                if first is not None:
                    cells[status], cells[reason] = "flagged", spreadsheet_text(first.reason)
                writer.writerow(cells)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- responses


class ResponsesFile:
    """responses.csv, the rows of each result as it comes (`add`)."""

    def __init__(self, staging: Staging):
        self._handle = staging.open(RESPONSES_FILE, binary=True)
        buffer = io.StringIO()
        encoder = csv.writer(buffer)

        def encode(cells: list[str]) -> bytes:
            buffer.seek(0)
            buffer.truncate()
            encoder.writerow(cells)
            return buffer.getvalue().encode("utf-8")

        self._encode = encode
        self._handle.write(encode(RESPONSE_HEADER))

    def add(self, result: StudentResult) -> None:
        handle, encode = self._handle, self._encode
        student, form = spreadsheet_text(result.student), spreadsheet_text(result.form)
        if _NEEDS_QUOTES.search(student) or _NEEDS_QUOTES.search(form):
            prefix = encode([student, form])[:-2] + b","
        else:
            prefix = f"{student},{form},".encode("utf-8")
        if result.outcomes is not None:
            # Each distinct answer's cells were encoded once; a row is one join.
            handle.write(prefix + prefix.join(map(_line, result.outcomes)))
        why = "; ".join(r for r in result.reasons if not r.startswith("position ")) if result.outcomes is None else ""
        for label, value in result.extras:
            note = f'not graded: column "{label}"' + (f" ({why})" if why else "")
            handle.write(prefix + encode(["", "", "", "", spreadsheet_text(value), "", "not graded", "", "", "",
                                          spreadsheet_text(note)]))

    def close(self) -> None:
        self._handle.close()


# --------------------------------------------------------------------------- item analysis


ITEM_HEADER = ["form", "position", "item_id", "objective", "type", "students", "facility", "sd",
               "discrimination_index", "discriminative_efficiency", "upper_lower_27", "choices", "flags"]
FORM_HEADER = ["form", "students", "items", "max_points", "mean", "median", "sd", "min", "max", "kr20_alpha", "sem"]



def format_choices(choices: list[tuple[str, int, bool]]) -> str:
    return " | ".join(f"{label}{'*' if correct else ''} {n}" for label, n, correct in choices)


def write_item_analysis(analyses: list[FormAnalysis], staging: Staging) -> None:
    with staging.open(ITEM_ANALYSIS_FILE) as handle:
        writer = csv.writer(handle)
        writer.writerow(ITEM_HEADER)
        for analysis in analyses:
            for item in analysis.items:
                s = item.stats
                writer.writerow([item.form, item.position, item.item_id, item.objective, item.type, s.n,
                                 fixed(s.facility, 1), fixed(s.sd, 1), fixed(s.discrimination, 1), fixed(s.efficiency, 1),
                                 fixed(s.upper_lower, 1), spreadsheet_text(format_choices(item.choices)),
                                 spreadsheet_text("; ".join(item.flags))])
    with staging.open(FORM_STATISTICS_FILE) as handle:
        writer = csv.writer(handle)
        writer.writerow(FORM_HEADER)
        for analysis in analyses:
            t = analysis.test
            writer.writerow([analysis.form, t.n, t.items, format_number(t.max_points), fixed(t.mean), fixed(t.median),
                             fixed(t.sd), fixed(t.minimum), fixed(t.maximum), fixed(t.alpha, 3), fixed(t.sem)])
