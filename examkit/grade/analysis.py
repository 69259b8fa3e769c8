"""Item statistics, computed as Moodle's quiz statistics compute them, so teachers can compare.

Per item (marks x of one item, rest r = total minus that item, sample (co)variances over n-1):

- facility            100 * mean(x) / max mark
- sd                  100 * sd(x) / max mark
- discrimination      100 * cov(x, r) / sqrt(var(x) * var(r))     (corrected item-rest correlation)
- efficiency          100 * cov(x, r) / covmax(x, r), where covmax pairs the sorted x with the
                      sorted r: the largest covariance the same two marginal distributions allow
- upper-lower 27%     100 * (mean x in the top 27% - mean x in the bottom 27%) / max mark, groups
                      ranked by total; students tied at a group's boundary count in proportion,
                      so the index never depends on the order rows came in

Per form: mean, median, sd, Cronbach's alpha (KR-20 when every item is right-or-wrong) as
k/(k-1) * (1 - sum var(x_i) / var(total)), and the standard error of measurement sd * sqrt(1 - alpha).

Everything is computed from, per item, the counts of (mark, total) pairs, gathered in one pass:
a class of 100,000 becomes a few small tables, and the statistics are exact.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import attrgetter

from .score import REVIEW, Rules, credit

_counted_as = attrgetter("counted_as")
GROUP_SHARE = 0.27
EASY_ABOVE = 90.0       # facility (%) above which an item tells strong and weak students apart poorly
HARD_BELOW = 25.0       # facility (%) below the chance level of a four-option item
DUBIOUS_EFFICIENCY = 15.0
# Below this many students on a form, discrimination and unused distractors say more about
# chance than about the item: they are marked unreliable instead of raising alarms.
RELIABLE_FROM = 30
UNRELIABLE = "discrimination and distractors unreliable"
# Orders, typed answers and numbers have no fixed list of options: the analysis shows this many of the most given.
MOST_GIVEN = 5
# Which orders, texts and numbers are right, whatever partial credit the teacher chose.
FULL_CREDIT_ONLY = Rules()


@dataclass
class ItemStatistics:
    n: int
    max_mark: float
    facility: float | None = None
    sd: float | None = None
    discrimination: float | None = None
    efficiency: float | None = None
    upper_lower: float | None = None


@dataclass
class FormStatistics:
    n: int
    items: int
    max_points: float
    mean: float | None = None
    median: float | None = None
    sd: float | None = None
    minimum: float | None = None
    maximum: float | None = None
    alpha: float | None = None
    sem: float | None = None


def _key(value: float) -> float:
    # Totals are sums of floats; rounding keeps 0.1 + 0.2 and 0.3 in one cell of the table.
    return round(value, 9) + 0.0


@dataclass
class StatisticsBuilder:
    """Collects one form's marks student by student; then computes every statistic."""

    max_marks: Sequence[float]
    triples: Counter = field(init=False)
    totals: Counter = field(init=False)

    def __post_init__(self) -> None:
        # (item index, mark, total) -> students; Counter.update counts a whole row in C.
        self.triples = Counter()
        self.totals = Counter()
        self._indices = range(len(self.max_marks))

    def add(self, marks: Sequence[float]) -> None:
        total = _key(sum(marks))
        self.totals[total] += 1
        self.triples.update(zip(self._indices, marks, repeat(total)))

    @property
    def joint(self) -> list[Counter]:
        """Per item: (mark, total) -> students."""
        tables = [Counter() for _ in self.max_marks]
        for (index, mark, total), count in self.triples.items():
            tables[index][(mark, total)] += count
        return tables

    @property
    def n(self) -> int:
        return sum(self.totals.values())

    def items(self) -> list[ItemStatistics]:
        n = self.n
        return [_item(table, max_mark, n) for table, max_mark in zip(self.joint, self.max_marks)]

    def test(self) -> FormStatistics:
        n = self.n
        stats = FormStatistics(n, len(self.max_marks), float(sum(self.max_marks)))
        stats.mean, stats.median, stats.sd, stats.minimum, stats.maximum = spread(self.totals)
        if n < 2:
            return stats
        var_total = stats.sd ** 2
        k = len(self.max_marks)
        if k > 1 and var_total > 0:
            item_vars = sum(_variance(table, n) for table in self.joint)
            stats.alpha = k / (k - 1) * (1 - item_vars / var_total)
            stats.sem = stats.sd * math.sqrt(max(0.0, 1 - stats.alpha))
        return stats


