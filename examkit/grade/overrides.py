"""A teacher's decisions on flagged answers: `--override STUDENT:POSITION=ANSWER` and overrides CSV.

The input files stay as the students wrote them; a decision replaces one answer of one student
when the row is graded, and responses.csv records it with the method `teacher override` beside
what the student wrote. A decision that names no graded student or no position of the
student's form is an error, never silently unused.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path

OVERRIDES_HEADER = ("student", "position", "answer")


@dataclass
class Override:
    student: str
    position: int
    answer: str
    where: str  # "--override" or the overrides file, for messages
    line: int | None = None
    used: bool = False

    def problem(self, text: str) -> Problem:
        return Problem(self.where, self.line, f"'{self.student}:{self.position}={self.answer}': {text}")


def student_key(name: str) -> str:
    """A student's name as rows are matched: case and spacing do not matter."""
    return " ".join(name.casefold().split())


class Overrides:
    """Every decision, by student; `settle` applies them to a graded row."""

    def __init__(self, decisions: list[Override]):
        self.by_student: dict[str, dict[int, Override]] = {}
        for decision in decisions:
            mine = self.by_student.setdefault(student_key(decision.student), {})
            if decision.position in mine and mine[decision.position].answer != decision.answer:
                first = mine[decision.position]
                raise ExamkitError(decision.problem(f"contradicts '{first.student}:{first.position}={first.answer}' "
                                                    f"({first.where}{f' line {first.line}' if first.line else ''}); keep one decision per answer"))
            mine[decision.position] = decision

    @classmethod
    def of(cls, specs: list[str], files: list[Path]) -> Overrides:
        decisions = [parse_override(spec) for spec in specs]
        for path in files:
            decisions.extend(read_overrides(Path(path)))
        return cls(decisions)

    def __bool__(self) -> bool:
        return bool(self.by_student)

    def settle(self, student: str, letter: str, cells: list, outcomes: tuple, keys: list, graders: list) -> tuple:
        """The row's outcomes with this student's decisions in place (the same tuple if none)."""
        mine = self.by_student.get(student_key(student))
        if not mine:
            return outcomes
        settled = list(outcomes)
        index = {k.position: i for i, k in enumerate(keys)}
        for position, decision in mine.items():
            i = index.get(position)
            if i is None:
                raise ExamkitError(decision.problem(f"form {letter} has no position {position} "
                                                    f"(it has 1-{len(keys)}); check the position in scores.csv"))
            outcome = graders[i].settle(cells[i], decision.answer)
            if outcome.flag:
                raise ExamkitError(decision.problem(f"'{decision.answer}' is not a clear answer to position "
                                                    f"{position} ({outcome.flag}); write it as the key does, "
                                                    "e.g. a letter or the accepted text"))
            settled[i] = outcome
            decision.used = True
        return tuple(settled)

    def check_used(self) -> None:
        """Every decision must have found its student: a misspelt name would otherwise change nothing."""
        unused = [d for mine in self.by_student.values() for d in mine.values() if not d.used]
        if unused:
            raise ExamkitError([d.problem("no graded row of this student; write the name as in scores.csv")
                                for d in unused])


def parse_override(spec: str) -> Override:
    """`STUDENT:POSITION=ANSWER` (the student's name may hold colons; the last one counts)."""
    left, sep, answer = spec.partition("=")
    student, colon, position = left.rpartition(":")
    if not sep or not colon or not student.strip() or not position.strip().isdigit() or not answer.strip():
        raise ExamkitError(Problem("--override", None, f"'{spec}': write STUDENT:POSITION=ANSWER, "
                                                       "e.g. 'Ann Lee:5=B'"))
    return Override(student.strip(), int(position), answer.strip(), "--override")


def read_overrides(path: Path) -> list[Override]:
    """An overrides CSV: a header `student,position,answer`, then one decision a row."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExamkitError(Problem(shown, None, "no such overrides file; check the path")) from None
    except UnicodeDecodeError:
        raise ExamkitError(Problem(shown, None, "not UTF-8 text; save the overrides as CSV UTF-8")) from None
    rows = csv.reader(text.splitlines())
    header = [h.strip().casefold() for h in next(rows, [])]
    if tuple(header[:3]) != OVERRIDES_HEADER:
        raise ExamkitError(Problem(shown, 1, f"the header must be {','.join(OVERRIDES_HEADER)}; found "
                                             f"{','.join(header) or 'nothing'}"))
    decisions = []
    for line, cells in enumerate(rows, start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = (cells + ["", "", ""])[:3]
        student, position, answer = (c.strip() for c in cells)
        if not student or not position.isdigit() or not answer:
            raise ExamkitError(Problem(shown, line, "each row needs a student, a position (a number) and an "
                                                    "answer; fix or remove the row"))
        decisions.append(Override(student, int(position), answer, shown, line))
    return decisions
