"""`examset.json`: the contract between generating, rendering, scanning and grading.

Each item is stored once (`items`, by id, its options, premises, responses and steps in one
fixed order) and each form is the list of its items in print order, each with the permutation
it was printed in (`placements`). The file therefore grows with items plus forms, not with
items times forms: 10,000 forms of a 30-item exam are a few tens of megabytes.

Rendering and grading see each form as the items a student reads: `form.items` prints them
(letters, numbers, keys) on first use. Version 1 files, where every form held its printed
items in full, are still read (`upgrade_v1`), so a printed exam can be graded years later.
"""

from __future__ import annotations

import string
from typing import Any, Literal, NamedTuple

from pydantic import Field, PrivateAttr, model_validator

from ..expressions import compiled, fill
from ..numbers import fixed, plain_number
from .bank import Case
from .common import Difficulty, ItemType, Scoring, Strict

LETTERS = string.ascii_uppercase
FORMAT = "examkit.examset/2"
FORMAT_V1 = "examkit.examset/1"

# --------------------------------------------------------------------------- printed items


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


class ItemContent(Strict):
    """What an item says and is worth, whether stored once or printed on a form."""

    type: ItemType
    objective: str
    case: str | None = None
    stem: str
    difficulty: Difficulty
    explanation: str
    source: str
    tags: list[str] = []
    points: float = 1


class FormItem(ItemContent):
    """One item as printed on a form: everything rendering and grading need, in print order."""

    position: int
    item_id: str
    options: list[PrintedOption] = []
    premises: list[PrintedPremise] = []
    responses: list[PrintedOption] = []
    steps: list[PrintedStep] = []
    answers: list[str] = []
    number: float | None = Field(None, description="A numeric item's answer on this form.")
    tolerance: float = Field(0, description="How far from `number` an answer may be and still count.")
    values: dict[str, float] = Field(default_factory=dict, description="A parametric item's numbers on this form.")
    key: str = Field(description="The answer in canonical notation, as in key.csv.")


# --------------------------------------------------------------------------- stored items


class Choice(Strict):
    """An option, or a matching response (`correct`: some premise uses it)."""

    text: str
    why: str | None = None
    correct: bool = False


class StoredPremise(Strict):
    text: str
    answer: int = Field(description="Index of the matching response in the item's `responses`.")
    why: str


class StoredStep(Strict):
    text: str
    why: str


class SetItem(ItemContent):
    """An item as stored once in the exam set; steps are in their correct order."""

    options: list[Choice] = []
    premises: list[StoredPremise] = []
    responses: list[Choice] = []
    steps: list[StoredStep] = []
    answers: list[str] = []
    # Numeric items: the answer (a number, or the name of a computed value) and its tolerance.
    number: float | str | None = None
    tolerance: float = 0
    tolerance_percent: float = 0
    decimals: int | None = None
    # Parametric items: the formulas of computed values, in order (the drawn numbers are per form).
    formulas: dict[str, str] = {}


class Placement(NamedTuple):
    """An item on a form: which one, and the order its parts are printed in.

    Written as a JSON array, `["item-id", [order...], [premises...], [[name, number]...]]`: `order` lists indexes into
    the item's options (single, multiple), steps (ordering) or responses (matching), in print
    order; `premises` the premise indexes of a matching item; the last the numbers a parametric
    item drew for this form. A tuple rather than a model, so
    that 300,000 placements (10,000 forms) read in a fraction of a second and take little memory.
    """

    item: str
    order: tuple[int, ...] = ()
    premises: tuple[int, ...] = ()
    values: tuple[tuple[str, float], ...] = ()  # a parametric item's drawn numbers on this form


def scope_of(item: SetItem, placement: Placement) -> dict[str, float]:
    """A parametric item's numbers on one form: the drawn ones, then each computed value in turn."""
    scope = dict(placement.values)
    for name, formula in item.formulas.items():
        scope[name] = compiled(formula)(scope)
    return scope


def numeric_answer(item: SetItem, scope: dict[str, float]) -> tuple[float, float]:
    """A numeric item's answer and absolute tolerance on a form."""
    number = scope[item.number] if isinstance(item.number, str) else float(item.number)
    return number, max(item.tolerance, abs(number) * item.tolerance_percent / 100)


def numeric_key(number: float, tolerance: float, decimals: int | None) -> str:
    shown = fixed(number, decimals) if decimals is not None else plain_number(number)
    return f"{shown} ±{plain_number(tolerance)}" if tolerance else shown


