"""GIFT, Moodle's text format: single (`=` and `~`), multiple (`~%weight%`), true/false,
matching (`=premise -> response`), short (`=answer` only) and missing-word questions.

Escaping follows Moodle's reader: `\\ ~ = # { } :` are escaped with a backslash, newlines are
written as `\\n`. Ordering has no GIFT form and is left out with its reason.
"""

from __future__ import annotations

import re

from ..errors import Problem
from .category import course_category, moodle_category, split_category
from .fractions import allowed, listing, penalty_share, percent, share_of
from .model import Choice, Package, Pair, Question, Skipped, general_feedback
from .text import plain, with_case

_SPECIAL = "\\~=#{}:"
# Escaped characters are swapped for private-use characters while a question is parsed.
_HIDE = {c: chr(0xE000 + i) for i, c in enumerate(_SPECIAL)}
_SHOW = {v: k for k, v in _HIDE.items()}
# Ordering has no GIFT form: the export leaves it out (export._drop_unheld), saying so.
TYPES = frozenset({"single", "multiple", "matching", "short", "numeric"})


def escape(text: str) -> str:
    out = "".join("\\" + c if c in _SPECIAL else c for c in text)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


# --------------------------------------------------------------------------- export


def _answer(mark: str, text: str, why: str | None, weight: str | None = None) -> str:
    w = f"%{weight}%" if weight is not None else ""
    fb = f"#{escape(why)}" if why else ""
    return f"\t{mark}{w}{escape(text)}{fb}"


def question_text(q: Question) -> list[str]:
    """One question (of a type in TYPES) as GIFT lines."""
    head = f"::{escape(q.id)}::[markdown]{escape(with_case(q))} {{"
    lines = [head]
    if q.type == "single":
        lines += [_answer("=" if c.correct else "~", c.text, c.why) for c in q.choices]
    elif q.type == "multiple":
        key, wrong = share_of(len(q.keys)), penalty_share(len(q.choices) - len(q.keys))
        lines += [_answer("~", c.text, c.why, percent(key if c.correct else -wrong)) for c in q.choices]
    elif q.type == "matching":
        lines += [f"\t={escape(p.premise)} -> {escape(p.response)}" for p in q.pairs]
        lines += [f"\t= -> {escape(c.text)}" for c in q.extra_responses]
    elif q.type == "short":
        lines += [f"\t={escape(a)}" for a in q.answers]
    else:  # numeric
        lines.append(f"\t#{q.number:g}:{q.tolerance:g}")
    feedback = general_feedback(q)
    if feedback:
        lines.append(f"\t####{escape(feedback)}")
    lines.append("}")
    return lines


def export(package: Package, partial: frozenset[str] = frozenset()) -> tuple[str, list[Skipped]]:
    out = [f"// {package.exam_title}: written by examkit; import in Moodle as GIFT format", ""]
    for quiz in package.quizzes:
        current = None
        for q in quiz.questions:
            path = moodle_category(package, quiz, q)
            if path != current:
                out += ["$CATEGORY: " + course_category(path), ""]
                current = path
            out += [f"// {q.objective}" + (f" [{', '.join(q.tags)}]" if q.tags else ""), *question_text(q), ""]
    return "\n".join(out), []


# --------------------------------------------------------------------------- import


def _hide(text: str) -> str:
    """Escapes replaced by private-use characters; `\\n` becomes a newline."""
    return re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else _HIDE.get(m[1], m[0]), text)


def _show(text: str) -> str:
    return "".join(_SHOW.get(c, c) for c in text).strip()


def blocks(text: str) -> list[tuple[int, str]]:
    """Questions as (first line, text): blank lines separate them, `//` lines are comments."""
    found: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                found.append((start, "\n".join(current)))
                current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        found.append((start, "\n".join(current)))
    return found


class GiftError(ValueError):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def read(data: bytes, shown: str) -> tuple[list[Question], list[Skipped], list[Problem]]:
    from .importer import decode

    text, problem = decode(data, shown)
    if problem:
        return [], [], [problem]
    questions, skipped, problems = [], [], []
    category: list[str] = []
    for line, block in blocks(text):
        if block.lstrip().startswith("$CATEGORY:"):
            first, _, rest = block.partition("\n")
            category = split_category(first.split(":", 1)[1].strip())
            if not rest.strip():
                continue
            block, line = rest, line + 1
        try:
            result = parse_question(block, line, shown)
        except GiftError as exc:
            problems.append(Problem(shown, exc.line, str(exc)))
            continue
        if isinstance(result, Skipped):
            skipped.append(result)
            continue
        result.category, result.path, result.line = list(category), shown, line
        questions.append(result)
    return questions, skipped, problems


def _line_of(block: str, index: int, first: int) -> int:
    return first + block.count("\n", 0, max(index, 0))


def parse_question(block: str, line: int, shown: str) -> Question | Skipped:
    from .bankwrite import item_id

    name, is_html, raw = _head(_hide(block))
    open_at, before, inside, after = _split_braces(block, raw, line)
    text_of = _TextOf(is_html)
    stem = text_of(before)
    if after.strip():  # missing-word format: the blank sits where the braces were
        stem = f"{stem} _____ {text_of(after)}".strip()
    where = f"{shown}:{line}"
    if not stem:
        raise GiftError("the question has no text before its answers; write the question", line)
    q = Question(id=item_id(name, stem), type="single", stem=stem,
                 source=f"Imported from {shown}" + (f", question '{name}'" if name else ""))
    body = inside.strip()
    if "####" in body:
        body, general = body.split("####", 1)
        q.explanation = text_of(general) or None
        body = body.strip()
    if not body:
        return Skipped(where, "an essay question (empty answer block) needs a human grader; left out")
    if text_of.lost:
        return Skipped(where, f"holds {', '.join(dict.fromkeys(text_of.lost))}, which a bank cannot hold")
    if re.fullmatch(r"(T|F|TRUE|FALSE)(#.*)?", body, re.S | re.I):
        return _true_false(q, body, text_of)
    if body.startswith("#"):
        return _numeric(q, body, where)
    return _from_answers(q, _answers(body, block, open_at, line, text_of), line)


