"""Grading a class: every row of every answer sheet becomes a `StudentResult`, graded or flagged.

Nothing is lost on the way. A row that cannot be graded (unknown form, no answers) still comes
out, flagged with its reason and with its cells kept; so do rows with too many or too few
cells, duplicate students and answers to review. Keys are compiled once per form, cells are
read once per distinct value (see `score.ItemGrader`), and rows stream through, so grading
scales to large classes.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple

from ..bulk import collector_paused
from ..errors import ExamkitError, Problem, display_path
from ..models import ExamSet
from .columns import Column, form_letter, student_columns
from .key import ItemKey
from .match import DEFAULT_THRESHOLD
from .notation import ANSWER, parse_rank, read_answer
from .overrides import Overrides
from .read import Sheet, read_sheet
from .score import PARTIAL_TYPES, ItemGrader, Outcome, Rules

_points = attrgetter("points")
# No typed answer is this long; a longer cell is a paste gone wrong, flagged and not read.
MAX_CELL_CHARS = 10_000
# How the reason for an answer under review starts: "position 5: ...".
REVIEW_REASON = "position "


@dataclass
class GradeOptions:
    """Choices a teacher makes when grading; None means "as the exam set's blueprint says"."""

    threshold: float = DEFAULT_THRESHOLD
    partial: list[str] | None = None
    negative: float | None = None
    void: list[str] = field(default_factory=list)
    accept: list[str] = field(default_factory=list)
    form: str | None = None
    fmt: str | None = None
    encoding: str | None = None
    overrides: list[str] = field(default_factory=list)  # STUDENT:POSITION=ANSWER, the teacher's decisions
    overrides_files: list[Path] = field(default_factory=list)  # CSV files of student,position,answer


class StudentResult:
    """One input row: who, which form, the outcome per item, the total, and why it is flagged.

    A class of 100,000 is 100,000 of these, so each holds only what cannot be derived: the
    marks come from the outcomes when asked for, and a row without reasons or extra cells
    shares one empty tuple instead of owning two empty lists.
    """

    __slots__ = ("source", "student", "form", "outcomes", "points", "max_points", "reasons", "counted", "extras")

    def __init__(self, source: str, student: str, form: str):
        self.source = source
        self.student = student
        self.form = form
        self.outcomes: tuple[Outcome, ...] | None = None
        self.points: float | None = None
        self.max_points: float | None = None
        self.reasons: list[str] | tuple[()] = ()
        self.counted = False
        self.extras: list[tuple[str, str]] | tuple[()] = ()

    @property
    def marks(self) -> tuple[float, ...] | None:
        """The points of each outcome, in form order."""
        outcomes = self.outcomes
        return None if outcomes is None else tuple(map(_points, outcomes))

    def flag_first(self, reason: str) -> None:
        """Put `reason` before the row's other reasons (it explains them, or overrides them)."""
        self.reasons = [reason, *self.reasons]

    @property
    def graded(self) -> bool:
        return self.outcomes is not None

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def status(self) -> str:
        return "flagged" if self.reasons else "graded"

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def pending(self) -> bool:
        """Whether answers of this row still wait for a teacher's review (see --override)."""
        return any(r.startswith(REVIEW_REASON) for r in self.reasons)

    @property
    def flagged_answers(self) -> int:
        return sum(1 for r in self.reasons if r.startswith(REVIEW_REASON))

    @property
    def percent(self) -> float | None:
        if self.points is None or not self.max_points:
            return None
        return 100.0 * self.points / self.max_points


class RowSummary(NamedTuple):
    """A row as summaries show it: where it is, who, which form, and why it is flagged.

    What the duplicate check keeps of a student's first row, and a tally of each flagged row.
    """

    row: int  # its place among all input rows
    source: str
    student: str
    form: str
    reasons: list[str] | tuple[()]

    @classmethod
    def of(cls, row: int, result: StudentResult) -> RowSummary:
        return cls(row, result.source, result.student, result.form, result.reasons)

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def apply_repeated(rows: list[StudentResult], repeated: Mapping[int, RowSummary]) -> None:
    """Give the kept first rows of repeated students (`Grader.repeated`) their duplicate flag."""
    for row, first in repeated.items():
        rows[row].reasons = first.reasons


