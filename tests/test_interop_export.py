"""`examkit export`: every format written from the shipped bank and from a generated exam folder,
checked against the published schemas (QTI 2.1, QTI 1.2) and, for the text formats, by a reading
of the format's rules written here independently of examkit's importers."""

from __future__ import annotations

import re
import string
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import examkit
from examkit.bank import load_bank
from examkit.cli import cli

from . import xsd

# Moodle's question_bank::fraction_options_full(), in percent as Moodle writes them.
MOODLE_GRADES = {"100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333", "30", "25",
                 "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0"}


@pytest.fixture(scope="module")
def bank():
    return examkit.load_bank()


@pytest.fixture(scope="module")
def exam_dir(tmp_path_factory, bank) -> Path:
    folder = tmp_path_factory.mktemp("export") / "exam"
    blueprint = examkit.load_blueprint(examkit.find_blueprint("aif-c01-task-2.1-quiz"))
    examkit.write_examset(examkit.generate_examset(bank, blueprint, forms=2, seed=5), folder)
    return folder


@pytest.fixture(scope="module")
def exports(tmp_path_factory, exam_dir, bank) -> dict:
    out = tmp_path_factory.mktemp("exports")
    made = {}
    from examkit.interop import FORMATS

    for fmt in FORMATS:
        made[("bank", fmt)] = examkit.export_lms(bank, fmt, out / f"bank-{fmt}")
        made[("exam", fmt)] = examkit.export_lms(exam_dir, fmt, out / f"exam-{fmt}")
    return made


def fixed(bank) -> list:
    """The items a bank export carries: a parametric item has its numbers only on a generated form."""
    return [i for i in bank.items if not i.params]


def parametric(bank) -> set[str]:
    return {i.id for i in bank.items if i.params}


def _xml_members(path: Path, skip=("imsmanifest.xml", "assessment_meta.xml")) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist() if n.endswith(".xml") and not n.endswith(skip)}


# --------------------------------------------------------------------------- QTI 2.1


@pytest.mark.parametrize("source", ["bank", "exam"])
def test_qti21_every_file_validates(exports, source):
    members = _xml_members(exports[(source, "qti21")].path)
    assert any(n.startswith("tests/") for n in members)
    schema = xsd.qti21()
    for name, data in members.items():
        assert xsd.errors(schema, data) == [], name


def test_qti21_schema_check_is_live(tmp_path):
    """The validation above would catch a digit identifier (not an NCName) or a missing interaction id."""
    members = _xml_members(examkit.export_lms(examkit.load_bank(), "qti21", tmp_path / "bank-qti21").path)
    choices = sorted((n, d) for n, d in members.items() if n.startswith("items/") and b"<simpleChoice " in d)
    assert choices, sorted(members)[:5]
    name, data = choices[0]
    broken = re.sub(rb'<simpleChoice identifier="[^"]+"', b'<simpleChoice identifier="1"', data, count=1)
    assert broken != data
    assert xsd.errors(xsd.qti21(), broken)


def test_qti21_package(exports, bank, exam_dir):
    path = exports[("bank", "qti21")].path
    with zipfile.ZipFile(path) as archive:
        manifest = etree.fromstring(archive.read("imsmanifest.xml"))
        names = set(archive.namelist())
    ns = {"cp": "http://www.imsglobal.org/xsd/imscp_v1p1"}
    hrefs = [r.get("href") for r in manifest.iterfind(".//cp:resource", ns)]
    assert set(hrefs) == names - {"imsmanifest.xml"}
    items = [h for h in hrefs if h.startswith("items/")]
    assert len(items) == len(fixed(bank))
    skipped = exports[("bank", "qti21")].skipped
    assert {s.where for s in skipped} == parametric(bank) and all("generated form" in s.reason for s in skipped)
    ids = [r.get("identifier") for r in manifest.iterfind(".//cp:resource", ns)]
    assert all(re.match(r"^[A-Za-z_][A-Za-z0-9_-]*$", i) for i in ids)
    # An exam folder: one assessmentTest per form, items in printed order.
    examset = examkit.read_examset(exam_dir)
    members = _xml_members(exports[("exam", "qti21")].path)
    tests = sorted(n for n in members if n.startswith("tests/"))
    assert len(tests) == len(examset.forms)
    qti = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
    for test, form in zip(tests, examset.forms):
        refs = etree.fromstring(members[test]).iterfind(".//q:assessmentItemRef", qti)
        titles = [etree.fromstring(members[r.get("href").removeprefix("../")]).get("title") for r in refs]
        assert titles == [fi.item_id for fi in form.items]


