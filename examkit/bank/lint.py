"""Item-writing rules (Haladyna, Downing and Rodriguez, 2002) and objective/concept coverage.

Each rule is a small function over one item (or the whole bank) that yields findings; the
rules are pure, so tests can trip each one with a hand-written item.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from statistics import mean

from ..errors import ExamkitError
from ..models import ITEM_TYPES
from .load import Bank

LONG_KEY_RATIO = 1.5
KEY_LONGEST_TOLERANCE = 0.10  # how far the key-is-longest share may stray from chance
KEY_LONGEST_MIN_ITEMS = 20
SIMILAR_STEM_SCORE = 88.0
MIN_ITEMS = 3

_ABOVE = re.compile(r"\b(all|none|both)\s+of\s+the\s+above\b|\bboth\s+[a-e]\s+and\s+[a-e]\b", re.I)
_NEGATIVE = re.compile(r"\b(not|except|least)\b", re.I)
_SELECT = re.compile(r"\((?:select|choose)\s+(two|three|four|five|\d)\.?\)", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
_PLACEHOLDER = re.compile(r"^\s*(todo|tbd|fixme|xxx|\.\.\.|-|\?)?\s*$", re.I)
_WORD = re.compile(r"[a-z][a-z0-9-]+")
_STOPWORDS = frozenset(
    """about above after again against also among another answer because been before being
    best between both company could describe does during each every following from have into
    itself model most need needs other should situation some such than that their them then
    there these they this those through under using which while with within would your what
    when where will want wants statement statements true correct option options select
    choose""".split()
)


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    rule: str
    message: str
    path: str = ""
    line: int | None = None
    item: str | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "bank")
        subject = f"item '{self.item}': " if self.item else ""
        return f"{where}: {subject}{self.rule}: {self.message}"


@dataclass
class LintReport:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        (self.errors if finding.severity == "error" else self.warnings).append(finding)

    def add_all(self, findings) -> None:
        for finding in findings:
            self.add(finding)

    def summary(self) -> str:
        s = self.stats
        lines = [f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) in {s.get('items', 0)} items"]
        if s.get("key_longest_share") is not None:
            lines.append(
                f"key is the longest option in {s['key_longest_share']:.0%} of single-choice items "
                f"(chance level {s['key_longest_chance']:.0%})"
            )
        if s.get("items"):
            lines.append(f"scenario items: {s['scenario_share']:.0%}; difficulty: "
                         + ", ".join(f"{k} {v}" for k, v in s["difficulty"].items()))
        if s.get("out_of_scope"):
            lines.append(f"out of scope (not checked for coverage): {len(s['out_of_scope'])} objectives")
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {
            "errors": [asdict(f) for f in self.errors],
            "warnings": [asdict(f) for f in self.warnings],
            "stats": self.stats,
        }


# --------------------------------------------------------------------------- item rules


def _options(item):
    return getattr(item, "options", [])


def rule_above(item) -> Iterator[tuple[str, str, str]]:
    texts = [o.text for o in _options(item)] + [r.text for r in getattr(item, "responses", [])]
    for text in texts:
        if _ABOVE.search(text):
            yield "error", "above-option", f"option {text!r} relies on the other options; write a real alternative"


def rule_long_key(item) -> Iterator[tuple[str, str, str]]:
    keys = [len(o.text) for o in _options(item) if o.correct]
    others = [len(o.text) for o in _options(item) if not o.correct]
    if keys and others and mean(keys) > LONG_KEY_RATIO * mean(others):
        yield ("warning", "long-key",
               f"the correct option is {mean(keys) / mean(others):.1f}x as long as the distractors; "
               "shorten it or lengthen the distractors")


def rule_negative_stem(item) -> Iterator[tuple[str, str, str]]:
    for match in _NEGATIVE.finditer(item.stem):
        if not match.group(0).isupper():
            word = match.group(0)
            yield ("warning", "negative-stem",
                   f"negative word '{word}' in the stem; write it in capitals ({word.upper()}) or rephrase positively")


def _content_words(text: str) -> set[str]:
    words = set()
    for word in _WORD.findall(text.lower()):
        word = word.rstrip("s") if len(word) > 4 else word
        if len(word) >= 4 and word not in _STOPWORDS:
            words.add(word)
    return words


def rule_clue(item) -> Iterator[tuple[str, str, str]]:
    options = _options(item)
    if not options or item.type != "single":
        return
    stem_words = _content_words(item.stem)
    key_words = set().union(*(_content_words(o.text) for o in options if o.correct))
    distractor_words = set().union(*(_content_words(o.text) for o in options if not o.correct))
    clues = sorted((stem_words & key_words) - distractor_words)
    if clues:
        yield ("warning", "clue",
               f"the stem's word(s) {', '.join(repr(c) for c in clues)} appear only in the correct option; "
               "reword the key or use them in distractors too")


def rule_select_count(item) -> Iterator[tuple[str, str, str]]:
    if item.type != "multiple":
        return
    match = _SELECT.search(item.stem)
    stated = None
    if match:
        word = match.group(1).lower()
        stated = int(word) if word.isdigit() else _NUMBERS[word]
    if stated != item.choose:
        yield ("warning", "select-count",
               f"the stem should say how many to choose, e.g. '(Select {_word(item.choose)}.)'")


def _word(n: int) -> str:
    return {v: k for k, v in _NUMBERS.items()}.get(n, str(n)).upper()


def rule_placeholder(item) -> Iterator[tuple[str, str, str]]:
    texts = [("explanation", item.explanation), ("source", item.source)]
    for part in ("options", "premises", "steps", "responses"):
        for entry in getattr(item, part, []):
            if entry.why is not None:  # a response a premise uses may leave its 'why' out
                texts.append((f"'why' of {entry.text!r}", entry.why))
    for name, text in texts:
        if _PLACEHOLDER.match(text):
            yield "error", "missing-rationale", f"{name} is a placeholder; write the real text"


ITEM_RULES: tuple[Callable, ...] = (
    rule_above,
    rule_long_key,
    rule_negative_stem,
    rule_clue,
    rule_select_count,
    rule_placeholder,
)


# --------------------------------------------------------------------------- bank rules


def similar_stems(bank: Bank, threshold: float = SIMILAR_STEM_SCORE) -> Iterator[tuple[str, str, float]]:
    """Pairs of items whose stems are near-duplicates (rapidfuzz ratio on normalised text)."""
    from rapidfuzz import fuzz, utils

    stems = [utils.default_process(item.stem) for item in bank.items]
    for i, first in enumerate(stems):
        for j in range(i + 1, len(stems)):
            score = fuzz.ratio(first, stems[j], score_cutoff=threshold)
            if score:
                yield bank.items[i].id, bank.items[j].id, score


def in_scope(bank: Bank) -> list[str]:
    """Leaf objectives below the bank's declared scope (every leaf when it declares none)."""
    objectives = bank.objectives
    parents = {o.parent for o in objectives.values()}
    leaves = [oid for oid in objectives if oid not in parents]
    if not bank.exam.scope:
        return leaves

    def under(oid: str) -> bool:
        while oid:
            if oid in bank.exam.scope:
                return True
            oid = objectives[oid].parent
        return False

    return [oid for oid in leaves if under(oid)]


