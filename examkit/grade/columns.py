"""What each column of an answer sheet holds: the student, the form, or the answers to an item.

A sheet's header is classified once into `Column`s; rows are then plain lists of cells. The
canonical layout names positions (`student,form,1,2,...` or `q1`...); Forms exports and other
spreadsheets name the question instead, which `forms_export.map_question_columns` maps to items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .match import normalise

# Roles: `student` and `form` identify the row; `answer` is one item (by position or item id);
# `grid` is one row of a form's grid question (a premise or step of one item); `quiz` holds the
# form's own points or feedback, `meta` its timestamps and totals (both not needed to grade);
# `extra` is anything else: not graded, but its cells are kept in responses.csv.
ROLES = ("student", "form", "answer", "grid", "quiz", "meta", "extra")

_POSITION = re.compile(r"^\s*(?:q(?:uestion)?|item|no\.?|#)?\s*[-_ ]?\s*(\d{1,4})\s*\.?\s*$", re.I)
STUDENT_WORDS = {
    "student": 1, "student name": 1, "name": 1, "full name": 1, "your name": 1, "student id": 1,
    "student number": 1, "studentid": 1, "student_id": 1, "candidate": 1, "username": 1, "user": 1,
    "learner": 1, "pupil": 1, "participant": 1,
    "email": 2, "email address": 2, "e mail": 2, "mail": 2, "your email": 2,
    "id": 3,
}
FORM_WORDS = {"form", "form letter", "exam form", "test form", "version", "exam version", "which form",
              "your form", "form version", "variant", "paper"}


@dataclass
class Column:
    index: int
    label: str
    role: str
    position: int | None = None
    item_id: str | None = None
    sub: str | None = None
    score: float | None = None
    priority: int = 0

    def describe(self) -> str:
        label = self.label if len(self.label) <= 60 else self.label[:57] + "..."
        if self.role == "answer":
            target = f"position {self.position}" if self.position else f"item {self.item_id}"
            how = f" (match {self.score:.0f})" if self.score is not None and self.score < 100 else ""
            return f'"{label}" -> {target}{how}'
        if self.role == "grid":
            how = f" (match {self.score:.0f})" if self.score is not None and self.score < 100 else ""
            return f'"{label}" -> item {self.item_id}, row "{self.sub}"{how}'
        if self.role in ("student", "form"):
            return f'"{label}" -> {self.role}'
        return f'"{label}"'


def position_of(label: str) -> int | None:
    found = _POSITION.match(label)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def identity_role(label: str) -> tuple[str, int] | None:
    """('student', priority) or ('form', 0) for a header that names the student or the form."""
    norm = normalise(label)
    if norm in STUDENT_WORDS:
        return "student", STUDENT_WORDS[norm]
    if norm in FORM_WORDS:
        return "form", 0
    return None


def canonical_columns(header: list[str]) -> list[Column]:
    """Columns of the canonical layout: student, form, then one column per position."""
    columns = []
    for index, label in enumerate(header):
        identity = identity_role(label)
        position = position_of(label)
        if identity:
            columns.append(Column(index, label, identity[0], priority=identity[1]))
        elif position is not None:
            columns.append(Column(index, label, "answer", position=position))
        else:
            columns.append(Column(index, label, "extra"))
    return columns


def student_columns(columns: Iterable[Column]) -> list[int]:
    """Indices of the columns naming the student, most specific first (name before e-mail before id)."""
    found = [c for c in columns if c.role == "student"]
    return [c.index for c in sorted(found, key=lambda c: (c.priority, c.index))]


# Forms after Z are AA, AB, ...: up to three letters name a form.
_FORM_VALUE = re.compile(r"^\s*(?:(?:exam|test)\s+)?(?:form|version|variant|paper)?\s*[:#\-]?\s*([A-Za-z]{1,3})\s*\.?\s*$", re.I)


def form_letter(value: str, letters: Iterable[str]) -> str | None:
    """The form letter a cell names (`A`, `b`, `Form A`, `Version B`, `AB`), if it is one of `letters`,
    spelt as the exam set spells it (an exam set written with lower-case letters grades too)."""
    found = _FORM_VALUE.match(value)
    if not found:
        return None
    wanted = found.group(1).upper()
    return next((letter for letter in letters if letter.upper() == wanted), None)
