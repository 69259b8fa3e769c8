"""The study page: one offline HTML file holding a bank's items (or a blueprint's pool) that draws
a fresh set in the browser on every attempt.

Python decides what the page holds: the items the blueprint allows, cut into the same units
(a standalone item, or a case study whole) and quotas the generator uses (`generate.draw`), and
each item's key. The page's script draws by those quotas, weighting items the student missed
above items answered right, and keeps answers and history in the browser's localStorage.

Bank text reaches the page only through the sandboxed templates: as escaped Markdown in the
HTML, and as JSON through `|tojson` (which escapes <, > and &) for the script.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape
from pathlib import Path

from ..errors import ExamkitError, Problem
from ..generate.draw import DrawPlan
from ..models import Blueprint
from .markdown import render_markdown

# Without a blueprint a page draws this many items per attempt (or the whole bank if smaller).
DEFAULT_DRAW = 20
# A stem is cut to this many characters where the results name an item.
LABEL_LENGTH = 90


def plain_text(markdown_text: str) -> str:
    """Bank Markdown as a reader sees it, without tags (for labels set with textContent)."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", str(render_markdown(markdown_text)))).split())


def label_of(item) -> str:
    """How the results name an item: the start of its stem, in its own words."""
    text = plain_text(item.stem)
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def short_title(title: str) -> str:
    """An objective's title without its examples: 'Describe the foundation model lifecycle'."""
    return title.split(" (", 1)[0].rstrip(". ") or title


def topic_of(item, bank) -> str:
    """What an item is about, in the bank's words: the title of its first declared concept
    (e.g. 'Fine-tuning'), else its objective's title without the examples."""
    concepts = {c.id: c.title for c in bank.exam.concepts}
    for tag in item.tags:
        if tag in concepts:
            return concepts[tag]
    objective = bank.objectives.get(item.objective)
    return short_title(objective.title) if objective else item.objective


def accepted_sentence(answers: list[str]) -> str:
    """Accepted short answers as a sentence: 'Accepted answers: “chunking” or “chunks”.'"""
    quoted = [f"“{a}”" for a in answers]
    if len(quoted) == 1:
        return f"Accepted answer: {quoted[0]}."
    return f"Accepted answers: {', '.join(quoted[:-1])} or {quoted[-1]}."


def number_sentence(key: dict) -> str:
    """A numeric item's answer as a sentence: 'Accepted answer: 0.8, give or take 0.01.'"""
    from ..numbers import format_number

    sentence = f"Accepted answer: {format_number(key['number'])}"
    return sentence + (f", give or take {format_number(key['tolerance'])}." if key["tolerance"] else ".")


# What the script needs to score each type, one small function per type. A type without an
# entry is sent with its type only; the page skips it with a visible note.
def _choice_key(item) -> dict:
    return {"correct": [i for i, o in enumerate(item.options) if o.correct],
            "pins": [o.pin for o in item.options], "shuffle": item.shuffle}


def _matching_key(item) -> dict:
    index_of = {r.key: i for i, r in enumerate(item.responses)}
    return {"correct": [index_of[p.answer] for p in item.premises], "shuffle": item.shuffle}


def _ordering_key(item) -> dict:
    return {"steps": len(item.steps)}  # the written order is the answer


def _short_key(item) -> dict:
    return {"correct": list(item.answers)}


def _numeric_key(item) -> dict:
    number = float(item.answer)  # a parametric item's name is resolved by `concrete`
    return {"number": number, "tolerance": max(item.tolerance, abs(number) * item.tolerance_percent / 100)}


KEYS = {"single": _choice_key, "multiple": _choice_key, "matching": _matching_key,
        "ordering": _ordering_key, "short": _short_key, "numeric": _numeric_key}


def concrete(item):
    """A parametric item with one draw of its numbers filled into every text (and a numeric
    answer computed); any other item as it is. The draw is seeded by the item's id, so a page
    is the same every time it is built; its numbers stay the same from attempt to attempt."""
    if not item.params:
        return item
    import random

    from ..expressions import fill
    from ..bank.params import Parametric, draw_values

    parametric = Parametric(item)
    scope = parametric.scope(dict(draw_values(parametric, random.Random(item.id).random)))

    def filled(part):
        texts = {name: fill(getattr(part, name), scope) for name in ("text", "why")
                 if isinstance(getattr(part, name, None), str)}
        return part.model_copy(update=texts)

    update = {"stem": fill(item.stem, scope), "explanation": fill(item.explanation, scope)}
    for name in ("options", "premises", "responses", "steps"):
        if getattr(item, name, None):
            update[name] = [filled(part) for part in getattr(item, name)]
    if getattr(item, "answers", None):
        update["answers"] = [fill(a, scope) for a in item.answers]
    if item.type == "numeric" and isinstance(item.answer, str):
        update["answer"] = scope[item.answer]
    return item.model_copy(update=update)


