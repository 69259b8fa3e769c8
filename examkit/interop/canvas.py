"""Canvas: the QTI 1.2 zip that Canvas' "QTI .zip file" import reads (the shape text2qti and
R/exams' exams2canvas write): multiple choice, multiple answers, matching and short answer with
per-answer and general feedback; one quiz per form of an exam folder, one for a bank.

The Canvas traps: identifiers never start with a digit; the quiz (assessment) identifier and the
assignment identifier in assessment_meta.xml are different ids and must not be swapped; points
are positive; HTML inside `mattext` is entity-escaped text, never markup.
"""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from ..errors import Problem
from .category import join_category, split_category
from .model import Choice, Package, Pair, Question, Quiz, Skipped, general_feedback
from .qti21 import open_zip, zip_bytes
from .text import markdown_html, plain, with_case
from .xmlout import to_string
from .xmltree import Node, parse_xml


NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CANVAS = "http://canvas.instructure.com/xsd/cccv1p0"
CC = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
         "matching": "matching_question", "short": "short_answer_question"}
CATEGORY_FIELD = "examkit_category"


def _ident(*parts: str) -> str:
    """A stable identifier from content, starting with a letter (text2qti hashes content too)."""
    return "g" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:31]


def _e(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def _material(parent: ET.Element, markdown: str) -> None:
    # The HTML travels as text, so ElementTree escapes it to entities, as Canvas expects.
    _e(_e(parent, "material"), "mattext", markdown_html(markdown), texttype="text/html")


def _meta(item: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _e(_e(item, "itemmetadata"), "qtimetadata")
    for label, entry in fields:
        f = _e(meta, "qtimetadatafield")
        _e(f, "fieldlabel", label)
        _e(f, "fieldentry", entry)


def _feedback_ref(rp: ET.Element, ident: str, condition=None, respident: str = "response1") -> None:
    cond = _e(rp, "respcondition", **{"continue": "Yes"})
    var = _e(cond, "conditionvar")
    if condition is None:
        _e(var, "other")
    else:
        _e(var, "varequal", condition, respident=respident)
    _e(cond, "displayfeedback", feedbacktype="Response", linkrefid=ident)


def item_xml(parent: ET.Element, q: Question, quiz_id: str, category: list[str]) -> None:
    ident = _ident(quiz_id, q.id)
    item = _e(parent, "item", ident=ident, title=q.id)
    answer_ids = [f"{ident}_{n}" for n in range(1, len(q.choices) + 1)]
    fields = [("question_type", TYPES[q.type]), ("points_possible", f"{q.points:g}")]
    if q.type in ("single", "multiple"):
        fields.append(("original_answer_ids", ",".join(answer_ids)))
    fields += [("assessment_question_identifierref", _ident("bank", quiz_id, q.id)),
               (CATEGORY_FIELD, join_category(category))]
    _meta(item, fields)
    pres = _e(item, "presentation")
    _material(pres, with_case(q))
    rp_parts = _responses_xml(pres, q, ident, answer_ids)
    rp = _e(item, "resprocessing")
    _e(_e(rp, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    feedback = general_feedback(q)
    if feedback:
        _feedback_ref(rp, "general_fb")
    if q.type in ("single", "multiple"):
        _choice_scoring_xml(rp, q, answer_ids)
    elif q.type == "matching":
        share = f"{100 / len(rp_parts):.2f}"
        for respident, value in rp_parts:
            cond = _e(rp, "respcondition")
            _e(_e(cond, "conditionvar"), "varequal", value, respident=respident)
            _e(cond, "setvar", share, action="Add", varname="SCORE")
    else:
        cond = _e(rp, "respcondition", **{"continue": "No"})
        var = _e(cond, "conditionvar")
        for answer in q.answers:
            _e(var, "varequal", answer, respident="response1")
        _e(cond, "setvar", "100", action="Set", varname="SCORE")
    if feedback:
        _material(_e(_e(item, "itemfeedback", ident="general_fb"), "flow_mat"), feedback)
    if q.type in ("single", "multiple"):
        for c, aid in zip(q.choices, answer_ids):
            if c.why:
                _material(_e(_e(item, "itemfeedback", ident=f"{aid}_fb"), "flow_mat"), c.why)


def _responses_xml(pres: ET.Element, q: Question, ident: str, answer_ids: list[str]) -> list[tuple[str, str]]:
    """The response widgets of the presentation; for matching, the (premise response id,
    right response label) pairs that score."""
    if q.type in ("single", "multiple"):
        lid = _e(pres, "response_lid", ident="response1", rcardinality="Single" if q.type == "single" else "Multiple")
        choice = _e(lid, "render_choice")
        for c, aid in zip(q.choices, answer_ids):
            _material(_e(choice, "response_label", ident=aid), c.text)
        return []
    if q.type == "matching":
        responses = q.responses()
        resp_ids = {text: f"{ident}_r{n}" for n, text in enumerate(responses, 1)}
        for n, p in enumerate(q.pairs, 1):
            lid = _e(pres, "response_lid", ident=f"response_{ident}_p{n}")
            _material(lid, p.premise)
            choice = _e(lid, "render_choice")
            for text in responses:
                _material(_e(choice, "response_label", ident=resp_ids[text]), text)
        return [(f"response_{ident}_p{n}", resp_ids[p.response]) for n, p in enumerate(q.pairs, 1)]
    _e(_e(_e(pres, "response_str", ident="response1", rcardinality="Single"), "render_fib"),
       "response_label", ident="answer1", rshuffle="No")
    return []


def _choice_scoring_xml(rp: ET.Element, q: Question, answer_ids: list[str]) -> None:
    """Per-choice feedback links, then full marks for the key (single) or exactly the keys (multiple)."""
    for c, aid in zip(q.choices, answer_ids):
        if c.why:
            _feedback_ref(rp, f"{aid}_fb", aid)
    cond = _e(rp, "respcondition", **{"continue": "No"})
    var = _e(cond, "conditionvar")
    if q.type == "single":
        _e(var, "varequal", next(a for c, a in zip(q.choices, answer_ids) if c.correct), respident="response1")
    else:
        both = _e(var, "and")
        for c, aid in zip(q.choices, answer_ids):
            target = both if c.correct else _e(both, "not")
            _e(target, "varequal", aid, respident="response1")
    _e(cond, "setvar", "100", action="Set", varname="SCORE")


def check(q: Question) -> str | None:
    """Canvas fails silently on these, so they are refused before writing."""
    if q.type not in TYPES:
        return f"Canvas classic quizzes have no {q.type} question; left out"
    if q.points <= 0:
        return "points must be positive"
    if q.type == "single" and len(q.keys) != 1:
        return "a multiple-choice question needs exactly one key"
    texts = [" ".join(c.text.lower().split()) for c in q.choices]
    if len(set(texts)) != len(texts):
        return "two options have the same text"
    return None


def quiz_xml(quiz: Quiz, quiz_id: str, exam_id: str) -> tuple[str, float, list[Skipped]]:
    root = ET.Element(f"{{{NS}}}questestinterop", {
        f"{{{XSI}}}schemaLocation": f"{NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"})
    assessment = _e(root, "assessment", ident=quiz_id, title=quiz.title)
    meta = _e(assessment, "qtimetadata")
    f = _e(meta, "qtimetadatafield")
    _e(f, "fieldlabel", "cc_maxattempts")
    _e(f, "fieldentry", "1")
    section = _e(assessment, "section", ident="root_section")
    skipped, points = [], 0.0
    for q in quiz.questions:
        reason = check(q)
        if reason:
            skipped.append(Skipped(q.id, reason))
            continue
        points += q.points
        item_xml(section, q, quiz_id, [exam_id, *q.category])
    return to_string(root), points, skipped


def meta_xml(quiz: Quiz, quiz_id: str, assignment_id: str, group_id: str, points: float, shuffle: bool) -> str:
    root = ET.Element(f"{{{CANVAS}}}quiz", identifier=quiz_id)

    def sub(parent, tag, text=None):
        el = ET.SubElement(parent, f"{{{CANVAS}}}{tag}")
        el.text = text
        return el

    sub(root, "title", quiz.title)
    sub(root, "description", "")
    sub(root, "shuffle_answers", str(shuffle).lower())
    sub(root, "scoring_policy", "keep_highest")
    sub(root, "quiz_type", "assignment")
    sub(root, "points_possible", f"{points:g}")
    sub(root, "allowed_attempts", "1")
    assignment = ET.SubElement(root, f"{{{CANVAS}}}assignment", identifier=assignment_id)
    sub(assignment, "title", quiz.title)
    sub(assignment, "points_possible", f"{points:g}")
    sub(assignment, "grading_type", "points")
    sub(assignment, "submission_types", "online_quiz")
    sub(assignment, "assignment_group_identifierref", group_id)
    sub(assignment, "quiz_identifierref", quiz_id)  # the quiz's id, not the assignment's: the classic trap
    sub(root, "assignment_group_identifierref", group_id)
    return to_string(root)


def manifest_xml(entries: list[tuple[str, str]], title: str) -> str:
    root = ET.Element(f"{{{CC}}}manifest", identifier=_ident("manifest", title))
    meta = ET.SubElement(root, f"{{{CC}}}metadata")
    ET.SubElement(meta, f"{{{CC}}}schema").text = "IMS Content"
    ET.SubElement(meta, f"{{{CC}}}schemaversion").text = "1.1.3"
    ET.SubElement(root, f"{{{CC}}}organizations")
    resources = ET.SubElement(root, f"{{{CC}}}resources")
    for quiz_id, meta_id in entries:
        res = ET.SubElement(resources, f"{{{CC}}}resource", identifier=quiz_id, type="imsqti_xmlv1p2")
        ET.SubElement(res, f"{{{CC}}}file", href=f"{quiz_id}/{quiz_id}.xml")
        ET.SubElement(res, f"{{{CC}}}dependency", identifierref=meta_id)
        dep = ET.SubElement(resources, f"{{{CC}}}resource", identifier=meta_id,
                            type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                            href=f"{quiz_id}/assessment_meta.xml")
        ET.SubElement(dep, f"{{{CC}}}file", href=f"{quiz_id}/assessment_meta.xml")
    return to_string(root)


def export_files(package: Package, partial: frozenset[str] = frozenset()) -> tuple[dict[str, str], list[Skipped]]:
    files: dict[str, str] = {}
    entries = []
    skipped: list[Skipped] = []
    group = _ident("group", package.exam_id)
    for quiz in package.quizzes:
        quiz_id = _ident("quiz", package.exam_id, quiz.id)
        text, points, lost = quiz_xml(quiz, quiz_id, package.exam_id)
        skipped += lost
        files[f"{quiz_id}/{quiz_id}.xml"] = text
        files[f"{quiz_id}/assessment_meta.xml"] = meta_xml(
            quiz, quiz_id, _ident("assignment", package.exam_id, quiz.id), group, points,
            shuffle=not package.from_examset)
        entries.append((quiz_id, _ident("meta", package.exam_id, quiz.id)))
    files["imsmanifest.xml"] = manifest_xml(entries, package.exam_title)
    return files, skipped


def export(package: Package, partial: frozenset[str] = frozenset()) -> tuple[bytes, list[Skipped]]:
    files, skipped = export_files(package, partial)
    return zip_bytes(files), skipped


# --------------------------------------------------------------------------- import


def _mattext(node: Node | None, lost: list[str]) -> str:
    if node is None:
        return ""
    texts = [m.text for m in node.iter("mattext")]
    text, missing = plain("\n".join(texts))
    lost.extend(missing)
    return text


def _fields(item: Node) -> dict[str, str]:
    return {f.textof("fieldlabel").strip(): f.textof("fieldentry").strip() for f in item.iter("qtimetadatafield")}


def read_item(item: Node, shown: str) -> Question | Skipped | Problem:
    from .bankwrite import item_id

    where = f"{shown}:{item.line}"
    fields = _fields(item)
    kind = fields.get("question_type", "")
    pres = item.find("presentation")
    if pres is None:
        return Problem(shown, item.line, "the item has no <presentation>; export the quiz again")
    lost: list[str] = []
    stem = _mattext(pres.find("material"), lost)
    title = item.get("title", "")
    q = Question(id=item_id(title if title.lower() != "question" else None, stem), type="single", stem=stem,
                 path=shown, line=item.line, source=f"Imported from {shown}" + (f", question '{title}'" if title else ""))
    q.category = split_category(fields.get(CATEGORY_FIELD, ""))
    q.points = _points(fields, q.points)
    feedback = {f.get("ident"): _mattext(f, lost) for f in item.findall("itemfeedback")}
    rp = item.find("resprocessing")
    conditions = rp.findall("respcondition") if rp is not None else []
    links, correct = _scoring(conditions)
    general = [feedback.get(k) for k in ("general_fb", "correct_fb", "general_incorrect_fb") if feedback.get(k)]
    q.explanation = "\n\n".join(general) or None
    if kind in ("multiple_choice_question", "true_false_question", "multiple_answers_question"):
        _read_choices(q, pres, kind, feedback, links, correct, lost)
    elif kind == "matching_question":
        _read_matching(q, pres, conditions, lost)
    elif kind == "short_answer_question":
        q.type = "short"
        q.answers = list(dict.fromkeys(v for v in correct if v))
    else:
        return Skipped(where, f"Canvas question type '{kind or 'unknown'}' cannot be imported")
    if lost:
        return Skipped(where, f"holds {', '.join(dict.fromkeys(lost))}, which a bank cannot hold")
    return q


def _points(fields: dict[str, str], default: float) -> float:
    """points_possible when it is a number (0 counts as 1), else the default."""
    if fields.get("points_possible"):
        try:
            return float(fields["points_possible"]) or 1.0
        except ValueError:
            pass
    return default


def _scoring(conditions: list[Node]) -> tuple[dict[str, str], dict[str, None]]:
    """From the <respcondition>s: which feedback each answer value shows, and the values that
    score (an ordered set: short answers keep their order)."""
    links: dict[str, str] = {}
    correct: dict[str, None] = {}
    for cond in conditions:
        shows = [d.get("linkrefid") for d in cond.findall("displayfeedback")]
        var = cond.find("conditionvar")
        equals = [(v.get("respident"), v.text.strip()) for v in var.findall("varequal")] if var is not None else []
        for d in shows:
            for _, value in equals:
                links[value] = d
        setvar = cond.find("setvar")
        scores = setvar is not None and float(setvar.text or 0) > 0
        if scores and var is not None:
            ands = var.find("and")
            if ands is not None:
                correct.update(dict.fromkeys(v.text.strip() for v in ands.findall("varequal")))
            correct.update(dict.fromkeys(v for _, v in equals))
    return links, correct


def _read_choices(q: Question, pres: Node, kind: str, feedback: dict, links: dict[str, str],
                  correct: dict[str, None], lost: list[str]) -> None:
    lid = pres.find("response_lid")
    labels = lid.find("render_choice").findall("response_label") if lid is not None and lid.find("render_choice") else []
    for label in labels:
        ident = label.get("ident")
        why = feedback.get(links.get(ident, f"{ident}_fb")) or feedback.get(f"{ident}_fb")
        q.choices.append(Choice(_mattext(label, lost), ident in correct, why or None))
    q.type = "single" if kind != "multiple_answers_question" or sum(c.correct for c in q.choices) == 1 else "multiple"


def _read_matching(q: Question, pres: Node, conditions: list[Node], lost: list[str]) -> None:
    q.type = "matching"
    response_text: dict[str, str] = {}
    chosen: dict[str, str] = {}
    for cond in conditions:
        for v in cond.iter("varequal"):
            chosen[v.get("respident")] = v.text.strip()
    for lid in pres.findall("response_lid"):
        for label in lid.iter("response_label"):
            response_text[label.get("ident")] = _mattext(label, lost)
    used = set()
    for lid in pres.findall("response_lid"):
        answer = chosen.get(lid.get("ident"))
        if answer in response_text:
            q.pairs.append(Pair(_mattext(lid.find("material"), lost), response_text[answer]))
            used.add(answer)
    q.extra_responses = [Choice(t) for i, t in response_text.items() if i not in used]


def read(data: bytes, shown: str) -> tuple[list[Question], list[Skipped], list[Problem]]:
    from .qti21 import _collect

    documents: list[tuple[bytes, str]] = []
    if data[:2] == b"PK":
        archive = open_zip(data, shown)
        for name in sorted(archive.namelist()):
            if name.endswith(".xml") and not name.endswith(("imsmanifest.xml", "assessment_meta.xml")):
                documents.append((archive.read(name), f"{shown}!{name}"))
    else:
        documents.append((data, shown))
    results = []
    for blob, label in documents:
        root = parse_xml(blob, label)
        if root.tag != "questestinterop":
            continue
        results += [read_item(item, label) for item in root.iter("item")]
    if not results:
        return [], [], [Problem(shown, None, "no QTI 1.2 <questestinterop> items found; check the format (--from)")]
    return _collect(results)
