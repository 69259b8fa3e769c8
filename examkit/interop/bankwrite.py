"""Imported questions as an examkit bank: an exam file whose objective tree comes from the source's
categories (or an existing exam's objective), one items file per source file, and a blueprint that
draws every item, all checked by the bank's own models before anything is written.

Rationales are never invented: where the source has no per-answer feedback or general feedback,
the field holds the placeholder `TODO`, which keeps the bank valid and which `examkit lint`
reports as a `missing-rationale` error for the author to fill in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from ..errors import ExamkitError, Problem, display_path
from ..models import ExamSpec, Item
from ..models.common import SLUG_PATTERN
from .model import Question, Skipped
from .text import UniqueIds, slug, split_case

MISSING = "TODO"  # lint's placeholder: the source had no rationale here
_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\s+(.+)$")
_SLUG = re.compile(SLUG_PATTERN)
_item_adapter: TypeAdapter = TypeAdapter(Item)


@dataclass
class ImportReport:
    bank_dir: Path
    files: list[Path] = field(default_factory=list)
    imported: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    missing_rationales: int = 0
    blueprint: Path | None = None
    exam_id: str = ""
    problems: list[Problem] = field(default_factory=list)  # broken questions, each left out
    bank: object = None  # the bank as written, loaded back: the proof that it validates
    bank_paths: list[Path] = field(default_factory=list)  # what to load it with: the new folder, and the target exam's bank


@dataclass
class Target:
    """Where imported items go: a new exam made from the categories, or an existing exam's objective."""

    exam_id: str
    exam_title: str
    objective: str | None = None  # set: everything goes under it, and no exam file is written
    rules: object = None  # the existing exam's ItemRules, when known
    taken_ids: set[str] = field(default_factory=set)
    bank_paths: list[Path] = field(default_factory=list)  # the existing exam's bank, for the final check
    concepts: set[str] | None = None  # the existing exam's declared concepts: other tags are dropped


def item_id(name: str | None, stem: str) -> str:
    """The bank id of a question: its name when it is one already, else made from the name or stem."""
    if name and _SLUG.match(name) and len(name) <= 80:
        return name
    return slug(name or stem)


def build_tree(questions: list[Question], exam_id: str, fallback: str) -> tuple[list[dict], dict[tuple, str]]:
    """The objective tree from category paths; '2.1 Title' segments keep their numbers when they fit."""
    nodes: dict[tuple, dict] = {}
    roots: list[dict] = []
    ids: dict[tuple, str] = {}
    for q in questions:
        path = tuple(q.category) or (fallback,)
        for depth in range(1, len(path) + 1):
            key = path[:depth]
            if key in nodes:
                continue
            parent = nodes.get(key[:-1])
            siblings = parent["children"] if parent else roots
            parent_number = ids[key[:-1]].partition(":")[2] if parent else ""
            found = _NUMBERED.match(key[-1])
            used = {n["id"] for n in siblings}
            number, title = None, key[-1]
            if found:
                wanted = found[1]
                prefix, _, last = wanted.rpartition(".")
                if prefix == parent_number and f"{exam_id}:{wanted}" not in used:
                    number, title = wanted, found[2]
            if number is None:
                n = 1
                while f"{exam_id}:{parent_number + '.' if parent_number else ''}{n}" in used:
                    n += 1
                number = f"{parent_number + '.' if parent_number else ''}{n}"
            node = {"id": f"{exam_id}:{number}", "title": title.strip() or key[-1], "children": []}
            siblings.append(node)
            nodes[key] = node
            ids[key] = node["id"]
    return roots, ids


def _drop_empty_children(nodes: list[dict]) -> list[dict]:
    out = []
    for node in nodes:
        node = dict(node)
        if node["children"]:
            node["children"] = _drop_empty_children(node["children"])
        else:
            del node["children"]
        out.append(node)
    return out


def _why(text: str | None, report: ImportReport) -> str:
    if text and text.strip():
        return text.strip()
    report.missing_rationales += 1
    return MISSING


