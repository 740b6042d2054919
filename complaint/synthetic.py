"""Fictional workshops of any size, for the dashboard's tests and benchmarks (never shown as real).

Cases start from the practice scenarios (so every one is marked as practice in its sheet) and are
varied: language, how far each step got, evidence answers, self-audit answers, escalation dates.
Writing 100,000 sheets through the workbook's writer would take minutes, so a few hundred
distinct sheets are written with it and then copied under fresh case ids: every file is still
a complete sheet that the dashboard must read on its own.
"""

from __future__ import annotations

import os
import random
from datetime import date, timedelta
from pathlib import Path

from .model import Case, EvidenceItem

DISTINCT_SHEETS = 240


def varied_case(rng: random.Random, today: date) -> Case:
    from .audit import load_security
    from .catalog import load_catalog
    from .escalation import RUNGS
    from .scenarios import fill_case, scenarios

    case = fill_case(Case(language=rng.choice(("zh", "zh", "en"))), rng.choice(sorted(scenarios())), today - timedelta(days=rng.randint(0, 20)))
    catalog = load_catalog()
    for item in catalog.evidence_for(case.problem):
        if rng.random() < 0.7:
            case.evidence[item.id] = EvidenceItem(status=rng.choice(("have", "have", "need", "na")))
    content = load_security()
    for question in content.questions:
        if rng.random() < 0.6:
            case.audit.answers[question.id] = rng.choice(content.answer_sets[question.answers]).id
    for example in content.phishing:
        if rng.random() < 0.5:
            case.audit.phishing[example.id] = rng.choice(("safe", "suspicious"))
    for number, rung in enumerate(RUNGS):
        if rng.random() < 0.5 ** (number + 1):
            case.escalation.filed[rung] = today - timedelta(days=rng.randint(0, 10))
    if rng.random() < 0.3:
        case.contacts = case.contacts[:1]
    return case


def write_workshop(
    root: Path | str, count: int, seed: int = 7, today: date | None = None, participants: int = 0, summaries: bool = False
) -> list[Path]:
    """Write ``count`` case sheets under ``root`` (in ``participants`` sub-folders when > 0).

    ``summaries=True`` also leaves beside each sheet the summary the workbook's store writes
    when it saves (complaint.dashboard.write_saved_summary); without, the sheets look like
    sheets copied in from elsewhere.
    """
    from .codes import case_id_for, new_code
    from .dashboard import sheet_version, store_summary, summary_json, summary_of
    from .sheet import write_sheet

    rng = random.Random(seed)
    today = today or date(2026, 11, 25)
    templates = []
    for _ in range(min(count, DISTINCT_SHEETS)):
        case = varied_case(rng, today)
        data = write_sheet(case)
        summary = summary_json(summary_of(case, case.case_id, sheet_version(data), "", "", today)) if summaries else None
        templates.append((case.case_id.encode(), data, summary))
    root = Path(root)
    paths = []
    for number in range(count):
        template_id, data, summary = templates[number % len(templates)]
        case_id = case_id_for(new_code())
        folder = root / f"participant{number % participants:03d}" if participants else root
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{case_id}.csv"
        data = data.replace(template_id, case_id.encode())
        path.write_bytes(data)
        if summary is not None:
            store_summary(path, dict(summary, case_id=case_id), data)
        stamp = 1_790_000_000 + number  # distinct modification times, in creation order
        os.utime(path, (stamp, stamp))
        paths.append(path)
    return paths
