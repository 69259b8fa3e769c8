"""`examkit export`: a bank or an exam folder written in an LMS's format, with what the format
cannot hold listed one line per item."""

from __future__ import annotations

import importlib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ExamkitError, Problem
from .model import Skipped
from .source import load_package

# format -> (module, file suffix, the name users know it by)
FORMATS = {
    "moodle-xml": ("moodle", ".moodle.xml", "Moodle XML"),
    "gift": ("gift", ".gift.txt", "GIFT"),
    "aiken": ("aiken", ".aiken.txt", "Aiken"),
    "qti21": ("qti21", ".qti21.zip", "QTI 2.1"),
    "canvas": ("canvas", ".canvas.zip", "Canvas"),
    "google-forms": ("gforms", ".gs", "Google Forms"),
}
# item type -> what a left-out message calls it, in the order such messages list them
KINDS = {"single": "single-choice", "multiple": "multiple-response", "matching": "matching",
         "ordering": "ordering", "short": "short-answer", "numeric": "numeric"}


@dataclass
class ExportReport:
    path: Path
    format: str
    quizzes: int = 0
    written: int = 0
    skipped: list[Skipped] = field(default_factory=list)


def default_output(sources: list[Path], fmt: str, name: str) -> Path:
    """Beside an exam set (EXAMDIR/lms/...), else output/; the name comes from the exam id."""
    from ..fileio import EXAMSET_FILE, inside

    folder = sources[0] / "lms" if len(sources) == 1 and (sources[0] / EXAMSET_FILE).is_file() else Path("output")
    return inside(folder, name + FORMATS[fmt][1])


def export_lms(sources, fmt: str, output: Path | None = None) -> ExportReport:
    """Write a bank (every item, grouped by objective) or an exam folder (each form one quiz) as `fmt`.

    `sources`: bank files and folders or an exam folder, or an already loaded `Bank` or `ExamSet`."""
    from ..fileio import write_atomic

    if fmt not in FORMATS:
        raise ExamkitError(Problem(fmt, None, f"unknown format; use one of {', '.join(FORMATS)}"))
    from ..bank.load import Bank
    from ..models import ExamSet
    from .source import from_bank, from_examset

    if isinstance(sources, (Bank, ExamSet)):  # already loaded (the API; tests)
        package = from_bank(sources) if isinstance(sources, Bank) else from_examset(sources)
        sources = [sources.files[0].parent] if isinstance(sources, Bank) else [Path("output")]
    else:
        sources = [sources] if isinstance(sources, Path) else list(sources)
        package = load_package(sources)
    module = importlib.import_module(f"examkit.interop.{FORMATS[fmt][0]}")
    unheld = _drop_unheld(package, getattr(module, "TYPES", None), FORMATS[fmt][2])
    content, skipped = module.export(package, package.partial)
    skipped = package.skipped + unheld + skipped
    target = output if output is not None else default_output(sources, fmt, package.exam_id)
    write_atomic(target, content)
    total = sum(len(q.questions) for q in package.quizzes) + len(package.skipped) + len(unheld)
    return ExportReport(target, fmt, len(package.quizzes), total - len(skipped), skipped)


def _drop_unheld(package, types: Collection[str] | None, name: str) -> list[Skipped]:
    """Take out the questions of types the format cannot hold, each with the reason (which also
    says what the format does hold, so the user knows which format to pick instead)."""
    if types is None:
        return []
    held = [kind for t, kind in KINDS.items() if t in types]
    holds = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
    dropped = []
    for quiz in package.quizzes:
        dropped += [Skipped(q.id, f"{KINDS.get(q.type, q.type)} items have no {name} form "
                                  f"(it holds {holds} items only); left out")
                    for q in quiz.questions if q.type not in types]
        quiz.questions = [q for q in quiz.questions if q.type in types]
    return dropped