def _variance(table: Counter, n: int) -> float:
    mean = sum(x * c for (x, _), c in table.items()) / n
    return sum(c * (x - mean) ** 2 for (x, _), c in table.items()) / (n - 1)


def spread(counts: Counter) -> tuple[float | None, ...]:
    """(mean, median, sample sd, min, max) of values counted as value -> how many; None where
    there are too few values (the sd needs two)."""
    n = sum(counts.values())
    if not n:
        return None, None, None, None, None
    values = sorted(counts.items())
    mean = sum(v * c for v, c in values) / n
    sd = math.sqrt(sum(c * (v - mean) ** 2 for v, c in values) / (n - 1)) if n > 1 else None
    return mean, weighted_median(values, n), sd, values[0][0], values[-1][0]


def weighted_median(values: list[tuple[float, int]], n: int) -> float:
    # The student at (0-based) place i in order of total has the first value whose running count exceeds i.
    running = list(accumulate(count for _, count in values))

    def at(place: int) -> float:
        return values[bisect_right(running, place)][0]

    half, odd = divmod(n, 2)
    return at(half) if odd else (at(half - 1) + at(half)) / 2


def _item(table: Counter, max_mark: float, n: int) -> ItemStatistics:
    stats = ItemStatistics(n, max_mark)
    if n == 0 or max_mark <= 0:
        return stats
    pairs = [(x, t - x, c) for (x, t), c in table.items()]
    mean_x = sum(x * c for x, _, c in pairs) / n
    stats.facility = 100 * mean_x / max_mark
    if n < 2:
        return stats
    mean_r = sum(r * c for _, r, c in pairs) / n
    sxx = sum(c * (x - mean_x) ** 2 for x, _, c in pairs)
    srr = sum(c * (r - mean_r) ** 2 for _, r, c in pairs)
    sxr = sum(c * (x - mean_x) * (r - mean_r) for x, r, c in pairs)
    stats.sd = 100 * math.sqrt(sxx / (n - 1)) / max_mark
    if sxx > 0 and srr > 0:
        stats.discrimination = 100 * sxr / math.sqrt(sxx * srr)
        covmax = _comonotone_sum(pairs, mean_r)
        if covmax > 0:
            stats.efficiency = 100 * sxr / covmax
    stats.upper_lower = _upper_lower(table, n, max_mark)
    return stats


def _comonotone_sum(pairs: list[tuple[float, float, int]], mean_r: float) -> float:
    """sum (x_(k) - mean x)(r_(k) - mean r) with both sorted: n-1 times the largest covariance.

    Summed as sum x_(k) (r_(k) - mean r): the deviations of r add up to zero, so mean x drops out.
    """
    x_counts: Counter = Counter()
    r_counts: Counter = Counter()
    for x, r, c in pairs:
        x_counts[x] += c
        r_counts[r] += c
    xs = sorted(x_counts.items())
    rs = sorted(r_counts.items())
    total = 0.0
    i = j = 0
    left_x, left_r = xs[0][1], rs[0][1]
    while i < len(xs) and j < len(rs):
        take = min(left_x, left_r)
        total += take * xs[i][0] * (rs[j][0] - mean_r)
        left_x -= take
        left_r -= take
        if not left_x:
            i += 1
            left_x = xs[i][1] if i < len(xs) else 0
        if not left_r:
            j += 1
            left_r = rs[j][1] if j < len(rs) else 0
    return total


def _upper_lower(table: Counter, n: int, max_mark: float) -> float:
    by_total: dict[float, list[float]] = {}
    for (x, t), c in table.items():
        entry = by_total.setdefault(t, [0, 0.0])
        entry[0] += c
        entry[1] += c * x
    group = GROUP_SHARE * n

    def group_mean(levels) -> float:
        need, marks = group, 0.0
        for _, (count, sum_x) in levels:
            take = min(count, need)
            marks += sum_x * take / count
            need -= take
            if need <= 1e-12:
                break
        return marks / group

    levels = sorted(by_total.items())
    return 100 * (group_mean(reversed(levels)) - group_mean(levels)) / max_mark