def default_blueprint(bank, items: int | None = None) -> Blueprint:
    """Every item of the bank, drawn `items` (DEFAULT_DRAW) at a time."""
    size = items or min(DEFAULT_DRAW, len(bank.items))
    return Blueprint(title=f"{bank.exam.title}: practice", exam=bank.exam.id, items=max(1, size))


def practice_pool(bank, blueprint: Blueprint) -> tuple[list, dict]:
    """The items the page holds, each made concrete once (`concrete`), and everything the page's
    script needs: items with keys, units, quotas and scoring rules."""
    from ..generate.blueprint import resolve_quotas

    # The generator's draw plan, minus its refusal of a thin bank: the page draws as far as the
    # pool allows, and says so, instead of refusing to be built.
    plan = DrawPlan.for_blueprint(bank, blueprint, resolve_quotas(blueprint), check_supply=False)
    if not plan.items:
        raise ExamkitError(Problem(blueprint.location, None, "no bank item fits this blueprint; "
                                   "check its objectives and types against `examkit list`"))
    objectives = bank.objectives
    scoring = blueprint.scoring
    pool = [concrete(item) for item in plan.items]
    items = []
    for item in pool:
        entry = {"id": item.id, "type": item.type, "objective": item.objective,
                 "topic": topic_of(item, bank),
                 "label": label_of(item), "difficulty": item.difficulty, "case": item.case,
                 "points": scoring.points_for(item.type)}
        make_key = KEYS.get(item.type)
        if make_key is not None:
            entry["key"] = make_key(item)
        items.append(entry)
    units = [{"items": list(u.items), "needs": [list(n) for n in u.needs], "enemies": list(u.enemies)}
             for u in plan.units]
    quotas = [{"label": q.label, "limit": q.limit, "exact": q.exact} for q in plan.quotas]
    used = dict.fromkeys(i.objective for i in plan.items)
    content = json.dumps([items, quotas], sort_keys=True, ensure_ascii=False)
    return pool, {
        # Storage is kept per pool: a rebuilt page with other items starts a fresh history.
        "storage_key": "examkit-practice:" + hashlib.sha256(content.encode()).hexdigest()[:16],
        "total": plan.total,
        "items": items,
        "units": units,
        "quotas": quotas,
        "objectives": {oid: objectives[oid].title for oid in objectives if oid in used},
        "time_limit_minutes": blueprint.time_limit_minutes,
        "scoring": {"partial": list(scoring.partial_credit), "negative": scoring.negative_marking,
                    "scale": list(scoring.scale) if scoring.scale else None, "pass_mark": scoring.pass_mark},
    }


def render_practice(bank, blueprint: Blueprint, templates: Path | None = None) -> tuple[str, dict]:
    """The study page's HTML for a bank under a blueprint, and the data the page holds."""
    import jinja2

    from .html import make_environment
    from .sandbox import template_problem

    pool, data = practice_pool(bank, blueprint)
    env = make_environment(templates)
    context = {
        "title": blueprint.title,
        "exam_title": bank.exam.title,
        "pool": pool,
        "units": data["units"],
        "cases": bank.cases,
        "data": data,
        "types": sorted({item.type for item in pool}),
        "supported": sorted(KEYS),
        "objective_title": lambda oid: bank.objectives[oid].title if oid in bank.objectives else "",
        "topic": {entry["id"]: entry["topic"] for entry in data["items"]},
        "keys": {entry["id"]: entry.get("key") for entry in data["items"]},
        "accepted_sentence": accepted_sentence,
        "number_sentence": number_sentence,
    }
    try:
        return env.get_template("study.html.j2").render(context), data
    except jinja2.TemplateError as exc:
        raise ExamkitError(template_problem(exc, "study.html.j2")) from None


def build_practice(output: Path, bank_paths: list[Path] | None = None, blueprint: Path | str | None = None, *,
                   items: int | None = None, templates: Path | None = None) -> dict:
    """Write the study page for a bank (default: the shipped one) and a blueprint (default: every
    item of the bank, `items` per attempt) to `output`; returns what it holds, for printing."""
    from ..bank import load_bank
    from ..fileio import write_atomic
    from ..generate import find_blueprint, load_blueprint

    from ..bank.identify import kind_of

    if items is not None and blueprint is not None:
        raise ExamkitError(Problem("--items", None, "the blueprint sets the number of questions; "
                                   "drop --items or drop -b"))
    for path in bank_paths or []:
        if kind_of(Path(path)) == "blueprint":
            raise ExamkitError(Problem(str(path), None, "is a blueprint, not a bank; give it with -b"))
    bank = load_bank(bank_paths or None)
    bp = load_blueprint(find_blueprint(blueprint)) if blueprint is not None else default_blueprint(bank, items)
    html, data = render_practice(bank, bp, templates)
    output = Path(output)
    write_atomic(output, html)
    skipped = sorted({i["type"] for i in data["items"] if "key" not in i})
    return {"path": output, "items": len(data["items"]), "draw": data["total"],
            "time_limit_minutes": bp.time_limit_minutes, "skipped_types": skipped}
