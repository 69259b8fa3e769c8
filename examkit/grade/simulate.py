"""Answer files for trying the grader before any student exists: a blank responses template, and
a simulated class whose students answer by ability and item difficulty and type as people type.

Pure functions over an exam set (rows of cells out); the CLI reads the exam set and writes CSV.

The simulation is a three-parameter logistic model, as item response theory describes a class:
a student of ability theta (normal, mean 0) answers an item of difficulty b (easy -1, medium 0,
hard +1) right with probability c + (1 - c) / (1 + exp(-1.7 (theta - b))), where c is the chance
of guessing a choice item right. Each student has a writing habit (capitals or not, spaces or
commas, letters or the option's own words) and slips now and then: typos, blanks.
"""

from __future__ import annotations

import math
import random as random_module
from collections.abc import Callable
from dataclasses import dataclass

from ..models import ExamSet, FormItem

DIFFICULTY = {"easy": -1.0, "medium": 0.0, "hard": 1.0}
BLANK_SHARE = 0.03  # answers left blank
TYPO_SHARE = 0.3  # option or short-answer text typed with one slip
WRONG_SHORT = ("i dont know", "not sure", "model", "data")


@dataclass(frozen=True)
class Habit:
    """How one student writes answers."""

    lower: bool  # b instead of B
    spaced: bool  # "a c" instead of "A,C"
    words: bool  # types the option's text instead of its letter (sometimes)
    decorated: bool  # "(B)" or "B)"


@dataclass(frozen=True)
class SimulatedClass:
    header: list[str]
    rows: list[list[str]]
    abilities: list[float]  # per row, the theta the student was drawn with


def header_for(examset: ExamSet) -> list[str]:
    """`student,form,1,...,N` for the longest form."""
    size = max((len(form.items) for form in examset.forms), default=0)
    return ["student", "form", *(str(n) for n in range(1, size + 1))]


def responses_template(examset: ExamSet, students: int = 30) -> list[list[str]]:
    """A blank answer file: the header, then one row per student to fill, forms handed out in turn
    (A, B, C, A, ...) as they would be round a classroom."""
    header = header_for(examset)
    blank = [""] * (len(header) - 2)
    return [header] + [["", examset.forms[n % len(examset.forms)].letter, *blank] for n in range(students)]


def simulate_class(examset: ExamSet, students: int = 30, seed: int = 0) -> SimulatedClass:
    """A class of `students` who answer every form in turn; the same seed gives the same class."""
    rng = random_module.Random(seed)
    header = header_for(examset)
    rows, abilities = [], []
    width = len(header) - 2
    for n in range(students):
        form = examset.forms[n % len(examset.forms)]
        theta = rng.gauss(0.0, 1.0)
        habit = Habit(lower=rng.random() < 0.4, spaced=rng.random() < 0.4, words=rng.random() < 0.2,
                      decorated=rng.random() < 0.15)
        cells = [answer_cell(item, theta, habit, rng) for item in form.items]
        rows.append([f"student-{n + 1:02d}", form.letter, *cells, *[""] * (width - len(cells))])
        abilities.append(round(theta, 3))
    return SimulatedClass(header, rows, abilities)


def chance_right(item: FormItem, theta: float) -> float:
    guess = 1 / len(item.options) if item.type == "single" and item.options else 0.0
    return guess + (1 - guess) / (1 + math.exp(-1.7 * (theta - DIFFICULTY.get(item.difficulty, 0.0))))


def answer_cell(item: FormItem, theta: float, habit: Habit, rng: random_module.Random) -> str:
    """What one student writes for one item: blank, or right or wrong in the student's own style."""
    write = WRITERS.get(item.type)
    if write is None or rng.random() < BLANK_SHARE:
        return ""  # a type the simulation does not know yet is left blank, as a student might
    return write(item, rng.random() < chance_right(item, theta), habit, rng)


# --------------------------------------------------------------------------- writing, per type


def _letter(letter: str, habit: Habit) -> str:
    letter = letter.lower() if habit.lower else letter
    return f"({letter})" if habit.decorated and letter.isalpha() else letter


def _slip(text: str, rng: random_module.Random) -> str:
    """One typo in the longest word (a letter dropped or two swapped), if it is long enough."""
    words = text.split()
    if not words or rng.random() >= TYPO_SHARE:
        return text
    i = max(range(len(words)), key=lambda k: len(words[k]))
    word = words[i]
    if len(word) < 6:
        return text
    at = rng.randrange(1, len(word) - 2)
    words[i] = word[:at] + word[at + 1:] if rng.random() < 0.5 else word[:at] + word[at + 1] + word[at] + word[at + 2:]
    return " ".join(words)


def _single(item: FormItem, right: bool, habit: Habit, rng) -> str:
    wrong = [o for o in item.options if not o.correct]
    option = next(o for o in item.options if o.correct) if right or not wrong else rng.choice(wrong)
    if habit.words and rng.random() < 0.5:
        text = option.text.lower() if habit.lower else option.text
        return _slip(text, rng)
    return _letter(option.letter, habit)


def _multiple(item: FormItem, right: bool, habit: Habit, rng) -> str:
    keys = [o.letter for o in item.options if o.correct]
    others = [o.letter for o in item.options if not o.correct]
    chosen = keys[:]
    if not right and others:
        chosen[rng.randrange(len(chosen))] = rng.choice(others)  # one key swapped for a distractor
    if rng.random() < 0.3:
        rng.shuffle(chosen)  # "C, A": order does not matter to the reader
    letters = [_letter(c, Habit(habit.lower, habit.spaced, False, False)) for c in chosen]
    return (" " if habit.spaced else ", " if rng.random() < 0.5 else ",").join(letters)


def _matching(item: FormItem, right: bool, habit: Habit, rng) -> str:
    answers = [p.answer for p in item.premises]
    if not right and len(answers) > 1:
        i, j = rng.sample(range(len(answers)), 2)
        answers[i], answers[j] = answers[j], answers[i]
    pairs = [(p.number, a.lower() if habit.lower else a) for p, a in zip(item.premises, answers)]
    if habit.spaced:
        return " ".join(f"{n}{a}" for n, a in pairs)
    return ", ".join(f"{n}:{a}" for n, a in pairs) if habit.lower else ";".join(f"{n}-{a}" for n, a in pairs)


def _ordering(item: FormItem, right: bool, habit: Habit, rng) -> str:
    order = [s.letter for s in sorted(item.steps, key=lambda s: s.rank)]
    if not right and len(order) > 1:
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    letters = [o.lower() if habit.lower else o for o in order]
    if habit.spaced:
        return " > ".join(letters)
    return "".join(letters) if rng.random() < 0.5 else ",".join(letters)


def _short(item: FormItem, right: bool, habit: Habit, rng) -> str:
    if right and item.answers:
        text = _slip(rng.choice(item.answers), rng)
        return text.lower() if habit.lower else text[:1].upper() + text[1:]
    return rng.choice(WRONG_SHORT)


def _numeric(item: FormItem, right: bool, habit: Habit, rng) -> str:
    number = item.number if item.number is not None else 0.0
    if not right:
        number = number * rng.choice((0.5, 2, 10)) if number else 1.0  # a slip of scale
    text = f"{number:.6g}"
    return text.replace(".", ",") if habit.spaced and rng.random() < 0.3 else text  # a decimal comma, sometimes


# One small function per item type; a type without one is left blank.
WRITERS: dict[str, Callable[[FormItem, bool, Habit, random_module.Random], str]] = {
    "single": _single,
    "multiple": _multiple,
    "matching": _matching,
    "ordering": _ordering,
    "short": _short,
    "numeric": _numeric,
}