def test_qti21_items_score_and_give_feedback(exports, bank):
    members = _xml_members(exports[("bank", "qti21")].path)
    qti = {"q": "http://www.imsglobal.org/xsd/imsqti_v2p1"}
    by_title = {etree.fromstring(d).get("title"): etree.fromstring(d) for n, d in members.items() if n.startswith("items/")}
    for item in fixed(bank):
        root = by_title[item.id]
        correct = [v.text for v in root.iterfind("q:responseDeclaration/q:correctResponse/q:value", qti)]
        if item.type in ("single", "multiple"):
            choices = root.findall(".//q:simpleChoice", qti)
            assert [c.get("identifier") for c, o in zip(choices, item.options) if o.correct] == correct
            feedback = {f.get("identifier"): "".join(f.itertext()) for f in root.iterfind("q:modalFeedback", qti)}
            for choice, option in zip(choices, item.options):
                assert " ".join(feedback[choice.get("identifier")].split())
            assert root.find(".//q:responseProcessing//q:correct", qti) is not None
        elif item.type == "short":
            keys = [e.get("mapKey") for e in root.iterfind(".//q:mapEntry", qti)]
            assert {k.lower() for k in keys} == {a.lower() for a in item.answers}
            assert all(e.get("caseSensitive") == "false" for e in root.iterfind(".//q:mapEntry", qti))
        elif item.type == "ordering":
            assert len(correct) == len(item.steps)
        else:
            assert len(correct) == len(item.premises)


# --------------------------------------------------------------------------- Canvas (QTI 1.2)


@pytest.mark.parametrize("source", ["bank", "exam"])
def test_canvas_validates_against_qti12(exports, source):
    members = _xml_members(exports[(source, "canvas")].path)
    assert members
    for name, data in members.items():
        assert xsd.errors(xsd.qti12(), data) == [], name


