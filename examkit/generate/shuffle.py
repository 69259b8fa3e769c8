"""Printing one bank item onto a form: options, responses and steps shuffled, lettered, and keyed.

Each bank item gets a printer once per generation, holding everything that does not change from
form to form; printing it on a form then only shuffles indexes and builds the printed models.
The key is computed from the printed order, in the canonical notation of key.csv:
single `B`, multiple `A,C`, matching `1-C;2-A;3-B`, ordering `C,A,B,D`, short `a | b`.
"""

from __future__ import annotations

import string
from collections.abc import Callable

from ..errors import ExamkitError, Problem
from ..models import FormItem, PrintedOption, PrintedPremise, PrintedStep

LETTERS = string.ascii_uppercase
Random = Callable[[], float]

# The values come from a validated bank and are shaped by code whose tests check that the result
# equals, and serialises exactly like, the validated model: building them without validating
# again (pydantic's public `model_construct`) keeps generation fast.
_form_item = FormItem.model_construct
_option = PrintedOption.model_construct
_premise = PrintedPremise.model_construct
_step = PrintedStep.model_construct


def shuffle(seq: list, random: Random) -> None:
    """Fisher-Yates on `random()` floats: the same sequence for the same generator on every machine."""
    for i in range(len(seq) - 1, 0, -1):
        j = int(random() * (i + 1))
        seq[i], seq[j] = seq[j], seq[i]


class ItemPrinter:
    """Prints one bank item; subclasses fill in the type-specific parts."""

    # Single-choice items whose key may go to any of these slots; the form balances them.
    key_slots: range | None = None
    # Single-choice items whose key cannot move (pinned, or the item keeps its written order).
    fixed_key_slot: int | None = None

    def __init__(self, item, points: float):
        self.item = item
        self.tags = tuple(item.tags)
        self.fields = {
            "position": 0, "item_id": item.id, "type": item.type, "objective": item.objective,
            "case": item.case, "stem": item.stem, "difficulty": item.difficulty,
            "explanation": item.explanation, "source": item.source, "tags": None,
            "points": float(points), "options": None, "premises": None, "responses": None,
            "steps": None, "answers": None, "key": "",
        }

    def print(self, position: int, random: Random, key_slot: int | None = None) -> FormItem:
        values = self.fields.copy()
        values["position"] = position
        values["tags"] = list(self.tags)
        values["options"] = []
        values["premises"] = []
        values["responses"] = []
        values["steps"] = []
        values["answers"] = []
        self.fill(values, random, key_slot)
        return _form_item(**values)

    def fill(self, values: dict, random: Random, key_slot: int | None) -> None:
        raise NotImplementedError

    def _letters_for(self, count: int, what: str) -> None:
        if count > len(LETTERS):
            raise ExamkitError(Problem("bank", None, f"has {count} {what}; a form can letter at most "
                                       f"{len(LETTERS)}, so split the item", self.item.id))


class ChoicePrinter(ItemPrinter):
    """Single choice and multiple response: options shuffled around the pinned ones."""

    def __init__(self, item, points: float):
        super().__init__(item, points)
        options = item.options
        self._letters_for(len(options), "options")
        self.option_fields = [(o.text, o.why, o.correct) for o in options]
        if item.shuffle:
            self.head = [i for i, o in enumerate(options) if o.pin == "first"]
            self.free = [i for i, o in enumerate(options) if o.pin is None]
            self.tail = [i for i, o in enumerate(options) if o.pin == "last"]
        else:
            self.head, self.free, self.tail = list(range(len(options))), [], []
        self.single = item.type == "single"
        if self.single:
            self.key = next(i for i, o in enumerate(options) if o.correct)
            if self.key in self.free and len(self.free) > 1:
                start = len(self.head)
                self.key_slots = range(start, start + len(self.free))
                self.distractors = [i for i in self.free if i != self.key]
            else:
                self.fixed_key_slot = (self.head + self.free + self.tail).index(self.key)

    def fill(self, values: dict, random: Random, key_slot: int | None) -> None:
        if self.key_slots is not None:
            if key_slot is None:
                key_slot = self.key_slots[int(random() * len(self.key_slots))]
            middle = self.distractors[:]
            shuffle(middle, random)
            middle.insert(key_slot - len(self.head), self.key)
        else:
            middle = self.free[:]
            shuffle(middle, random)
        order = self.head + middle + self.tail
        fields = self.option_fields
        values["options"] = [
            _option(**{"letter": LETTERS[slot], "text": fields[index][0], "why": fields[index][1],
                     "correct": fields[index][2]})
            for slot, index in enumerate(order)
        ]
        if self.single:
            values["key"] = LETTERS[order.index(self.key)]
        else:
            values["key"] = ",".join(LETTERS[slot] for slot, index in enumerate(order) if fields[index][2])


