"""The study page (`examkit practice`) in headless Chromium: draw, answer, reload, finish, draw
again favouring missed items; by keyboard only; on a 390 px wide screen."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from examkit.bank import load_bank
from examkit.generate import find_blueprint, load_blueprint
from examkit.render import practice as practice_module
from examkit.render.practice import build_practice

from tests.fixtures.numbers import PLAIN_NUMBER_ITEM
from tests.fixtures.render.support import CHROMIUM

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (Debian package 'chromium')")

QUIZ = "aif-c01-task-2.1-quiz"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def quiz_page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("study") / "quiz.html"
    build_practice(path, None, QUIZ)
    return path


def open_page(browser, path: Path, viewport=None):
    """A page in a fresh context (its own, empty localStorage), with requests and errors recorded."""
    context = browser.new_context(viewport=viewport or {"width": 1000, "height": 900})
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri())
    return page


def study_data(page) -> dict:
    return json.loads(page.text_content("#study-data"))


def drawn(page) -> list[int]:
    """Pool indexes of the items in the current attempt, in page order."""
    return page.evaluate("Array.from(document.querySelectorAll('#attempt fieldset.item')).map(f => Number(f.dataset.index))")


def answer(page, data: dict, index: int, right: bool) -> object:
    """Answer one drawn item through the page's controls, right or wrong; returns what was given."""
    item = data["items"][index]
    q, key = f"i{index}", item["key"]
    if item["type"] == "single":
        choice = key["correct"][0] if right else next(c for c in range(len(key["pins"])) if c not in key["correct"])
        page.check(f"#{q}-o{choice}")
        return choice
    if item["type"] == "multiple":
        chosen = key["correct"] if right else [c for c in range(len(key["pins"])) if c not in key["correct"]][:2]
        for c in chosen:
            page.check(f"#{q}-o{c}")
        return chosen
    if item["type"] == "matching":
        responses = page.evaluate(f"document.querySelector('#{q}-p0').options.length") - 1
        for p, r in enumerate(key["correct"]):  # wrong: a response that is not this premise's, for every premise
            page.select_option(f"#{q}-p{p}", str(r if right else (r + 1) % responses))
        return key["correct"]
    if item["type"] == "ordering":
        # Right: the written order. Wrong: reversed, so no step follows the one it should.
        order = list(range(key["steps"])) if right else list(reversed(range(key["steps"])))
        for place, step in enumerate(order):  # move each step up to its place
            while True:
                places = page.evaluate(f"Array.from(document.querySelectorAll('#{q} .step')).map(s => Number(s.dataset.step))")
                if places.index(step) <= place:
                    break
                page.click(f"#{q} .step[data-step='{step}'] button.up")
        if not page.evaluate(f"document.querySelector('#{q}').hasAttribute('data-moved')"):  # shown reversed already
            page.click(f"#{q} .step:first-child button.down")
            page.click(f"#{q} .step:nth-child(2) button.up")
        return order
    text = key["correct"][0] if right else "something else entirely"
    page.fill(f"#{q}-text", text)
    return text


def test_draw_answer_reload_finish_and_draw_again_favouring_missed(browser, quiz_page):
    page = open_page(browser, quiz_page, PHONE)
    data = study_data(page)
    first = drawn(page)
    bp = load_blueprint(find_blueprint(QUIZ))
    # The blueprint's counts hold: 10 items, by type and by difficulty.
    assert len(first) == bp.items
    assert Counter(data["items"][i]["type"] for i in first) == Counter(bp.type_counts)
    assert Counter(data["items"][i]["difficulty"] for i in first) == {"easy": 4, "medium": 4, "hard": 2}
    assert page.text_content("#timer").startswith("Time left: 1")  # 15:00 or 14:59
    assert [page.text_content(f"#i{i} .number") for i in first[:2]] == ["Question 1 of 10", "Question 2 of 10"]

    right = set(first[::2])
    for index in first:
        answer(page, data, index, index in right)
    values_before = page.evaluate("""() => Array.from(document.querySelectorAll('#attempt input, #attempt select'))
        .map(el => el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value)""")
    steps_before = page.evaluate("Array.from(document.querySelectorAll('#attempt .step')).map(s => s.dataset.step)")

    page.reload()
    assert drawn(page) == first  # the same attempt comes back, answers and all
    assert page.evaluate("""() => Array.from(document.querySelectorAll('#attempt input, #attempt select'))
        .map(el => el.type === 'radio' || el.type === 'checkbox' ? el.checked : el.value)""") == values_before
    assert page.evaluate("Array.from(document.querySelectorAll('#attempt .step')).map(s => s.dataset.step)") == steps_before

    page.get_by_role("button", name="Finish and check").click()
    assert page.evaluate("document.activeElement.id") == "results-heading"
    assert page.text_content("#score-counts") == "5 right, 0 partly right, 5 missed, 0 not answered."
    entries = page.query_selector_all("#by-item li")
    assert len(entries) == 10
    for entry, index in zip(entries, first):
        item = data["items"][index]
        text = entry.text_content()
        # Labelled by the item's own words (its objective's title and its stem), not "Question 1".
        assert item["topic"] in text and item["label"][:30] in text and "Question" not in text
        assert entry.get_attribute("class") == ("right" if index in right else "wrong")
        assert text.startswith("Right" if index in right else "Missed")
    colours = {entry.get_attribute("class"): entry.evaluate("e => getComputedStyle(e).borderLeftColor") for entry in entries}
    assert colours["right"] != colours["wrong"]
    short = next((i for i in first if data["items"][i]["type"] == "short"), None)
    if short is not None:  # the accepted answers, as a sentence
        assert page.text_content(f"#i{short}-feedback .answer").startswith("Accepted answer")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways scrolling

    page.get_by_role("button", name="Start a new attempt").click()
    second = drawn(page)
    assert len(second) == 10 and second != first
    assert page.query_selector("#results").is_hidden()

    # Missed items come back more often than items answered right: count over many draws.
    ids = [data["items"][i]["id"] for i in first]
    missed = {data["items"][i]["id"] for i in first if i not in right}
    hits = Counter(x for _ in range(3) for x in page.evaluate("() => { const out = []; for (let k = 0; k < 100; k++) "
                                                            "out.push(...window.examkitStudy.drawIds()); return out; }"))
    missed_rate = sum(hits[i] for i in missed) / len(missed)
    right_rate = sum(hits[i] for i in set(ids) - missed) / (len(ids) - len(missed))
    assert missed_rate > 3 * right_rate, (missed_rate, right_rate)
    assert page.errors == []
    assert all(url.startswith("file://") for url in page.requests), page.requests  # nothing from the network