def test_canvas_package_avoids_the_known_traps(exports, bank):
    report = exports[("bank", "canvas")]
    with zipfile.ZipFile(report.path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    manifest = etree.fromstring(files["imsmanifest.xml"])
    cc = {"cp": "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"}
    quiz_res = manifest.find(".//cp:resource[@type='imsqti_xmlv1p2']", cc)
    quiz_id = quiz_res.get("identifier")
    meta = etree.fromstring(files[f"{quiz_id}/assessment_meta.xml"])
    canvas = {"c": "http://canvas.instructure.com/xsd/cccv1p0"}
    assert meta.get("identifier") == quiz_id
    assignment = meta.find("c:assignment", canvas)
    assert assignment.get("identifier") != quiz_id
    assert assignment.findtext("c:quiz_identifierref", namespaces=canvas) == quiz_id
    quiz = etree.fromstring(files[f"{quiz_id}/{quiz_id}.xml"])
    asi = {"a": "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"}
    idents = [e.get("ident") for e in quiz.iter() if e.get("ident")]
    assert all(i[0].isalpha() and "." not in i and " " not in i for i in idents)
    items = quiz.findall(".//a:item", asi)
    ordering = [i for i in fixed(bank) if i.type == "ordering"]
    assert len(items) == len(fixed(bank)) - len(ordering)
    assert {s.where for s in report.skipped} == {i.id for i in ordering} | parametric(bank)
    for item in items:
        fields = {f.findtext("a:fieldlabel", namespaces=asi): f.findtext("a:fieldentry", namespaces=asi)
                  for f in item.iterfind(".//a:qtimetadatafield", asi)}
        assert float(fields["points_possible"]) > 0
        # HTML travels entity-escaped inside mattext, never as child elements.
        for mattext in item.iterfind(".//a:mattext", asi):
            assert len(mattext) == 0


def test_canvas_refuses_what_canvas_would_drop_silently():
    from examkit.interop.canvas import check
    from examkit.interop.model import Choice, Question

    two_keys = Question(id="x", type="single", stem="s", choices=[Choice("a", True), Choice("b", True)])
    assert "exactly one key" in check(two_keys)
    dupes = Question(id="x", type="single", stem="s", choices=[Choice("a", True), Choice("A ", False)])
    assert "same text" in check(dupes)


# --------------------------------------------------------------------------- Moodle XML


def test_moodle_xml_fractions_categories_tags(exports, bank):
    root = etree.parse(str(exports[("bank", "moodle-xml")].path)).getroot()
    categories = [q.findtext("category/text") for q in root.iter("question") if q.get("type") == "category"]
    titles = bank.objectives
    for item in fixed(bank):
        numbers = item.objective.split(":")[1].split(".")
        path = [".".join(numbers[:n]) for n in range(1, len(numbers) + 1)]
        expected = "/".join(["$course$", "aif-c01", *(f"{p} {titles['aif-c01:' + p].title}" for p in path)])
        assert expected.replace("//", "/") in [c.replace("//", "/") for c in categories]
    by_name = {q.findtext("name/text"): q for q in root.iter("question") if q.get("type") != "category"}
    assert set(by_name) == {i.id for i in fixed(bank)}
    for item in fixed(bank):
        q = by_name[item.id]
        assert item.objective in [t.text for t in q.iterfind("tags/tag/text")]
        if item.type not in ("single", "multiple"):
            continue
        fractions = [a.get("fraction") for a in q.iter("answer")]
        assert all(f.lstrip("-") in MOODLE_GRADES for f in fractions), (item.id, fractions)
        if item.type == "multiple":
            keys = [float(f) for f in fractions if float(f) > 0]
            assert abs(sum(keys) - 100) < 0.001 or len(keys) > 10
            assert sum(float(f) for f in fractions) <= 0.001  # marking everything scores nothing
            if item.choose == 3:
                assert keys == [33.33333] * 3
        feedback = ["".join(etree.fromstring(f"<x>{a.findtext('feedback/text')}</x>").itertext())
                    for a in q.iter("answer")]
        assert all(feedback)


def test_moodle_fraction_helpers():
    from examkit.interop.fractions import penalty_share, percent, share_of

    assert percent(share_of(3)) == "33.33333"
    assert percent(share_of(6)) == "16.66667"
    assert percent(-penalty_share(3)) == "-33.33333"
    assert percent(-penalty_share(7)) == "-14.28571"
    for n in range(1, 11):
        assert percent(share_of(n)) in MOODLE_GRADES
        assert percent(penalty_share(n)) in MOODLE_GRADES and penalty_share(n) * n >= 0.999999


# --------------------------------------------------------------------------- GIFT and Aiken, read independently

_GIFT_SPECIAL = set("~=#{}:")


def _gift_unescape(text: str) -> str:
    """Moodle's reading of an escaped run: every special character must come escaped."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        assert text[i] not in _GIFT_SPECIAL, f"unescaped {text[i]!r} in {text!r}"
        out.append(text[i])
        i += 1
    return "".join(out)


def test_gift_by_the_rules(exports, bank):
    report = exports[("bank", "gift")]
    text = report.path.read_text(encoding="utf-8")
    questions = re.findall(r"^::((?:[^:\\]|\\.)+)::\[markdown\]((?:[^{\\]|\\.)*) \{\n(.*?)\n\}$", text, re.M | re.S)
    items = {i.id: i for i in bank.items}
    cases = bank.cases
    assert len(questions) == len(fixed(bank)) - sum(i.type == "ordering" for i in fixed(bank))
    assert report.skipped and all("no GIFT form" in s.reason for s in report.skipped if s.where not in parametric(bank))
    for name, stem, body in questions:
        item = items[_gift_unescape(name)]
        stem = _gift_unescape(stem)
        assert stem.endswith(item.stem)
        if item.case:
            assert cases[item.case].scenario in stem
        lines = body.split("\n")
        answers = [line for line in lines if not line.startswith("\t####")]
        if item.type in ("single", "multiple"):
            assert len(answers) == len(item.options)
            for line, option in zip(answers, item.options):
                found = re.match(r"^\t([=~])(?:%(-?[\d.]+)%)?((?:[^#\\]|\\.)*)#((?:[^\\]|\\.)*)$", line)
                assert found, line
                mark, weight, answer, why = found.groups()
                assert _gift_unescape(answer) == option.text and _gift_unescape(why) == option.why
                if item.type == "single":
                    assert (mark == "=") == option.correct and weight is None
                else:
                    assert weight.lstrip("-") in MOODLE_GRADES and (float(weight) > 0) == option.correct
        elif item.type == "matching":
            pairs = [re.match(r"^\t=((?:[^\\]|\\.)*?) -> ((?:[^\\]|\\.)*)$", line).groups() for line in answers]
            responses = {r.key: r.text for r in item.responses}
            premises = [(p.text, responses[p.answer]) for p in item.premises]
            assert [(_gift_unescape(a), _gift_unescape(b)) for a, b in pairs if a.strip()] == premises
        else:
            assert [_gift_unescape(line.removeprefix("\t=")) for line in answers] == item.answers


def test_gift_escaping_round_trips_every_special_character():
    from examkit.interop.gift import escape, parse_question

    nasty = "a:b ~c =d #e {f} \\g\nnext line"
    q = parse_question(f"::{escape('x')}::{escape(nasty)} {{ ={escape(nasty)}#{escape(nasty)} ~no }}", 1, "t.gift")
    assert q.stem == nasty and q.choices[0].text == nasty and q.choices[0].why == nasty


def test_aiken_by_the_rules(exports, bank):
    report = exports[("bank", "aiken")]
    blocks = report.path.read_text(encoding="utf-8").strip().split("\n\n")
    singles = [i for i in fixed(bank) if i.type == "single"]
    assert len(blocks) == len(singles)
    assert len(report.skipped) == len(bank.items) - len(singles)
    assert all("single-choice items only" in s.reason for s in report.skipped if s.where not in parametric(bank))
    by_stem = {" ".join(i.stem.split()): i for i in singles}
    for block in blocks:
        lines = block.split("\n")
        assert not _OPTION_LINE.match(lines[0])
        item = next(i for stem, i in by_stem.items() if lines[0].endswith(stem))
        assert [line[3:] for line in lines[1:-1]] == [" ".join(o.text.split()) for o in item.options]
        assert [line[:3] for line in lines[1:-1]] == [f"{c}. " for c in string.ascii_uppercase[:len(item.options)]]
        key = string.ascii_uppercase[[o.correct for o in item.options].index(True)]
        assert lines[-1] == f"ANSWER: {key}"


_OPTION_LINE = re.compile(r"^[A-Z][.)] ")


def test_cli_export_lists_what_is_left_out(tmp_path):
    result = CliRunner().invoke(cli, ["export", "--to", "aiken", "-o", str(tmp_path / "a.txt")])
    assert result.exit_code == 0, result.output
    left = [line for line in result.output.splitlines() if line.startswith("left out: ")]
    # Aiken holds single choice only, and a bank export leaves parametric items out
    expected = sum(1 for item in load_bank().items if item.type != "single" or item.params)
    assert len(left) == expected and f"{expected} left out" in result.output.splitlines()[-1]
