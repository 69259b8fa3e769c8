"""`examset.json`: the contract between generating, rendering, scanning and grading."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .bank import Case
from .common import Difficulty, ItemType, Scoring, Strict

# --------------------------------------------------------------------------- exam sets


class PrintedOption(Strict):
    letter: str
    text: str
    why: str | None = None
    correct: bool = False


class PrintedPremise(Strict):
    number: int
    text: str
    answer: str = Field(description="Letter of the matching response as printed.")
    why: str


class PrintedStep(Strict):
    letter: str
    text: str
    why: str
    rank: int = Field(description="Position of this step in the correct order, from 1.")


class FormItem(Strict):
    """One item as printed on a form: everything rendering and grading need, in print order."""

    position: int
    item_id: str
    type: ItemType
    objective: str
    case: str | None = None
    stem: str
    difficulty: Difficulty
    explanation: str
    source: str
    tags: list[str] = []
    points: float = 1
    options: list[PrintedOption] = []
    premises: list[PrintedPremise] = []
    responses: list[PrintedOption] = []
    steps: list[PrintedStep] = []
    answers: list[str] = []
    key: str = Field(description="The answer in canonical notation, as in key.csv.")


class Form(Strict):
    letter: str
    items: list[FormItem]


class Manifest(Strict):
    examkit_version: str
    seed: int
    mode: Literal["draw", "scramble"]
    blueprint: str
    blueprint_hash: str
    bank_hash: str


class ExamSet(Strict):
    """The contract between generating, rendering and grading: self-contained and timeless."""

    format: Literal["examkit.examset/1"] = "examkit.examset/1"
    title: str
    exam: str = Field(description="Exam id, e.g. aif-c01.")
    exam_title: str = ""
    time_limit_minutes: int | None = None
    instructions: str = ""
    scoring: Scoring = Scoring()
    objectives: dict[str, str] = Field(default_factory=dict, description="Objective id to title.")
    cases: dict[str, Case] = {}
    manifest: Manifest
    forms: list[Form]

    def form(self, letter: str) -> Form | None:
        return next((f for f in self.forms if f.letter == letter.strip().upper()), None)
