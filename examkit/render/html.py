"""HTML for every document: the jinja environment and the context each template receives.

Templates live in a folder (the shipped `templates/`, or the user's `--templates DIR`, which
falls back to the shipped ones for any file it does not have). Autoescaping is on for every
template; bank text reaches HTML only through escaping or the safe Markdown filter `md`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

# The table of documents lives in examkit/documents.py, which imports nothing heavy: the
# command decides from it, before any of this is imported, whether to start weasyprint's import.
from ..documents import DOCUMENT_TABLE, DOCUMENTS
from ..models import ExamSet, Form, FormItem
from ..numbers import format_number
from .markdown import render_markdown
from .sheet import HOW_TO_MARK, PAPER_SIZES, SheetLayout, layout_sheet
from .sheet import instructions as sheet_instructions

PER_FORM = {d.name for d in DOCUMENT_TABLE if d.per_form}
# How each type's row of the answer sheet is marked, as the booklet's instructions say it.
_HOW_TO_MARK = {kind: how for kind, (_, how) in HOW_TO_MARK.items()}
TEMPLATE_OF = {d.name: d.template for d in DOCUMENT_TABLE}


_CHOOSE_IN_STEM = re.compile(r"\b(select|choose)\s+(two|three|four|five|six|\d+)\b", re.I)
_NUMBER_WORDS = {2: "TWO", 3: "THREE", 4: "FOUR", 5: "FIVE", 6: "SIX"}


def make_environment(templates_dir: Path | None = None):
    """A sandboxed jinja2 environment over `templates_dir` (then the shipped templates)."""
    from .sandbox import sandboxed_environment

    env = sandboxed_environment(template_folders(templates_dir))
    env.filters["md"] = render_markdown
    env.filters["points"] = format_number
    env.globals["inline_file"] = functools.partial(_inline_file, env, {})
    env.globals["qr_svg"] = qr_svg
    return env


def qr_svg(payload: str) -> Markup:
    """An inline SVG QR code: path data only, the payload never appears in it as text."""
    import segno

    svg = segno.make(payload, error="m", micro=False).svg_inline(border=0, omitsize=True, svgclass=None, lineclass=None)
    return Markup(svg)


def template_folders(templates_dir: Path | None) -> list[Path]:
    """The folders templates are looked up in, first match wins; all of them may be read from."""
    from ..resources import shipped_templates

    shipped = shipped_templates().resolve()
    if templates_dir is None:
        return [shipped]
    own = Path(templates_dir).resolve()
    return [own] if own == shipped else [own, shipped]


def _inline_file(env, read: dict, name: str) -> Markup:
    """A stylesheet or script from the templates folder, pasted verbatim into a page.

    Inlining keeps every HTML file self-contained (it opens offline, from anywhere), and the
    file goes through the loader, so it can only come from the templates folders. `read` keeps
    what was read, for as long as the file is unchanged: a thousand exams inline one stylesheet.
    """
    known = read.get(name)
    if known is not None and known[1]():
        return known[0]
    source, _, uptodate = env.loader.get_source(env, name)
    # A stray closing tag would end the <style>/<script> element early.
    inlined = Markup(source.replace("</", "<\\/") if name.endswith(".js") else source.replace("</style", "<\\/style"))
    read[name] = (inlined, uptodate)
    return inlined


# --------------------------------------------------------------------------- pure helpers


@dataclass
class Block:
    """A run of consecutive items: a case study's items under its scenario, or a lone item."""

    case: object  # model.Case or None
    items: list[FormItem]

    @property
    def first(self) -> int:
        return self.items[0].position

    @property
    def last(self) -> int:
        return self.items[-1].position


def blocks_of(examset: ExamSet, form: Form) -> list[Block]:
    """Group a form's items so a case study's scenario is printed once, before its items."""
    blocks: list[Block] = []
    for item in form.items:
        case = examset.cases.get(item.case) if item.case else None
        if case is not None and blocks and blocks[-1].case is case:
            blocks[-1].items.append(item)
        else:
            blocks.append(Block(case, [item]))
    return blocks


def choose_hint(item: FormItem) -> str:
    """'(Select TWO.)' for a multiple-response item whose stem does not already say so."""
    if item.type != "multiple" or _CHOOSE_IN_STEM.search(item.stem):
        return ""
    n = sum(o.correct for o in item.options)
    return f"(Select {_NUMBER_WORDS.get(n, str(n))}.)"


def matching_note(item: FormItem) -> str:
    answers = [p.answer for p in item.premises]
    if len(set(answers)) < len(answers):
        return "A response may be used more than once, and some may not be used."
    if len(item.responses) > len(item.premises):
        return "Each response is used at most once; some are not used."
    return "Each response is used exactly once."