def placement_key(item: SetItem, placement: Placement, scope: dict[str, float] | None = None) -> str:
    """The answer in key.csv's notation: single `B`, multiple `A,C`, matching `1-C;2-A`,
    ordering `C,A,B,D`, short `a | b`, numeric `0.8` or `0.8 ±0.01`."""
    kind = item.type
    if kind in ("single", "multiple"):
        return ",".join(LETTERS[slot] for slot, index in enumerate(placement.order) if item.options[index].correct)
    if kind == "matching":
        slot_of = {index: slot for slot, index in enumerate(placement.order)}
        return ";".join(f"{number}-{LETTERS[slot_of[item.premises[index].answer]]}"
                        for number, index in enumerate(placement.premises, start=1))
    if kind == "ordering":
        slot_of = {index: slot for slot, index in enumerate(placement.order)}
        return ",".join(LETTERS[slot_of[rank]] for rank in range(len(item.steps)))
    if scope is None:
        scope = scope_of(item, placement)
    if kind == "numeric":
        return numeric_key(*numeric_answer(item, scope), item.decimals)
    return " | ".join(fill(a, scope) for a in item.answers)


def print_item(item_id: str, item: SetItem, placement: Placement, position: int,
               printed: dict[tuple, Any] | None = None) -> FormItem:
    """The item as printed at `position`: lettered, numbered and keyed by its placement.

    `printed` keeps what was printed, for the forms of one exam set (`ExamSet.link_forms`): they
    print each item in a few orders only, so it is printed once per order and copied for another
    position, and each lettered part is made once (nothing changes a printed item).
    """
    if item.formulas or placement.values:  # a parametric item prints its own numbers on each form
        return _print(item_id, item, placement, position, scope_of(item, placement), {})
    if printed is None:
        printed = {}
    order_key = (item_id, tuple(placement.order), tuple(placement.premises))
    made = printed.get(order_key)
    if made is None:
        made = printed[order_key] = _print(item_id, item, placement, position, {}, printed)
    return made if made.position == position else made.model_copy(update={"position": position})


def _print(item_id: str, item: SetItem, placement: Placement, position: int, scope: dict[str, float],
           made: dict[tuple, Any]) -> FormItem:
    def text(value):
        return fill(value, scope) if scope and value else value

    values: dict[str, Any] = {
        "position": position, "item_id": item_id, "type": item.type, "objective": item.objective,
        "case": item.case, "stem": text(item.stem), "difficulty": item.difficulty,
        "explanation": text(item.explanation), "source": item.source, "tags": list(item.tags),
        "points": item.points, "options": [], "premises": [], "responses": [], "steps": [],
        "answers": [text(a) for a in item.answers], "number": None, "tolerance": 0.0, "values": scope,
    }
    values.update(_printed_parts(item_id, item, placement, text, scope, made))
    return FormItem.model_construct(**values)


def _printed_parts(item_id: str, item: SetItem, placement: Placement, text, scope: dict[str, float],
                   made: dict[tuple, Any]) -> dict[str, Any]:
    """An item's options, responses, premises or steps lettered in a placement's order, and its
    key; a lettered part already in `made` (an earlier order gave it the same letter) is reused."""
    order = placement.order

    def part(model, kind: str, index: int, slot: int, **fields):
        key = (item_id, kind, index, slot, fields.get("number"))
        printed = made.get(key)
        if printed is None:
            printed = made[key] = model.model_construct(**fields)
        return printed

    values: dict[str, Any] = {"key": placement_key(item, placement, scope)}
    # Built without validating again: the parts come from a validated exam set.
    if item.type in ("single", "multiple"):
        values["options"] = [part(PrintedOption, "option", i, slot, letter=LETTERS[slot], text=text(item.options[i].text),
                                  why=text(item.options[i].why), correct=item.options[i].correct)
                             for slot, i in enumerate(order)]
    elif item.type == "matching":
        slot_of = {index: slot for slot, index in enumerate(order)}
        values["responses"] = [part(PrintedOption, "response", i, slot, letter=LETTERS[slot],
                                    text=text(item.responses[i].text), why=text(item.responses[i].why),
                                    correct=item.responses[i].correct)
                               for slot, i in enumerate(order)]
        values["premises"] = [part(PrintedPremise, "premise", i, slot_of[item.premises[i].answer], number=number,
                                   text=text(item.premises[i].text), why=text(item.premises[i].why),
                                   answer=LETTERS[slot_of[item.premises[i].answer]])
                              for number, i in enumerate(placement.premises, start=1)]
    elif item.type == "ordering":
        values["steps"] = [part(PrintedStep, "step", i, slot, letter=LETTERS[slot], text=text(item.steps[i].text),
                                why=text(item.steps[i].why), rank=i + 1)
                           for slot, i in enumerate(order)]
    elif item.type == "numeric":
        values["number"], values["tolerance"] = numeric_answer(item, scope)
    return values


# --------------------------------------------------------------------------- forms and the set


