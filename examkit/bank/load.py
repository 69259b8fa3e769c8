"""Loading a question bank from YAML files and folders, with every problem reported at once."""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import TypeAdapter

from ..errors import ExamkitError, Problem, display_path
from ..models import Case, ExamSpec, Item, Objective, ObjectiveNode
from ..resources import shipped_bank
from .params import check_item
from .yamlfile import LineDict, LineList, load_yaml, validate

YAML_SUFFIXES = (".yaml", ".yml")
TOP_LEVEL_KEYS = ("exam", "cases", "items")
_item_adapter: TypeAdapter = TypeAdapter(Item)


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None


@dataclass
class Bank:
    """A validated bank: the exam it serves, its items and case studies, and where each was written."""

    exam: ExamSpec
    items: list = field(default_factory=list)
    cases: dict[str, Case] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @cached_property
    def objectives(self) -> dict[str, Objective]:
        return flatten_objectives(self.exam.objectives)

    def item(self, item_id: str):
        return next(i for i in self.items if i.id == item_id)

    def content_hash(self) -> str:
        """A hash of what the bank says, independent of file layout, key order and comments."""
        payload = {
            "exam": self.exam.model_dump(mode="json"),
            "cases": {k: c.model_dump(mode="json") for k, c in sorted(self.cases.items())},
            "items": sorted((i.model_dump(mode="json") for i in self.items), key=lambda d: d["id"]),
        }
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(blob.encode()).hexdigest()


def flatten_objectives(nodes: list[ObjectiveNode], parent: str | None = None, depth: int = 0) -> dict[str, Objective]:
    flat: dict[str, Objective] = {}
    for node in nodes:
        flat[node.id] = Objective(id=node.id, title=node.title, parent=parent, weight=node.weight, depth=depth)
        flat.update(flatten_objectives(node.children, node.id, depth + 1))
    return flat


