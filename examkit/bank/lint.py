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
from ..models import DIFFICULTIES, ITEM_TYPES
from .load import Bank

LONG_KEY_RATIO = 1.5
KEY_LONGEST_TOLERANCE = 0.10  # how far the key-is-longest share may stray from chance
KEY_LONGEST_MIN_ITEMS = 20
SIMILAR_STEM_SCORE = 88.0
MIN_ITEMS = 3
# filler-distractor: a phrase that is a distractor in this many items or more ...
FILLER_MIN_ITEMS = 8
# ... and is keyed in fewer than this share of that many items.
FILLER_KEY_SHARE = 0.25
# near-duplicate: two items of one type whose stem-plus-key content words overlap this much
# (overlap coefficient: shared words over the smaller set), and whose keys overlap this much.
NEAR_DUPLICATE_OVERLAP = 0.5
NEAR_DUPLICATE_KEY_OVERLAP = 0.6
SCENARIO_MIN_WORDS = 18  # a situation takes at least this many words before the question

_ABOVE = re.compile(r"\b(all|none|both)\s+of\s+the\s+above\b|\bboth\s+[a-e]\s+and\s+[a-e]\b", re.I)
_NEGATIVE = re.compile(r"\b(not|except|least)\b", re.I)
_SELECT = re.compile(r"\((?:select|choose)\s+(two|three|four|five|\d)\.?\)", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5}
_PLACEHOLDER = re.compile(r"^\s*(todo|tbd|fixme|xxx|\.\.\.|-|\?)?\s*$", re.I)
_WORD = re.compile(r"[a-z][a-z0-9-]+")
_PHRASE_WORD = re.compile(r"[a-z0-9][a-z0-9'-]*")
# A shared phrase worth reporting neither starts nor ends with one of these.
_EDGE_WORDS = frozenset("a an the and or of to in on for with by as at is are be it its its' that this each".split())
# Three-letter words that say nothing about the fact an item tests (GPT, RAG and F1 still count).
_SMALL_WORDS = frozenset("the and for not can has was one all any may but own out use its are our who how why yet".split())
# A decision asks what to do or choose; a label question only asks what something is called.
_DECISION = re.compile(r"\b(should|would|could|recommend\w*|solution|approach|meets?|first|next|strategy)\b"
                       r"|\b(MOST|LEAST|BEST)\b", re.I)
_LABEL = re.compile(r"\b(is this|are these|is being used|does this describe|is it called|is called"
                    r"|(which|what) (generative ai )?(use case|lifecycle stage|stage|prompt part|part of the prompt"
                    r"|term|name)\b(?! should))", re.I)
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
            aim = "" if s.get("scenario_aim") is None else f" (aim {s['scenario_aim']:g}%)"
            lines.append(f"decision scenarios per objective{aim}: "
                         + ", ".join(f"{o} {v:.0%}" for o, v in s["decision_scenarios"].items()))
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


def _question(stem: str) -> tuple[str, str]:
    """The stem split into its situation and its last question (or last sentence)."""
    parts = re.split(r"(?<=[.?!:])\s+", " ".join(stem.split()))
    for i in range(len(parts) - 1, -1, -1):
        if "?" in parts[i]:
            return " ".join(parts[:i]), " ".join(parts[i:])
    return " ".join(parts[:-1]), parts[-1]


def is_decision_scenario(item) -> bool:
    """A situation (its own, or its case study's) and a question that asks for a decision."""
    situation, question = _question(item.stem)
    if _LABEL.search(question):
        return False
    words = len(situation.split()) + (SCENARIO_MIN_WORDS if item.case else 0)
    return words >= SCENARIO_MIN_WORDS and bool(_DECISION.search(question))


def rule_scenario_decision(item) -> Iterator[tuple[str, str, str]]:
    if item.style == "scenario" and not is_decision_scenario(item):
        yield ("warning", "scenario-decision",
               "a scenario puts the student in a situation (a company, a team, a user...) and asks what "
               "to do or choose (which solution, what should they do, MOST cost-effective); this stem "
               "only asks for a label: rewrite it as a decision, or mark it style: knowledge")