class Form(Strict):
    letter: str
    placements: list[Placement]
    expected_mean: float | None = Field(None, description="Expected mean score in percent, from earlier "
                                                          "classes' facility where known, else difficulty labels.")

    _store: dict[str, SetItem] | None = PrivateAttr(None)
    # The printed items, with the placements list they were printed from: a copy of the form with
    # other placements (`model_copy(update=...)`) prints its own.
    _printed: tuple[list[Placement], list[FormItem]] | None = PrivateAttr(None)
    _prints: dict[tuple, Any] | None = PrivateAttr(None)  # what the set's forms printed (`print_item`)

    @property
    def items(self) -> list[FormItem]:
        """The form's items as printed, built on first use (a form nobody reads costs nothing)."""
        cached = self._printed
        if cached is None or cached[0] is not self.placements:
            store = self._store
            if store is None:
                raise RuntimeError("a form's items are printed from its exam set; read the form through it")
            cached = self._printed = (self.placements, [print_item(p.item, store[p.item], p, position, self._prints)
                                                        for position, p in enumerate(self.placements, start=1)])
        return cached[1]


class TableCell(NamedTuple):
    """How many items of one blueprint objective, type and difficulty every form holds."""

    objective: str
    type: str
    difficulty: str
    count: int


class FormTable(Strict):
    """What every form holds, so forms are parallel: written as `[objective, type, difficulty, n]`."""

    cells: list[TableCell]
    case_studies: int = 0


class Manifest(Strict):
    examkit_version: str
    seed: int
    mode: Literal["draw", "scramble"]
    blueprint: str
    blueprint_hash: str
    bank_hash: str


class ExamSet(Strict):
    """The contract between generating, rendering and grading: self-contained and timeless."""

    # No default, so that writing without defaults still names the format.
    format: Literal["examkit.examset/2"] = Field(description="Always examkit.examset/2 (version 1 is read too).")
    title: str
    exam: str = Field(description="Exam id, e.g. aif-c01.")
    exam_title: str = ""
    time_limit_minutes: int | None = None
    instructions: str = ""
    scoring: Scoring = Scoring()
    objectives: dict[str, str] = Field(default_factory=dict, description="Objective id to title.")
    cases: dict[str, Case] = {}
    manifest: Manifest
    table: FormTable | None = Field(None, description="Items per objective, type and difficulty on every form.")
    items: dict[str, SetItem] = Field(default_factory=dict, description="Every item on any form, by id, once.")
    forms: list[Form]

    @model_validator(mode="after")
    def _placements_name_stored_items(self):
        checked: set[Placement] = set()  # most placements repeat one another: check each kind once
        for form in self.forms:
            for position, placement in enumerate(form.placements, start=1):
                if placement in checked:
                    continue
                item = self.items.get(placement.item)
                if item is None:
                    raise ValueError(f"form {form.letter} position {position} names item "
                                     f"'{placement.item}', which the exam set does not hold")
                _check_placement(item, placement, f"form {form.letter} position {position}")
                checked.add(placement)
        self.link_forms()
        return self

    def link_forms(self) -> None:
        """Let each form print its items from this set's stored items, as they are now (what
        was printed from them before, perhaps before a change, is forgotten)."""
        prints: dict[tuple, Any] = {}
        for form in self.forms:
            form._store = self.items
            form._printed = None
            form._prints = prints

    def form(self, letter: str) -> Form | None:
        return next((f for f in self.forms if f.letter == letter.strip().upper()), None)


def _check_placement(item: SetItem, placement: Placement, where: str) -> None:
    """A placement must be a permutation of the parts it orders, or printing would misplace them."""
    parts = {"single": item.options, "multiple": item.options, "ordering": item.steps,
             "matching": item.responses}.get(item.type, [])
    if sorted(placement.order) != list(range(len(parts))):
        raise ValueError(f"{where}: 'order' must list each of the item's {len(parts)} parts once")
    expected = len(item.premises) if item.type == "matching" else 0
    if sorted(placement.premises) != list(range(expected)):
        raise ValueError(f"{where}: 'premises' must list each of the item's {expected} premises once")


# --------------------------------------------------------------------------- version 1 files


