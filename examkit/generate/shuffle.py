"""Placing one bank item on a form: its options, responses and steps shuffled into print order.

Each bank item gets a placer once per generation, holding what does not change from form to
form (the item as the exam set stores it); placing it on a form then only shuffles indexes.
Letters, numbers and the key follow from the placement (`models.examset.print_item`).
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import ExamkitError, Problem
from ..models import LETTERS, Choice, Placement, SetItem, StoredPremise, StoredStep
from .params import Parametric, draw_values

Random = Callable[[], float]


def shuffle(seq: list, random: Random) -> None:
    """Fisher-Yates on `random()` floats: the same sequence for the same generator on every machine."""
    for i in range(len(seq) - 1, 0, -1):
        j = int(random() * (i + 1))
        seq[i], seq[j] = seq[j], seq[i]


class ItemPlacer:
    """Places one bank item; subclasses fill in the type-specific parts."""

    # Single-choice items whose key may go to any of these slots; the form balances them.
    key_slots: range | None = None
    # Single-choice items whose key cannot move (pinned, or the item keeps its written order).
    fixed_key_slot: int | None = None

    def __init__(self, item, points: float):
        self.item = item
        fields = {"type": item.type, "objective": item.objective, "case": item.case, "stem": item.stem,
                  "difficulty": item.difficulty, "explanation": item.explanation, "source": item.source,
                  "tags": list(item.tags), "points": float(points), "options": [], "premises": [], "responses": [],
                  "steps": [], "answers": [], "number": None, "tolerance": 0, "tolerance_percent": 0,
                  "decimals": None, "formulas": dict(item.values)}
        self.stored = SetItem.model_construct(**(fields | self.parts(item)))
        self.parametric = Parametric(item) if item.params else None

    def values(self, random: Random) -> tuple[tuple[str, float], ...]:
        """The item's numbers on a new form (none for an item without parameters)."""
        if self.parametric is None:
            return ()
        try:
            return draw_values(self.parametric, random)
        except ValueError as exc:
            raise ExamkitError(Problem("bank", None, str(exc), self.item.id)) from None

    def parts(self, item) -> dict:
        return {}

    def place(self, random: Random, key_slot: int | None = None) -> Placement:
        raise NotImplementedError

    def _letters_for(self, count: int, what: str) -> None:
        if count > len(LETTERS):
            raise ExamkitError(Problem("bank", None, f"has {count} {what}; a form can letter at most "
                                       f"{len(LETTERS)}, so split the item", self.item.id))


class ChoicePlacer(ItemPlacer):
    """Single choice and multiple response: options shuffled around the pinned ones."""

    def __init__(self, item, points: float):
        super().__init__(item, points)
        options = item.options
        self._letters_for(len(options), "options")
        if item.shuffle:
            self.head = [i for i, o in enumerate(options) if o.pin == "first"]
            self.free = [i for i, o in enumerate(options) if o.pin is None]
            self.tail = [i for i, o in enumerate(options) if o.pin == "last"]
        else:
            self.head, self.free, self.tail = list(range(len(options))), [], []
        if item.type == "single":
            self.key = next(i for i, o in enumerate(options) if o.correct)
            if self.key in self.free and len(self.free) > 1:
                start = len(self.head)
                self.key_slots = range(start, start + len(self.free))
                self.distractors = [i for i in self.free if i != self.key]
            else:
                self.fixed_key_slot = (self.head + self.free + self.tail).index(self.key)

    def parts(self, item) -> dict:
        return {"options": [Choice.model_construct(text=o.text, why=o.why, correct=o.correct) for o in item.options]}

    def place(self, random: Random, key_slot: int | None = None) -> Placement:
        if self.key_slots is not None:
            if key_slot is None:
                key_slot = self.key_slots[int(random() * len(self.key_slots))]
            middle = self.distractors[:]
            shuffle(middle, random)
            middle.insert(key_slot - len(self.head), self.key)
        else:
            middle = self.free[:]
            shuffle(middle, random)
        return Placement(self.item.id, (*self.head, *middle, *self.tail), (), self.values(random))