def test_keyboard_only(browser, quiz_page):
    page = open_page(browser, quiz_page)
    data = study_data(page)
    items = drawn(page)
    single = next(i for i in items if data["items"][i]["type"] == "single")
    ordering = next(i for i in items if data["items"][i]["type"] == "ordering")
    short = next(i for i in items if data["items"][i]["type"] == "short")

    page.focus(f"#i{single} input")  # then arrows move through the radio group
    page.keyboard.press("Space")
    checked = page.evaluate(f"Array.from(document.querySelectorAll('#i{single} input')).filter(i => i.checked).length")
    assert checked == 1

    # Ordering by keyboard: Alt+Down on a focused step, and Tab to its buttons then Enter.
    before = page.evaluate(f"Array.from(document.querySelectorAll('#i{ordering} .step')).map(s => s.dataset.step)")
    page.focus(f"#i{ordering} .step:first-child")
    page.keyboard.press("Alt+ArrowDown")
    after = page.evaluate(f"Array.from(document.querySelectorAll('#i{ordering} .step')).map(s => s.dataset.step)")
    assert after == [before[1], before[0], *before[2:]]
    assert page.evaluate("document.activeElement.dataset.step") == before[0]  # focus stays on the moved step
    page.keyboard.press("Tab")  # its Move up button
    page.keyboard.press("Enter")
    assert page.evaluate(f"Array.from(document.querySelectorAll('#i{ordering} .step')).map(s => s.dataset.step)") == before
    assert "place 1 of" in page.text_content(f"#i{ordering}-moved")

    page.focus(f"#i{short}-text")
    page.keyboard.type(data["items"][short]["key"]["correct"][0].upper())
    page.focus("#finish")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results-heading"
    status = page.text_content(f"#i{short}-status")
    assert status.startswith("Right"), status
    assert page.errors == []


def test_ordering_by_pointer_drag(browser, quiz_page):
    page = open_page(browser, quiz_page, {"width": 1000, "height": 2400})  # the whole list stays on screen
    data = study_data(page)
    ordering = next(i for i in drawn(page) if data["items"][i]["type"] == "ordering")
    before = page.evaluate(f"Array.from(document.querySelectorAll('#i{ordering} .step')).map(s => s.dataset.step)")
    page.evaluate(f"document.querySelector('#i{ordering}').scrollIntoView({{block: 'center'}})")
    grip = page.locator(f"#i{ordering} .step:first-child .grip").bounding_box()
    page.mouse.move(grip["x"] + 3, grip["y"] + 3)
    page.mouse.down()
    for _ in range(len(before)):  # follow the list as it moves under the pointer, to the bottom
        last = page.locator(f"#i{ordering} .step:not(.dragging)").last.bounding_box()
        page.mouse.move(grip["x"] + 3, last["y"] + last["height"] - 2, steps=4)
    page.mouse.up()
    after = page.evaluate(f"Array.from(document.querySelectorAll('#i{ordering} .step')).map(s => s.dataset.step)")
    assert after == [*before[1:], before[0]]
    page.reload()
    assert page.evaluate(f"Array.from(document.querySelectorAll('#i{ordering} .step')).map(s => s.dataset.step)") == after