_NUMBER_ANSWER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|percent)?\s*$")
# "What is this process called?", "Which kind of model ...?": students add the noun to the answer.
_ASKS_FOR = re.compile(r"\b(?:kind|type|name) of (?:the |this )?(process|model)\b"
                       r"|\b(?:this|that) (process|model) called\b|\b(?:what|which) (process|model)\b", re.I)


def answer_variants(item, acronyms: frozenset[str] = frozenset()) -> list[str]:
    """Forms a student is likely to type for a short-answer item's answers."""
    variants: list[str] = []
    _, question = _question(item.stem)
    nouns = {next(g for g in m.groups() if g).lower() for m in _ASKS_FOR.finditer(question)}
    for answer in item.answers:
        words = [w for w in re.split(r"[\s-]+", answer) if w]
        if "-" in answer:
            variants += [answer.replace("-", " "), answer.replace("-", "")]
        if len(words) >= 2:
            initials = "".join(w[0] for w in words if w.isalpha()).upper()
            if len(initials) >= 3 and initials in acronyms:
                variants.append(initials)
        for noun in sorted(nouns):
            if not re.search(rf"\b({noun}|stage|process|model)$|\d", answer.lower()) and not answer.isupper():
                variants.append(f"{answer} {noun}")
        number = _NUMBER_ANSWER.match(answer)
        if number:
            value = float(number.group(1))
            if number.group(2) or value > 1:
                variants += [f"{value:.1f}%", f"{value / 100:.2f}"]
            else:
                variants += [f"{value * 100:g}%", f"{value * 100:.1f}%"]
    return list(dict.fromkeys(variants))


def rule_short_answers(item, acronyms: frozenset[str] = frozenset()) -> Iterator[tuple[str, str, str]]:
    """Variants the grader's matching would not accept, so a right answer typed another way scores 0."""
    if item.type != "short":
        return
    from ..grade.match import TextMatcher  # the grader's own comparison decides what is "missing"

    matcher = TextMatcher(item.answers)
    # "ambiguous" between two accepted answers still accepts: every candidate here is right.
    missing = [v for v in answer_variants(item, acronyms) if matcher.match(v).kind not in ("exact", "fuzzy", "ambiguous")]
    if missing:
        yield ("warning", "short-answers",
               "accepted answers miss variants a student may type: "
               + ", ".join(repr(v) for v in missing) + "; add them to answers (or reword the stem)")


ITEM_RULES: tuple[Callable, ...] = (
    rule_above,
    rule_long_key,
    rule_negative_stem,
    rule_clue,
    rule_select_count,
    rule_placeholder,
    rule_scenario_decision,
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


def are_enemies(first, second) -> bool:
    return second.id in first.enemies or first.id in second.enemies


def _phrases(text: str, longest: int = 6) -> set[str]:
    """Word n-grams (2 to `longest` words) that neither start nor end with a function word."""
    words = _PHRASE_WORD.findall(text.lower())
    found = set()
    for n in range(2, longest + 1):
        for i in range(len(words) - n + 1):
            gram = words[i:i + n]
            if gram[0] not in _EDGE_WORDS and gram[-1] not in _EDGE_WORDS:
                found.add(" ".join(gram))
    return found


@dataclass(frozen=True)
class Filler:
    phrase: str
    distractor_items: tuple[str, ...]
    keyed_items: tuple[str, ...]


def filler_distractors(bank: Bank, min_items: int = FILLER_MIN_ITEMS,
                       key_share: float = FILLER_KEY_SHARE) -> list[Filler]:
    """Phrases that options share, a distractor in many items and rarely the key: discardable by rule."""
    as_distractor: dict[str, list[str]] = {}
    as_key: dict[str, list[str]] = {}
    for item in bank.items:
        keyed = set().union(*(_phrases(o.text) for o in _options(item) if o.correct))
        wrong = set().union(*(_phrases(o.text) for o in _options(item) if not o.correct)) - keyed
        for phrase in keyed:
            as_key.setdefault(phrase, []).append(item.id)
        for phrase in wrong:
            as_distractor.setdefault(phrase, []).append(item.id)
    tripped = [Filler(p, tuple(ids), tuple(as_key.get(p, ()))) for p, ids in as_distractor.items()
               if len(ids) >= min_items and len(as_key.get(p, ())) < key_share * len(ids)]
    # "pre-train from scratch" and "from scratch" in the same items are one finding: keep the longer.
    tripped.sort(key=lambda f: (-len(f.phrase.split()), f.phrase))
    kept: list[Filler] = []
    for finding in tripped:
        if not any(f" {finding.phrase} " in f" {k.phrase} " and set(finding.distractor_items) == set(k.distractor_items)
                   for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.phrase)


def _key_text(item) -> str:
    """What an item asks the student to produce: its key, in words."""
    if item.type in ("single", "multiple"):
        return " ".join(o.text for o in item.options if o.correct)
    if item.type == "short":
        return item.answers[0]
    if item.type == "ordering":
        return " ".join(s.text for s in item.steps)
    if item.type == "numeric":
        return str(item.answer)
    responses = {r.key: r.text for r in item.responses}
    return " ".join(f"{p.text} {responses[p.answer]}" for p in item.premises)


def _word_set(text: str) -> set[str]:
    """Content words, hyphenated ones split ("encoder-only" -> encoder, only), plurals folded."""
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower())
            if len(w) >= 3 and w not in _STOPWORDS and w not in _SMALL_WORDS}