class MatchingPlacer(ItemPlacer):
    """Premises numbered 1.., responses lettered A..; both shuffled unless the item says not to."""

    def __init__(self, item, points: float):
        super().__init__(item, points)
        self._letters_for(len(item.responses), "responses")
        self.premise_count = len(item.premises)
        self.response_count = len(item.responses)
        self.shuffled = item.shuffle

    def parts(self, item) -> dict:
        index_of = {r.key: i for i, r in enumerate(item.responses)}
        used = {p.answer for p in item.premises}
        # A response no premise uses is a distractor: `correct` marks the ones that are answers.
        return {
            "responses": [Choice.model_construct(text=r.text, why=r.why, correct=r.key in used) for r in item.responses],
            "premises": [StoredPremise.model_construct(text=p.text, answer=index_of[p.answer], why=p.why)
                         for p in item.premises],
        }

    def place(self, random: Random, key_slot: int | None = None) -> Placement:
        premise_order = list(range(self.premise_count))
        response_order = list(range(self.response_count))
        if self.shuffled:
            shuffle(premise_order, random)
            shuffle(response_order, random)
        return Placement(self.item.id, tuple(response_order), tuple(premise_order), self.values(random))


class OrderingPlacer(ItemPlacer):
    """Steps shuffled, and never printed in the correct order (that would give the answer away).

    This holds even for an item with `shuffle: false`: its written order is the answer.
    """

    def __init__(self, item, points: float):
        super().__init__(item, points)
        self._letters_for(len(item.steps), "steps")
        self.identity = list(range(len(item.steps)))

    def parts(self, item) -> dict:
        return {"steps": [StoredStep.model_construct(text=s.text, why=s.why) for s in item.steps]}

    def place(self, random: Random, key_slot: int | None = None) -> Placement:
        order = self.identity[:]
        if len(order) > 1:
            while order == self.identity:
                shuffle(order, random)
        return Placement(self.item.id, tuple(order), (), self.values(random))


class ShortPlacer(ItemPlacer):
    """Short answer: nothing to shuffle."""

    def parts(self, item) -> dict:
        return {"answers": list(item.answers)}

    def place(self, random: Random, key_slot: int | None = None) -> Placement:
        return Placement(self.item.id, (), (), self.values(random))


class NumericPlacer(ShortPlacer):
    """A number to write: nothing to shuffle; the answer may be computed from the form's numbers."""

    def parts(self, item) -> dict:
        return {"number": item.answer, "tolerance": item.tolerance, "tolerance_percent": item.tolerance_percent,
                "decimals": item.decimals}


_PLACERS = {
    "single": ChoicePlacer,
    "multiple": ChoicePlacer,
    "matching": MatchingPlacer,
    "ordering": OrderingPlacer,
    "short": ShortPlacer,
    "numeric": NumericPlacer,
}


def make_placer(item, points: float) -> ItemPlacer:
    return _PLACERS[item.type](item, points)


def balance_key_slots(placers: list[ItemPlacer], random: Random) -> list[int | None]:
    """Where each single-choice key goes on a form, so that no letter holds more than its share.

    Keys that cannot move are counted first; the others are visited in a random order and each
    takes the least-used slot it may use (ties broken at random). The counts stay within one of
    each other, and the visiting order keeps the letter sequence down the form unpredictable.
    """
    used = [0] * len(LETTERS)
    targets: list[int | None] = [None] * len(placers)
    movable = []
    for index, placer in enumerate(placers):
        if placer.key_slots is not None:
            movable.append(index)
        elif placer.fixed_key_slot is not None:
            used[placer.fixed_key_slot] += 1
    shuffle(movable, random)
    for index in movable:
        slots = placers[index].key_slots
        fewest = min(used[s] for s in slots)
        ties = [s for s in slots if used[s] == fewest]
        slot = ties[int(random() * len(ties))]
        used[slot] += 1
        targets[index] = slot
    return targets
