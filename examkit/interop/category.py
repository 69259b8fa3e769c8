"""Category paths as Moodle writes them (Moodle XML, GIFT's `$CATEGORY:`) and as the Canvas
export carries them in its own metadata field: names joined by '/', a '/' inside a name doubled."""

from __future__ import annotations

from .model import Package, Question, Quiz

# Moodle's context prefixes: they name where a category lives, not a category of the exam.
CONTEXTS = ("$course$", "$system$", "$module$", "$cat1$", "$cat2$", "$cat3$", "top")


def join_category(path: list[str]) -> str:
    return "/".join(p.replace("/", "//") for p in path)


def course_category(path: list[str]) -> str:
    """The path in the course's question bank, as Moodle's importers read it."""
    return join_category(["$course$", *path])


def split_category(text: str) -> list[str]:
    """A category path back into names, without Moodle's context prefixes; '//' is a slash inside a name."""
    parts = [p.replace("\x00", "/").strip() for p in text.replace("//", "\x00").split("/")]
    while parts and (parts[0] in CONTEXTS or parts[0].startswith("$")):
        parts.pop(0)
    return [p for p in parts if p]


def moodle_category(package: Package, quiz: Quiz, q: Question) -> list[str]:
    """Where Moodle files a question: each form of an exam folder in a category of its own (its
    items must stay together, in order), a bank's items along the objective tree."""
    return [package.exam_id, quiz.title] if package.from_examset else [package.exam_id, *q.category]
