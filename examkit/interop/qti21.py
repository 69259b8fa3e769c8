"""IMS QTI 2.1: an IMS content package (zip with imsmanifest.xml), one assessmentItem per item
(choice, match, order and textEntry interactions), response processing that scores as examkit
does, per-option feedback; a bank gives one assessmentTest whose nested sections follow the
objective tree, an exam folder one assessmentTest per form with the items in printed order.

Identifiers are NCNames made from item ids (`item-tok-single`), never `1` or `2`.
"""

from __future__ import annotations

import io
import posixpath
import xml.etree.ElementTree as ET
import zipfile

from ..errors import Problem
from .model import Choice, Package, Pair, Question, Quiz, Skipped, general_feedback
from .text import ncname, plain, with_case
from .xmlout import append_html, html_blocks, to_string
from .xmltree import Node, parse_xml

# The item types this format holds; others are left out with the reason (examkit.interop.export).
TYPES = frozenset({"single", "multiple", "matching", "ordering", "short"})

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
SCHEMA_LOCATION = f"{NS} http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs) -> ET.Element:
    el = ET.SubElement(parent, _q(tag), {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _value_decl(root, ident: str, cardinality: str, base: str, default: str | None = None, tag="outcomeDeclaration"):
    decl = _sub(root, tag, identifier=ident, cardinality=cardinality, baseType=base)
    if default is not None:
        _sub(_sub(decl, "defaultValue"), "value", default)
    return decl


def _html(parent: ET.Element, markdown: str, block: bool = True) -> None:
    from .text import markdown_html

    append_html(parent, html_blocks(markdown) if block else markdown_html(markdown), NS)


def _correct_and_mapping(q: Question, decl: ET.Element, ids: dict, partial: bool) -> bool:
    """correctResponse (and a mapping when partial credit or short answers need one); True if mapped."""
    correct = _sub(decl, "correctResponse")
    if q.type in ("single", "multiple"):
        for c, ident in zip(q.choices, ids["choices"]):
            if c.correct:
                _sub(correct, "value", ident)
        if q.type == "multiple" and partial:
            share = q.points / len(q.keys)
            mapping = _sub(decl, "mapping", defaultValue="0", lowerBound="0", upperBound=f"{q.points:g}")
            for c, ident in zip(q.choices, ids["choices"]):
                _sub(mapping, "mapEntry", mapKey=ident, mappedValue=f"{share if c.correct else -share:g}")
            return True
    elif q.type == "matching":
        for p, ident in zip(q.pairs, ids["premises"]):
            _sub(correct, "value", f"{ident} {ids['response_of'][p.response]}")
        if partial:
            mapping = _sub(decl, "mapping", defaultValue="0", lowerBound="0", upperBound=f"{q.points:g}")
            for p, ident in zip(q.pairs, ids["premises"]):
                _sub(mapping, "mapEntry", mapKey=f"{ident} {ids['response_of'][p.response]}",
                     mappedValue=f"{q.points / len(q.pairs):g}")
            return True
    elif q.type == "ordering":
        for step in q.steps:
            _sub(correct, "value", ids["step_of"][id(step)])
    else:
        _sub(correct, "value", q.answers[0])
        mapping = _sub(decl, "mapping", defaultValue="0")
        seen = set()
        for answer in q.answers:
            if answer.lower() not in seen:
                seen.add(answer.lower())
                _sub(mapping, "mapEntry", mapKey=answer, mappedValue=f"{q.points:g}", caseSensitive="false")
        return True
    return False


def item_xml(q: Question, partial: frozenset[str] = frozenset()) -> str:
    root = ET.Element(_q("assessmentItem"), {
        f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION, "identifier": ncname("item-", q.id), "title": q.id,
        "adaptive": "false", "timeDependent": "false"})
    ids: dict = {"choices": [f"C{i}" for i in range(1, len(q.choices) + 1)],
                 "premises": [f"P{i}" for i in range(1, len(q.pairs) + 1)]}
    responses = q.responses()
    ids["response_of"] = {text: f"R{i}" for i, text in enumerate(responses, 1)}
    ids["step_of"] = {id(c): f"S{i}" for i, c in enumerate(q.choices, 1)}
    cardinality, base = {"single": ("single", "identifier"), "multiple": ("multiple", "identifier"),
                         "matching": ("multiple", "directedPair"), "ordering": ("ordered", "identifier"),
                         "short": ("single", "string")}[q.type]
    decl = _value_decl(root, "RESPONSE", cardinality, base, tag="responseDeclaration")
    mapped = _correct_and_mapping(q, decl, ids, q.type in partial)
    _value_decl(root, "SCORE", "single", "float", "0")
    _value_decl(root, "MAXSCORE", "single", "float", f"{q.points:g}")
    _value_decl(root, "FEEDBACK", "multiple", "identifier")
    body = _sub(root, "itemBody")
    _html(_sub(body, "div"), with_case(q))
    if q.type in ("single", "multiple"):
        inter = _sub(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle=str(q.shuffle).lower(),
                     maxChoices="1" if q.type == "single" else "0")
        for c, ident in zip(q.choices, ids["choices"]):
            _html(_sub(inter, "simpleChoice", identifier=ident), c.text, block=False)
    elif q.type == "matching":
        inter = _sub(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle=str(q.shuffle).lower(),
                     maxAssociations=str(len(q.pairs)))
        left, right = _sub(inter, "simpleMatchSet"), _sub(inter, "simpleMatchSet")
        for p, ident in zip(q.pairs, ids["premises"]):
            _html(_sub(left, "simpleAssociableChoice", identifier=ident, matchMax="1"), p.premise, block=False)
        for text in responses:
            _html(_sub(right, "simpleAssociableChoice", identifier=ids["response_of"][text], matchMax="0"),
                  text, block=False)
    elif q.type == "ordering":
        inter = _sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
        for c in q.choices:
            _html(_sub(inter, "simpleChoice", identifier=ids["step_of"][id(c)]), c.text, block=False)
    else:
        para = _sub(body, "p")
        _sub(para, "textEntryInteraction", responseIdentifier="RESPONSE",
             expectedLength=str(max(10, *(len(a) for a in q.answers))))
    _processing(root, q, mapped)
    for c, ident in zip(q.choices, ids["choices"]):
        if q.type in ("single", "multiple") and c.why:
            _html(_sub(root, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier=ident, showHide="show"), c.why)
    feedback = general_feedback(q)
    if feedback:
        _html(_sub(root, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier="GENERAL", showHide="show"),
              feedback)
    return to_string(root)


def _processing(root: ET.Element, q: Question, mapped: bool) -> None:
    """SCORE: the mapping (partial credit, short answers) or all-or-nothing; FEEDBACK: the chosen
    options' feedback and the general feedback."""
    rp = _sub(root, "responseProcessing")
    if mapped:
        _sub(_sub(rp, "setOutcomeValue", identifier="SCORE"), "mapResponse", identifier="RESPONSE")
    else:
        cond = _sub(rp, "responseCondition")
        if_ = _sub(cond, "responseIf")
        match = _sub(if_, "match")
        _sub(match, "variable", identifier="RESPONSE")
        _sub(match, "correct", identifier="RESPONSE")
        _sub(_sub(if_, "setOutcomeValue", identifier="SCORE"), "variable", identifier="MAXSCORE")
        _sub(_sub(_sub(cond, "responseElse"), "setOutcomeValue", identifier="SCORE"), "baseValue", "0",
             baseType="float")
    multiple = _sub(_sub(rp, "setOutcomeValue", identifier="FEEDBACK"), "multiple")
    if q.type in ("single", "multiple"):
        _sub(multiple, "variable", identifier="RESPONSE")
    _sub(multiple, "baseValue", "GENERAL", baseType="identifier")


def _section(parent: ET.Element, ident: str, title: str) -> ET.Element:
    return _sub(parent, "assessmentSection", identifier=ident, title=title, visible="true")


def test_xml(quiz: Quiz, hrefs: dict[str, str], by_objective: bool, exam_id: str = "") -> str:
    """One assessmentTest; a bank's nests sections along the category path of each item."""
    root = ET.Element(_q("assessmentTest"), {f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION,
                                              "identifier": ncname("test-", quiz.id), "title": quiz.title})
    _value_decl(root, "SCORE", "single", "float", "0")
    part = _sub(root, "testPart", identifier="part-1", navigationMode="nonlinear", submissionMode="simultaneous")
    top = _section(part, "section-1", quiz.title)
    sections: dict[tuple, ET.Element] = {(): top}
    counter = [1]
    for n, q in enumerate(quiz.questions, 1):
        parent = top
        if by_objective:  # sections: the exam, then each level of the objective tree
            path = [exam_id, *q.category]
            for depth in range(1, len(path) + 1):
                key = tuple(path[:depth])
                if key not in sections:
                    counter[0] += 1
                    sections[key] = _section(sections[key[:-1]], f"section-{counter[0]}", key[-1])
                parent = sections[key]
        _sub(parent, "assessmentItemRef", identifier=f"ref-{n}", href=hrefs[q.id])
    op = _sub(root, "outcomeProcessing")
    _sub(_sub(_sub(op, "setOutcomeValue", identifier="SCORE"), "sum"), "testVariables", variableIdentifier="SCORE")
    return to_string(root)


def manifest_xml(resources: list[tuple[str, str, str, list[str]]], title: str) -> str:
    root = ET.Element(f"{{{CP}}}manifest", identifier="manifest-examkit")
    meta = ET.SubElement(root, f"{{{CP}}}metadata")
    ET.SubElement(meta, f"{{{CP}}}schema").text = "QTIv2.1 Package"
    ET.SubElement(meta, f"{{{CP}}}schemaversion").text = "1.0.0"
    ET.SubElement(root, f"{{{CP}}}organizations")
    res_root = ET.SubElement(root, f"{{{CP}}}resources")
    for ident, kind, href, deps in resources:
        res = ET.SubElement(res_root, f"{{{CP}}}resource", identifier=ident, type=kind, href=href)
        ET.SubElement(res, f"{{{CP}}}file", href=href)
        for dep in deps:
            ET.SubElement(res, f"{{{CP}}}dependency", identifierref=dep)
    return to_string(root)


def export_files(package: Package, partial: frozenset[str] = frozenset()) -> tuple[dict[str, str], list[Skipped]]:
    """The package's files by path inside the zip."""
    files: dict[str, str] = {}
    resources: list[tuple[str, str, str, list[str]]] = []
    for quiz in package.quizzes:
        hrefs: dict[str, str] = {}
        deps: list[str] = []
        folder = f"items/{quiz.id}" if package.from_examset else "items"
        for q in quiz.questions:
            href = f"{folder}/{ncname('item-', q.id)}.xml"
            files[href] = item_xml(q, partial)
            ident = ncname("res-", href.removesuffix(".xml").replace("/", "-"))
            resources.append((ident, "imsqti_item_xmlv2p1", href, []))
            hrefs[q.id] = f"../{href}"
            deps.append(ident)
        test_href = f"tests/{ncname('test-', quiz.id)}.xml"
        files[test_href] = test_xml(quiz, hrefs, by_objective=not package.from_examset, exam_id=package.exam_id)
        resources.append((ncname("res-", test_href.removesuffix(".xml").replace("/", "-")),
                          "imsqti_test_xmlv2p1", test_href, deps))
    files["imsmanifest.xml"] = manifest_xml(resources, package.exam_title)
    return files, []


def zip_bytes(files: dict[str, str]) -> bytes:
    """A zip with fixed timestamps, so the same input gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files, key=lambda n: (n != "imsmanifest.xml", n)):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def export(package: Package, partial: frozenset[str] = frozenset()) -> tuple[bytes, list[Skipped]]:
    files, skipped = export_files(package, partial)
    return zip_bytes(files), skipped


# --------------------------------------------------------------------------- import

SUPPORTED = {"choiceInteraction", "matchInteraction", "orderInteraction", "textEntryInteraction"}
INTERACTIONS = SUPPORTED | {"extendedTextInteraction", "hotspotInteraction", "gapMatchInteraction",
                            "inlineChoiceInteraction", "hottextInteraction", "associateInteraction",
                            "graphicGapMatchInteraction", "sliderInteraction", "uploadInteraction",
                            "drawingInteraction", "selectPointInteraction", "graphicOrderInteraction",
                            "graphicAssociateInteraction", "positionObjectInteraction", "mediaInteraction",
                            "customInteraction", "endAttemptInteraction"}


def _md(node: Node | None, lost: list[str], skip: frozenset[str] = frozenset()) -> str:
    if node is None:
        return ""
    html = _inner(node, skip)
    text, missing = plain(html)
    lost.extend(missing)
    return text


def _inner(node: Node, skip: frozenset[str]) -> str:
    from html import escape

    out: list[str] = []
    for piece in node.mixed:
        if isinstance(piece, str):
            out.append(escape(piece, quote=False))
        elif piece.tag not in skip:
            out.append(f"<{piece.tag}>{_inner(piece, skip)}</{piece.tag}>")
    return "".join(out)


def read_item(root: Node, shown: str, category: list[str]) -> Question | Skipped | Problem:
    from .bankwrite import item_id

    where = f"{shown}:{root.line}"
    body = root.find("itemBody")
    if body is None:
        return Problem(shown, root.line, "the assessmentItem has no itemBody; export the item again")
    inter = _the_interaction(body, where)
    if isinstance(inter, Skipped):
        return inter
    lost: list[str] = []
    skip = frozenset(INTERACTIONS | {"feedbackInline", "feedbackBlock"})
    stem = "\n\n".join(t for t in (_md(body, lost, skip), _md(inter.find("prompt"), lost)) if t)
    title = root.get("title") or root.get("identifier") or ""
    q = Question(id=item_id(title, stem), type="single", stem=stem, category=category, path=shown, line=root.line,
                 source=f"Imported from {shown}" + (f", item '{title}'" if title else ""))
    correct, mapping = _declaration(root, inter)
    feedback = {m.get("identifier"): _md(m, lost) for m in root.findall("modalFeedback")}
    problem = _read_interaction(q, inter, correct, mapping, feedback, lost, shown)
    if problem:
        return problem
    q.explanation = "\n\n".join(v for v in feedback.values() if v) or None
    if lost:
        return Skipped(where, f"holds {', '.join(dict.fromkeys(lost))}, which a bank cannot hold")
    return q


def _declaration(root: Node, inter: Node) -> tuple[list[str], Node | None]:
    """The interaction's correct response values and its mapping (None when there is none)."""
    decl = next((d for d in root.findall("responseDeclaration")
                 if d.get("identifier") == inter.get("responseIdentifier")), None)
    correct = [v.text.strip() for v in (decl.find("correctResponse").findall("value")
                                        if decl is not None and decl.find("correctResponse") else [])]
    return correct, decl.find("mapping") if decl is not None else None


def _read_interaction(q: Question, inter: Node, correct: list[str], mapping: Node | None, feedback: dict[str, str],
                      lost: list[str], shown: str) -> Problem | None:
    """Fill in the question's type and answers from its interaction."""
    if inter.tag == "choiceInteraction":
        _read_choice(q, inter, correct, mapping, feedback, lost)
    elif inter.tag == "matchInteraction":
        return _read_match(q, inter, correct, lost, shown)
    elif inter.tag == "orderInteraction":
        text = {c.get("identifier"): _md(c, lost) for c in inter.findall("simpleChoice")}
        q.choices = [Choice(text[v]) for v in correct if v in text]
        q.order = list(range(len(q.choices)))
        q.type = "ordering"
    else:
        q.answers = list(dict.fromkeys(correct + _scoring_keys(mapping, "")))
        q.type = "short"
    return None


def _the_interaction(body: Node, where: str) -> Node | Skipped:
    """The item's one interaction, or why the item is left out."""
    found = [n for n in body.iter() if n.tag in INTERACTIONS]
    if len(found) != 1:
        return Skipped(where, f"has {len(found)} interactions; examkit imports items with exactly one")
    if found[0].tag not in SUPPORTED:
        return Skipped(where, f"{found[0].tag} cannot be imported (essay, hotspot, gap-match and similar need other item types)")
    return found[0]


def _scoring_keys(mapping: Node | None, default: str | None) -> list:
    """The mapKeys of a response mapping that are worth more than nothing."""
    entries = mapping.findall("mapEntry") if mapping is not None else []
    return [e.get("mapKey", default) for e in entries if float(e.get("mappedValue", "0")) > 0]


def _read_choice(q: Question, inter: Node, correct: list[str], mapping: Node | None, feedback: dict[str, str],
                 lost: list[str]) -> None:
    """Choices with their feedback (inline, or the modal feedback named after the choice, which
    is then used up)."""
    if not correct and mapping is not None:
        correct = _scoring_keys(mapping, None)
    for c in inter.findall("simpleChoice"):
        inline = c.find("feedbackInline")
        why = _md(inline, lost) if inline is not None else feedback.pop(c.get("identifier"), "")
        q.choices.append(Choice(_md(c, lost, frozenset({"feedbackInline"})), c.get("identifier") in correct,
                                why or None))
    q.type = "single" if inter.get("maxChoices") == "1" and len(correct) == 1 else "multiple"
    if len(correct) == 1:
        q.type = "single"


def _read_match(q: Question, inter: Node, correct: list[str], lost: list[str], shown: str) -> Problem | None:
    sets = inter.findall("simpleMatchSet")
    if len(sets) != 2:
        return Problem(shown, inter.line, "a matchInteraction needs two simpleMatchSets; export the item again")
    left = {c.get("identifier"): _md(c, lost) for c in sets[0].findall("simpleAssociableChoice")}
    right = {c.get("identifier"): _md(c, lost) for c in sets[1].findall("simpleAssociableChoice")}
    used = set()
    for value in correct:
        a, _, b = value.partition(" ")
        if a in right and b in left:  # pairs may be written either way round
            a, b = b, a
        if a in left and b in right:
            q.pairs.append(Pair(left[a], right[b]))
            used.add(b)
    q.extra_responses = [Choice(text) for ident, text in right.items() if ident not in used]
    q.type = "matching"
    return None


def read(data: bytes, shown: str) -> tuple[list[Question], list[Skipped], list[Problem]]:
    """An assessmentItem, an assessmentTest (with its items beside it in a zip) or a content package."""
    if data[:2] == b"PK":
        return read_zip(data, shown)
    root = parse_xml(data, shown)
    if root.tag == "assessmentItem":
        return _collect([read_item(root, shown, [])])
    return [], [], [Problem(shown, root.line, f"<{root.tag}> is not a QTI 2.1 item; give the item files or the "
                                              "content-package zip (a test alone does not hold its items)")]


def _collect(results) -> tuple[list[Question], list[Skipped], list[Problem]]:
    out: tuple[list, list, list] = ([], [], [])
    for r in results:
        out[0 if isinstance(r, Question) else 1 if isinstance(r, Skipped) else 2].append(r)
    return out


MAX_UNZIPPED = 100 * 1024 * 1024  # a quiz package is kilobytes to a few megabytes; a zip bomb is not


def open_zip(data: bytes, shown: str) -> zipfile.ZipFile:
    """A package's zip, refused when unreadable or when it would unpack to more than MAX_UNZIPPED."""
    from ..errors import ExamkitError

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ExamkitError(Problem(shown, None, "not a readable zip file; download the export again")) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNZIPPED:
        raise ExamkitError(Problem(shown, None, f"the zip unpacks to more than {MAX_UNZIPPED >> 20} MB, far more "
                                                "than any quiz; check that it is the LMS export"))
    return archive


def read_zip(data: bytes, shown: str) -> tuple[list[Question], list[Skipped], list[Problem]]:
    archive = open_zip(data, shown)
    # Every XML file parsed once: tests first find their items, then any item no test names.
    roots = {name: parse_xml(archive.read(name), f"{shown}!{name}") for name in sorted(archive.namelist())
             if name.endswith(".xml") and name != "imsmanifest.xml"}
    results = []
    done: set[str] = set()

    def item(path: str, category: list[str]):
        if path not in roots:
            return Problem(shown, None, f"the package names {path}, which it does not contain")
        done.add(path)
        return read_item(roots[path], f"{shown}!{path}", category)

    for test, root in roots.items():
        if root.tag == "assessmentTest":
            for part in root.findall("testPart"):
                for section in part.findall("assessmentSection"):
                    results += _section_items(section, [], posixpath.dirname(test), item, top=True)
    for name, root in roots.items():
        if name not in done and root.tag == "assessmentItem":
            results.append(read_item(root, f"{shown}!{name}", []))
    return _collect(results)


def _section_items(section: Node, path: list[str], base: str, item, top: bool) -> list:
    here = path if top else [*path, section.get("title", "")]
    results = []
    for child in section.children:
        if child.tag == "assessmentSection":
            results += _section_items(child, here, base, item, top=False)
        elif child.tag == "assessmentItemRef":
            results.append(item(posixpath.normpath(posixpath.join(base, child.get("href", ""))), list(here)))
    return results