def answer_text(item: FormItem) -> str:
    """The correct answer as a reader says it, e.g. 'B' or '1 → C, 2 → A' (the key uses `key`)."""
    if item.type == "matching":
        return ", ".join(f"{p.number} → {p.answer}" for p in item.premises)
    if item.type == "ordering":
        return " → ".join(s.letter for s in sorted(item.steps, key=lambda s: s.rank))
    if item.type == "short":
        return " | ".join(item.answers)
    if item.type == "numeric":
        return item.key.replace(" ±", " (± ") + (")" if item.tolerance else "")
    return ", ".join(o.letter for o in item.options if o.correct)


def types_present(forms: list[Form]) -> set[str]:
    return {item.type for form in forms for item in form.items}


def practice_data(examset: ExamSet, form: Form) -> dict:
    """What the practice page's script needs to grade: keys, points, objectives and rules."""
    items = []
    for item in form.items:
        entry: dict = {"n": item.position, "type": item.type, "objective": item.objective, "points": item.points}
        if item.type in ("single", "multiple"):
            entry["correct"] = [o.letter for o in item.options if o.correct]
        elif item.type == "matching":
            entry["correct"] = {str(p.number): p.answer for p in item.premises}
        elif item.type == "ordering":
            entry["correct"] = [s.letter for s in sorted(item.steps, key=lambda s: s.rank)]
        elif item.type == "numeric":
            entry["correct"] = {"number": item.number, "tolerance": item.tolerance}
        else:
            entry["correct"] = list(item.answers)
        items.append(entry)
    # In the order of the objective tree (the exam set lists it so): sorting the ids as text
    # would put objective 1.10 before 1.2.
    used = dict.fromkeys(item.objective for item in form.items)
    tree = [oid for oid in examset.objectives if oid in used]
    scoring = examset.scoring
    return {
        "form": form.letter,
        "items": items,
        "objectives": {oid: examset.objectives.get(oid, oid) for oid in tree + sorted(used.keys() - set(tree))},
        "scoring": {
            "partial": list(scoring.partial_credit),
            "negative": scoring.negative_marking,
            "scale": list(scoring.scale) if scoring.scale else None,
            "pass_mark": scoring.pass_mark,
        },
    }


def exam_facts(examset: ExamSet, form: Form | None) -> list[tuple[str, str]]:
    """The facts line under an exam's title: questions, time, points, passing score."""
    forms = [form] if form else examset.forms
    count = len(forms[0].items) if forms else 0
    facts = [("Questions", str(count))]
    if examset.time_limit_minutes:
        facts.append(("Time limit", f"{examset.time_limit_minutes} minutes"))
    if forms:
        facts.append(("Points", format_number(sum(i.points for i in forms[0].items))))
    scoring = examset.scoring
    if scoring.pass_mark is not None:
        if scoring.scale:
            facts.append(("Passing score", f"{format_number(scoring.pass_mark)} on a scale of {scoring.scale[0]}–{scoring.scale[1]}"))
        else:
            facts.append(("Passing score", f"{format_number(scoring.pass_mark)}%"))
    return facts


# --------------------------------------------------------------------------- rendering


def render_document(env, doc: str, examset: ExamSet, form: Form | None = None, *, paper: str = "a4",
                    layout: SheetLayout | None = None) -> str:
    """The HTML of one document (`doc` in DOCUMENTS) for one form, or for the whole set (key).

    `layout` is the answer sheet's geometry when the caller has computed it (it writes the same
    numbers to the layout file); otherwise the sheet lays itself out.
    """
    if doc not in DOCUMENTS:
        raise ValueError(f"unknown document {doc!r}")
    if (doc in PER_FORM) != (form is not None):
        raise ValueError(f"{doc} is rendered {'per form' if doc in PER_FORM else 'once per set'}")
    width, height = PAPER_SIZES[paper]
    forms = [form] if form else examset.forms
    context = {
        "examset": examset,
        "form": form,
        "forms": forms,
        "paper": paper,
        "page_width": width,
        "page_height": height,
        "doc": doc,
        "objective_title": lambda oid: examset.objectives.get(oid, ""),
        "choose_hint": choose_hint,
        "matching_note": matching_note,
        "answer_text": answer_text,
        "facts": exam_facts(examset, form),
        "types": types_present(forms),
        "how_to_mark": _HOW_TO_MARK,
        "footer_left": f"{examset.exam_title or examset.title}" + (f" · Form {form.letter}" if form else ""),
    }
    if form is not None:
        context["blocks"] = blocks_of(examset, form)
    if doc == "sheet":
        context["layout"] = layout if layout is not None else layout_sheet(examset, form, paper)
        context["sheet_instructions"] = sheet_instructions(context["types"])
    if doc == "practice":
        # The template writes it with |tojson, which escapes <, > and & so the data can never
        # close its <script> element.
        context["practice"] = practice_data(examset, form)
        from .practice import accepted_sentence, label_of, number_sentence, short_title

        context["accepted_sentence"] = accepted_sentence
        context["number_sentence"] = number_sentence
        context["item_label"] = label_of
        context["short_title"] = short_title
    return env.get_template(TEMPLATE_OF[doc]).render(context)