@dataclass
class GradeRun:
    """Everything a grading run produced, for the writers and the report."""

    examset: ExamSet
    rules: Rules
    options: GradeOptions
    keys: dict[str, list[ItemKey]]
    sheets: list[Sheet]
    results: list[StudentResult]
    graders: dict[str, list[ItemGrader]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the writers left out, and why

    @property
    def flagged(self) -> list[StudentResult]:
        return [r for r in self.results if r.flagged]


class Grader:
    """The compiled keys of every form, with the options applied; grades sheets row by row."""

    def __init__(self, examset: ExamSet, options: GradeOptions | None = None):
        options = options or GradeOptions()
        _check_options(options)
        self.examset = examset
        self.options = options
        self.rules = Rules.from_scoring(examset.scoring, options.partial, options.negative)
        # Per form, built the first time a row (or an option) needs that form: grading 30
        # students against a 10,000-form exam set compiles 30 forms, not 10,000.
        forms = {form.letter: form for form in examset.forms}
        self.keys = LazyForms(forms, lambda letter: _compiled_keys(forms[letter], options.threshold))
        for ref in options.void:
            for key in self._resolve(ref, "--void"):
                key.voided = True
        for spec in options.accept:
            self._accept(spec)
        # Every flagged and every blank outcome of a form, so a row is checked with one set operation.
        self.flagged_outcomes: LazyForms = LazyForms(forms, lambda letter: set())
        self.blank_outcomes: LazyForms = LazyForms(forms, lambda letter: set())
        # The outcomes of the row at hand that joined those sets without being cached.
        self.stray_outcomes: LazyForms = LazyForms(forms, lambda letter: [])
        self.graders = LazyForms(forms, lambda letter: [
            ItemGrader(k, self.rules, self.flagged_outcomes[letter], self.blank_outcomes[letter],
                       self.stray_outcomes[letter])
            for k in self.keys[letter]])
        self.caches = LazyForms(forms, lambda letter: [g.cache for g in self.graders[letter]])
        self.max_points = LazyForms(forms, lambda letter: sum(k.points for k in self.keys[letter] if not k.voided))
        # Per student name, where it first appeared: a small record, not the row itself, so a
        # streamed class of 100,000 keeps 100,000 small tuples rather than its results.
        self._seen: dict[str, RowSummary] = {}
        self.rows = 0  # rows graded so far: the number of the next one
        # Row number of a student's first row -> that row with its reasons once a repeat is found.
        self.repeated: dict[int, RowSummary] = {}

    # ----------------------------------------------------------------------- options

    def _resolve(self, ref: str, option: str) -> list[ItemKey]:
        """The keys an item reference names: `item-id`, `A:item-id`, or a position (`5`, `A:5`)."""
        ref = ref.strip()
        form, _, name = ref.rpartition(":") if ":" in ref else ("", "", ref)
        letters = list(self.keys)
        if not form and not name.isdigit():  # only the forms that print the item need compiling
            letters = [f.letter for f in self.examset.forms if any(p.item == name for p in f.placements)]
        if form:
            letter = form_letter(form, self.keys)
            if letter is None:
                raise ExamkitError(Problem(option, None, f"'{ref}': no form {form}; the forms are {_listed(letters)}"))
            letters = [letter]
        if name.isdigit():
            if len(letters) > 1:
                raise ExamkitError(Problem(option, None, f"'{ref}': position {name} holds different items on each form; "
                                                         "name the item id (see key.csv) or the form, as A:" + name))
            keys = [k for k in self.keys[letters[0]] if k.position == int(name)]
        else:
            keys = [k for letter in letters for k in self.keys[letter] if k.item_id == name]
        if not keys:
            raise ExamkitError(Problem(option, None, f"'{ref}': no such item in the exam set; use an item id from key.csv"))
        return keys

    def _accept(self, spec: str) -> None:
        ref, sep, answer = spec.partition("=")
        if not sep or not answer.strip() or not ref.strip():
            raise ExamkitError(Problem("--accept", None, f"'{spec}': write ITEM=ANSWER, e.g. tok-short=tokenisation"))
        keys = self._resolve(ref, "--accept")
        qualified = ":" in ref
        readings = []
        for key in keys:
            if key.type == "short":
                key.accept_text(answer.strip())
                continue
            reading = read_answer(key, answer)
            if reading.status != ANSWER:
                why = f" ({reading.note})" if reading.note else ""
                raise ExamkitError(Problem("--accept", None, f"'{spec}': '{answer}' is not an answer to item "
                                                             f"{key.item_id} on form {key.form}{why}"))
            readings.append((key, reading))
        letter_based = any("letter" in r.method for _, r in readings)
        if letter_based and not qualified and len({tuple(k.texts) for k, _ in readings}) > 1:
            raise ExamkitError(Problem("--accept", None, f"'{spec}': the letters of item {keys[0].item_id} differ "
                                                         "between forms; write the option texts, or name the form "
                                                         f"(A:{ref.strip()}={answer.strip()})"))
        for key, reading in readings:
            key.extra.append(reading.value)

    @functools.cached_property
    def overrides(self) -> Overrides:
        return Overrides.of(self.options.overrides, self.options.overrides_files)

    # ----------------------------------------------------------------------- sheets

    def grade_sheet(self, sheet: Sheet) -> Iterator[StudentResult]:
        """Grade the rows of one sheet as they are read.

        A repeated student is flagged on the spot; the row where that student first appeared
        has usually gone by then (written, in a streamed run), so its flag waits in `repeated`.
        """
        context = _SheetGrading(self, sheet)
        for source, cells in sheet.rows:
            result = context.grade_row(source, cells)
            if result.outcomes is not None:
                self._mark_duplicate(result)
            self.rows += 1
            yield result

    def _mark_duplicate(self, result: StudentResult) -> None:
        name = " ".join(result.student.casefold().split())
        if not name:
            return
        first = self._seen.get(name)
        if first is None:
            self._seen[name] = RowSummary.of(self.rows, result)
            return
        result.flag_first(f"duplicate student (also at {first.source})")
        result.counted = False
        if first.row not in self.repeated:
            self.repeated[first.row] = first._replace(
                reasons=[f"duplicate student (also at {result.source})", *first.reasons])


@dataclass
class _Plan:
    """Where each item of one form finds its cell in the rows of one sheet."""

    getters: list  # per item: column index, None (no column), or (style, [column or None, ...])
    simple: tuple[int, ...] | None
    missing: str | None
    stray: list[Column]

    def __post_init__(self) -> None:
        if self.simple is not None and len(self.simple) > 1:
            self.values = itemgetter(*self.simple)
        elif self.simple is not None:
            index = self.simple[0]
            self.values = lambda cells: (cells[index],)
        else:
            getters = self.getters
            self.values = lambda cells: [_cell(g, cells) for g in getters]


class _SheetGrading:
    def __init__(self, grader: Grader, sheet: Sheet):
        self.grader = grader
        self.sheet = sheet
        self.shown = display_path(sheet.path)
        self.width = sheet.width
        self.students = student_columns(sheet.columns)
        form_columns = [c.index for c in sheet.columns if c.role == "form"]
        self.form_column = form_columns[0] if form_columns else None
        self.answer_columns = [c for c in sheet.columns if c.role in ("answer", "grid")]
        self.extra_columns = [c for c in sheet.columns if c.role == "extra"]
        self.plans: dict[str, _Plan] = {}
        self.form_letters: dict[str, str | None] = {}
        self.fixed_form = self._fixed_form()
        self.overrides = grader.overrides

    def _fixed_form(self) -> str | None:
        """The form of every row when the sheet cannot say it: --form, a single form, or the only fit."""
        letters = list(self.grader.keys)
        forced = self.grader.options.form
        if forced:
            letter = form_letter(forced, self.grader.keys)
            if letter is None:
                raise ExamkitError(Problem("--form", None, f"no form '{forced}'; the forms are {_listed(letters)}"))
            return letter
        if len(letters) == 1:
            return letters[0]
        if self.form_column is not None:
            return None
        items = {c.item_id for c in self.answer_columns if c.item_id}
        if items and not any(c.position for c in self.answer_columns):
            fits = [form for form in letters if items <= {k.item_id for k in self.grader.keys[form]}]
            if len(fits) == 1:
                self.sheet.notes.append(f"no form column; only form {fits[0]} holds these questions")
                return fits[0]
        raise ExamkitError(Problem(self.shown, 1, f"the exam has forms {_listed(letters)} but this sheet has no "
                                                  "'form' column; add one, or pass --form A when every row is one form"))

    def plan(self, letter: str) -> _Plan:
        plan = self.plans.get(letter)
        if plan is None:
            plan = self.plans[letter] = self._compile(letter)
        return plan

    def _compile(self, letter: str) -> _Plan:
        keys = self.grader.keys[letter]
        by_position = {c.position: c for c in self.answer_columns if c.role == "answer" and c.position}
        by_item = {c.item_id: c for c in self.answer_columns if c.role == "answer" and c.item_id}
        grids: dict[str, list[Column]] = {}
        for c in self.answer_columns:
            if c.role == "grid":
                grids.setdefault(c.item_id, []).append(c)
        getters: list = []
        used: set[int] = set()
        missing: list[str] = []
        for key in keys:
            column = by_position.get(key.position) or by_item.get(key.item_id)
            if column is not None:
                getters.append(column.index)
                used.add(column.index)
            elif key.item_id in grids:
                getters.append(self._grid_getter(key, grids[key.item_id]))
                used.update(c.index for c in grids[key.item_id])
            else:
                getters.append(None)
                missing.append(str(key.position) if by_position else key.item_id)
        stray = [c for c in self.answer_columns if c.index not in used]
        simple = tuple(getters) if all(isinstance(g, int) for g in getters) else None
        note = None
        if missing:
            what = "positions" if by_position else "items"
            note = f"no column for {what} {', '.join(missing)} of form {letter} (too few columns)"
        return _Plan(getters, simple, note, stray)

    def _grid_getter(self, key: ItemKey, columns: list[Column]) -> tuple:
        if key.type == "matching":
            slots: list[int | None] = [None] * len(key.premises)
            for column in columns:
                self._place(slots, self._grid_row(key.premise_matcher, column, key.item_id, "premise"), column)
            return ("premises", slots)
        ranks = [parse_rank(c.sub or "") for c in columns]
        slots = [None] * len(key.letters)
        if all(r is not None for r in ranks):
            for rank, column in zip(ranks, columns):
                if not 1 <= rank <= len(slots):
                    raise ExamkitError(Problem(self.shown, 1, f'column {column.index + 1} "{column.label}": item '
                                                              f"{key.item_id} has {len(slots)} steps, so no position "
                                                              f"{rank}; remove the column or fix its row label"))
                self._place(slots, rank - 1, column)
            return ("step-at-rank", slots)
        for column in columns:
            self._place(slots, self._grid_row(key.matcher, column, key.item_id, "step",
                                              " or a position (1st, 2nd, ...)"), column)
        return ("rank-of-step", slots)

    def _place(self, slots: list, row: int, column: Column) -> None:
        """Put a grid column in its row's slot; a second column for the same row would hide one of them."""
        if slots[row] is not None:
            first = next(c for c in self.answer_columns if c.index == slots[row])
            raise ExamkitError(Problem(self.shown, 1, f'columns {first.index + 1} "{first.label}" and '
                                                      f'{column.index + 1} "{column.label}" are the same row of '
                                                      f"item {column.item_id}; rename or remove one of them"))
        slots[row] = column.index

    def _grid_row(self, matcher, column: Column, item_id: str, what: str, alternative: str = "") -> int:
        """Which premise or step a grid column's row label names; an error naming the column if none."""
        found = matcher.match(column.sub or "")
        if not found.found:
            raise ExamkitError(Problem(self.shown, 1, f'column {column.index + 1} "{column.label}": '
                                                      f'"{column.sub}" is no {what} of item {item_id}; '
                                                      f"name the row after one of its {what}s{alternative}"))
        return found.index

    # ----------------------------------------------------------------------- rows

    def grade_row(self, source: str, cells: list[str]) -> StudentResult:
        reasons: list[str] = []
        cells, overflow = self._fit_width(cells, reasons)
        if max(map(len, cells), default=0) > MAX_CELL_CHARS:
            cells = self._drop_oversized(cells, reasons)
        student = self._student(cells)
        letter, form_text = self._form_of(cells, reasons)
        result = StudentResult(source, student, letter or form_text)
        extras = ([(c.label, cells[c.index]) for c in self.extra_columns if cells[c.index].strip()] + overflow
                  if self.extra_columns or overflow else [])
        if not student and not form_text and not "".join(cells).strip():
            reasons.append("empty row")
        elif letter is None:
            letters = _listed(list(self.grader.keys))
            reasons.append(f"unknown form '{form_text}' (the forms are {letters})" if form_text
                           else f"no form given (the forms are {letters})")
            extras[:0] = [(c.label, cells[c.index]) for c in self.answer_columns if cells[c.index].strip()]
        else:
            if not student:
                reasons.append("no student name")
            self._score(result, letter, cells, reasons, extras)
        result.reasons = reasons or ()
        result.extras = extras or ()
        return result

    def _fit_width(self, cells: list[str], reasons: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        """The row cut or padded to the sheet's width; cells past it that hold text are kept and flagged."""
        width = self.width
        if len(cells) < width:
            if any(c.strip() for c in cells):
                reasons.append(f"too few cells: {len(cells)} for {width} columns")
            return cells + [""] * (width - len(cells)), []
        extra = cells[width:]
        if not any(c.strip() for c in extra):
            return cells[:width], []
        shown = ", ".join(repr(c) for c in extra)
        reasons.append(f"too many cells: {len(cells)} for {width} columns (extra: {shown})")
        return cells[:width], [(f"column {width + i + 1}", c) for i, c in enumerate(extra) if c.strip()]

    def _drop_oversized(self, cells: list[str], reasons: list[str]) -> list[str]:
        """Cells too long to be answers are flagged and read as blank, so one stray paste
        flags its row instead of stopping the class file (or taking minutes to read)."""
        kept = list(cells)
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                reasons.append(f"column {index + 1}: a {len(cell):,}-character cell (more than {MAX_CELL_CHARS:,}) "
                               "was not read; check the file")
                kept[index] = ""
        return kept

    def _student(self, cells: list[str]) -> str:
        """The first student column that names someone ("anonymous" names no one)."""
        for index in self.students:
            value = cells[index].strip()
            if value and value.casefold() != "anonymous":
                return value
        return ""

    def _form_of(self, cells: list[str], reasons: list[str]) -> tuple[str | None, str]:
        """(the form to grade by or None, the form cell as written); a form cell that disagrees
        with --form is flagged, since the teacher must decide which form the student sat."""
        letter = self.fixed_form
        if self.form_column is None:
            return letter, ""
        form_text = cells[self.form_column].strip()
        if not form_text and letter is not None:
            return letter, form_text
        if form_text not in self.form_letters:
            self.form_letters[form_text] = form_letter(form_text, self.grader.keys)
        named = self.form_letters[form_text]
        forced = self.grader.options.form
        if forced is None:
            return named, form_text
        if form_text and named != letter:
            reasons.append(f"the form column says '{form_text}' but --form {forced} was given; "
                           "check which form this student sat")
        return letter, form_text

    def _score(self, result: StudentResult, letter: str, cells: list[str], reasons: list[str],
               extras: list[tuple[str, str]]) -> None:
        plan = self.plan(letter)
        values = plan.values(cells)
        caches = self.grader.caches[letter]
        # One dictionary lookup per cell; only a value never seen before is read and scored.
        outcomes = tuple(map(dict.__getitem__, caches, values))
        if self.overrides:
            outcomes = self.overrides.settle(result.student, letter, values, outcomes, self.grader.keys[letter],
                                             self.grader.graders[letter])
        result.outcomes = outcomes
        result.points = sum(map(_points, outcomes))
        result.max_points = self.grader.max_points[letter]
        if plan.missing:
            reasons.append(plan.missing)
        for column in plan.stray:
            value = cells[column.index]
            if value.strip():
                reasons.append(f'answer in a column that is not on form {letter}: "{column.label}" = {value!r}')
                extras.append((column.label, value))
        flagged, blank = self.grader.flagged_outcomes[letter], self.grader.blank_outcomes[letter]
        if not flagged.isdisjoint(outcomes):
            for outcome, key in zip(outcomes, self.grader.keys[letter]):
                if outcome.flag:
                    reasons.append(f"{REVIEW_REASON}{key.position}: {outcome.flag}")
        answered = not blank.issuperset(outcomes)
        if not answered:
            reasons.insert(0, "no answers")
        result.counted = answered
        strays = self.grader.stray_outcomes[letter]
        if strays:  # not cached: out of the sets again, or they would grow with the class
            flagged.difference_update(strays)
            blank.difference_update(strays)
            strays.clear()


def _cell(getter, cells: list[str]):
    if getter is None:
        return ""
    if isinstance(getter, int):
        return cells[getter]
    style, slots = getter
    return (style, *(cells[i] if i is not None else "" for i in slots))


def _check_options(options: GradeOptions) -> None:
    if not 0 < options.threshold <= 100:
        raise ExamkitError(Problem("--threshold", None, f"{options.threshold:g} is out of range; use a similarity from 1 to 100"))
    if options.negative is not None and not 0 <= options.negative <= 1:
        raise ExamkitError(Problem("--negative", None, f"{options.negative:g} is out of range; use a share of the "
                                                      "item's points from 0 to 1, e.g. 0.25"))
    for kind in options.partial or []:
        if kind not in PARTIAL_TYPES:
            raise ExamkitError(Problem("--partial", None, f"'{kind}' cannot earn partial credit; use "
                                                         f"{', '.join(PARTIAL_TYPES)} or none"))


def _listed(letters: list[str], shown: int = 8) -> str:
    """Form letters for a message: all of a few, the first and last of many."""
    if len(letters) <= shown:
        return ", ".join(letters)
    return f"{', '.join(letters[:shown - 1])}, ... {letters[-1]} ({len(letters):,} forms)"


class LazyForms(Mapping):
    """Form letter -> a value built on first use; iterating gives every letter, in form order.

    `used()` gives only the values built so far: the forms some row or option needed.
    """

    def __init__(self, forms: dict, build: Callable[[str], object]):
        self._forms = forms
        self._build = build
        self._made: dict[str, object] = {}

    def __getitem__(self, letter: str):
        value = self._made.get(letter)
        if value is None:
            if letter not in self._forms:
                raise KeyError(letter)
            value = self._made[letter] = self._build(letter)
        return value

    def __iter__(self) -> Iterator[str]:
        return iter(self._forms)

    def __len__(self) -> int:
        return len(self._forms)

    def used(self) -> dict[str, object]:
        return {letter: self._made[letter] for letter in self._forms if letter in self._made}


def _compiled_keys(form, threshold: float) -> list[ItemKey]:
    keys = [ItemKey(form.letter, item, threshold) for item in form.items]
    _check_keys(form.letter, keys)
    return keys


def _check_keys(letter: str, form_keys: list[ItemKey]) -> None:
    """The key notation of every item must agree with its marked answers, or the exam set is corrupt."""
    for key in form_keys:
        if key.type == "short":
            ok = bool(key.accepted)
        elif key.type == "numeric":
            ok = key.correct is not None
        else:
            reading = read_answer(key, key.item.key)
            ok = reading.status == ANSWER and reading.value == key.correct
        if not ok:
            raise ExamkitError(Problem("examset.json", None, f"form {letter} position {key.position} (item "
                                                             f"{key.item_id}): the key '{key.item.key}' disagrees "
                                                             "with the marked answers; regenerate the exam set"))


def grade_files(examset: ExamSet, paths: Iterable[Path], options: GradeOptions | None = None) -> GradeRun:
    """Read and grade answer-sheet files; every row of every file comes back in input order.

    The results are kept in memory (`run.results`); `examkit.grade.grade_and_write` grades a
    class of any size in one pass into a results folder instead.
    """
    run, grader = open_run(examset, paths, options)
    # A big class is millions of long-lived objects in no cycle: the cyclic collector's scans
    # of them would cost more than the grading itself.
    with collector_paused(keep=True):
        for result in graded_rows(run, grader):
            run.results.append(result)
    apply_repeated(run.results, grader.repeated)
    return run


def open_run(examset: ExamSet, paths: Iterable[Path], options: GradeOptions | None = None) -> tuple[GradeRun, Grader]:
    """A run with its sheets read (headers and columns understood) and no row graded yet."""
    options = options or GradeOptions()
    grader = Grader(examset, options)
    paths = list(paths)
    if not paths:
        raise ExamkitError(Problem("grade", None, "no answer-sheet files given; name at least one RESPONSES file"))
    sheets = [read_sheet(Path(p), examset, fmt=options.fmt, encoding=options.encoding) for p in paths]
    return GradeRun(examset, grader.rules, options, grader.keys, sheets, [], grader.graders), grader


def graded_rows(run: GradeRun, grader: Grader) -> Iterator[StudentResult]:
    """Every row of the run's sheets, graded, in input order; then a check that every override was used.

    The first row of a repeated student is flagged only in `grader.repeated`, after it went by.
    """
    for sheet in run.sheets:
        yield from grader.grade_sheet(sheet)
    grader.overrides.check_used()
