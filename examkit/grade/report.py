"""report.html (and report.pdf): the class list and summary; handouts: one feedback page per student.

The context is plain data computed here (pure functions); the template only lays it out, with
autoescaping on. The score chart is an inline SVG whose geometry is computed here, so the
report is one self-contained file that opens offline and prints the same everywhere.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExamkitError
from ..numbers import fixed, format_number, percent
from .analysis import UNRELIABLE, FormAnalysis, spread
from .grader import GradeRun, StudentResult
from .key import ItemKey
from .results import ObjectiveColumns, format_choices, scaled_and_result
from .score import CORRECT, UNANSWERED, VOIDED, Outcome
from .tally import ClassTally

REPORT_TEMPLATE = "report.html.j2"
HANDOUT_TEMPLATE = "handout.html.j2"
WORST_ITEMS = 8
_BINS = 10
_CHART_W, _CHART_H, _MARGIN, _AXIS = 520, 200, 24, 40


@dataclass
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


def histogram(percents: Counter) -> dict:
    """Bars of the score distribution in tenths (100% falls in the last bar), laid out for SVG;
    `percents` counts the rows at each percentage."""
    counts = [0] * _BINS
    for p, rows in percents.items():
        counts[min(_BINS - 1, max(0, int(p // 10)))] += rows
    top = max(counts) if counts and max(counts) else 1
    plot_w, plot_h = _CHART_W - 2 * _MARGIN, _CHART_H - _MARGIN - _AXIS
    step = plot_w / _BINS
    bars = []
    for i, count in enumerate(counts):
        height = plot_h * count / top
        bars.append(Bar(str(i * 10), count,
                        round(_MARGIN + i * step + 2, 1), round(_MARGIN + plot_h - height, 1),
                        round(step - 4, 1), round(height, 1)))
    return {"width": _CHART_W, "height": _CHART_H, "bars": bars, "top": top, "base": _MARGIN + plot_h,
            "left": _MARGIN, "right": _CHART_W - _MARGIN}


def _option_lines(key: ItemKey, outcome: Outcome) -> list[dict]:
    """The options with their rationale, marking what the student chose and what was right."""
    item = key.item
    chosen = outcome.value if isinstance(outcome.value, frozenset) else frozenset()
    return [{"letter": o.letter, "text": o.text, "why": o.why or "", "correct": o.correct,
             "chosen": o.letter in chosen} for o in item.options]


def _missed(key: ItemKey, outcome: Outcome, cases: dict) -> dict:
    item = key.item
    case = cases.get(item.case) if item.case else None
    entry = {
        "case": case.title if case else "",
        "position": key.position, "item_id": key.item_id, "type": key.type, "stem": item.stem,
        "objective": key.objective, "raw": outcome.raw, "answer": outcome.answer, "result": outcome.result,
        "points": format_number(outcome.points), "max_points": format_number(outcome.max_points),
        "flag": outcome.flag, "explanation": item.explanation, "source": item.source, "key": item.key,
        "options": [], "premises": [], "steps": [], "answers": list(key.accepted),
    }
    if key.type in ("single", "multiple"):
        entry["options"] = _option_lines(key, outcome)
    elif key.type == "matching":
        given = dict(outcome.value) if isinstance(outcome.value, tuple) else {}
        texts = dict(zip(key.letters, key.texts))
        entry["premises"] = [{"number": p.number, "text": p.text, "answer": p.answer,
                              "answer_text": texts.get(p.answer, ""), "given": given.get(p.number, ""),
                              "why": p.why} for p in item.premises]
    elif key.type == "ordering":
        entry["steps"] = [{"letter": s.letter, "text": s.text, "why": s.why}
                          for s in sorted(item.steps, key=lambda s: s.rank)]
    return entry


def student_page(run: GradeRun, objectives: ObjectiveColumns, result: StudentResult) -> dict:
    keys = run.keys[result.form]
    scaled, verdict = scaled_and_result(run, result)
    subscores = []
    for oid, score in zip(objectives.ids, objectives.scores(result)):
        if score:
            subscores.append({"id": oid, "title": objectives.titles[oid], "points": format_number(score[0]),
                              "max": format_number(score[1]), "percent": 100 * score[0] / score[1]})
    missed = [_missed(k, o, run.examset.cases) for k, o in zip(keys, result.outcomes) if o.result not in (CORRECT, VOIDED)]
    study = list(dict.fromkeys(m["source"] for m in missed))
    return {"student": result.student or "(no name)", "form": result.form, "source": result.source,
            "points": format_number(result.points), "max_points": format_number(result.max_points),
            "percent": result.percent or 0.0, "scaled": scaled, "verdict": verdict, "reasons": result.reasons,
            "objectives": subscores, "missed": missed, "study": study,
            "blank": sum(1 for o in result.outcomes if o.result == UNANSWERED)}


def report_context(run: GradeRun, analyses: list[FormAnalysis], objectives: ObjectiveColumns | None = None,
                   *, handouts: dict[int, str] | None = None, tally: ClassTally | None = None) -> dict:
    """Everything report.html shows, as plain data. `tally` is what a pass over the rows kept
    (without it, `run.results` is tallied); `handouts` maps a row's number to its handout's
    path relative to the report, for a link. The class list needs the rows themselves: a
    tally that outgrew its `keep` gives none."""
    from .analysis import RELIABLE_FROM

    objectives = objectives or ObjectiveColumns.of(run)
    tally = tally or ClassTally.of(run, objectives, analysis=False)
    examset = run.examset
    worst = _worst_items(analyses)
    return {
        "title": examset.title, "exam_title": examset.exam_title or examset.exam, "scoring": examset.scoring,
        "rules": _rules_applied(run),
        "classlist": class_list(run, tally.kept or [], handouts or {}),
        "summary": _class_summary(tally), "chart": histogram(tally.percents),
        "objectives": _objective_rows(objectives, tally.objective_points),
        "flagged": [{"student": r.student or "(no name)", "form": r.form, "source": r.source, "reasons": r.reasons}
                    for r in tally.flagged_rows],
        "worst": worst, "small_groups": any(i["unreliable"] for i in worst), "reliable_from": RELIABLE_FROM,
        "forms": [{"form": a.form, "test": a.test} for a in analyses],
        "sheets": [s.mapping() for s in run.sheets],
    }


def class_list(run: GradeRun, rows: list[StudentResult], handouts: dict[int, str]) -> list[dict]:
    """One line per input row, in input order: who, form, points, percent, scaled score, verdict,
    and how many answers wait for review (the sort keys are given raw for the page's script)."""
    lines = []
    for index, r in enumerate(rows):
        scaled, verdict = scaled_and_result(run, r)
        graded = r.points is not None
        lines.append({"student": r.student or "(no name)", "form": r.form, "handout": handouts.get(index, ""),
                      "points": f"{format_number(r.points)} / {format_number(r.max_points)}" if graded else "",
                      "points_value": format_number(r.points) if graded else "",
                      "percent": percent(r.percent) if graded else "", "percent_value": fixed(r.percent, 1) if graded else "",
                      "scaled": scaled, "verdict": verdict, "status": r.status if graded else "not graded",
                      "flags": r.flagged_answers, "flagged": r.flagged})
    return lines


def handout_context(run: GradeRun, objectives: ObjectiveColumns, result: StudentResult) -> dict:
    """Everything one student's handout shows: their row alone, never another student's."""
    examset = run.examset
    return {"title": examset.title, "exam_title": examset.exam_title or examset.exam,
            "s": student_page(run, objectives, result)}


def _rules_applied(run: GradeRun) -> dict:
    return {"partial": sorted(run.rules.partial), "negative": run.rules.negative,
            "threshold": run.options.threshold, "void": list(run.options.void), "accept": list(run.options.accept)}


def _class_summary(tally: ClassTally) -> dict:
    """Row counts and the spread of percentages over the students who count."""
    mean, median, sd, low, high = spread(tally.percents)
    return {
        "rows": tally.rows, "graded": tally.graded, "counted": tally.counted, "flagged": tally.flagged_count,
        "not_graded": tally.rows - tally.graded, "mean": mean, "median": median, "sd": sd, "low": low, "high": high,
        "passed": tally.passed if tally.run.examset.scoring.pass_mark is not None else None,
    }


def _objective_rows(objectives: ObjectiveColumns, points: list[list[float]]) -> list[dict]:
    """The class's percentage per objective: points earned over points available, summed over students."""
    return [{"id": oid, "title": objectives.titles[oid], "depth": oid.count("."),
             "percent": 100 * got / total if total else None} for oid, (got, total) in zip(objectives.ids, points)]


def _worst_items(analyses: list[FormAnalysis]) -> list[dict]:
    """The hardest items, and every item that discriminates the wrong way however easy it is."""
    items = [i for a in analyses for i in a.items if i.stats.facility is not None]
    worst = sorted(items, key=lambda i: (i.stats.facility, i.stats.discrimination or 0.0, i.form, i.position))
    worst = worst[:WORST_ITEMS] + [i for i in worst[WORST_ITEMS:] if "negative discrimination" in i.flags]
    return [{"form": i.form, "position": i.position, "item_id": i.item_id, "stem": i.stem, "stats": i.stats,
             "choices": format_choices(i.choices), "flags": i.flags,
             "unreliable": any(f.startswith(UNRELIABLE) for f in i.flags)} for i in worst]


def report_environment(templates_dir: Path | None = None):
    from ..render.html import make_environment

    env = make_environment(templates_dir)
    env.filters["pct"] = percent
    env.filters["num"] = fixed
    return env


def render_template(env, name: str, context: dict) -> str:
    import jinja2

    from ..render.sandbox import template_problem

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        raise ExamkitError(template_problem(exc, name)) from None


def render_report(run: GradeRun, analyses: list[FormAnalysis], objectives: ObjectiveColumns | None = None,
                  *, templates_dir: Path | None = None, handouts: dict[int, str] | None = None,
                  tally: ClassTally | None = None) -> str:
    return render_template(report_environment(templates_dir), REPORT_TEMPLATE,
                           report_context(run, analyses, objectives, handouts=handouts, tally=tally))


def write_report_pdf(html: str, target: Path, templates_dir: Path | None = None) -> None:
    """The report as PDF; the renderer may read nothing outside the templates folders."""
    from ..render.html import template_folders
    from ..render.pdf import write_pdf

    write_pdf(html, target, template_folders(templates_dir))
