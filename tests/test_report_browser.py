"""The class report and a handout in a real browser: sorting the class list, and a 390 px phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from examkit.cli import cli
from tests.conftest import open_watched
from tests.fixtures.grade.support import copy_examdir, write_sheet
from tests.fixtures.render.support import CHROMIUM

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (Debian package 'chromium')")

ROWS = [
    ["Ann Lee", "A", "A", "A,C", "B,C,A,D", "1-B;2-A;3-D", "chunking", "B", "feedback"],
    ["Bo Kim", "A", "B", "A", "C,B,A,D", "1-B;2-A;3-C", "embedding", "A", "monitoring"],
    ["Cy Díaz-Villanueva-Extraordinarily-Long-Surname", "B", "chunks", "1-B;2-D;3-C", "A", "D", "feedback",
     "D,C,B,A", "D,E"],
    ["Dee", "B", "?", "", "", "", "", "", ""],
]


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    examdir = copy_examdir(tmp)
    sheet = write_sheet(tmp / "class.csv", ROWS)
    outcome = CliRunner().invoke(cli, ["grade", str(examdir), str(sheet), "--no-pdf"])
    assert outcome.exit_code == 0, outcome.output
    return examdir / "results"


def _students(page) -> list[str]:
    return page.eval_on_selector_all("#classlist tbody tr td:first-child", "cells => cells.map(c => c.textContent.trim())")


def test_the_class_list_sorts_by_a_heading_by_pointer_and_keyboard(browser, results):
    page, requests, errors = open_watched(browser, results / "report.html", width=1000)
    assert _students(page)[0] == "Ann Lee"  # input order first
    page.click("#classlist th:nth-child(4)")  # percent, ascending
    percents = page.eval_on_selector_all("#classlist tbody tr td:nth-child(4)",
                                         "cells => cells.map(c => parseFloat(c.dataset.value))")
    assert percents == sorted(percents) and _students(page)[-1] == "Ann Lee"
    page.focus("#classlist th:nth-child(4)")
    page.keyboard.press("Enter")  # again: descending
    assert _students(page)[0] == "Ann Lee"
    assert page.get_attribute("#classlist th:nth-child(4)", "aria-sort") == "descending"
    page.click("#classlist th:nth-child(1)")  # by name
    assert _students(page) == sorted(_students(page), key=str.lower)
    assert errors == [] and all(url.startswith("file://") for url in requests)  # nothing from the network
    page.close()


@pytest.mark.parametrize("name", ["report.html", "students/Cy-D-az-Villanueva-Extraordinarily-Long-Surname.html"])
def test_pages_read_on_a_390_px_phone_without_sideways_scrolling(browser, results, name):
    page, _, errors = open_watched(browser, results / name, width=390)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{name} is {width} px wide on a 390 px screen"
    assert errors == []
    page.close()


def test_only_errors_are_coloured_as_errors(browser, results):
    """Red (the report's --bad colour) is for a wrong answer in a handout, never for a verdict or a name."""
    page, _, _ = open_watched(browser, results / "report.html", width=1000)
    red = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(e => getComputedStyle(e).color === 'rgb(138, 28, 28)' && e.textContent.trim())
        .map(e => e.textContent.trim())""")
    assert red == []
    page.close()
    page, _, _ = open_watched(browser, results / "students" / "Bo-Kim.html", width=1000)
    red = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(e => getComputedStyle(e).color === 'rgb(138, 28, 28)')
        .map(e => e.closest('.wrong') ? 'wrong' : e.tagName + '.' + e.className)""")
    assert red and set(red) == {"wrong"}  # Bo's wrong choices (and what they hold), nothing else
    page.close()
