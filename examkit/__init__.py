"""examkit: question bank -> blueprint and draw -> exam set -> rendered documents -> grades.

The public Python API, one function per stage (the CLI commands call exactly these):

    from pathlib import Path
    import examkit

    bank = examkit.load_bank()                                   # the shipped bank, or paths
    blueprint = examkit.load_blueprint(examkit.find_blueprint("aif-c01-task-2.1-quiz"))
    examset = examkit.generate_examset(bank, blueprint, forms=2, seed=7)
    examkit.write_examset(examset, Path("output/quiz"), force=True)
    examkit.render_folder(Path("output/quiz"), formats=("html",))
    run = examkit.grade_files(examkit.read_examset(Path("output/quiz")), [Path("answers.csv")])
    examkit.write_results(run, Path("output/quiz/results"))

Every name is imported on first use, so `import examkit` (and `examkit --help`) stays fast and
never loads weasyprint.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# name -> module that defines it
_API = {
    "ExamkitError": "examkit.errors",
    "Problem": "examkit.errors",
    "load_bank": "examkit.bank",
    "lint_bank": "examkit.bank.lint",
    "find_blueprint": "examkit.generate",
    "load_blueprint": "examkit.generate",
    "generate_examset": "examkit.generate",
    "write_examset": "examkit.generate",
    "read_examset": "examkit.fileio",
    "render_folder": "examkit.render",
    "render_class_set": "examkit.render.printset",
    "build_practice": "examkit.render.practice",
    "GradeOptions": "examkit.grade",
    "grade_files": "examkit.grade",
    "grade_and_write": "examkit.grade",
    "write_results": "examkit.grade",
    "responses_template": "examkit.grade.simulate",
    "simulate_class": "examkit.grade.simulate",
    "export_lms": "examkit.interop",
    "import_lms": "examkit.interop",
    "scan_files": "examkit.scan",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'examkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