def find_bank_files(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """YAML files named directly or found below named folders, in a stable order."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found, skipped = _walk_bank_folder(path)
            problems += skipped
            if not found and not skipped:
                problems.append(Problem(display_path(path), None, "no .yaml files in this folder; point at a bank"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(display_path(path), None, "no such file or folder; check the path"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


def _walk_bank_folder(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The YAML files below `folder`, and a problem for each thing that looks like part of the bank
    but would be skipped: a `.YAML` name, a broken link, an unreadable or symlinked folder."""
    found: list[Path] = []
    problems: list[Problem] = []

    def unreadable(error: OSError) -> None:
        problems.append(Problem(display_path(error.filename), None, f"cannot read this folder ({error.strerror}); "
                                                                    "fix its permissions or move it out of the bank"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        here = Path(root)
        for name in sorted(dirs):
            if (here / name).is_symlink():
                problems.append(Problem(display_path(here / name), None, "a symbolic link to a folder is not "
                                                                         "followed; name the folder itself"))
        for name in names:
            path = here / name
            suffix = path.suffix
            if suffix.lower() not in YAML_SUFFIXES:
                continue
            if suffix not in YAML_SUFFIXES:
                problems.append(Problem(display_path(path), None, f"'{suffix}' is not read as YAML; rename the file "
                                                                  f"to end in '{suffix.lower()}'"))
            elif not path.is_file():
                problems.append(Problem(display_path(path), None, "a broken symbolic link; point it at a file or "
                                                                  "remove it"))
            else:
                found.append(path)
    return sorted(found), problems


def load_bank(paths: list[Path] | Path | None = None) -> Bank:
    """Load and validate a bank; raise ExamkitError listing every problem found."""
    if paths is None:
        paths = [shipped_bank()]
    elif isinstance(paths, Path):
        paths = [paths]
    files, problems = find_bank_files([Path(p) for p in paths])
    exams: list[tuple[ExamSpec, Path, int]] = []
    cases: list[tuple[Case, Path, int | None]] = []
    items: list[tuple[object, Path, int | None]] = []
    for path in files:
        problems += _read_bank_file(path, exams, cases, items)
    for spec, path, line in exams[1:]:
        problems.append(Problem(display_path(path), line, f"a second exam definition (the first is in "
                                f"{display_path(exams[0][1])}); load one exam's bank at a time"))
    if not exams:
        if files:
            problems.append(
                Problem(display_path(files[0]), None,
                        "no exam definition found; add a file with 'exam:' (id, title, objectives) to the bank")
            )
        raise ExamkitError(sorted(problems, key=_order))

    bank = Bank(exam=exams[0][0], files=files)
    problems += _check_bank(bank, items, cases)
    if problems:
        raise ExamkitError(sorted(set(problems), key=_order))
    return bank


def _read_bank_file(path: Path, exams: list, cases: list, items: list) -> list[Problem]:
    """Validate one file's exam, cases and items into the lists; return its problems."""
    shown = display_path(path)
    data, problems = load_yaml(path)
    if data is None:
        return problems or [Problem(shown, None, "the file is empty; add 'items:' or 'exam:'")]
    if not isinstance(data, LineDict):
        return [Problem(shown, getattr(data, "line", 1),
                        "the file must be a mapping with 'exam:', 'cases:' and/or 'items:' at the top")]
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(Problem(shown, data.key_lines[key],
                                    f"unknown top-level key '{key}'; use 'exam', 'cases' or 'items'"))
    if "exam" in data:
        spec, errs = validate(ExamSpec, data["exam"], path)
        problems += errs
        if spec:
            exams.append((spec, path, data.key_lines["exam"]))
    for section, schema, sink in (("cases", Case, cases), ("items", _item_adapter, items)):
        entries = data.get(section)
        if entries is None:
            continue
        if not isinstance(entries, LineList):
            problems.append(Problem(shown, data.key_lines[section], f"'{section}' must be a list"))
            continue
        for entry, line in zip(entries, entries.item_lines):
            ident = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else None
            value, errs = validate(schema, entry, path, ident, line)
            problems += errs
            if value is not None:
                sink.append((value, path, line))
    return problems


def _order(p: Problem):
    return (p.path, p.line or 0, p.message)


def _check_bank(bank: Bank, items: list, cases: list) -> list[Problem]:
    """Checks that need the whole bank: ids, references, and the exam's item rules."""
    problems: list[Problem] = []
    objectives = bank.objectives
    rules = bank.exam.rules
    concepts = {c.id for c in bank.exam.concepts}

    for case, path, line in cases:
        if case.id in bank.cases:
            first = bank.locations[f"case:{case.id}"]
            problems.append(Problem(display_path(path), line,
                                    f"case '{case.id}': duplicate case id (first at {first.path}:{first.line}); rename one"))
            continue
        bank.cases[case.id] = case
        bank.locations[f"case:{case.id}"] = Location(display_path(path), line)

    for item, path, line in items:
        where = Location(display_path(path), line)
        if item.id in bank.locations:
            first = bank.locations[item.id]
            problems.append(Problem(where.path, line, f"duplicate item id (first at {first.path}:{first.line}); give each item its own id", item.id))
            continue
        bank.items.append(item)
        bank.locations[item.id] = where

        def report(message: str) -> None:
            problems.append(Problem(where.path, where.line, message, item.id))

        if item.objective not in objectives:
            report(f"unknown objective '{item.objective}'; use an id from the exam's objective tree (examkit list)")
        if item.case and item.case not in {c.id for c, _, _ in cases}:
            report(f"unknown case '{item.case}'; define it under 'cases:' or fix the id")
        if concepts:
            for tag in item.tags:
                if tag not in concepts:
                    report(f"unknown concept tag '{tag}'; declare it under exam.concepts or fix the tag")
        problems += [Problem(where.path, where.line, m, item.id) for m in _shape_problems(item, rules)]
        if item.params:
            broken = _draw_problem(item)
            if broken:
                report(f"parametric draw fails {broken}")

    known = {i.id for i in bank.items}
    for item in bank.items:
        for enemy in item.enemies:
            if enemy not in known:
                loc = bank.locations[item.id]
                problems.append(Problem(loc.path, loc.line, f"unknown enemy '{enemy}'; name an item id of this bank", item.id))

    per_case = Counter(i.case for i in bank.items if i.case)
    for case_id, case in bank.cases.items():
        if per_case[case_id] < rules.case_min_items:
            loc = bank.locations[f"case:{case_id}"]
            problems.append(Problem(loc.path, loc.line,
                                    f"case '{case_id}': has {per_case[case_id]} item(s); a case study needs at least "
                                    f"{rules.case_min_items}, so add items with 'case: {case_id}'"))
    for scoped in bank.exam.scope:
        if scoped not in objectives:
            problems.append(Problem("exam", None, f"scope names unknown objective '{scoped}'; fix the id"))
    return problems


def _draw_problem(item) -> str | None:
    """Draw the item's numbers DRAWS_CHECKED times, as generating forms would; why one fails."""
    # Seeded by the item's id: the same bank gives the same verdict on every run and machine.
    return check_item(item, random.Random(item.id).random)


# A printed form letters options, responses and steps A to Z (generate.shuffle.LETTERS).
MAX_LETTERED = 26


def _shape_problems(item, rules) -> list[str]:
    """The exam's declared item shapes (for AIF-C01: 4 options, 5+ for multiple response, ...),
    and what no form can print, so `validate` finds what `generate` would refuse."""
    found: list[str] = []
    for what in ("options", "responses", "steps"):
        count = len(getattr(item, what, None) or [])
        if count > MAX_LETTERED:
            found.append(f"has {count} {what}; a form can letter at most {MAX_LETTERED} (A to Z), so split the item")
    if item.type == "single" and rules.single.options and len(item.options) != rules.single.options:
        found.append(f"has {len(item.options)} options; this exam's single-choice items have exactly "
                     f"{rules.single.options} (one key, {rules.single.options - 1} distractors)")
    if item.type == "multiple":
        if len(item.options) < rules.multiple.min_options:
            found.append(f"has {len(item.options)} options; this exam's multiple-response items have at least "
                         f"{rules.multiple.min_options}, so add distractors")
        if item.choose < rules.multiple.min_correct:
            found.append(f"has {item.choose} correct options; this exam needs at least {rules.multiple.min_correct}")
    for kind, count in (("matching", "premises"), ("ordering", "steps")):
        if item.type == kind:
            n = len(getattr(item, count))
            rule = getattr(rules, kind)
            if n < rule.min or (rule.max is not None and n > rule.max):
                upper = f"to {rule.max}" if rule.max is not None else "or more"
                found.append(f"has {n} {count}; this exam's {kind} items have {rule.min} {upper}")
    return found