def _overlap(first: set[str], second: set[str]) -> float:
    return len(first & second) / min(len(first), len(second)) if first and second else 0.0


def near_duplicates(bank: Bank) -> Iterator[tuple[str, str, float, float]]:
    """Pairs of items of one type, not enemies, that test the same fact the same way: their stems
    plus keys share most content words, and so do their keys (token sets, so word order and a few
    extra words do not hide a repeat the way they can from the stem ratio of similar-stems)."""
    whole = [_word_set(f"{item.stem} {_key_text(item)}") for item in bank.items]
    keys = [_word_set(_key_text(item)) for item in bank.items]
    for i, first in enumerate(bank.items):
        for j in range(i + 1, len(whole)):
            second = bank.items[j]
            if first.type != second.type or are_enemies(first, second):
                continue
            overlap = _overlap(whole[i], whole[j])
            if overlap >= NEAR_DUPLICATE_OVERLAP:
                key_overlap = _overlap(keys[i], keys[j])
                if key_overlap >= NEAR_DUPLICATE_KEY_OVERLAP:
                    yield first.id, second.id, overlap, key_overlap


def _shown_texts(item) -> list[str]:
    """Texts an item shows the student: options, premises, responses and steps."""
    texts = [o.text for o in _options(item)]
    texts += [p.text for p in getattr(item, "premises", [])] + [r.text for r in getattr(item, "responses", [])]
    return texts + [s.text for s in getattr(item, "steps", [])]


def give_aways(bank: Bank) -> Iterator[tuple[str, str, str]]:
    """(short item, other item, answer): a short answer shown as an option, premise, response or
    step of another item that may share a form with it, so reading one answers the other."""
    from ..grade.match import normalise

    shown = [(other, {normalise(t) for t in _shown_texts(other)}) for other in bank.items]
    for item in bank.items:
        if item.type != "short":
            continue
        answers = {normalise(a): a for a in item.answers}
        for other, texts in shown:
            if other.id == item.id or are_enemies(item, other):
                continue
            hit = next((answers[a] for a in answers if a in texts), None)
            if hit:
                yield item.id, other.id, hit


def bank_acronyms(bank: Bank) -> frozenset[str]:
    """Upper-case abbreviations the bank itself uses (TTS, RAG): students will type them too."""
    found: set[str] = set()
    for item in bank.items:
        for text in [item.stem, item.explanation, *_shown_texts(item), *getattr(item, "answers", [])]:
            found.update(re.findall(r"\b[A-Z]{2,6}\b", text))
    return frozenset(found)


