"""Scoring one response: the rules, partial credit, negative marking, and the audit record.

`ItemGrader(key, rules)(cell)` returns an `Outcome`: what the student wrote, how it was read,
the points it earns and any flag. Outcomes are cached per distinct cell, because real answer
columns repeat the same few values over and over; a class of 100,000 reads each distinct
answer once, up to CACHE_LIMIT of them per item. Past that, a new cell is read each time it
comes (typos seldom come twice) and counted, for the item analysis, under a kept outcome of
the same reading, so the memory grading takes stops growing however large the class.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from ..fileio import spreadsheet_text
from ..models import Scoring
from ..numbers import format_number
from .key import ItemKey
from .notation import ANSWER, BLANK, Reading, notation, read_answer
from .numeric import close

PARTIAL_TYPES = ("multiple", "matching", "ordering")
# Distinct cells remembered per item: the common answers come first, long before this many
# (bench/grade.py's matching items have some 500 ways of writing their answers, typos aside).
# At most 65 items x 2,000 outcomes of about 450 bytes: 60 MB, however large the class; past
# the limit, one more outcome per reading a cell can have (for matching and ordering items,
# bounded by their orders and pairings, not by the class).
CACHE_LIMIT = 2000
# How answers read past CACHE_LIMIT that have no fixed set of readings (typed texts that match
# no accepted answer, numbers) are counted in the item analysis.
OTHER_ANSWERS, OTHER_RIGHT_ANSWERS = "(other answers)", "(other right answers)"
# The `result` column of responses.csv.
CORRECT, PARTIAL, WRONG, UNANSWERED, REVIEW, VOIDED = "correct", "partial", "wrong", "blank", "review", "voided"
# The `method` column of an answer the teacher settled (--override).
TEACHER_OVERRIDE = "teacher override"


@dataclass(frozen=True)
class Rules:
    """How points are given: which types earn partial credit, and the share lost for a wrong answer."""

    partial: frozenset[str] = frozenset()
    negative: float = 0.0

    @classmethod
    def from_scoring(cls, scoring: Scoring, partial: list[str] | None = None,
                     negative: float | None = None) -> Rules:
        """The blueprint's rules, each overridden when the option is given."""
        chosen = scoring.partial_credit if partial is None else partial
        return cls(frozenset(chosen), scoring.negative_marking if negative is None else negative)


def credit(key: ItemKey, value: object, rules: Rules) -> float:
    """The share of the item's points a read answer earns, from 0 to 1."""
    kind = key.type
    if kind == "short":
        return 1.0 if value[0] is not None else 0.0
    if kind == "numeric":
        return 1.0 if close(value, key.correct, key.tolerance) or any(close(value, x) for x in key.extra) else 0.0
    if value == key.correct or value in key.extra:
        return 1.0
    if kind not in rules.partial:  # single choice is never among the partial-credit types
        return 0.0
    if kind == "multiple":
        right = len(value & key.correct)
        wrong = len(value - key.correct)
        return max(0, right - wrong) / len(key.correct)
    if kind == "matching":
        wanted = dict(key.correct)
        return sum(1 for n, letter in value if wanted.get(n) == letter) / len(wanted)
    # Ordering: each adjacent pair the student put right, as Moodle's "relative to next". A
    # sequence longer than the key (a step written twice) is measured by its own pairs, so
    # repeating steps can never collect every right pair without the right order.
    rank = {letter: i for i, letter in enumerate(key.correct)}
    right_pairs = {(a, b) for a, b in zip(value, value[1:]) if rank[b] == rank[a] + 1}
    return len(right_pairs) / (max(len(key.correct), len(value)) - 1)


@dataclass(frozen=True, slots=True, eq=False)
class Outcome:
    """The audit record of one response to one item (shared by every student who wrote the same,
    among the first CACHE_LIMIT distinct answers to the item).

    Compared and hashed by identity: counting outcomes counts distinct answers, cheaply.
    """

    raw: str
    answer: str
    method: str
    result: str
    points: float
    max_points: float
    flag: str
    value: object
    line: bytes  # this record as UTF-8 CSV cells from `position` on, ready to follow "student,form,"
    blank: bool = False
    # The outcome the item analysis counts this one as: itself, or for a cell read past
    # CACHE_LIMIT, a kept outcome of the same reading. Set once, right after it is made.
    counted_as: Outcome | None = None

    @property
    def full(self) -> bool:
        return self.result == CORRECT


def _count_as(outcome: Outcome, target: Outcome) -> None:
    object.__setattr__(outcome, "counted_as", target)  # frozen against changes to the record, not this link


class OutcomeCache(dict):
    """cell -> Outcome; a cell not seen before is graded on first lookup (`cache[cell]`).

    Past `limit` cells a new one is graded and returned without being kept. If it is flagged
    or blank it still joins the row tests' sets, and `strays` until the row is done with it.
    """

    __slots__ = ("grader", "flagged", "blank", "strays", "limit")

    def __init__(self, grader: ItemGrader, flagged: set | None = None, blank: set | None = None,
                 strays: list | None = None):
        super().__init__()
        self.grader = grader
        # Sets that may be shared by the caches of one form, to test a whole row at once.
        self.flagged: set[Outcome] = set() if flagged is None else flagged
        self.blank: set[Outcome] = set() if blank is None else blank
        self.strays: list[Outcome] = [] if strays is None else strays
        self.limit = CACHE_LIMIT  # read when the cache is made, so a test can lower it

    def __missing__(self, cell):
        outcome = self.grader.grade(cell)
        kept = len(self) < self.limit
        if kept:
            self[cell] = outcome
            _count_as(outcome, outcome)
        else:
            _count_as(outcome, self.grader.counted_under(outcome))
        for flagged, group in ((outcome.flag, self.flagged), (outcome.blank, self.blank)):
            if flagged and outcome not in group:
                group.add(outcome)
                if not kept:
                    self.strays.append(outcome)
        return outcome


