"""The intermediate every LMS format reads and writes: quizzes of questions, built from a bank or
an exam set (export) or from an LMS file (import), then written as bank YAML.

One shape for both directions keeps each format module to its own quirks: a writer turns a
`Package` into a file, a reader turns a file into `Question`s plus the problems it met.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Choice:
    """An option of a single or multiple item, a distractor response of a matching item, or a step."""

    text: str
    correct: bool = False
    why: str | None = None  # None: the source has no rationale (import) or the item none (export)


@dataclass
class Pair:
    """A matching premise and the response text it goes with."""

    premise: str
    response: str
    why: str | None = None


@dataclass
class Question:
    id: str
    type: str  # single, multiple, matching, ordering, short, numeric
    stem: str  # Markdown subset
    objective: str = ""
    category: list[str] = field(default_factory=list)  # category path below the exam, e.g. ["2 ...", "2.1 ..."]
    explanation: str | None = None
    source: str | None = None
    difficulty: str = "medium"
    tags: list[str] = field(default_factory=list)
    points: float = 1.0
    shuffle: bool = True
    choices: list[Choice] = field(default_factory=list)  # single, multiple; ordering: steps in printed order
    pairs: list[Pair] = field(default_factory=list)  # matching
    extra_responses: list[Choice] = field(default_factory=list)  # matching responses no premise uses
    order: list[int] = field(default_factory=list)  # ordering: indexes into choices, in the correct order
    answers: list[str] = field(default_factory=list)  # short
    number: float | None = None  # numeric: the answer
    tolerance: float = 0.0  # numeric: how far from it an answer still counts
    response_order: list[str] = field(default_factory=list)  # matching: responses as written or printed
    case_title: str | None = None
    case_scenario: str | None = None
    # Where an imported question was written, for error lines and reports.
    path: str = ""
    line: int | None = None

    @property
    def keys(self) -> list[Choice]:
        return [c for c in self.choices if c.correct]

    @property
    def steps(self) -> list[Choice]:
        """Ordering steps in their correct order."""
        return [self.choices[i] for i in self.order] if self.order else list(self.choices)

    def responses(self) -> list[str]:
        """Matching responses as written or printed; for imports, those the premises use, then the extra ones."""
        if self.response_order:
            return list(self.response_order)
        seen = list(dict.fromkeys(p.response for p in self.pairs))
        return seen + [c.text for c in self.extra_responses if c.text not in seen]


@dataclass
class Quiz:
    """One quiz: the whole bank, or one form of an exam set (items in printed order)."""

    id: str
    title: str
    questions: list[Question]


@dataclass
class Package:
    """What an export writes: the exam it comes from and its quizzes."""

    exam_id: str
    exam_title: str
    quizzes: list[Quiz]
    objectives: dict[str, str] = field(default_factory=dict)  # id -> title
    from_examset: bool = False
    partial: frozenset[str] = frozenset()  # types the exam set scores with partial credit
    skipped: list[Skipped] = field(default_factory=list)  # items no export can hold (parametric templates)


@dataclass(frozen=True)
class Skipped:
    """A question a format cannot hold (export) or examkit cannot import, with the reason."""

    where: str  # item id (export) or file:line (import)
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


def rationale_list(question: Question) -> str:
    """Per-premise or per-step rationales as a Markdown list, for formats with nowhere else to put them."""
    if question.type == "matching":
        rows = [(p.premise, p.why) for p in question.pairs] + [(c.text, c.why) for c in question.extra_responses]
    elif question.type == "ordering":
        rows = [(c.text, c.why) for c in question.steps]
    else:
        return ""
    return "\n".join(f"- {text}: {why}" for text, why in rows if why)


def general_feedback(question: Question) -> str:
    """The explanation, followed by the rationales the format cannot attach to an answer."""
    parts = [question.explanation or "", rationale_list(question)]
    return "\n\n".join(p for p in parts if p)