def _built(marks: Iterable[Sequence[float]], max_marks: Sequence[float]) -> StatisticsBuilder:
    builder = StatisticsBuilder(max_marks)
    for row in marks:
        builder.add(row)
    return builder


def item_statistics(marks: Iterable[Sequence[float]], max_marks: Sequence[float]) -> list[ItemStatistics]:
    """Statistics of every item from a students x items table of marks."""
    return _built(marks, max_marks).items()


def form_statistics(marks: Iterable[Sequence[float]], max_marks: Sequence[float]) -> FormStatistics:
    """Statistics of the whole form from a students x items table of marks."""
    return _built(marks, max_marks).test()


# --------------------------------------------------------------------------- a graded class


@dataclass
class ItemAnalysis:
    """One item of one form: its statistics, what students chose, and what deserves a look."""

    form: str
    position: int
    item_id: str
    objective: str
    type: str
    stem: str
    stats: ItemStatistics
    choices: list[tuple[str, int, bool]]
    flags: list[str]


@dataclass
class FormAnalysis:
    form: str
    test: FormStatistics
    items: list[ItemAnalysis]


class FormTally:
    """One form's counted rows as the analysis needs them: (outcome, total) pairs and totals.

    Every outcome belongs to one item (each item has its own cache of outcomes), so one count
    of (outcome, total) pairs gives both the answers chosen and the marks.
    """

    __slots__ = ("pairs", "totals")

    def __init__(self) -> None:
        self.pairs: Counter = Counter()
        self.totals: Counter = Counter()

    def add(self, result) -> None:
        total = _key(result.points)
        self.totals[total] += 1
        self.pairs.update(zip(map(_counted_as, result.outcomes), repeat(total)))


class AnalysisTally:
    """What the item analysis keeps of a class, fed row by row (`add`): a few small tables per
    form, whatever the number of rows. Only rows that count go in: graded, with answers, and
    not a repeated student."""

    def __init__(self) -> None:
        self.forms: dict[str, FormTally] = {}
        self.graded: set[str] = set()  # forms with a graded row, counted or not

    def add(self, result) -> None:
        if result.outcomes is None:
            return
        self.graded.add(result.form)
        if result.counted:
            tally = self.forms.get(result.form)
            if tally is None:
                tally = self.forms[result.form] = FormTally()
            tally.add(result)

    @classmethod
    def of(cls, results: Iterable) -> AnalysisTally:
        tally = cls()
        for result in results:
            tally.add(result)
        return tally


def analyse_run(run, tally: AnalysisTally | None = None) -> list[FormAnalysis]:
    """Item and form statistics of a graded class (`examkit.grade.GradeRun`), per form.

    `tally` is what a pass over the rows gathered; without it, `run.results` is tallied. A
    voided item keeps its row (flagged) but leaves the totals. Forms no row was graded on are
    left out (a 10,000-form set sat by 30 students has 30 forms to analyse); `run.notes` says which.
    """
    tally = tally or AnalysisTally.of(run.results)
    return [_analyse_form(run, letter, keys, tally.forms.get(letter) or FormTally())
            for letter, keys in _forms_sat(run, tally.graded).items()]


def _forms_sat(run, graded: set[str]) -> dict[str, list]:
    """The compiled keys of every form some row was graded on; `run.notes` names the others."""
    # A form can be compiled without anyone sitting it (`--void item-id` compiles every form printing the item).
    sat = {letter: keys for letter, keys in run.keys.used().items() if letter in graded}
    unsat = [letter for letter in run.keys if letter not in sat]
    if unsat:
        shown = ", ".join(unsat[:8]) + (f", ... ({len(unsat):,} forms)" if len(unsat) > 8 else "")
        run.notes.append(f"item analysis leaves out forms nobody's answers were graded on: {shown}")
    return sat


