"""Google Forms and Microsoft Forms exports: mapping question columns to the items of the exam.

Their header cells hold the question text instead of a position, and their cells the chosen
option's text. Each header is matched against the stems of the exam's items, tolerating
numbering prefixes (`3. `, `Q3)`), required-markers, point labels and text cut short; a grid
question's row (`Stem [Premise]` in Google Forms, `Stem.Statement` in Microsoft Forms) maps to a
premise or step of its item. Columns the forms add for their own grading (`Points - ...`,
`Feedback - ...`, `... [Score]`) and their timestamps are recognised and set aside; anything
else is kept as an `extra` column, shown to the user and copied to responses.csv ungraded.

Layouts (first columns):
  Google Forms quiz:  Timestamp, Email Address, Score ("4 / 5"), then one column per question.
  Microsoft Forms:    ID, Start time, Completion time, Email, Name, [Total points, Quiz feedback,]
                      [Last modified time,] then per question: text, [Points - text, Feedback - text].
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..errors import ExamkitError, Problem
from ..models import ExamSet, FormItem
from .columns import Column, identity_role, position_of
from .match import TextMatcher, normalise
from .notation import parse_rank

GOOGLE_META = {"timestamp": "meta", "score": "meta", "total score": "meta", "email address": "student",
               "email": "student"}
MICROSOFT_META = {"id": "student", "start time": "meta", "completion time": "meta", "email": "student",
                  "name": "student", "total points": "meta", "quiz feedback": "meta", "points": "meta",
                  "last modified time": "meta", "grade posted time": "meta", "feedback": "meta"}
HEADER_THRESHOLD = 80.0
HEADER_MARGIN = 5.0
# A header at least this long may be a stem cut short, or a stem with text around it.
_PARTIAL_MIN = 15
_PARTIAL_WEIGHT = 0.9

_NUMBERING = re.compile(
    r"^\s*(?:(?:q(?:uestion)?|item|no\.?)\s*\d+\s*[.):\-\u2013]?|\d+\s*[.):\-\u2013])\s*", re.I)
_DECORATION = re.compile(r"\s*(?:\*|\(\s*\d+(?:\.\d+)?\s*(?:points?|pts?|marks?)\s*\))\s*$", re.I)
_MS_QUIZ = re.compile(r"^\s*(points|feedback)\s*-\s*(.+)$", re.I | re.S)
_GOOGLE_QUIZ = re.compile(r"^(.+?)\s*\[(score|feedback)\]\s*$", re.I | re.S)
_BRACKET_ROW = re.compile(r"^(.+?)\s*\[([^\[\]]+)\]\s*$", re.S)
_DOT_ROW = re.compile(r"(?<=\S)(?:\.|\s[-\u2013]\s)")


def detect_export(header: list[str]) -> str | None:
    """'google' or 'microsoft' when the header has that export's leading columns, else None."""
    norms = [normalise(h) for h in header[:10]]
    if norms and norms[0] == "timestamp":
        return "google"
    if "start time" in norms and "completion time" in norms:
        return "microsoft"
    return None


def clean_header(label: str) -> str:
    """A header without numbering prefix, required-marker or point label."""
    text = _NUMBERING.sub("", label, count=1)
    previous = None
    while previous != text:
        previous = text
        text = _DECORATION.sub("", text)
    return text.strip() or label.strip()


def header_score(header: str, stem: str) -> float:
    """0-100: how well a normalised header names a normalised stem, allowing either to be cut short."""
    score = fuzz.ratio(header, stem)
    if score < 100 and min(len(header), len(stem)) >= _PARTIAL_MIN:
        score = max(score, fuzz.partial_ratio(header, stem) * _PARTIAL_WEIGHT)
    return score


class _Stems:
    """The distinct items of an exam set, matched by their stems."""

    def __init__(self, examset: ExamSet):
        self.items: dict[str, FormItem] = {}
        for form in examset.forms:
            for item in form.items:
                self.items.setdefault(item.item_id, item)
        self.ids = list(self.items)
        self.norms = [normalise(self.items[i].stem) for i in self.ids]

    def best(self, header: str, types: tuple[str, ...] | None = None) -> list[tuple[float, str]]:
        norm = normalise(clean_header(header))
        if not norm:
            return []
        scored = [(header_score(norm, stem), item_id) for item_id, stem in zip(self.ids, self.norms)
                  if types is None or self.items[item_id].type in types]
        return sorted(scored, key=lambda s: (-s[0], self.ids.index(s[1])))


