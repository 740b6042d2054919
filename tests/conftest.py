"""Shared fixtures. Every test gets its own case directory: nothing touches data/cases/."""

from __future__ import annotations

from datetime import date

import pytest

from complaint.storage import CaseStore


@pytest.fixture(autouse=True)
def isolated_cases_dir(tmp_path, monkeypatch):
    cases = tmp_path / "cases"
    monkeypatch.setenv("WORKBOOK_CASES_DIR", str(cases))
    return cases


@pytest.fixture
def store(isolated_cases_dir) -> CaseStore:
    return CaseStore(isolated_cases_dir)


@pytest.fixture
def today() -> date:
    return date(2026, 11, 25)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (tests/browser, tests/hub): Playwright's sync
    API allows one running instance per thread, so every test directory shares this one."""
    import shutil

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
