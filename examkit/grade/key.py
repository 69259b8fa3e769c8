"""What one printed item accepts: its letters, texts, correct answer and matchers, ready to grade.

An `ItemKey` is compiled once per item of a form from the `FormItem` in `examset.json`; every
response to that item is then read and scored against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import FormItem
from .match import DEFAULT_THRESHOLD, NON_WORD, TextMatcher
from .numeric import read_number


@dataclass
class ItemKey:
    form: str
    item: FormItem
    threshold: float = DEFAULT_THRESHOLD
    # Extra full-credit answers given after the fact (`--accept`), as reading values.
    extra: list = field(default_factory=list)
    voided: bool = False

    def __post_init__(self) -> None:
        item = self.item
        self.position = item.position
        self.item_id = item.item_id
        self.type = item.type
        self.objective = item.objective
        self.points = float(item.points)
        self.premises: list[tuple[int, str, str]] = []
        self.correct: object
        if item.type in ("single", "multiple"):
            choices = item.options
            self.correct = frozenset(o.letter.upper() for o in choices if o.correct)
        elif item.type == "matching":
            choices = item.responses
            self.premises = [(p.number, p.text, p.answer.upper()) for p in item.premises]
            self.correct = tuple(sorted((n, a) for n, _, a in self.premises))
        elif item.type == "ordering":
            choices = item.steps
            self.correct = tuple(s.letter.upper() for s in sorted(item.steps, key=lambda s: s.rank))
        elif item.type == "numeric":
            choices = []
            self.correct = item.number
        else:
            choices = []
            self.correct = tuple(item.answers)
        self.letters: tuple[str, ...] = tuple(c.letter.upper() for c in choices)
        self.texts: list[str] = [c.text for c in choices]
        self.letter_set = frozenset(self.letters)
        self.matcher = TextMatcher(self.texts, self.threshold)
        # Texts lower-cased without punctuation but with their articles, to tell "A) text" from a text.
        self.plain_texts = {" ".join(NON_WORD.sub(" ", t.casefold()).split()) for t in self.texts}
        self.premise_matcher = TextMatcher([text for _, text, _ in self.premises], self.threshold)
        self.accepted: list[str] = list(item.answers)
        self.answer_matcher = TextMatcher(self.accepted, self.threshold)
        self.tolerance = item.tolerance
        # A short answer that is a number ("80.0%") is graded as a number, however it is written.
        self.numbers = _numbers(self.accepted)

    @property
    def letter_range(self) -> str:
        if not self.letters:
            return ""
        return f"{self.letters[0]}-{self.letters[-1]}" if len(self.letters) > 1 else self.letters[0]

    def accept_text(self, answer: str) -> None:
        """Accept one more short answer (after the fact, `--accept`)."""
        if answer not in self.accepted:
            self.accepted.append(answer)
            self.answer_matcher = TextMatcher(self.accepted, self.threshold)
            self.numbers = _numbers(self.accepted)

    def label(self, letter: str) -> str:
        """`B "Tokens"`: a letter with its printed text, for audit notes."""
        try:
            text = self.texts[self.letters.index(letter)]
        except ValueError:
            return letter
        short = text if len(text) <= 40 else text[:37] + "..."
        return f'{letter} "{short}"'


def _numbers(answers: list[str]) -> list[float] | None:
    """The number each accepted answer is, when every one of them is a number; else None."""
    numbers = [read_number(a)[0] for a in answers]
    return numbers if numbers and all(n is not None for n in numbers) else None
