"""Aiken: single-choice questions only, one line each, options `A.` or `A)`, then `ANSWER: X`."""

from __future__ import annotations

import re
import string

from ..errors import Problem
from .model import Choice, Package, Question, Skipped
from .text import one_line, with_case

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")
TYPES = frozenset({"single"})  # the export leaves other types out (export._drop_unheld), saying so


def export(package: Package, partial: frozenset[str] = frozenset()) -> tuple[str, list[Skipped]]:
    out: list[str] = []
    skipped: list[Skipped] = []
    for quiz in package.quizzes:
        for q in quiz.questions:
            if len(q.choices) > len(string.ascii_uppercase):
                skipped.append(Skipped(q.id, "Aiken letters options A to Z; more than 26 options; left out"))
                continue
            out.append(with_case(q, single_line=True))
            for letter, c in zip(string.ascii_uppercase, q.choices):
                out.append(f"{letter}. {one_line(c.text)}")
            key = next(letter for letter, c in zip(string.ascii_uppercase, q.choices) if c.correct)
            out += [f"ANSWER: {key}", ""]
    return "\n".join(out), skipped


def read(data: bytes, shown: str) -> tuple[list[Question], list[Skipped], list[Problem]]:
    from .bankwrite import item_id
    from .importer import decode

    text, problem = decode(data, shown)
    if problem:
        return [], [], [problem]
    questions: list[Question] = []
    problems: list[Problem] = []
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0

    def finish(line: int, answer: str | None) -> None:
        nonlocal stem, options
        if answer is None:
            problems.append(Problem(shown, start, "the question has no 'ANSWER:' line; add 'ANSWER: <letter>' "
                                                  "after its options"))
        elif len(options) < 2:
            problems.append(Problem(shown, start, "the question has fewer than two options 'A. ...'; add its options"))
        elif answer not in [letter for letter, _ in options]:
            problems.append(Problem(shown, line, f"'ANSWER: {answer}' names no option of this question; "
                                                 f"use one of {', '.join(letter for letter, _ in options)}"))
        else:
            text = " ".join(stem)
            questions.append(Question(
                id=item_id(None, text), type="single", stem=text,
                choices=[Choice(t, letter == answer) for letter, t in options],
                source=f"Imported from {shown}", path=shown, line=start))
        stem, options = [], []

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        answer = _ANSWER.match(line)
        option = _OPTION.match(line)
        if answer:
            if not stem:
                problems.append(Problem(shown, number, "'ANSWER:' without a question before it; remove it"))
                continue
            finish(number, answer[1])
        elif option and stem:
            options.append((option[1], option[2].strip()))
        else:
            if options:  # a new question began before the last one had its ANSWER line
                finish(number, None)
            if not stem:
                start = number
            stem.append(line)
    if stem:
        finish(start, None)
    return questions, [], problems