def stored_and_placed(printed: FormItem) -> tuple[SetItem, Placement]:
    """An item printed on a form, split into the item as stored and the order it was printed in."""
    base = dict(type=printed.type, objective=printed.objective, case=printed.case, stem=printed.stem,
                difficulty=printed.difficulty, explanation=printed.explanation, source=printed.source,
                tags=list(printed.tags), points=printed.points, answers=list(printed.answers))
    if printed.type in ("single", "multiple"):
        options = [Choice(text=o.text, why=o.why, correct=o.correct) for o in printed.options]
        return SetItem(**base, options=options), Placement(printed.item_id, tuple(range(len(options))))
    if printed.type == "matching":
        index_of = {r.letter: i for i, r in enumerate(printed.responses)}
        unknown = [p.answer for p in printed.premises if p.answer not in index_of]
        if unknown:
            raise ValueError(f"item '{printed.item_id}': premise answer {unknown[0]!r} is no response letter")
        responses = [Choice(text=r.text, why=r.why, correct=r.correct) for r in printed.responses]
        premises = [StoredPremise(text=p.text, answer=index_of[p.answer], why=p.why) for p in printed.premises]
        return (SetItem(**base, responses=responses, premises=premises),
                Placement(printed.item_id, tuple(range(len(responses))), tuple(range(len(premises)))))
    if printed.type == "ordering":
        in_order = sorted(printed.steps, key=lambda s: s.rank)
        steps = [StoredStep(text=s.text, why=s.why) for s in in_order]
        return SetItem(**base, steps=steps), Placement(printed.item_id, tuple(s.rank - 1 for s in printed.steps))
    return SetItem(**base), Placement(printed.item_id)


def pack_forms(printed_forms: list[tuple[str, list[FormItem]]]) -> tuple[dict[str, SetItem], list[Form]]:
    """Forms of printed items, stored the version-2 way: each item once, each form its placements.

    An item printed on several forms is stored as first printed; on the other forms its parts
    are found by their text. Forms that print the same id with different texts cannot be stored
    once, and are refused rather than silently merged.
    """
    store: dict[str, SetItem] = {}
    forms = []
    for letter, items in printed_forms:
        placements = []
        for printed in items:
            where = f"form {letter} position {printed.position} (item '{printed.item_id}')"
            stored, placement = stored_and_placed(printed)
            if printed.key and placement_key(stored, placement) != printed.key:
                # The printed key and the marked answers must agree, or the file is corrupt.
                raise ValueError(f"{where}: the key '{printed.key}' disagrees with the marked answers; "
                                 "regenerate the exam set")
            known = store.setdefault(printed.item_id, stored)
            if known is not stored:
                placement = _replace_on(known, stored, placement, where)
            placements.append(placement)
        forms.append(Form(letter=letter, placements=placements))
    return dict(sorted(store.items())), forms


def _replace_on(known: SetItem, printed: SetItem, placement: Placement, where: str) -> Placement:
    """`placement` (relative to `printed`) re-expressed against the stored copy `known`."""
    def same(a: SetItem, b: SetItem) -> bool:
        keys = ("options", "premises", "responses", "steps")
        return a.model_dump(exclude=set(keys)) == b.model_dump(exclude=set(keys))

    def indexes(known_parts: list, printed_parts: list, what: str) -> list[int]:
        position = {part.text: i for i, part in enumerate(known_parts)}
        try:
            found = [position[part.text] for part in printed_parts]
        except KeyError:
            found = []
        if sorted(found) != list(range(len(known_parts))):
            raise ValueError(f"{where}: its {what} differ from another form's; give each version its own id")
        return found

    if not same(known, printed):
        raise ValueError(f"{where}: its text differs from another form's; give each version its own id")
    if printed.type in ("single", "multiple"):
        order = indexes(known.options, printed.options, "options")
        if any(known.options[k] != printed.options[i] for i, k in enumerate(order)):
            raise ValueError(f"{where}: its options differ from another form's; give each version its own id")
        return placement._replace(order=tuple(order))
    if printed.type == "matching":
        responses = indexes(known.responses, printed.responses, "responses")
        premises = indexes(known.premises, printed.premises, "premises")
        for i, k in enumerate(premises):
            if responses[printed.premises[i].answer] != known.premises[k].answer:
                raise ValueError(f"{where}: its answers differ from another form's; give each version its own id")
        return placement._replace(order=tuple(responses), premises=tuple(premises))
    if printed.type == "ordering":
        if [s.text for s in known.steps] != [s.text for s in printed.steps]:
            raise ValueError(f"{where}: its steps differ from another form's; give each version its own id")
        return placement
    return placement


def upgrade_v1(data: dict) -> dict:
    """A version-1 exam set (every form with its printed items in full) as version 2.

    Raises pydantic's ValidationError for a malformed printed item, ValueError for forms that
    print one item id in two different ways.
    """
    forms = data.get("forms")
    if not isinstance(forms, list):
        return {**data, "format": FORMAT}  # let validation say what else is wrong
    printed = [(f.get("letter"), [FormItem.model_validate(i) for i in f.get("items", [])]) for f in forms]
    store, packed = pack_forms(printed)
    upgraded = {k: v for k, v in data.items() if k not in ("format", "forms")}
    upgraded["format"] = FORMAT
    upgraded["items"] = store
    upgraded["forms"] = packed
    return upgraded
