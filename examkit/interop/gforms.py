"""Google Forms: an Apps Script file that, pasted into script.google.com and run once, creates the
quiz in the teacher's account (Forms has no question import). One question per item: radio
(single), checkbox (multiple), a grid for matching (rows: premises, columns: responses) and for
ordering (rows: steps, columns: 1st, 2nd, ...), short text; points, answer keys, feedback for
right and wrong answers (each option's `why`), and a required email. An exam folder gives one
quiz per form.

Question titles are the stems exactly, and grid rows the premise and step texts, so the
responses export maps back to the items through `examkit grade` (grade/forms_export.py). The
case study goes into the question's description, which the export leaves out.
The quiz data is embedded as JSON, so no text from the bank can become script code.
"""

from __future__ import annotations

import json

from .model import Package, Question, Skipped
from .text import one_line

# The item types this format holds; others are left out with the reason (examkit.interop.export).
TYPES = frozenset({"single", "multiple", "matching", "ordering", "short"})

ORDINALS = ("1st", "2nd", "3rd")

SCRIPT = r"""// Written by examkit. Creates %(count)s Google Forms quiz(zes) in your account:
// 1. open https://script.google.com and click "New project";
// 2. replace the editor's contents with this whole file and save;
// 3. choose the function createQuizzes and click Run (allow the permissions it asks for).
// The log lists the link of each new quiz. Run it once: every run creates new forms.

const QUIZZES = %(data)s;

function feedback_(text) {
  return FormApp.createFeedback().setText(text).build();
}

function addQuestion_(form, q) {
  let item;
  if (q.kind === 'single' || q.kind === 'multiple') {
    item = q.kind === 'single' ? form.addMultipleChoiceItem() : form.addCheckboxItem();
    item.setTitle(q.title);
    item.setChoices(q.choices.map(function (c) { return item.createChoice(c.text, c.correct); }));
    item.setPoints(q.points);
    if (q.right) item.setFeedbackForCorrect(feedback_(q.right));
    if (q.wrong) item.setFeedbackForIncorrect(feedback_(q.wrong));
  } else if (q.kind === 'grid') {
    item = form.addGridItem();
    item.setTitle(q.title);
    item.setRows(q.rows);
    item.setColumns(q.columns);
  } else {
    item = form.addTextItem();
    item.setTitle(q.title);
    item.setPoints(q.points);
    if (q.right) item.setGeneralFeedback(feedback_(q.right));
  }
  if (q.help) item.setHelpText(q.help);
  item.setRequired(false);
  return item;
}

function createQuizzes() {
  const links = [];
  QUIZZES.forEach(function (quiz) {
    const form = FormApp.create(quiz.title);
    form.setIsQuiz(true);
    form.setCollectEmail(true);
    form.setShuffleQuestions(false);
    form.setDescription(quiz.description);
    quiz.questions.forEach(function (q) { addQuestion_(form, q); });
    links.push(form.getEditUrl());
    Logger.log(quiz.title + ': ' + form.getEditUrl());
  });
  return links;
}
"""


def ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


def _wrong_feedback(q: Question) -> str:
    lines = [q.explanation or ""]
    lines += [f"{one_line(c.text)}: {c.why}" for c in q.choices if c.why and not c.correct]
    return "\n".join(line for line in lines if line)


def question_data(q: Question) -> dict:
    # Forms takes whole points only (setPoints(Integer)); a fractional value is rounded, never below 1.
    data: dict = {"id": q.id, "title": q.stem, "points": max(1, round(q.points))}
    if q.case_scenario:
        data["help"] = f"Case study: {q.case_title}\n\n{q.case_scenario}"
    if q.type in ("single", "multiple"):
        data.update(kind=q.type, choices=[{"text": c.text, "correct": c.correct} for c in q.choices])
        right = [q.explanation or ""] + [c.why for c in q.keys if c.why]
        data["right"] = "\n".join(t for t in right if t)
        data["wrong"] = _wrong_feedback(q)
    elif q.type == "matching":
        data.update(kind="grid", rows=[p.premise for p in q.pairs], columns=q.responses())
    elif q.type == "ordering":
        data.update(kind="grid", rows=[c.text for c in q.choices],
                    columns=[ordinal(n) for n in range(1, len(q.choices) + 1)])
    else:
        data.update(kind="short", right="\n".join(t for t in [q.explanation or "", "Accepted: " + ", ".join(q.answers)] if t))
    return data


def export(package: Package, partial: frozenset[str] = frozenset()) -> tuple[str, list[Skipped]]:
    quizzes = []
    for quiz in package.quizzes:
        quizzes.append({"title": quiz.title,
                        "description": f"{package.exam_title}. Written by examkit; enter your email address.",
                        "questions": [question_data(q) for q in quiz.questions]})
    # json.dumps escapes quotes and control characters; '</' and U+2028/9 cannot end the literal in a .gs file.
    data = json.dumps(quizzes, ensure_ascii=True, indent=1)
    return SCRIPT % {"count": len(quizzes), "data": data}, []
