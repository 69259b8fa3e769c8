"""Bank files: the exam definition (objective tree, facts, item rules, concepts), case studies
and items. The YAML format of a bank and the JSON Schema `examkit schema` prints are these classes.
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from ..expressions import NAME, ExpressionError, names, parse
from .common import Difficulty, ObjectiveId, Slug, Strict, Text

# --------------------------------------------------------------------------- the exam


class ObjectiveNode(Strict):
    """A domain, task statement or objective of the exam guide, as written in the bank."""

    id: ObjectiveId
    title: Text
    weight: float | None = Field(None, description="Official weight in percent (domains).")
    children: list[ObjectiveNode] = []


class Objective(Strict):
    """One node of the objective tree, flattened."""

    id: ObjectiveId
    title: Text
    parent: ObjectiveId | None = None
    weight: float | None = None
    depth: int = 0


class ExamFacts(Strict):
    scored_questions: int = Field(gt=0)
    unscored_questions: int = Field(0, ge=0)
    score_scale: tuple[int, int] | None = None
    passing_score: int | None = None
    duration_minutes: int | None = Field(None, gt=0)
    result: str | None = None
    unanswered: str | None = None


class SingleRule(Strict):
    options: int | None = Field(None, description="Exact number of options, if fixed.")
    min_options: int = 2


class MultipleRule(Strict):
    min_options: int = 3
    min_correct: int = 2


class RangeRule(Strict):
    min: int = 3
    max: int | None = None


class ItemRules(Strict):
    """Item shapes the exam allows; the validator enforces them for the bank that declares them."""

    single: SingleRule = SingleRule()
    multiple: MultipleRule = MultipleRule()
    matching: RangeRule = RangeRule()
    ordering: RangeRule = RangeRule()
    case_min_items: int = 2


class Concept(Strict):
    """A concept the bank promises to examine; lint checks its coverage through item tags."""

    id: Slug
    title: Text
    objective: ObjectiveId


class ExamSpec(Strict):
    """The exam a bank is written for: objectives, facts, item rules, scope, concepts."""

    id: Slug
    title: Text
    guide_version: str | None = None
    facts: ExamFacts | None = None
    rules: ItemRules = ItemRules()
    scope: list[ObjectiveId] = Field(default_factory=list, description="Objectives this bank covers.")
    concepts: list[Concept] = []
    scenario_aim: float | None = Field(
        None, ge=0, le=100,
        description="Percent of each in-scope objective's items meant to be decision scenarios; lint reports "
                    "the real share per objective against it.")
    objectives: list[ObjectiveNode]


class ExamFile(Strict):
    exam: ExamSpec


# --------------------------------------------------------------------------- items


class Option(Strict):
    text: Text
    why: Text = Field(description="Why this option is right or wrong.")
    correct: bool = False
    pin: Literal["first", "last"] | None = Field(None, description="Keep in place when shuffling.")


class Premise(Strict):
    text: Text
    answer: Slug = Field(description="Key of the matching response.")
    why: Text


class Response(Strict):
    key: Slug
    text: Text
    why: str | None = Field(None, description="Required for responses no premise uses.")


class Step(Strict):
    text: Text
    why: Text


class Param(Strict):
    """A number drawn for each form: from a range with a step, or from a list."""

    min: float | None = None
    max: float | None = None
    step: float = Field(1, gt=0, description="Values are min, min + step, ... up to max.")
    choice: list[float] | None = Field(None, min_length=1, description="Or: one of these values.")

    @model_validator(mode="after")
    def _range_or_choice(self):
        if self.choice is None and (self.min is None or self.max is None):
            raise ValueError("a parameter needs 'min' and 'max' (with an optional 'step'), or 'choice'")
        if self.choice is None and self.max < self.min:
            raise ValueError(f"max {self.max:g} is below min {self.min:g}; swap them")
        if self.choice is None and (self.max - self.min) / self.step > 100_000:
            raise ValueError("the range holds more than 100,000 steps; use a larger step")
        return self

    def values(self) -> list[float]:
        if self.choice is not None:
            return list(self.choice)
        count = int(round((self.max - self.min) / self.step)) + 1
        return [round(self.min + i * self.step, 10) for i in range(count) if self.min + i * self.step <= self.max + 1e-9]


class ItemBase(Strict):
    id: Slug
    objective: ObjectiveId
    stem: Text
    difficulty: Difficulty
    explanation: Text
    source: Text = Field(description="The section of the notes the fact comes from.")
    style: Literal["scenario", "knowledge"] = "knowledge"
    tags: list[Slug] = Field(default_factory=list, description="Concepts the item tests.")
    enemies: list[Slug] = Field(default_factory=list, description="Items never on the same form.")
    case: Slug | None = Field(None, description="Case study this item belongs to.")
    shuffle: bool = Field(True, description="Set false to keep options in the written order.")
    params: dict[str, Param] = Field(default_factory=dict, description="Numbers drawn for each form; "
                                     "texts use them as {name} or {name:.2f}.")
    values: dict[str, str] = Field(default_factory=dict, description="Numbers computed from the params, "
                                   "in order: name: formula.")
    conditions: list[str] = Field(default_factory=list, description="Formulas every draw must make true.")

    @model_validator(mode="after")
    def _formulas_are_safe(self):
        known = set(self.params)
        for name in [*self.params, *self.values]:
            if not NAME.match(name):
                raise ValueError(f"'{name}' is not a parameter name; use lower-case letters, digits and _")
        for name, formula in self.values.items():
            try:
                unknown = names(parse(formula)) - known
            except ExpressionError as exc:
                raise ValueError(f"values.{name}: {exc}") from None
            if unknown:
                raise ValueError(f"values.{name} uses {', '.join(sorted(unknown))}, defined neither in params "
                                 "nor in an earlier value")
            known.add(name)
        for index, formula in enumerate(self.conditions):
            try:
                unknown = names(parse(formula)) - known
            except ExpressionError as exc:
                raise ValueError(f"conditions[{index}]: {exc}") from None
            if unknown:
                raise ValueError(f"conditions[{index}] uses {', '.join(sorted(unknown))}, which is not defined")
        return self


def _check_distinct(texts: list[str], what: str) -> None:
    seen: set[str] = set()
    for text in texts:
        norm = " ".join(text.lower().split())
        if norm in seen:
            raise ValueError(f"duplicate {what} {text!r}; make every {what} different")
        seen.add(norm)


class SingleItem(ItemBase):
    type: Literal["single"]
    options: list[Option] = Field(min_length=2)

    @model_validator(mode="after")
    def _one_correct(self):
        n = sum(o.correct for o in self.options)
        if n != 1:
            raise ValueError(
                f"a single-choice item needs exactly one correct option, found {n}; "
                "mark one option 'correct: true' (or use type: multiple)"
            )
        _check_distinct([o.text for o in self.options], "option")
        return self


class MultipleItem(ItemBase):
    type: Literal["multiple"]
    options: list[Option] = Field(min_length=3)

    @model_validator(mode="after")
    def _several_correct(self):
        n = sum(o.correct for o in self.options)
        if n < 2:
            raise ValueError(
                f"a multiple-response item needs at least two correct options, found {n}; "
                "mark more options 'correct: true' (or use type: single)"
            )
        if n == len(self.options):
            raise ValueError("every option is correct; add at least one incorrect option")
        _check_distinct([o.text for o in self.options], "option")
        return self

    @property
    def choose(self) -> int:
        return sum(o.correct for o in self.options)


class MatchingItem(ItemBase):
    type: Literal["matching"]
    premises: list[Premise]
    responses: list[Response]

    @model_validator(mode="after")
    def _well_formed(self):
        if len(self.premises) < 3:
            raise ValueError(
                f"a matching item needs at least three premises, found {len(self.premises)}; add premises"
            )
        if len(self.responses) < len(self.premises):
            raise ValueError(
                f"a matching item needs at least as many responses as premises "
                f"({len(self.responses)} < {len(self.premises)}); add responses"
            )
        keys = [r.key for r in self.responses]
        _check_distinct(keys, "response key")
        _check_distinct([r.text for r in self.responses], "response")
        _check_distinct([p.text for p in self.premises], "premise")
        used = {p.answer for p in self.premises}
        for p in self.premises:
            if p.answer not in keys:
                raise ValueError(
                    f"premise {p.text!r} answers '{p.answer}', which is no response key; "
                    f"use one of {', '.join(keys)}"
                )
        for r in self.responses:
            if r.key not in used and not (r.why or "").strip():
                raise ValueError(
                    f"response '{r.key}' matches no premise, so it needs a 'why' saying why it fits none"
                )
        return self


class OrderingItem(ItemBase):
    type: Literal["ordering"]
    steps: list[Step] = Field(description="The steps in their correct order.")

    @model_validator(mode="after")
    def _enough_steps(self):
        if len(self.steps) < 3:
            raise ValueError(f"an ordering item needs at least three steps, found {len(self.steps)}; add steps")
        _check_distinct([s.text for s in self.steps], "step")
        return self


class ShortItem(ItemBase):
    type: Literal["short"]
    answers: list[Text] = Field(min_length=1, description="Accepted answers; the first is printed in the key.")


class NumericItem(ItemBase):
    """The answer is a number, given or computed (a value's name), within a tolerance."""

    type: Literal["numeric"]
    answer: float | str = Field(description="The number, or the name of a computed value of the item.")
    tolerance: float = Field(0, ge=0, description="Accepted distance from the answer (absolute).")
    tolerance_percent: float = Field(0, ge=0, le=100, description="Or: accepted distance in percent of the answer.")
    decimals: int | None = Field(None, ge=0, le=10, description="Decimals the key shows (default: as computed).")

    @model_validator(mode="after")
    def _answer_is_known(self):
        if isinstance(self.answer, str) and self.answer not in self.values and self.answer not in self.params:
            raise ValueError(f"answer '{self.answer}' is neither a number nor one of the item's values; "
                             "give a number or name a value")
        return self


Item = Annotated[
    Union[SingleItem, MultipleItem, MatchingItem, OrderingItem, ShortItem, NumericItem],
    Field(discriminator="type"),
]


class Case(Strict):
    """A case study: one scenario shared by two or more items, each scored on its own."""

    id: Slug
    title: Text
    scenario: Text


class ItemFile(Strict):
    """One bank file of items (and the case studies they share)."""

    cases: list[Case] = []
    items: list[Item] = []


class BankFile(Strict):
    """The schema of any bank file: the exam definition, items and cases may each appear."""

    exam: ExamSpec | None = None
    cases: list[Case] = []
    items: list[Item] = []
