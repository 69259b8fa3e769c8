"""What an export reads: a bank (every item, grouped by objective) or a generated exam folder
(each form as one quiz, items and options in the printed order), turned into a `Package`."""

from __future__ import annotations

from pathlib import Path

from ..errors import ExamkitError, Problem
from .model import Choice, Package, Pair, Question, Quiz, Skipped


def load_package(paths: list[Path]) -> Package:
    """An exam folder (holding examset.json) or bank files and folders."""
    from ..fileio import EXAMSET_FILE, read_examset

    if len(paths) == 1 and (paths[0].name == EXAMSET_FILE or (paths[0] / EXAMSET_FILE).is_file()):
        return from_examset(read_examset(paths[0]))
    if not paths:
        raise ExamkitError(Problem("export", None, "name a bank folder or a generated exam folder to export"))
    from ..bank import load_bank

    return from_bank(load_bank(paths))


def category_path(objective: str, titles: dict[str, str]) -> list[str]:
    """`["2 Fundamentals...", "2.1 Explain...", "2.1.1 ..."]` for objective `exam:2.1.1`."""
    exam, _, number = objective.partition(":")
    parts = number.split(".")
    path = []
    for depth in range(1, len(parts) + 1):
        sub = ".".join(parts[:depth])
        title = titles.get(f"{exam}:{sub}", "")
        path.append(f"{sub} {title}".strip())
    return path


def from_bank(bank) -> Package:
    """Every item of the bank as written (options in their written order), grouped by objective."""
    titles = {oid: o.title for oid, o in bank.objectives.items()}
    rank = {oid: i for i, oid in enumerate(bank.objectives)}
    questions, skipped = [], []
    for item in sorted(bank.items, key=lambda i: rank.get(i.objective, 0)):  # stable: file order within
        if item.params:
            skipped.append(Skipped(item.id, "a parametric item has its numbers only on a generated form; "
                                            "export an exam folder to carry it"))
            continue
        q = _question(as_written(item), bank.cases, titles)
        q.shuffle = item.shuffle
        questions.append(q)
    quiz = Quiz(bank.exam.id, bank.exam.title, questions)
    return Package(bank.exam.id, bank.exam.title, [quiz], titles, skipped=skipped)


def as_written(item):
    """A bank item printed in its written order: the same model an exam form prints."""
    from ..generate.shuffle import make_placer
    from ..models import Placement, print_item

    stored = make_placer(item, 1.0).stored
    parts = stored.responses if item.type == "matching" else stored.steps or stored.options
    placement = Placement(item.id, tuple(range(len(parts))), tuple(range(len(stored.premises))))
    return print_item(item.id, stored, placement, 0)


def from_examset(examset) -> Package:
    titles = dict(examset.objectives)
    quizzes = []
    for form in examset.forms:
        questions = [_question(fi, examset.cases, titles) for fi in form.items]
        for q in questions:
            q.shuffle = False  # the printed order is the point of exporting a form
        quizzes.append(Quiz(f"form-{form.letter.lower()}", f"{examset.title} (form {form.letter})", questions))
    return Package(examset.exam, examset.exam_title or examset.title, quizzes, titles, from_examset=True,
                   partial=frozenset(examset.scoring.partial_credit))


def _question(fi, cases: dict, titles: dict[str, str]) -> Question:
    """One printed item (`models.FormItem`) as an LMS question."""
    case = cases.get(fi.case) if fi.case else None
    q = Question(
        id=fi.item_id, type=fi.type, stem=fi.stem, objective=fi.objective,
        category=category_path(fi.objective, titles), explanation=fi.explanation, source=fi.source,
        difficulty=fi.difficulty, tags=list(fi.tags), points=fi.points,
        case_title=case.title if case else None, case_scenario=case.scenario if case else None,
    )
    if fi.type in ("single", "multiple"):
        q.choices = [Choice(o.text, o.correct, o.why) for o in fi.options]
    elif fi.type == "ordering":
        q.choices = [Choice(s.text, False, s.why) for s in fi.steps]
        q.order = sorted(range(len(fi.steps)), key=lambda i: fi.steps[i].rank)
    elif fi.type == "matching":
        text = {r.letter: r.text for r in fi.responses}
        q.pairs = [Pair(p.text, text[p.answer], p.why) for p in fi.premises]
        used = {p.answer for p in fi.premises}
        q.extra_responses = [Choice(r.text, False, r.why) for r in fi.responses if r.letter not in used]
        q.response_order = [r.text for r in fi.responses]
    elif fi.type == "numeric":
        q.number, q.tolerance = fi.number, fi.tolerance
    else:
        q.answers = list(fi.answers)
    return q