def _bank_rule_findings(bank: Bank) -> Iterator[Finding]:
    def at(item_id: str) -> tuple[str, int | None]:
        loc = bank.locations[item_id]
        return loc.path, loc.line

    for f in filler_distractors(bank):
        path, _ = at(f.distractor_items[0])  # a bank-wide finding: the file of its first item, no line
        yield Finding("warning", "filler-distractor",
                      f"the phrase {f.phrase!r} is a distractor in {len(f.distractor_items)} items "
                      f"({', '.join(f.distractor_items)}) and the key in {len(f.keyed_items)}, so students "
                      "learn to discard it by rule; replace it with distractors from the same category as the key",
                      path, None)
    for first, second, overlap, key_overlap in near_duplicates(bank):
        path, line = at(second)
        yield Finding("warning", "near-duplicate",
                      f"tests the same fact the same way as item '{first}' ({':'.join(map(str, at(first)))}): "
                      f"stem and key share {overlap:.0%} of their words, the keys {key_overlap:.0%}; "
                      "rewrite one to test another fact, or list each in the other's enemies",
                      path, line, second)
    for short, other, answer in give_aways(bank):
        path, line = at(short)
        yield Finding("warning", "give-away",
                      f"its answer {answer!r} is shown in item '{other}' ({':'.join(map(str, at(other)))}), which can "
                      "share a form with it; list each in the other's enemies or reword one",
                      path, line, short)
    acronyms = bank_acronyms(bank)
    for item in bank.items:
        for severity, name, message in rule_short_answers(item, acronyms):
            path, line = at(item.id)
            yield Finding(severity, name, message, path, line, item.id)


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


def scenario_shares(bank: Bank) -> dict[str, float]:
    """Share of each in-scope objective's items that are decision scenarios (style and stem agree)."""
    totals: Counter = Counter()
    scenarios: Counter = Counter()
    for item in bank.items:
        totals[item.objective] += 1
        scenarios[item.objective] += item.style == "scenario" and is_decision_scenario(item)
    return {oid: scenarios[oid] / totals[oid] if totals[oid] else 0.0 for oid in in_scope(bank)}


def _coverage_findings(bank: Bank, shares: dict[str, float]) -> Iterator[Finding]:
    """`shares`: scenario_shares(bank), computed once per lint."""
    aim = bank.exam.scenario_aim
    if aim is not None:
        for oid, share in shares.items():
            if share * 100 < aim:
                yield Finding("warning", "scenario-share",
                              f"objective '{oid}': {share:.0%} of its items are decision scenarios, "
                              f"under the bank's aim of {aim:g}%; turn recall items into scenarios")
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
    report.add_all(_bank_rule_findings(bank))
    report.stats = bank_stats(bank)
    report.add_all(_coverage_findings(bank, report.stats["decision_scenarios"]))
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
        "difficulty": {d: c for d in DIFFICULTIES if (c := sum(i.difficulty == d for i in bank.items))},
        "scenario_share": sum(i.style == "scenario" for i in bank.items) / n if n else 0.0,
        "key_longest_share": longest / len(singles) if singles else None,
        "key_longest_chance": mean(1 / len(i.options) for i in singles) if singles else None,
        "scenario_aim": bank.exam.scenario_aim,
        "decision_scenarios": scenario_shares(bank),
        "case_studies": len(bank.cases),
        "out_of_scope": sorted(o for o in objectives if o not in scope and o not in parents),
    }


def coverage_tables(bank: Bank, shares: dict[str, float]) -> str:
    """The objective-by-type matrix and the concept counts, as plain-text tables; `shares`:
    scenario_shares(bank), as lint_bank put them in its report's stats."""
    by_objective, by_concept = coverage(bank)
    titles = {c.id: c.title for c in bank.exam.concepts}
    head = "".join(f"{t:>10}" for t in ITEM_TYPES) + f"{'total':>8}"
    lines = ["", f"{'objective':<18}{head}{'scenarios':>11}"]
    for oid, counts in by_objective.items():
        share = f"{shares[oid]:>11.0%}" if oid in shares else ""
        lines.append(f"{oid:<18}" + "".join(f"{counts[t]:>10}" for t in ITEM_TYPES) + f"{sum(counts.values()):>8}"
                     + share)
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
