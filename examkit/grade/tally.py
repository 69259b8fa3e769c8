"""What a pass over a class's graded rows keeps for the summary, the report and the analysis.

Rows stream through `ClassTally.add` one by one and are then let go: the tally keeps counts,
the first FLAGGED_KEPT flagged rows, the spread of percentages (a count per distinct value),
the points per objective and the item analysis's tables, whose sizes do not grow with the
class. The rows themselves are kept only up to `keep` of them, for the report's class list and
the handouts.
"""

from __future__ import annotations

from collections import Counter

from .analysis import AnalysisTally
from .grader import GradeRun, RowSummary, StudentResult, apply_repeated
from .results import ObjectiveColumns, scaled_and_result

# Flagged rows kept for the report and the command's summary (the first ones, in input order);
# scores.csv has every one, and the count covers all of them.
FLAGGED_KEPT = 1000


class ClassTally:
    """Counts, flagged rows, percentages, objective points and analysis tables of one class."""

    def __init__(self, run: GradeRun, objectives: ObjectiveColumns, *, keep: int | None = None,
                 analysis: bool = True, summary: bool = True):
        """`keep`: how many rows to keep at most (None: all); `analysis` and `summary` (the
        percentages, objective points and passes) can be left out when nothing will show them."""
        self.run = run
        self.objectives = objectives
        self.rows = self.graded = self.counted = 0
        self.flagged_count = 0
        self.flagged: dict[int, RowSummary] = {}  # row number -> a flagged row, the first FLAGGED_KEPT
        self.percents: Counter = Counter()  # percentage of a row that counts -> rows
        self.objective_points = [[0.0, 0.0] for _ in objectives.ids]  # earned, available, over rows that count
        self.passed = 0
        self.analysis = AnalysisTally()
        self.keep = keep
        self.kept: list[StudentResult] | None = [] if keep != 0 else None  # None once the class outgrew `keep`
        self._feed_analysis = analysis
        self._summary = summary
        self._verdicts = run.examset.scoring.pass_mark is not None

    @classmethod
    def of(cls, run: GradeRun, objectives: ObjectiveColumns, *, analysis: bool = True) -> ClassTally:
        """The tally of a run graded in memory (`grade_files`)."""
        tally = cls(run, objectives, analysis=analysis)
        for result in run.results:
            tally.add(result)
        return tally

    def add(self, result: StudentResult, scores: list | None = None) -> None:
        """Count one row; `scores` are its `ObjectiveColumns.scores`, when already computed."""
        row = self.rows
        self.rows += 1
        if self.kept is not None:
            if self.keep is not None and self.rows > self.keep:
                self.kept = None
            else:
                self.kept.append(result)
        if result.reasons:
            self.flagged_count += 1
            if len(self.flagged) < FLAGGED_KEPT:  # rows come in order: these are the first ones
                self.flagged[row] = RowSummary.of(row, result)
        if result.outcomes is None:
            return
        self.graded += 1
        if self._feed_analysis:
            self.analysis.add(result)
        if not result.counted:
            return
        self.counted += 1
        if not self._summary:
            return
        percent = result.percent
        if percent is not None:
            self.percents[percent] += 1
        for acc, score in zip(self.objective_points, self.objectives.scores(result) if scores is None else scores):
            if score:
                acc[0] += score[0]
                acc[1] += score[1]
        if self._verdicts and scaled_and_result(self.run, result)[1] == "pass":
            self.passed += 1

    def flag_repeated(self, repeated: dict[int, RowSummary]) -> None:
        """Flag the first rows of repeated students (`Grader.repeated`), found after those rows went by."""
        for row, first in repeated.items():
            if len(first.reasons) == 1:  # the duplicate flag alone: the row was not flagged before
                self.flagged_count += 1
            self.flagged[row] = first
            if len(self.flagged) > FLAGGED_KEPT:
                del self.flagged[max(self.flagged)]
        if self.kept is not None:
            apply_repeated(self.kept, repeated)

    @property
    def flagged_rows(self) -> list[RowSummary]:
        """Flagged rows in input order."""
        return [self.flagged[row] for row in sorted(self.flagged)]