def map_question_columns(header: list[str], examset: ExamSet, kind: str, shown: str) -> list[Column]:
    """Classify every header cell of a Forms export (or a sheet headed by question texts)."""
    stems = _Stems(examset)
    meta = GOOGLE_META if kind == "google" else MICROSOFT_META if kind == "microsoft" else {}
    columns = [_classify(i, label, stems, meta, shown) for i, label in enumerate(header)]
    check_unique(columns, shown)
    return columns


def _classify(index: int, label: str, stems: _Stems, meta: dict[str, str], shown: str) -> Column:
    where = f"column {index + 1}"
    if not label.strip():
        return Column(index, f"({where})", "extra")
    norm = normalise(label)
    if norm in meta:
        role = meta[norm]
        priority = {"name": 1, "email": 2, "email address": 2, "id": 3}.get(norm, 1)
        return Column(index, label, role, priority=priority if role == "student" else 0)
    if _MS_QUIZ.match(label):
        return Column(index, label, "quiz")
    if _GOOGLE_QUIZ.match(label):
        # "Stem [Feedback]" is Google's feedback column, unless the stem is a grid question with
        # a row called so (a lifecycle stage named Feedback): then it is that row's answer.
        grid = _grid(index, label, stems, where, shown)
        return grid if grid and normalise(grid.sub or "") in ("feedback", "score") else Column(index, label, "quiz")
    if label.strip() in stems.items:
        return Column(index, label, "answer", item_id=label.strip(), score=100.0)
    position = position_of(label)
    if position is not None:
        return Column(index, label, "answer", position=position)
    grid = _grid(index, label, stems, where, shown)
    if grid:
        return grid
    found = _pick(stems.best(label), label, where, shown)
    if found:
        return Column(index, label, "answer", item_id=found[1], score=found[0])
    identity = identity_role(label)
    if identity:
        return Column(index, label, identity[0], priority=identity[1])
    return Column(index, label, "extra")


def _pick(scored: list[tuple[float, str]], label: str, where: str, shown: str) -> tuple[float, str] | None:
    if not scored or scored[0][0] < HEADER_THRESHOLD:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < HEADER_MARGIN:
        (s1, a), (s2, b) = scored[0], scored[1]
        raise ExamkitError(Problem(
            shown, 1,
            f'{where} "{_short(label)}" matches items {a} ({s1:.0f}) and {b} ({s2:.0f}) about equally; '
            "write the full question text (or the item id) as its header"))
    return scored[0]


def _grid(index: int, label: str, stems: _Stems, where: str, shown: str) -> Column | None:
    """A grid question's row: `Stem [Row]` (Google Forms) or `Stem.Row` (Microsoft Forms)."""
    splits: list[tuple[str, str]] = []
    bracket = _BRACKET_ROW.match(label)
    if bracket:
        splits.append((bracket.group(1), bracket.group(2)))
    for found in _DOT_ROW.finditer(label):
        base, sub = label[:found.start()], label[found.end():]
        if base.strip() and sub.strip():
            splits.append((base, sub))
    for base, sub in splits:
        sub = sub.strip(" .-\u2013")
        picked = _pick(stems.best(base, ("matching", "ordering")), base, where, shown)
        if picked and _is_row_of(stems.items[picked[1]], sub):
            return Column(index, label, "grid", item_id=picked[1], sub=sub, score=picked[0])
    for base, sub in splits[:1]:
        # `Stem [Row]` of a grid item whose row was renamed: still a row of that item (the grader
        # names the unknown row), never an answer to the whole item.
        picked = _pick(stems.best(base, ("matching", "ordering")), base, where, shown)
        if picked and bracket:
            return Column(index, label, "grid", item_id=picked[1], sub=sub.strip(" .-\u2013"), score=picked[0])
    return None


def _is_row_of(item: FormItem, sub: str) -> bool:
    """Whether `sub` names a premise (matching) or a step or position (ordering) of the item."""
    if item.type == "matching":
        rows = [p.text for p in item.premises]
    else:
        if parse_rank(sub) is not None:
            return True
        rows = [s.text for s in item.steps]
    return TextMatcher(rows).match(sub).found


def check_unique(columns: list[Column], shown: str) -> None:
    seen: dict[object, Column] = {}
    for column in columns:
        if column.role == "answer":
            target = ("position", column.position) if column.position else ("item", column.item_id)
        elif column.role == "grid":
            target = ("grid", column.item_id, normalise(column.sub or ""))
        else:
            continue
        if target in seen:
            first = seen[target]
            what = f"item {column.item_id}" if column.item_id else f"position {column.position}"
            raise ExamkitError(Problem(
                shown, 1,
                f'columns {first.index + 1} "{_short(first.label)}" and {column.index + 1} '
                f'"{_short(column.label)}" both hold {what}; rename or remove one of them'))
        seen[target] = column


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."