def item_data(q: Question, report: ImportReport) -> dict:
    """One question as the bank's YAML mapping."""
    data: dict = {"id": q.id, "type": q.type, "objective": q.objective, "stem": q.stem,
                  "difficulty": q.difficulty, "explanation": _why(q.explanation, report),
                  "source": q.source or MISSING}
    if q.tags:
        data["tags"] = q.tags
    if getattr(q, "case_id", None):
        data["case"] = q.case_id
        data["style"] = "scenario"
    if not q.shuffle:
        data["shuffle"] = False
    if q.type in ("single", "multiple"):
        data["options"] = [{"text": c.text, **({"correct": True} if c.correct else {}), "why": _why(c.why, report)}
                           for c in q.choices]
    elif q.type == "ordering":
        data["steps"] = [{"text": c.text, "why": _why(c.why, report)} for c in q.steps]
    elif q.type == "matching":
        keys = UniqueIds()
        key_of = {text: keys(slug(text, 30)) for text in q.responses()}
        data["premises"] = [{"text": p.premise, "answer": key_of[p.response], "why": _why(p.why, report)}
                            for p in q.pairs]
        extra = {c.text: c.why for c in q.extra_responses}
        data["responses"] = [{"key": key_of[t], "text": t, **({"why": _why(extra[t], report)} if t in extra else {})}
                             for t in q.responses()]
    else:
        data["answers"] = q.answers
    return data


def _check(data: dict, rules) -> str | None:
    """Why the bank would refuse this item, or None."""
    from ..bank.load import _shape_problems
    from ..bank.yamlfile import describe_error

    try:
        item = _item_adapter.validate_python(data)
    except ValidationError as exc:  # phrased as the bank loader phrases it, fix included
        return describe_error(exc.errors()[0])
    problems = _shape_problems(item, rules) if rules is not None else []
    return problems[0] if problems else None


def _assign_cases(questions: list[Question]) -> dict[str, dict]:
    """Stems written as 'Case study: title / scenario / Question: stem' shared by two or more
    items become a case study again; a lone one keeps its scenario in the stem."""
    groups: dict[tuple[str, str, str], list[tuple[Question, str]]] = defaultdict(list)
    for q in questions:
        title, scenario, stem = split_case(q.stem)
        if title:  # one case per source file, as each file becomes one bank file
            groups[(q.path, title, scenario)].append((q, stem))
    cases: dict[str, dict] = {}
    ids = UniqueIds()
    for (_, title, scenario), members in groups.items():
        if len(members) < 2:
            continue
        case_id = ids("case-" + slug(title, 50))
        cases[case_id] = {"id": case_id, "title": title, "scenario": scenario}
        for q, stem in members:
            q.stem, q.case_id = stem, case_id
    return cases


def _dump(data: dict, header: str) -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    return header + body


def write_bank(per_file: list[tuple[Path, list[Question]]], out_dir: Path, target: Target | None,
               report: ImportReport) -> ImportReport:
    """Write the bank; every item that the bank's models would refuse is skipped with the reason."""
    from ..bank import load_bank

    everything = [q for _, qs in per_file for q in qs]
    exam_id, exam_file, rules = _place_objectives(everything, target)
    report.exam_id = exam_id
    written = _kept_files(per_file, everything, target, rules, report)
    _fix_lone_cases(written)
    if not written:
        raise ExamkitError([Problem(s.where.rsplit(":", 1)[0], _line(s.where), s.reason) for s in report.skipped]
                           or Problem(display_path(per_file[0][0]) if per_file else "import", None,
                                      "no questions found; check the file and its format (--from)"))
    report.files = _write_item_files(out_dir, exam_file, written)
    count = sum(len(d["items"]) for _, d in written)
    report.blueprint = _write_blueprint(out_dir, exam_id, count, target)
    report.imported = count
    report.bank_paths = [out_dir, *(target.bank_paths if target else [])]
    report.bank = load_bank(report.bank_paths)  # the promise: it validates
    return report


