"""Shared fixtures: small banks written to a temporary folder, so each test states its YAML."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI_BANK = FIXTURES / "bank"


@pytest.fixture
def mini_bank_dir(tmp_path: Path) -> Path:
    """A writable copy of the small valid bank (every item type and a case study)."""
    target = tmp_path / "bank"
    shutil.copytree(MINI_BANK, target)
    return target


@pytest.fixture
def write_items(tmp_path: Path):
    """Write the mini exam plus one items file with the given YAML; return the folder."""

    def write(yaml_text: str, name: str = "items.yaml") -> Path:
        folder = tmp_path / "broken"
        folder.mkdir(exist_ok=True)
        shutil.copy(MINI_BANK / "exam.yaml", folder / "exam.yaml")
        (folder / name).write_text(textwrap.dedent(yaml_text).lstrip("\n"), encoding="utf-8")
        return folder

    return write


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright, for the browser tests (one per test module)."""
    from playwright.sync_api import sync_playwright

    from tests.fixtures.render.support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_watched(browser, path: Path, width: int | None = None):
    """Open a local page in the browser; the page, and the URLs it requests and its script errors
    as they happen (a page that works offline requests nothing but itself)."""
    page = browser.new_page(viewport={"width": width, "height": 800}) if width else browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, requests, errors


def pytest_terminal_summary(terminalreporter, config):
    # `-q` (the suite's default) hides pytest-randomly's header line: name the order's seed at the
    # end instead, so a failure in one random order can be replayed.
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(f"random order: replay it with -p randomly --randomly-seed={seed}")
