"""The reliability tests report what they tried (cases, kills, processes, failures); the figures
are printed at the end of the run and written to artifacts/reliability-figures.json, the
source of the numbers in docs/reliability.md."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

FIGURES_PATH = Path(__file__).resolve().parents[2] / "artifacts" / "reliability-figures.json"
_figures: dict[str, dict] = defaultdict(dict)


class Figures:
    """Counters of one test: ``figures.add("kills")``, ``figures.set("processes", 30)``."""

    def __init__(self, store: dict) -> None:
        self.store = store

    def add(self, name: str, amount: int = 1) -> None:
        self.store[name] = self.store.get(name, 0) + amount

    def set(self, name: str, value) -> None:
        self.store[name] = value


@pytest.fixture
def figures(request) -> Figures:
    return Figures(_figures[request.node.nodeid.split("::")[-1]])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each test's figures say whether it passed: "failures: 0" is read from here, not assumed."""
    outcome = yield
    report = outcome.get_result()
    name = item.nodeid.split("::")[-1]
    if name in _figures and (report.when == "call" or report.failed):
        _figures[name]["result"] = report.outcome


def pytest_terminal_summary(terminalreporter) -> None:
    if not _figures:
        return
    terminalreporter.section("reliability figures")
    for test, numbers in sorted(_figures.items()):
        terminalreporter.write_line(f"{test}: " + ", ".join(f"{k}={v}" for k, v in numbers.items()))
    FIGURES_PATH.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_PATH.write_text(
        json.dumps(_figures, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
