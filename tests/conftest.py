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