def _head(raw: str) -> tuple[str | None, bool, str]:
    """Strip the '::title::' and '[format]' prefixes: (title, is HTML, the rest)."""
    name = None
    title = re.match(r"\s*::(.*?)::", raw, re.S)
    if title:
        name = _show(title[1])
        raw = raw[title.end():]
    fmt = re.match(r"\s*\[(html|moodle|plain|markdown)\]", raw)
    if fmt:
        raw = raw[fmt.end():]
    return name, bool(fmt and fmt[1] == "html"), raw


def _split_braces(block: str, raw: str, line: int) -> tuple[int, str, str, str]:
    """(where '{' is, text before the braces, inside them, after them), or a GiftError."""
    open_at, close_at = raw.find("{"), raw.rfind("}")
    if open_at < 0:
        if "}" in raw:
            raise GiftError("a '}' without its '{'; escape it as '\\}' if it is text", line)
        raise GiftError("no answer block {...}; add the answers in braces (or escape a lone '{' as '\\{')", line)
    if close_at < open_at:
        raise GiftError("the answer block '{' is never closed; add '}' after the answers", _line_of(block, open_at, line))
    return open_at, raw[:open_at], raw[open_at + 1:close_at], raw[close_at + 1:]


class _TextOf:
    """Turns a hidden-escapes part back into text; for HTML questions it keeps plain text and
    collects in `lost` what a bank cannot hold."""

    def __init__(self, is_html: bool):
        self.is_html = is_html
        self.lost: list[str] = []

    def __call__(self, part: str) -> str:
        shown_text = _show(part)
        if not self.is_html:
            return shown_text
        text, missing = plain(shown_text)
        self.lost.extend(missing)
        return text


def _true_false(q: Question, body: str, text_of: _TextOf) -> Question:
    value, *notes = body.split("#")
    wrong, right = (notes + [None, None])[:2]
    truth = value.strip().upper().startswith("T")
    true_why, false_why = (right, wrong) if truth else (wrong, right)
    q.choices = [Choice("True", truth, text_of(true_why) if true_why else None),
                 Choice("False", not truth, text_of(false_why) if false_why else None)]
    q.shuffle = False
    return q


def _numeric(q: Question, body: str, where: str) -> Question | Skipped:
    values = [v.strip().lstrip("=") for v in body[1:].split("=") if v.strip()]
    if any(":" in v or ".." in v for v in values):
        return Skipped(where, "a numeric question with a tolerance or range cannot be graded as a short answer; left out")
    q.type, q.answers = "short", [_show(v.split("#")[0]).strip() for v in values if v.strip()]
    return q


def _answers(body: str, block: str, open_at: int, line: int,
             text_of: _TextOf) -> list[tuple[str, float | None, str, str | None]]:
    """Each '=' or '~' answer as (mark, weight or None, text, feedback or None)."""
    answers = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        mark, rest = match[1], match[2]
        weight = None
        wm = re.match(r"\s*%(-?[\d.]+)%", rest)
        if wm:
            weight = float(wm[1]) / 100
            if not allowed(weight):
                raise GiftError(f"weight %{wm[1]}% is not on Moodle's list of grades, so Moodle would refuse this "
                                f"file; use one of {listing()} (or its negative)",
                                _line_of(block, open_at + 1 + match.start(), line))
            rest = rest[wm.end():]
        text, _, why = rest.partition("#")
        answers.append((mark, weight, text_of(text), text_of(why) or None))
    if not answers:
        raise GiftError("the answer block has no answers; start each with '=' (right) or '~' (wrong)", line)
    return answers


def _from_answers(q: Question, answers: list[tuple[str, float | None, str, str | None]], line: int) -> Question:
    """A matching, short-answer or choice question, whichever the answers make."""
    if all(m == "=" for m, *_ in answers) and any("->" in t for _, _, t, _ in answers):
        return _matching(q, [t for _, _, t, _ in answers], line)
    if all(m == "=" for m, *_ in answers):
        q.type, q.answers = "short", [t for _, _, t, _ in answers]
        return q
    correct = [(m == "=" and w is None) or (w is not None and w > 0) for m, w, _, _ in answers]
    if not any(correct):
        raise GiftError("no correct answer; mark it with '=' (or give '~%50%'-style weights)", line)
    q.type = "single" if sum(correct) == 1 else "multiple"
    q.choices = [Choice(t, c, why) for (_, _, t, why), c in zip(answers, correct)]
    return q


def _matching(q: Question, texts: list[str], line: int) -> Question:
    q.type = "matching"
    for text in texts:
        premise, arrow, response = text.partition("->")
        if not arrow:
            raise GiftError(f"matching answer {text!r} has no '->'; write '=premise -> response'", line)
        if premise.strip():
            q.pairs.append(Pair(premise.strip(), response.strip()))
        else:
            q.extra_responses.append(Choice(response.strip()))
    return q
