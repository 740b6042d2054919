"""A new problem type is data only, as CONTRIBUTING.md walks through: the same four data edits,
made in a copy of the core and its data, give a case of that type its checklist, channels,
regulator, statement, printable record and a sheet that reads back."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

NEW = {
    "id": "double_charge",
    "label": {"zh": "重复扣款", "en": "Charged twice"},
    "hint": {"zh": "同一笔付款被扣了两次。", "en": "The same payment was taken twice."},
    "first_advice": {
        "zh": ["先在账单里核对两笔扣款的时间和金额。"],
        "en": ["First check the times and amounts of both charges."],
    },
    "suggested_goals": ["refund"],
}

CHECK = """
import json
from datetime import date
from complaint.catalog import load_catalog
from complaint.escalation import jurisdiction_for
from complaint.model import Case
from complaint.printable import printable_html
from complaint.sheet import read_sheet, write_sheet
from complaint.statement import compose

catalog = load_catalog()
case = Case(language="en", problem="double_charge", provider="alipay", goal="refund")
us = Case(language="en", problem="double_charge")
us.escalation.jurisdiction = "us"
print(json.dumps({
    "label": catalog.label("problems", "double_charge", "zh"),
    "evidence": [item.id for item in catalog.evidence_for("double_charge")],
    "channels": [channel.id for channel in catalog.channels_for("double_charge", "cn")],
    "regulators": [jurisdiction_for(case).regulator_by_problem["double_charge"], jurisdiction_for(us).regulator_by_problem["double_charge"]],
    "statement": "Charged twice" in compose(case, "company", "en", date(2026, 11, 29)),
    "printable": "Charged twice" in printable_html(case, date(2026, 11, 29)),
    "sheet": read_sheet(write_sheet(case))["problem"],
}))
"""


def add_to_lists(path: Path, family: str, like: str) -> None:
    """Add the new problem wherever an existing one (``like``) is listed in ``family``'s entries."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    for entry in doc[family]:
        if like in entry.get("problems", []):
            entry["problems"].append(NEW["id"])
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_a_problem_type_added_in_the_data_alone_works_through_the_whole_case(tmp_path):
    shutil.copytree(
        ROOT / "complaint", tmp_path / "complaint", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("cases"))
    content = tmp_path / "data" / "content"
    problems = json.loads((content / "problems.json").read_text(encoding="utf-8"))
    problems["problems"].insert(-1, NEW)  # "other" stays last
    (content / "problems.json").write_text(
        json.dumps(problems, ensure_ascii=False), encoding="utf-8"
    )
    add_to_lists(content / "evidence.json", "items", "funds_not_arriving")
    add_to_lists(content / "channels.json", "channels", "funds_not_arriving")
    for name, regulator in (("cn", "pboc_12363"), ("us", "cfpb")):
        path = tmp_path / "data" / "jurisdictions" / f"{name}.json"
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["regulator_by_problem"][NEW["id"]] = regulator
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    result = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n{CHECK}"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["label"] == "重复扣款" and "transaction_record" in found["evidence"]
    assert found["channels"][0] == "official_online" and found["regulators"] == [
        "pboc_12363",
        "cfpb",
    ]
    assert found["statement"] and found["printable"] and found["sheet"] == "double_charge"
