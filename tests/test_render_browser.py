"""The practice page in a real browser: answer by label and keyboard, check, read the score."""

from __future__ import annotations

from pathlib import Path

import pytest

from examkit.fileio import read_examset
from examkit.grade.key import ItemKey
from examkit.grade.score import Rules, credit
from examkit.render import render_folder
from tests.conftest import open_watched
from tests.fixtures.render.support import CHROMIUM, copy_fixture

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (Debian package 'chromium')")


@pytest.fixture(scope="module")
def practice_page(tmp_path_factory) -> tuple[Path, object]:
    folder = copy_fixture(tmp_path_factory.mktemp("practice") / "exam")
    render_folder(folder, only=("practice",), formats=("html",), jobs=1)
    return folder / "practice-A.html", read_examset(folder).form("A")


def test_answers_checked_score_per_objective_and_rationales(browser, practice_page):
    path, form = practice_page
    items = {i.position: i for i in form.items}
    page, requests, errors = open_watched(browser, path)

    # Form A of the fixture: 1 single, 2 single (markdown), 3 multiple, 4 matching, 5 ordering,
    # 6 short, 7 single (case), 8 short (case). Objectives: mini:1.1 = 1, 2, 3, 6, 7; mini:1.2 = 4, 5, 8.
    page.get_by_role("radio", name=f"B. {items[1].options[1].text}", exact=True).check()  # B "Tokens": right
    assert items[1].key == "B"
    page.focus("#q2-A")  # keyboard only: arrows move through a radio group
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#q2-C") and items[2].key == "C"  # right
    for letter in items[3].key.split(","):  # A,B: right
        page.check(f"#q3-{letter}")
    premise = {p.number: p for p in items[4].premises}
    page.select_option("#q4-p1", premise[1].answer)  # right
    page.select_option("#q4-p2", premise[2].answer)  # right
    wrong = next(r.letter for r in items[4].responses if r.letter != premise[3].answer)
    page.get_by_label(f"3. {premise[3].text}").select_option(wrong)  # wrong: 2 of 3, partial credit
    order = items[5].key.split(",")  # B,A,C,D
    swapped = order[:2] + [order[3], order[2]]  # last two swapped: 1 of the 3 adjacent pairs right
    for place, letter in enumerate(swapped):  # moved with the steps' Move up buttons
        while page.evaluate("Array.from(document.querySelectorAll('#q5 .step')).map(s => s.dataset.letter)").index(letter) > place:
            page.click(f"#q5 .step[data-letter='{letter}'] button.up")
    page.get_by_label("Your answer").first.fill("  Chunkng ")  # one typo, odd spacing: accepted
    wrong7 = next(o.letter for o in items[7].options if not o.correct)
    page.check(f"#q7-{wrong7}")  # wrong
    # 8 left blank
    page.get_by_role("button", name="Check answers").click()

    # Ordering earns what the sheet grader gives for the same answer (right adjacent pairs).
    rules = Rules.from_scoring(read_examset(path.parent).scoring)
    assert credit(ItemKey("A", items[5]), tuple(swapped), rules) == pytest.approx(1 / 3)
    # 1 + 1 + 1 + 2/3 + 1/3 + 1 + 0 + 0 = 5 of 8 = 62.5%; scale 100-1000: 100 + 900 * 5/8 = 662.5, rounded 663
    assert page.text_content("#score-points") == "5"
    assert page.text_content("#score-possible") == "8"
    assert page.text_content("#score-percent") == "62.5"
    assert page.text_content("#score-scaled") == "663"
    assert "NOT YET" in page.text_content("#score-verdict")
    assert page.text_content("#score-counts") == "4 correct, 2 partly correct, 1 incorrect, 1 not answered."
    rows = {r.get_attribute("data-objective"): r for r in page.query_selector_all("#objective-rows tr")}
    assert rows["mini:1.1"].query_selector(".pts").text_content() == "4 / 5"  # 1, 2, 3, 6 right; 7 wrong
    assert rows["mini:1.1"].query_selector(".pct").text_content() == "80%"
    assert rows["mini:1.2"].query_selector(".pts").text_content() == "1 / 3"  # 2/3 + 1/3 + 0
    assert rows["mini:1.2"].query_selector(".pct").text_content() == "33.3%"

    assert page.text_content("#q1-status") == "Correct. 1 of 1 point."
    assert page.text_content("#q4-status") == "Partly correct. 0.67 of 1 point."
    assert page.text_content("#q5-status") == "Partly correct. 0.33 of 1 point."
    assert page.text_content("#q7-status") == "Incorrect. 0 of 1 point."
    assert page.text_content("#q8-status") == "Not answered. 0 of 1 point."
    for option in items[1].options:  # the rationale of every option is now shown
        why = page.locator(f"#q1-{option.letter}-why")
        assert why.is_visible() and why.text_content().strip() == option.why
    assert page.locator("#q7-feedback").is_visible()
    assert items[7].explanation in page.text_content("#q7-feedback")
    assert page.evaluate("document.activeElement.id") == "results-heading"  # focus moved to the results
    # The results name each item by its objective and first words, coloured and labelled in words.
    entries = page.query_selector_all("#question-list li")
    assert [e.get_attribute("class") for e in entries] == ["right"] * 3 + ["partly"] * 2 + ["right", "wrong", "blank"]
    assert entries[6].text_content().startswith("Incorrect (0/1) ")
    assert "Question" not in entries[0].text_content() and "mini:1.1" not in entries[0].text_content()
    assert items[1].stem[:20] in entries[0].text_content()

    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # nothing from the network