def _analyse_form(run, letter: str, keys: list, tally: FormTally) -> FormAnalysis:
    live = {i: n for n, i in enumerate(i for i, k in enumerate(keys) if not k.voided)}
    item_of = {outcome: i for i, grader in enumerate(run.graders[letter]) for outcome in grader.cache.values()}
    builder = StatisticsBuilder([keys[i].points for i in live])
    builder.totals = tally.totals
    per_item = [Counter() for _ in keys]
    for (outcome, total), count in tally.pairs.items():
        index = item_of[outcome]
        per_item[index][outcome] += count
        if index in live:
            builder.triples[(live[index], outcome.points, total)] += count
    stats = dict(zip(live, builder.items()))
    students = sum(tally.totals.values())
    items = []
    for i, key in enumerate(keys):
        item_stats = stats.get(i, ItemStatistics(students, 0.0))
        choices = choice_counts(key, per_item[i])
        items.append(ItemAnalysis(letter, key.position, key.item_id, key.objective, key.type, key.item.stem,
                                  item_stats, choices, item_flags(key, item_stats, choices)))
    return FormAnalysis(letter, builder.test(), items)


def choice_counts(key, outcomes: Counter) -> list[tuple[str, int, bool]]:
    """(label, students, is correct) per option or response; for orders, typed answers and numbers
    the `MOST_GIVEN` given most often; then blanks and answers under review."""
    counts: Counter = Counter()
    right: set[str] = set()  # the orders, texts and numbers given that earn full credit
    blank = review = 0
    for outcome, n in outcomes.items():
        if outcome.blank:
            blank += n
        elif outcome.result == REVIEW or outcome.value is None:
            review += n
        elif key.type in ("single", "multiple"):
            for letter in outcome.value:
                counts[letter] += n
        elif key.type == "matching":
            for _, letter in outcome.value:
                counts[letter] += n
        else:
            # As key.csv writes it; a text that matched no accepted answer in any case it was typed in.
            label = outcome.answer.casefold() if key.type == "short" and outcome.value[0] is None else outcome.answer
            counts[label] += n
            if credit(key, outcome.value, FULL_CREDIT_ONLY) == 1.0:
                right.add(label)
    result: list[tuple[str, int, bool]]
    if key.type in ("single", "multiple", "matching"):
        marked = {answer for _, answer in key.correct} if key.type == "matching" else key.correct
        result = [(letter, counts[letter], letter in marked) for letter in key.letters]
    else:
        most = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:MOST_GIVEN]
        result = [(label, n, label in right) for label, n in most]
    if blank:
        result.append(("blank", blank, False))
    if review:
        result.append(("to review", review, False))
    return result


def item_flags(key, stats: ItemStatistics, choices: list[tuple[str, int, bool]],
               reliable_from: int = RELIABLE_FROM) -> list[str]:
    """What a teacher should look at: voided, too easy or hard, negative or dubious discrimination,
    unused distractors; the last three only with `reliable_from` students or more."""
    if key.voided:
        return ["voided"]
    flags = []
    if stats.n < 2:
        return ["too few students for statistics"] if stats.n == 0 else flags
    if stats.facility is not None and stats.facility > EASY_ABOVE:
        flags.append("too easy")
    if stats.facility is not None and stats.facility < HARD_BELOW:
        flags.append("too hard")
    if stats.n < reliable_from:
        flags.append(f"{UNRELIABLE}: {stats.n} students (fewer than {reliable_from})")
        return flags
    if stats.discrimination is not None and stats.discrimination < 0:
        flags.append("negative discrimination")
    if stats.efficiency is not None and 0 <= stats.efficiency < DUBIOUS_EFFICIENCY:
        # (A negative efficiency goes with a negative discrimination, flagged above.)
        flags.append(f"dubious: discriminative efficiency {stats.efficiency:.0f}% (below {DUBIOUS_EFFICIENCY:g}%)")
    if key.type in ("single", "multiple", "matching"):
        unused = [label for label, n, correct in choices if not correct and n == 0 and label in key.letter_set]
        if unused:
            flags.append(f"distractor{'s' if len(unused) > 1 else ''} {', '.join(unused)} chosen by nobody")
    return flags
