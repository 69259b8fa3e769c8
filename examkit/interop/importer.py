"""`examkit import`: LMS files (GIFT, Aiken, Moodle XML, QTI 2.1, Canvas QTI 1.2) into an examkit
bank that validates, lints and generates, with the format detected from the content."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..models.common import SLUG_PATTERN
from .bankwrite import ImportReport, Target, write_bank
from .model import Question
from .text import slug

READERS = {"gift": "gift", "aiken": "aiken", "moodle-xml": "moodle", "qti21": "qti21", "canvas": "canvas"}
_SLUG = re.compile(SLUG_PATTERN)


def decode(data: bytes, shown: str) -> tuple[str, Problem | None]:
    """Text files (GIFT, Aiken) as UTF-8, with or without a byte-order mark; UTF-16 with its mark."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), None
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return "", Problem(shown, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8, "
                                        "which Moodle's GIFT and Aiken imports also expect")


def detect(data: bytes, shown: str) -> str:
    """The format of a file from its content."""
    if data[:2] == b"PK":
        from .qti21 import open_zip

        archive = open_zip(data, shown)
        for name in archive.namelist():
            if name.endswith(".xml"):
                head = archive.read(name)[:4000]
                if b"questestinterop" in head:
                    return "canvas"
                if b"imsqti_v2p1" in head or b"assessmentItem" in head or b"assessmentTest" in head:
                    return "qti21"
        raise ExamkitError(Problem(shown, None, "a zip without QTI 2.1 or QTI 1.2 files; give --from if it is one"))
    head = data[:4000].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        if b"questestinterop" in head:
            return "canvas"
        if b"<quiz" in head:
            return "moodle-xml"
        if b"assessmentItem" in head or b"assessmentTest" in head:
            return "qti21"
        raise ExamkitError(Problem(shown, 1, "XML, but not Moodle XML or QTI; give --from"))
    text = data.decode("utf-8", "replace")
    if re.search(r"^\s*ANSWER:\s*[A-Z]\s*$", text, re.M) and not re.search(r"[^\\]\{", text):
        return "aiken"
    if re.search(r"(?<!\\)\{", text) or "$CATEGORY:" in text:
        return "gift"
    if re.search(r"^\s*ANSWER:", text, re.M):
        return "aiken"
    raise ExamkitError(Problem(shown, 1, "cannot tell the format from the content; give --from "
                                         f"({', '.join(READERS)})"))


def _same(a: Question, b: Question) -> bool:
    return (a.type, a.stem, sorted(c.text for c in a.choices), a.pairs, a.answers) == \
           (b.type, b.stem, sorted(c.text for c in b.choices), b.pairs, b.answers)


def _tidy(questions: list[Question], concepts: set[str] | None) -> list[Question]:
    """One question per id when the same one comes twice (an exam's forms share items);
    tags as concept slugs (objective tags are dropped: the objective is the category)."""
    kept: dict[str, Question] = {}
    out = []
    for q in questions:
        tags = [t if _SLUG.match(t) and len(t) <= 80 else slug(t) for t in q.tags if ":" not in t and t.strip()]
        q.tags = [t for t in dict.fromkeys(tags) if concepts is None or t in concepts]
        _restore_rationales(q)
        if q.id in kept and _same(kept[q.id], q):
            continue
        kept.setdefault(q.id, q)
        out.append(q)
    return out


def _restore_rationales(q: Question) -> None:
    """Matching and ordering rationales that an export listed under the general feedback
    (`- premise: why`, see model.rationale_list) go back to their premises and steps."""
    if q.type not in ("matching", "ordering") or not q.explanation:
        return
    targets = {p.premise: p for p in q.pairs} if q.type == "matching" else {c.text: c for c in q.choices}
    targets.update({c.text: c for c in q.extra_responses})
    kept = []
    for line in q.explanation.split("\n"):
        found = next((t for t in targets if line.startswith(f"- {t}: ")), None)
        if found is None:
            kept.append(line)
        else:
            targets.pop(found).why = line[len(found) + 4:].strip()
    q.explanation = "\n".join(kept).strip() or None


def _exam_from_categories(questions: list[Question], out_dir: Path) -> Target:
    """The exam is the first category level all questions share, when there are levels below it."""
    firsts = {q.category[0] if q.category else None for q in questions}
    if len(firsts) == 1 and None not in firsts and any(len(q.category) > 1 for q in questions):
        title = firsts.pop()
        for q in questions:
            q.category = q.category[1:]
        exam_id = title if _SLUG.match(title) and len(title) <= 40 else slug(title, 40)
        return Target(exam_id, title)
    name = out_dir.resolve().name
    return Target(slug(name, 40), name)


def _existing_exam(exam: str, objective: str) -> Target:
    from ..bank import load_bank
    from ..resources import shipped_bank

    bank_path = Path(exam) if Path(exam).is_dir() else shipped_bank()
    bank = load_bank(bank_path)
    if not Path(exam).is_dir() and bank.exam.id != exam:
        raise ExamkitError(Problem("--exam", None, f"no bank found for exam '{exam}'; give the folder of its bank "
                                                   "(--exam banks/mine)"))
    if objective not in bank.objectives:
        raise ExamkitError(Problem("--objective", None, f"'{objective}' is not an objective of {bank.exam.id}; "
                                                        "see examkit list"))
    return Target(bank.exam.id, bank.exam.title, objective=objective, rules=bank.exam.rules,
                  taken_ids={i.id for i in bank.items}, bank_paths=[bank_path],
                  concepts={c.id for c in bank.exam.concepts} or None)


def import_lms(paths: list[Path] | Path, out_dir: Path, fmt: str | None = None, exam: str | None = None,
               objective: str | None = None) -> ImportReport:
    """Read LMS files into a bank folder; raise ExamkitError when nothing could be imported."""
    paths = [paths] if isinstance(paths, Path) else list(paths)
    if fmt is not None and fmt not in READERS:
        raise ExamkitError(Problem(fmt, None, f"unknown format; use one of {', '.join(READERS)}"))
    if (exam is None) != (objective is None):
        raise ExamkitError(Problem("--exam", None, "give --exam and --objective together (or neither, to make an "
                                                   "exam from the source's categories)"))
    target = _existing_exam(exam, objective) if exam else None
    report = ImportReport(out_dir)
    problems: list[Problem] = []
    per_file: list[tuple[Path, list[Question]]] = []
    for path in paths:
        shown = display_path(path)
        if not path.is_file():
            problems.append(Problem(shown, None, "no such file; check the path"))
            continue
        data = path.read_bytes()
        try:
            kind = fmt or detect(data, shown)
            module = importlib.import_module(f"examkit.interop.{READERS[kind]}")
            questions, skipped, found = module.read(data, shown)
        except ExamkitError as exc:
            problems += exc.problems
            continue
        except RecursionError:
            problems.append(Problem(shown, None, "the markup nests too deeply to be a quiz; export the file again"))
            continue
        report.skipped += skipped
        problems += found
        per_file.append((path, questions))
    everything = [q for _, qs in per_file for q in qs]
    if not everything:
        raise ExamkitError(problems or [Problem(display_path(paths[0]) if paths else "import", None,
                                                "no questions found; check the file and its format (--from)")])
    if target is None:
        target = _exam_from_categories(everything, out_dir)
    per_file = [(p, _tidy(qs, target.concepts)) for p, qs in per_file]
    report.problems = problems
    return write_bank(per_file, out_dir, target, report)