def test_every_control_is_labelled_and_every_item_is_a_fieldset(browser, practice_page):
    path, form = practice_page
    page, _, _ = open_watched(browser, path)
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('input, select, button'))
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.textContent.trim())
        .map(el => el.id || el.outerHTML)""")
    assert unlabelled == []
    fieldsets = page.evaluate("""() => Array.from(document.querySelectorAll('fieldset.item'))
        .map(f => [f.id, f.querySelector('legend') && f.querySelector('legend').textContent.trim().split(/\\s+/).slice(0, 2).join(' ')])""")
    assert fieldsets == [[f"q{i.position}", f"Question {i.position}"] for i in form.items]
    assert page.evaluate("document.querySelector('#results-body').getAttribute('aria-live')") == "polite"
    csp = page.evaluate("document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content")
    assert "default-src 'none'" in csp


def test_start_over_clears_answers_and_feedback(browser, practice_page):
    path, _ = practice_page
    page, _, errors = open_watched(browser, path)
    page.check("#q1-A")
    printed = page.evaluate("Array.from(document.querySelectorAll('#q5 .step')).map(s => s.dataset.letter)")
    page.focus("#q5 .step:first-child")
    page.keyboard.press("Alt+ArrowDown")  # keyboard only: the focused step moves down one place
    assert page.evaluate("Array.from(document.querySelectorAll('#q5 .step')).map(s => s.dataset.letter)") == \
        [printed[1], printed[0], *printed[2:]]
    page.get_by_role("button", name="Check answers").click()
    assert page.locator("#q1-feedback").is_visible()
    page.get_by_role("button", name="Start over").click()
    assert page.evaluate("Array.from(document.querySelectorAll('#q5 .step')).map(s => s.dataset.letter)") == printed
    assert not page.is_checked("#q1-A")
    assert not page.locator("#q1-feedback").is_visible()
    assert not page.locator("#q1-A-why").is_visible()
    assert page.locator("#results-empty").is_visible()
    # checking an empty page scores nothing and says so
    page.get_by_role("button", name="Check answers").click()
    assert page.text_content("#score-points") == "0"
    assert page.text_content("#score-counts") == "0 correct, 0 partly correct, 0 incorrect, 8 not answered."
    assert errors == []


def test_a_score_exactly_at_the_pass_mark_passes_as_the_grader_says(browser, tmp_path):
    """57 of 100 points is 56.99999999999999% in floating point; a 57% pass mark is still met."""
    folder = copy_fixture(tmp_path / "exam")
    examset = read_examset(folder)
    examset.scoring.scale = None
    examset.scoring.pass_mark = 57
    form = examset.form("A")
    for item, points in zip(form.items, [57, 6, 6, 6, 6, 6, 6, 7]):
        examset.items[item.item_id].points = points  # as stored, so the file written says so
    (folder / "examset.json").write_text(examset.model_dump_json(indent=2))
    render_folder(folder, only=("practice",), formats=("html",), jobs=1)

    page, _, errors = open_watched(browser, folder / "practice-A.html")
    page.check(f"#q1-{form.items[0].key}")
    page.get_by_role("button", name="Check answers").click()
    assert page.text_content("#score-points") == "57" and page.text_content("#score-possible") == "100"
    assert page.text_content("#score-verdict") == "Result: PASS."
    assert errors == []


def test_the_practice_page_fits_a_phone(browser, practice_page):
    path, _ = practice_page
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(path.as_uri())
    page.get_by_role("button", name="Check answers").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.close()
