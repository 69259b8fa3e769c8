"""The sheet layouts of an exam folder: `sheet-X.layout.json`, written by `examkit render`.

The scanner never re-derives geometry from the picture: every bubble is read where the layout
file says it was printed. A layout of another exam set (the set was generated again but the
sheets not rendered again) is refused before any page is read.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ExamkitError, Problem, display_path
from ..models import ExamSet
from ..render.sheet import LAYOUT_FORMAT, examset_fingerprint


def load_layouts(folder: Path, examset: ExamSet) -> tuple[dict[str, dict], str]:
    """{form letter: layout data} for every form, and the exam set's fingerprint."""
    fingerprint = examset_fingerprint(examset)
    render_hint = f"run 'examkit render {display_path(folder)} --only sheet' first"
    layouts: dict[str, dict] = {}
    problems = []
    for form in examset.forms:
        path = folder / f"sheet-{form.letter}.layout.json"
        shown = display_path(path)
        if not path.is_file():
            problems.append(Problem(shown, None, f"no answer-sheet layout for form {form.letter}; {render_hint}"))
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(Problem(shown, None, f"not a layout file ({exc}); {render_hint}"))
            continue
        if not isinstance(data, dict) or data.get("format") != LAYOUT_FORMAT:
            problems.append(Problem(shown, None, f"an old or foreign layout (format {data.get('format') if isinstance(data, dict) else '?'}, "
                                                 f"expected {LAYOUT_FORMAT}); {render_hint}"))
            continue
        if data.get("set") != fingerprint:
            problems.append(Problem(shown, None, f"drawn for another version of the exam set (set {data.get('set')}, "
                                                 f"this one is {fingerprint}); {render_hint} and print the new sheets"))
            continue
        layouts[form.letter] = data
    if problems:
        raise ExamkitError(problems)
    return layouts, fingerprint