def coverage(bank: Bank) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Item counts per type for each in-scope objective and each declared concept."""
    by_objective: dict[str, Counter] = {oid: Counter() for oid in in_scope(bank)}
    by_concept: dict[str, Counter] = {c.id: Counter() for c in bank.exam.concepts}
    for item in bank.items:
        by_objective.setdefault(item.objective, Counter())[item.type] += 1
        for tag in item.tags:
            by_concept.setdefault(tag, Counter())[item.type] += 1
    return by_objective, by_concept


def _coverage_findings(bank: Bank) -> Iterator[Finding]:
    by_objective, by_concept = coverage(bank)
    scope = set(in_scope(bank))
    for kind, table in (("objective", by_objective), ("concept", by_concept)):
        for key, counts in table.items():
            if kind == "objective" and key not in scope:
                continue
            total = sum(counts.values())
            if total < MIN_ITEMS:
                yield Finding("error", "coverage", f"{kind} '{key}' has {total} item(s); write at least {MIN_ITEMS}")
            elif len(counts) < 2:
                only = next(iter(counts))
                yield Finding("error", "coverage",
                              f"{kind} '{key}' is tested only by '{only}' items; add another item type")


def lint_bank(bank: Bank) -> LintReport:
    report = LintReport()
    for item in bank.items:
        loc = bank.locations[item.id]
        for rule in ITEM_RULES:
            for severity, name, message in rule(item):
                report.add(Finding(severity, name, message, loc.path, loc.line, item.id))
    for first, second, score in similar_stems(bank):
        loc = bank.locations[second]
        report.add(Finding("warning", "similar-stems",
                           f"stem is {score:.0f}% similar to item '{first}' ({bank.locations[first].path}:"
                           f"{bank.locations[first].line}); vary one of them", loc.path, loc.line, second))
    for finding in _coverage_findings(bank):
        report.add(finding)
    report.stats = bank_stats(bank)
    report.add_all(_key_length_tell(report.stats))
    return report


def _key_length_tell(stats: dict) -> Iterator[Finding]:
    """Test-wise students learn to pick (or avoid) the longest option when the key is too often
    (or too rarely) the longest; across a bank it should be about chance."""
    share, chance = stats["key_longest_share"], stats["key_longest_chance"]
    if share is None or stats["types"]["single"] < KEY_LONGEST_MIN_ITEMS:
        return
    if abs(share - chance) > KEY_LONGEST_TOLERANCE:
        direction = "often" if share > chance else "rarely"
        yield Finding("warning", "key-length-tell",
                      f"the key is the longest option in {share:.0%} of single-choice items (chance {chance:.0%}); "
                      f"it is {direction} the longest, so lengthen or shorten some keys toward chance")


def bank_stats(bank: Bank) -> dict:
    singles = [i for i in bank.items if i.type == "single"]
    longest = 0
    for item in singles:
        lengths = [len(o.text) for o in item.options]
        key = next(len(o.text) for o in item.options if o.correct)
        longest += key == max(lengths) and lengths.count(key) == 1
    objectives = bank.objectives
    scope = set(in_scope(bank))
    parents = {o.parent for o in objectives.values()}
    n = len(bank.items)
    return {
        "items": n,
        "types": {t: sum(i.type == t for i in bank.items) for t in ITEM_TYPES},
        "difficulty": {d: c for d in ("easy", "medium", "hard") if (c := sum(i.difficulty == d for i in bank.items))},
        "scenario_share": sum(i.style == "scenario" for i in bank.items) / n if n else 0.0,
        "key_longest_share": longest / len(singles) if singles else None,
        "key_longest_chance": mean(1 / len(i.options) for i in singles) if singles else None,
        "case_studies": len(bank.cases),
        "out_of_scope": sorted(o for o in objectives if o not in scope and o not in parents),
    }


def coverage_tables(bank: Bank) -> str:
    """The objective-by-type matrix and the concept counts, as plain-text tables."""
    by_objective, by_concept = coverage(bank)
    titles = {c.id: c.title for c in bank.exam.concepts}
    head = "".join(f"{t:>10}" for t in ITEM_TYPES) + f"{'total':>8}"
    lines = ["", f"{'objective':<18}{head}"]
    for oid, counts in by_objective.items():
        lines.append(f"{oid:<18}" + "".join(f"{counts[t]:>10}" for t in ITEM_TYPES) + f"{sum(counts.values()):>8}")
    lines += ["", f"{'concept':<26}{head}  title"]
    for cid, counts in by_concept.items():
        flag = "  <-- too few" if sum(counts.values()) < MIN_ITEMS or len(counts) < 2 else ""
        lines.append(f"{cid:<26}" + "".join(f"{counts[t]:>10}" for t in ITEM_TYPES)
                     + f"{sum(counts.values()):>8}  {titles.get(cid, '(undeclared)')}{flag}")
    return "\n".join(lines)


def schema_findings(error: ExamkitError) -> LintReport:
    """A bank that does not validate: its problems, reported as lint errors of rule 'schema'."""
    report = LintReport()
    for p in error.problems:
        report.add(Finding("error", "schema", p.message, p.path, p.line, p.item))
    return report