def test_a_type_the_page_cannot_show_is_skipped_with_a_note(browser, tmp_path, monkeypatch):
    """A new item type (numeric, say) before the page handles it: left out, said so, nothing breaks."""
    monkeypatch.delitem(practice_module.KEYS, "short")
    path = tmp_path / "study.html"
    built = build_practice(path, None, None, items=12)
    assert built["skipped_types"] == ["short"]
    page = open_page(browser, path)
    data = study_data(page)
    assert len(drawn(page)) == 12
    assert all(data["items"][i]["type"] != "short" for i in drawn(page))
    shorts = sum(1 for i in data["items"] if i["type"] == "short")
    assert page.text_content("#skipped-note") == (f"Left out of the draws: {shorts} short questions "
                                                  "(this page cannot show that type yet).")
    page.get_by_role("button", name="Finish and check").click()
    assert page.text_content("#score-counts").endswith("12 not answered.")
    assert page.errors == []


def test_a_thin_pool_draws_what_it_can_and_says_so(browser, tmp_path):
    bank = load_bank()
    path = tmp_path / "all.html"
    build_practice(path, None, None, items=len(bank.items) + 5)
    page = open_page(browser, path)
    count = len(drawn(page))  # every item, less those kept apart from another as its `enemies`
    assert len(bank.items) - sum(len(i.enemies) for i in bank.items) <= count < len(bank.items)
    assert page.text_content("#thin-note") == (f"This page holds too few questions for a full set: this attempt has "
                                               f"{count} of {len(bank.items) + 5}.")
    assert page.query_selector("#timer").is_hidden()  # no time limit without a blueprint
    assert page.errors == []


NUMERIC_ITEMS = """
items:
  - id: share-calc
    type: numeric
    objective: "mini:1.1"
    stem: "A class has {a} students who passed and {b} who did not. What share passed?"
    difficulty: medium
    explanation: "The share is {a} / ({a} + {b}) = {share:.3f}."
    source: Notes › Shares
    params: {a: {min: 1, max: 40}, b: {min: 1, max: 40}}
    values: {share: "a / (a + b)"}
    conditions: ["a != b"]
    answer: share
    tolerance: 0.0005
""" + PLAIN_NUMBER_ITEM


def test_numeric_and_parametric_items(browser, tmp_path):
    """A numeric item is answered with a number within its tolerance; a parametric item shows one
    draw of its numbers, and its answer follows them."""
    import shutil

    from tests.test_practice import FIXTURE_BANK

    bank = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, bank)
    (bank / "numbers.yaml").write_text(NUMERIC_ITEMS, encoding="utf-8")
    path = tmp_path / "study.html"
    build_practice(path, [bank], None, items=20)
    page = open_page(browser, path)
    data = study_data(page)
    index = {item["id"]: n for n, item in enumerate(data["items"])}
    share, plain = index["share-calc"], index["plain-number"]
    assert set(drawn(page)) >= {share, plain}  # the whole small bank is drawn
    stem = page.text_content(f"#i{share}-stem")
    a, b = (int(x) for x in re.findall(r"\d+", stem)[:2])
    assert "{a}" not in stem and data["items"][share]["key"]["number"] == pytest.approx(a / (a + b))
    page.fill(f"#i{share}-text", f"{a / (a + b):.3f}".replace(".", ","))  # a decimal comma is read too
    page.fill(f"#i{plain}-text", "9")
    page.get_by_role("button", name="Finish and check").click()
    assert page.text_content(f"#i{share}-status").startswith("Right")
    assert page.text_content(f"#i{plain}-status").startswith("Missed")
    assert page.text_content(f"#i{plain}-feedback .answer") == "Accepted answer: 8."
    assert f"{a / (a + b):.3f}" in page.text_content(f"#i{share}-feedback")  # the explanation, filled in
    assert page.query_selector("#skipped-note").is_hidden()
    assert page.errors == []


def test_a_forms_practice_page_checks_numeric_items(browser, tmp_path):
    import shutil

    from examkit.generate import generate_examset, write_examset
    from examkit.models import Blueprint
    from examkit.render import render_folder
    from tests.test_practice import FIXTURE_BANK

    bank = tmp_path / "bank"
    shutil.copytree(FIXTURE_BANK, bank)
    (bank / "numbers.yaml").write_text(NUMERIC_ITEMS, encoding="utf-8")
    folder = tmp_path / "exam"
    examset = generate_examset(load_bank([bank]), Blueprint(title="Numbers", items=4, types=["single", "numeric"]),
                               forms=1, seed=4)
    write_examset(examset, folder)
    render_folder(folder, only=("practice",), formats=("html",), jobs=1)
    page = open_page(browser, folder / "practice-A.html")
    numeric = [i for i in examset.forms[0].items if i.type == "numeric"]
    assert len(numeric) == 2
    right, wrong = numeric
    page.fill(f"#q{right.position}-text", f"{right.number:.4f}".replace(".", ","))
    page.fill(f"#q{wrong.position}-text", str(right.number + wrong.number + 1))
    page.get_by_role("button", name="Check answers").click()
    assert page.text_content(f"#q{right.position}-status").startswith("Correct")
    assert page.text_content(f"#q{wrong.position}-status").startswith("Incorrect")
    assert page.text_content(f"#q{wrong.position}-feedback .answer").startswith("Accepted answer: ")
    assert page.errors == []