class MatchingPrinter(ItemPrinter):
    """Premises numbered 1.., responses lettered A..; both shuffled unless the item says not to."""

    def __init__(self, item, points: float):
        super().__init__(item, points)
        self._letters_for(len(item.responses), "responses")
        used = {p.answer for p in item.premises}
        self.premises = [(p.text, p.answer, p.why) for p in item.premises]
        # A response no premise uses is a distractor: `correct` marks the ones that are answers.
        self.responses = [(r.key, r.text, r.why, r.key in used) for r in item.responses]
        self.shuffled = item.shuffle

    def fill(self, values: dict, random: Random, key_slot: int | None) -> None:
        premise_order = list(range(len(self.premises)))
        response_order = list(range(len(self.responses)))
        if self.shuffled:
            shuffle(premise_order, random)
            shuffle(response_order, random)
        letter_of = {}
        responses = values["responses"]
        for slot, index in enumerate(response_order):
            key, text, why, used = self.responses[index]
            letter_of[key] = LETTERS[slot]
            responses.append(_option(**{"letter": LETTERS[slot], "text": text, "why": why, "correct": used}))
        premises = values["premises"]
        pairs = []
        for number, index in enumerate(premise_order, start=1):
            text, answer, why = self.premises[index]
            letter = letter_of[answer]
            premises.append(_premise(**{"number": number, "text": text, "answer": letter, "why": why}))
            pairs.append(f"{number}-{letter}")
        values["key"] = ";".join(pairs)


class OrderingPrinter(ItemPrinter):
    """Steps shuffled, and never printed in the correct order (that would give the answer away).

    This holds even for an item with `shuffle: false`: its written order is the answer.
    """

    def __init__(self, item, points: float):
        super().__init__(item, points)
        self._letters_for(len(item.steps), "steps")
        self.steps = [(s.text, s.why) for s in item.steps]
        self.identity = list(range(len(self.steps)))

    def fill(self, values: dict, random: Random, key_slot: int | None) -> None:
        order = self.identity[:]
        if len(order) > 1:
            while order == self.identity:
                shuffle(order, random)
        slot_of = [0] * len(order)
        steps = values["steps"]
        for slot, index in enumerate(order):
            text, why = self.steps[index]
            slot_of[index] = slot
            steps.append(_step(**{"letter": LETTERS[slot], "text": text, "why": why, "rank": index + 1}))
        values["key"] = ",".join(LETTERS[slot] for slot in slot_of)


class ShortPrinter(ItemPrinter):
    """Short answer: nothing to shuffle; the key lists every accepted answer."""

    def __init__(self, item, points: float):
        super().__init__(item, points)
        self.answers = tuple(item.answers)
        self.key = " | ".join(self.answers)

    def fill(self, values: dict, random: Random, key_slot: int | None) -> None:
        values["answers"] = list(self.answers)
        values["key"] = self.key


_PRINTERS = {
    "single": ChoicePrinter,
    "multiple": ChoicePrinter,
    "matching": MatchingPrinter,
    "ordering": OrderingPrinter,
    "short": ShortPrinter,
}


def make_printer(item, points: float) -> ItemPrinter:
    return _PRINTERS[item.type](item, points)


def balance_key_slots(printers: list[ItemPrinter], random: Random) -> list[int | None]:
    """Where each single-choice key goes on a form, so that no letter holds more than its share.

    Keys that cannot move are counted first; the others are visited in a random order and each
    takes the least-used slot it may use (ties broken at random). The counts stay within one of
    each other, and the visiting order keeps the letter sequence down the form unpredictable.
    """
    used = [0] * len(LETTERS)
    targets: list[int | None] = [None] * len(printers)
    movable = []
    for index, printer in enumerate(printers):
        if printer.key_slots is not None:
            movable.append(index)
        elif printer.fixed_key_slot is not None:
            used[printer.fixed_key_slot] += 1
    shuffle(movable, random)
    for index in movable:
        slots = printers[index].key_slots
        fewest = min(used[s] for s in slots)
        ties = [s for s in slots if used[s] == fewest]
        slot = ties[int(random() * len(ties))]
        used[slot] += 1
        targets[index] = slot
    return targets