class ItemGrader:
    """Reads and scores cells for one item of one form, remembering every distinct cell."""

    __slots__ = ("key", "rules", "cache", "_prefix", "_buffer", "_writer")

    def __init__(self, key: ItemKey, rules: Rules, flagged: set | None = None, blank: set | None = None,
                 strays: list | None = None):
        self.key = key
        self.rules = rules
        self.cache = OutcomeCache(self, flagged, blank, strays)
        self._prefix = [str(key.position), key.item_id, key.objective, key.type]
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer)

    def __call__(self, cell: str | tuple) -> Outcome:
        return self.cache[cell]

    def grade(self, cell: str | tuple) -> Outcome:
        key = self.key
        reading = read_answer(key, cell)
        max_points = 0.0 if key.voided else key.points
        points, result = self._score(reading)
        flag = reading.note if reading.flagged else ""
        if key.voided:
            points, result, flag = 0.0, VOIDED, ""
        raw = display_cell(cell)
        answer = notation(key, reading)
        method = reading.method
        if reading.status == ANSWER and reading.value in key.extra and reading.value != key.correct:
            method += " (accepted later)"
        # Blank by what was written, not by the result: a blank cell of a voided item is still blank.
        return self._record(raw, answer, method, result, points, max_points, flag, reading.value,
                            reading.status == BLANK)

    def settle(self, cell: str | tuple, answer: str) -> Outcome:
        """A teacher's decision on a cell: `answer` read and scored in its place, recorded as
        theirs, with what the student wrote kept as the raw cell. A decision that itself needs
        review comes back flagged, for the caller to refuse."""
        # Kept in the cache too (under a key no cell can be), so counts of outcomes see it.
        memo = (TEACHER_OVERRIDE, cell, answer)
        if memo in self.cache:
            return self.cache[memo]
        decided = self.grade(answer)
        if decided.flag:
            return decided
        settled = self.cache[memo] = self._record(display_cell(cell), decided.answer, TEACHER_OVERRIDE, decided.result,
                                                  decided.points, decided.max_points, "", decided.value, decided.blank)
        _count_as(settled, settled)
        return settled

    def counted_under(self, outcome: Outcome) -> Outcome:
        """The kept outcome a cell read past the cache's limit is counted as: the first of its
        reading (the same letters, order or accepted answer, result and points), itself kept
        under a key no cell can be. Readings without a fixed set (typed texts that match no
        accepted answer, numbers) share one outcome per result, labelled OTHER_ANSWERS."""
        # Nothing read: blank, or for a person to read (a typed text to review keeps its text and is
        # counted among OTHER_ANSWERS, as to review by its result).
        if outcome.value is None:
            reading: tuple = (outcome.blank, outcome.result, outcome.points)
        elif self.key.type in ("single", "multiple", "matching", "ordering"):
            reading = (outcome.value, outcome.result, outcome.points)
        elif self.key.type == "short" and outcome.value[0] is not None:
            reading = (outcome.answer, outcome.result, outcome.points)
        else:
            reading = (OTHER_ANSWERS, outcome.result, outcome.points)
        memo = ("counted as", reading)
        kept = self.cache.get(memo)
        if kept is None:
            kept = outcome
            if reading[0] == OTHER_ANSWERS:
                # Only its label and what the analysis reads (result, points, value) matter: it is no row's outcome.
                kept = replace(outcome, answer=OTHER_RIGHT_ANSWERS if outcome.result == CORRECT else OTHER_ANSWERS)
            self.cache[memo] = kept
        return kept

    def _record(self, raw: str, answer: str, method: str, result: str, points: float, max_points: float,
                flag: str, value: object, blank: bool) -> Outcome:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(self._prefix + [spreadsheet_text(raw), spreadsheet_text(answer), method, result,
                                              format_number(points), format_number(max_points),
                                              spreadsheet_text(flag)])
        return Outcome(raw, answer, method, result, points, max_points, flag, value,
                       self._buffer.getvalue().encode("utf-8"), blank)

    def _score(self, reading: Reading) -> tuple[float, str]:
        key = self.key
        if reading.status == BLANK:
            return 0.0, UNANSWERED
        if reading.status != ANSWER:
            return 0.0, REVIEW
        share = credit(key, reading.value, self.rules)
        if share >= 1.0:
            return key.points, CORRECT
        if share > 0:
            return key.points * share, PARTIAL
        return -key.points * self.rules.negative, WRONG


def display_cell(cell: str | tuple) -> str:
    """A cell as the audit shows it; grid cells as `1: text; 2: text`."""
    if isinstance(cell, str):
        return cell
    style, values = cell[0], cell[1:]
    if style == "rank-of-step":
        labels = [chr(ord("A") + i) for i in range(len(values))]
    else:
        labels = [str(i) for i in range(1, len(values) + 1)]
    return "; ".join(f"{label}: {value}" for label, value in zip(labels, values) if value.strip())