def _place_objectives(everything: list[Question], target: Target | None) -> tuple[str, dict | None, object]:
    """Give every question its objective: the target's one, or a tree built from the source's
    categories (then returned as a new exam file to write). Returns (exam id, exam file, rules)."""
    if target is not None and target.objective is not None:
        for q in everything:
            q.objective = target.objective
        return target.exam_id, None, target.rules
    exam_id = target.exam_id if target else "imported"
    roots, ids = build_tree(everything, exam_id, "Imported questions")
    for q in everything:
        q.objective = ids[tuple(q.category) or ("Imported questions",)]
    spec = {"id": exam_id, "title": target.exam_title if target else exam_id,
            "objectives": _drop_empty_children(roots)}
    return exam_id, {"exam": spec}, ExamSpec.model_validate(spec).rules


def _kept_files(per_file: list[tuple[Path, list[Question]]], everything: list[Question],
                target: Target | None, rules, report: ImportReport) -> list[tuple[Path, dict]]:
    """Each source file's valid items (with the case studies they use), files left empty dropped."""
    unique = UniqueIds(target.taken_ids if target else set())
    all_cases = _assign_cases(everything)
    written: list[tuple[Path, dict]] = []
    for source, questions in per_file:
        items = [data for q in questions if (data := _kept_item(q, unique, rules, report)) is not None]
        cases = [all_cases[c] for c in dict.fromkeys(d["case"] for d in items if "case" in d)]
        if items:
            written.append((source, {"cases": cases, "items": items} if cases else {"items": items}))
    return written


def _kept_item(q: Question, unique: UniqueIds, rules, report: ImportReport) -> dict | None:
    """The question as bank data, or None (and a skip in the report) when the bank would refuse it."""
    q.id = unique(q.id)
    missing_before = report.missing_rationales
    data = item_data(q, report)
    reason = _check(data, rules)
    if reason:
        report.missing_rationales = missing_before  # only kept items count
        report.skipped.append(Skipped(f"{q.path}:{q.line or 1}", f"question '{q.id}' not imported: {reason}"))
        return None
    return data


_HEADER = ("# Imported by `examkit import`. Where the source had no rationale, a field says TODO;\n"
           "# `examkit lint` lists each one: replace it with the real reason before using the items.\n")


def _write_item_files(out_dir: Path, exam_file: dict | None, written: list[tuple[Path, dict]]) -> list[Path]:
    from ..fileio import inside, write_atomic

    paths = []
    if exam_file:
        paths.append(write_atomic(inside(out_dir, "exam.yaml"), _dump(exam_file, _HEADER)))
    for source, data in written:
        name = source.stem if source.stem != "exam" else "exam-items"  # exam.yaml holds the exam
        paths.append(write_atomic(inside(out_dir, f"{name}.yaml"), _dump(data, _HEADER)))
    return paths


def _write_blueprint(out_dir: Path, exam_id: str, count: int, target: Target | None) -> Path:
    from ..fileio import inside, write_atomic

    blueprint = {"title": f"All imported items ({exam_id})", "exam": exam_id, "items": count}
    if target and target.objective:
        blueprint["objectives"] = [{"id": target.objective, "count": count}]
    return write_atomic(inside(out_dir, f"{exam_id}.blueprint"), _dump(blueprint, ""))


def _fix_lone_cases(written: list[tuple[Path, dict]]) -> None:
    """A case left with one item (its partner was skipped) goes back into that item's stem."""
    counts: dict[str, int] = defaultdict(int)
    for _, data in written:
        for item in data["items"]:
            if "case" in item:
                counts[item["case"]] += 1
    for _, data in written:
        cases = {c["id"]: c for c in data.get("cases", [])}
        for item in data["items"]:
            case = item.get("case")
            if case and counts[case] < 2:
                c = cases[case]
                item["stem"] = f"Case study: {c['title']}\n\n{c['scenario']}\n\nQuestion: {item['stem']}"
                del item["case"], item["style"]
        if "cases" in data:
            data["cases"] = [c for c in data["cases"] if counts[c["id"]] >= 2]
            if not data["cases"]:
                del data["cases"]


def _line(where: str) -> int | None:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None
