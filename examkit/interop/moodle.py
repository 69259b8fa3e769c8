"""Moodle XML: multichoice (single and multiple), matching, ordering (core since Moodle 4.4),
shortanswer and numerical; categories follow the objective tree, tags carry objective and concepts.

Fractions come only from Moodle's list (see fractions.py): a multiple-response item with three
keys gives each 33.33333 and each wrong option a negative share, so marking everything scores 0.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..errors import Problem
from .category import course_category, moodle_category, split_category
from .fractions import allowed, listing, penalty_share, percent, share_of
from .model import Choice, Package, Pair, Question, Skipped, general_feedback
from .text import markdown_html, plain, with_case
from .xmlout import to_string
from .xmltree import Node, parse_xml

UNSUPPORTED = {"essay": "an essay question (it needs a human grader)", "multianswer": "a cloze question (embedded answers)",
               "calculated": "a calculated question", "calculatedsimple": "a calculated question",
               "calculatedmulti": "a calculated question", "ddwtos": "a drag-and-drop into text question",
               "ddimageortext": "a drag-and-drop onto image question", "ddmarker": "a drag-and-drop markers question",
               "gapselect": "a select-missing-words question", "randomsamatch": "a random short-answer matching question",
               "random": "a random question slot"}


# --------------------------------------------------------------------------- export


def _text(parent: ET.Element, tag: str, markdown: str, fmt: str = "html", **attrs) -> ET.Element:
    el = ET.SubElement(parent, tag, format=fmt, **attrs)
    ET.SubElement(el, "text").text = markdown_html(markdown) if markdown else ""
    return el


def _category(quiz_root: ET.Element, path: list[str]) -> None:
    q = ET.SubElement(quiz_root, "question", type="category")
    cat = ET.SubElement(q, "category")
    ET.SubElement(cat, "text").text = course_category(path)


def _common(el: ET.Element, q: Question, shuffle: bool) -> None:
    ET.SubElement(ET.SubElement(el, "name"), "text").text = q.id
    _text(el, "questiontext", with_case(q))
    _text(el, "generalfeedback", general_feedback(q))
    ET.SubElement(el, "defaultgrade").text = f"{q.points:g}"
    ET.SubElement(el, "penalty").text = "0"
    ET.SubElement(el, "hidden").text = "0"
    ET.SubElement(el, "idnumber").text = q.id
    if q.type in ("single", "multiple", "matching"):
        ET.SubElement(el, "shuffleanswers").text = "true" if shuffle else "false"


def _tags(el: ET.Element, q: Question) -> None:
    tags = ET.SubElement(el, "tags")
    for tag in [q.objective, *q.tags]:
        ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag


def question_xml(q: Question, shuffle: bool, partial_ordering: bool = False) -> ET.Element:
    kind = {"single": "multichoice", "multiple": "multichoice", "matching": "matching",
            "ordering": "ordering", "short": "shortanswer", "numeric": "numerical"}[q.type]
    el = ET.Element("question", type=kind)
    _common(el, q, shuffle)
    if q.type in ("single", "multiple"):
        ET.SubElement(el, "single").text = "true" if q.type == "single" else "false"
        ET.SubElement(el, "answernumbering").text = "ABCD"
        keys = len(q.keys)
        wrong = len(q.choices) - keys
        for c in q.choices:
            if q.type == "single":
                value = 1.0 if c.correct else 0.0
            else:
                value = share_of(keys) if c.correct else -penalty_share(wrong)
            answer = _text(el, "answer", c.text, fraction=percent(value))
            _text(answer, "feedback", c.why or "")
    elif q.type == "matching":
        for p in q.pairs:
            sub = _text(el, "subquestion", p.premise)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = p.response
        for c in q.extra_responses:
            sub = _text(el, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = c.text
    elif q.type == "ordering":
        ET.SubElement(el, "layouttype").text = "VERTICAL"
        ET.SubElement(el, "selecttype").text = "ALL"
        ET.SubElement(el, "selectcount").text = "0"
        ET.SubElement(el, "gradingtype").text = "RELATIVE_NEXT_EXCLUDE_LAST" if partial_ordering else "ALL_OR_NOTHING"
        ET.SubElement(el, "showgrading").text = "SHOW"
        ET.SubElement(el, "numberingstyle").text = "none"
        for number, step in enumerate(q.steps, 1):  # written in the correct order, as qtype_ordering does
            _text(el, "answer", step.text, fraction=f"{number}.0000000")
    elif q.type == "numeric":
        answer = _text(el, "answer", f"{q.number:g}", fraction="100")
        ET.SubElement(answer, "tolerance").text = f"{q.tolerance:g}"
        _text(answer, "feedback", "")
    else:
        ET.SubElement(el, "usecase").text = "0"
        for answer in q.answers:
            a = ET.SubElement(el, "answer", fraction="100", format="moodle_auto_format")
            ET.SubElement(a, "text").text = answer
            _text(a, "feedback", "")
    _tags(el, q)
    return el


def export(package: Package, partial: frozenset[str] = frozenset()) -> tuple[str, list[Skipped]]:
    root = ET.Element("quiz")
    for quiz in package.quizzes:
        current = None
        for q in quiz.questions:
            path = moodle_category(package, quiz, q)
            if path != current:
                _category(root, path)
                current = path
            root.append(question_xml(q, q.shuffle, "ordering" in partial))
    return to_string(root), []


# --------------------------------------------------------------------------- import


def _md(node: Node | None, unsupported: list[str]) -> str:
    if node is None:
        return ""
    raw = node.textof("text")
    text, lost = plain(raw)
    if "@@PLUGINFILE@@" in raw or node.find("file") is not None:
        lost = lost or ["an attached file"]
    unsupported.extend(lost)
    return text


def read(data: bytes, shown: str) -> tuple[list[Question], list[Skipped], list[Problem]]:
    root = parse_xml(data, shown)
    if root.tag != "quiz":
        return [], [], [Problem(shown, root.line, f"<{root.tag}> is not Moodle XML (<quiz>); check the format (--from)")]
    questions, skipped, problems = [], [], []
    category: list[str] = []
    for node in root.findall("question"):
        kind = node.get("type", "")
        where = f"{shown}:{node.line}"
        if kind == "category":
            category = split_category(node.textof("category", "text"))
            continue
        if kind == "description":
            skipped.append(Skipped(where, "a description is not a question; left out"))
            continue
        if kind in UNSUPPORTED:
            skipped.append(Skipped(where, f"{UNSUPPORTED[kind]} cannot be imported; left out"))
            continue
        if kind not in ("multichoice", "truefalse", "matching", "ordering", "shortanswer", "numerical"):
            skipped.append(Skipped(where, f"question type '{kind}' cannot be imported"))
            continue
        lost: list[str] = []
        try:
            q = _question(node, kind, shown, lost)
        except _Unsupported as exc:
            skipped.append(Skipped(where, str(exc)))
            continue
        except ValueError as exc:
            problems.append(Problem(shown, getattr(exc, "line", node.line), str(exc)))
            continue
        if lost:
            skipped.append(Skipped(where, f"holds {', '.join(dict.fromkeys(lost))}, which a bank cannot hold"))
            continue
        q.category, q.path, q.line = list(category), shown, node.line
        questions.append(q)
    return questions, skipped, problems


class _Unsupported(Exception):
    """A question examkit cannot hold: reported and left out, not an error in the file."""


class _LineError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _fraction(answer: Node) -> float:
    raw = answer.get("fraction", "0")
    try:
        value = float(raw) / 100
    except ValueError:
        raise _LineError(f"fraction '{raw}' is not a number; use a value from Moodle's list ({listing()})",
                         answer.line) from None
    if not allowed(value):
        raise _LineError(f"fraction '{raw}' is not on Moodle's list of grades, so Moodle would refuse this file; "
                         f"use one of {listing()} (or its negative)", answer.line)
    return value


def _question(node: Node, kind: str, shown: str, lost: list[str]) -> Question:
    from .bankwrite import item_id

    name = node.textof("name", "text").strip()
    stem = _md(node.find("questiontext"), lost)
    if not stem:
        raise _LineError("the question has no text; add a <questiontext>", node.line)
    q = Question(id=item_id(name, stem), type="single", stem=stem,
                 explanation=_md(node.find("generalfeedback"), lost) or None,
                 source=f"Imported from {shown}" + (f", question '{name}'" if name else ""))
    q.points = _points(node.textof("defaultgrade").strip())
    q.tags = [t.textof("text").strip() for t in (node.find("tags").findall("tag") if node.find("tags") else [])]
    answers = node.findall("answer")
    if kind in ("multichoice", "truefalse"):
        _read_choices(q, node, kind, answers, lost)
    elif kind == "matching":
        _read_matching(q, node, lost)
    elif kind == "ordering":
        q.type = "ordering"
        steps = sorted(answers, key=lambda a: float(a.get("fraction", "0") or 0))
        q.choices = [Choice(_md(a, lost)) for a in steps]
        q.order = list(range(len(steps)))
    else:
        _read_short(q, answers, lost)
    return q


def _points(grade: str) -> float:
    """defaultgrade when it is a positive number, else 1."""
    return float(grade) if grade.replace(".", "", 1).isdigit() and float(grade) > 0 else 1.0


def _read_choices(q: Question, node: Node, kind: str, answers: list[Node], lost: list[str]) -> None:
    """Multiple choice or true/false: a single-answer question keys only its best positive
    fraction, a multiple-answer one every positive fraction."""
    fractions = [_fraction(a) for a in answers]
    texts = [_md(a, lost) for a in answers]
    if kind == "truefalse":
        texts = [t.capitalize() for t in texts]
    single = kind == "truefalse" or node.textof("single").strip().lower() in ("true", "1")
    if single:
        best = max(fractions) if fractions else 0
        correct = [f == best and f > 0 for f in fractions]
    else:
        correct = [f > 0 for f in fractions]
    q.type = "single" if sum(correct) == 1 else "multiple"
    q.choices = [Choice(t, c, _md(a.find("feedback"), lost) or None) for t, c, a in zip(texts, correct, answers)]
    q.shuffle = node.textof("shuffleanswers").strip().lower() not in ("false", "0")


def _read_matching(q: Question, node: Node, lost: list[str]) -> None:
    q.type = "matching"
    for sub in node.findall("subquestion"):
        premise = _md(sub, lost)
        response = plain(sub.textof("answer", "text"))[0]
        if premise:
            q.pairs.append(Pair(premise, response))
        elif response:
            q.extra_responses.append(Choice(response))


def _read_short(q: Question, answers: list[Node], lost: list[str]) -> None:
    """Short answer or numerical (without a tolerance): the answers worth something; the first
    answer feedback stands in for a missing general feedback."""
    if any(float(a.textof("tolerance") or 0) for a in answers):
        raise _Unsupported("a numerical question with a tolerance cannot be graded as a short answer; left out")
    q.type = "short"
    q.answers = [plain(a.textof("text"))[0] for a in answers if float(a.get("fraction", "0") or 0) > 0]
    fb = [_md(a.find("feedback"), lost) for a in answers]
    if not q.explanation and any(fb):
        q.explanation = next(f for f in fb if f)
