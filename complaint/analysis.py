"""A workshop's case sheets as pandas DataFrames, for analysts in JupyterLab (notebooks/analysis.ipynb).

Three tables, all built on the trainer dashboard's index (complaint.trainer.index.CaseIndex), so
the case table costs what the dashboard's first look costs and never re-parses a sheet whose
summary in its folder's journal (complaint.trainer.saved) still matches it:

- :func:`cases_frame`: one row per case, the dashboard's columns (complaint.export.case_table),
  typed: choices are categoricals, dates are datetimes, the amount a float, counts Int64;
- :func:`answers_frame`: the long table, one row per case and answer (the combined CSV's rows);
- :func:`contacts_frame`: one row per contact in the participants' contact logs.

``anonymise=True`` gives what the dashboard's anonymised exports give (complaint.export): the
same allow-list of keys, no participant columns, and case ids re-keyed with one fresh key per
export, the same within the tables of one :func:`tables` call (so they join on ``case_id``) but
not across calls. A sheet that cannot be read is reported, never fatal: each frame's
``attrs["unreadable"]`` (and :attr:`Tables.unreadable`) lists it with the dashboard's reason.

pandas is imported here, and this module only when an analysis asks for it: never when the
workbook renders a page (tests/widgets/test_startup.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .catalog import load_catalog
from .errors import CaseSheetError
from .escalation import RUNGS
from .export import ExportKey, case_export_rows, case_table, is_anonymous_key
from .i18n import Translator, languages
from .model import CONTACT_PARTS
from .progress import DONE, NOT_STARTED, STARTED
from .trainer.index import CaseIndex
from .trainer.sheets import read_case
from .trainer.summary import WORK_STEPS, CaseSummary, SheetProblem


@dataclass(frozen=True)
class Unreadable:
    """A file in the cases folder that is not in the tables: which, why (a message key, sheet.*), and why in words."""

    path: str
    key: str
    reason: str


@dataclass(frozen=True)
class Tables:
    """The three tables of one workshop (one export key when anonymised: they join on ``case_id``)."""

    cases: pd.DataFrame
    answers: pd.DataFrame
    contacts: pd.DataFrame
    unreadable: tuple[Unreadable, ...]


def _index(folder: Path | str | CaseIndex) -> CaseIndex:
    # index_file=None: an analysis only reads the folder (it may be a copy, or read-only). The
    # summaries the workbook leaves in each folder's journal still spare reading most sheets in full.
    return folder if isinstance(folder, CaseIndex) else CaseIndex(folder, index_file=None)


def _unreadable(problems: Iterable[SheetProblem], language: str) -> tuple[Unreadable, ...]:
    t = Translator(language)
    return tuple(Unreadable(p.path, p.key, t(p.key, **p.params)) for p in problems)


def _categories(family: str) -> list[str]:
    catalog = load_catalog()
    return [entry.id for entry in getattr(catalog, family)]


def _category(
    values: pd.Series, categories: Sequence[str] = (), ordered: bool = False
) -> pd.Series:
    """A categorical column: the known ids in their order, then any other value seen ("" = not answered: missing)."""
    present = [
        value
        for value in pd.unique(values)
        if isinstance(value, str) and value and value not in categories
    ]
    dtype = pd.CategoricalDtype([*categories, *sorted(present)], ordered=ordered)
    return values.where(values != "").astype(dtype)


def _cases_table(cases: Sequence[CaseSummary], key: ExportKey | None) -> pd.DataFrame:
    header, rows = case_table(cases, key)
    frame = pd.DataFrame(rows, columns=list(header), dtype=object)
    for name in ("created_at", "updated_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    frame["next_date"] = pd.to_datetime(frame["next_date"])
    frame["amount"] = pd.to_numeric(frame["amount"].replace("", None)).astype("float64")
    for name in (
        "evidence_ready",
        "evidence_total",
        "audit_score",
        "contacts",
        "audit_answered",
        "audit_items",
    ):
        frame[name] = frame[name].astype("Int64")
    frame["next_date_to_verify"] = frame["next_date_to_verify"].astype(bool)
    frame["practice"] = frame["practice"].astype(
        str
    )  # the scenario's id ("" = a real case): kept as text
    frame["problem"] = _category(frame["problem"], _categories("problems"))
    frame["provider"] = _category(frame["provider"], _categories("providers"))
    frame["language"] = _category(frame["language"], languages())
    frame["currency"] = _category(frame["currency"])
    for step in WORK_STEPS:
        frame[f"step.{step}"] = _category(
            frame[f"step.{step}"], (NOT_STARTED, STARTED, DONE), ordered=True
        )
    for name in ("rung_taken", "next_rung"):
        frame[name] = _category(frame[name], RUNGS, ordered=True)
    for name in (
        "case_id",
        *(n for n in ("participant", "participant_number", "participant_label") if n in frame),
    ):
        frame[name] = frame[name].astype(str)
    return frame


def _answers_table(rows: list[tuple], anonymise: bool) -> pd.DataFrame:
    columns = (
        ["case_id", "key", "label", "value", "display"]
        if anonymise
        else ["case_id", "participant", "key", "label", "value", "display"]
    )
    frame = pd.DataFrame(rows, columns=columns, dtype=str)
    frame["key"] = frame["key"].astype("category")
    return frame


def contact_parts(anonymise: bool) -> list[str]:
    """The parts of a contact in the contact table: with ``anonymise``, only those the exports' allow-list keeps."""
    return [
        part for part in CONTACT_PARTS if not anonymise or is_anonymous_key(f"contact.1.{part}")
    ]


def contact_columns(anonymise: bool) -> list[str]:
    return (
        ["case_id"]
        + ([] if anonymise else ["participant"])
        + ["contact"]
        + contact_parts(anonymise)
    )


def _contacts_table(rows: list[list], anonymise: bool) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=contact_columns(anonymise), dtype=object)
    frame["contact"] = frame["contact"].astype("Int64")
    frame["when"] = pd.to_datetime(frame["when"])  # the participant's wall-clock time, no time zone
    frame["promised_by"] = pd.to_datetime(frame["promised_by"])
    frame["channel"] = _category(frame["channel"].fillna(""), _categories("contact_channels"))
    frame["outcome"] = _category(frame["outcome"].fillna(""), _categories("contact_outcomes"))
    for name in frame.columns:
        if frame[name].dtype == object:
            frame[name] = frame[name].astype(str)
    return frame


def tables_of(
    cases: Sequence[CaseSummary],
    sheet_bytes: Callable[[str], bytes],
    anonymise: bool = False,
    language: str = "zh",
    problems: Iterable[SheetProblem] = (),
    progress: Callable[[int, int], None] | None = None,
) -> Tables:
    """The three tables of ``cases`` (summaries of a CaseIndex), reading each sheet once through
    ``sheet_bytes(path)``. A sheet gone or damaged since it was summarised is left out of all
    three tables and reported with ``problems``. ``progress(done, total)`` before each sheet."""
    key = ExportKey() if anonymise else None
    answers: list[tuple] = []
    contacts: list[list] = []
    kept: list[CaseSummary] = []
    problems = list(problems)
    parts = contact_parts(anonymise)
    for number, summary in enumerate(cases):
        if progress is not None:
            progress(number, len(cases))
        try:
            case, case_id = read_case(sheet_bytes(summary.path))
        except (KeyError, OSError):
            problems.append(SheetProblem(summary.path, "sheet.unreadable"))
            continue
        except CaseSheetError as error:
            problems.append(SheetProblem(summary.path, error.key, dict(error.params)))
            continue
        kept.append(summary)
        case_id, rows = case_export_rows(case, case_id, key)
        prefix = (case_id,) if anonymise else (case_id, summary.participant)
        answers.extend(prefix + row for row in rows)
        for contact_number, contact in enumerate(case.contacts, start=1):
            contacts.append([*prefix, contact_number, *(getattr(contact, part) for part in parts)])
    unreadable = _unreadable(sorted(problems, key=lambda p: p.path), language)
    frames = (
        _cases_table(kept, key),
        _answers_table(answers, anonymise),
        _contacts_table(contacts, anonymise),
    )
    for frame in frames:
        frame.attrs["unreadable"] = list(unreadable)
    return Tables(*frames, unreadable)


def tables(
    folder: Path | str | CaseIndex, anonymise: bool = False, language: str = "zh", progress=None
) -> Tables:
    """All three tables of the case sheets under ``folder`` (a path, or a dashboard's CaseIndex)."""
    index = _index(folder)
    overview = index.refresh()
    return tables_of(
        overview.cases, index.sheet_bytes, anonymise, language, overview.problems, progress
    )


def cases_frame(
    folder: Path | str | CaseIndex, anonymise: bool = False, language: str = "zh"
) -> pd.DataFrame:
    """One row per case: the dashboard's columns, typed. Only the index is read (no sheet in
    full when the workbook's saved summaries match). Unreadable sheets: ``attrs["unreadable"]``."""
    overview = _index(folder).refresh()
    frame = _cases_table(overview.cases, ExportKey() if anonymise else None)
    frame.attrs["unreadable"] = list(_unreadable(overview.problems, language))
    return frame


def answers_frame(
    folder: Path | str | CaseIndex, anonymise: bool = False, language: str = "zh"
) -> pd.DataFrame:
    """One row per case and answer (key, label, machine value, display text), as the combined CSV."""
    return tables(folder, anonymise, language).answers


def contacts_frame(
    folder: Path | str | CaseIndex, anonymise: bool = False, language: str = "zh"
) -> pd.DataFrame:
    """One row per logged contact with the company or a body: when, channel, promised date, outcome
    (and, not anonymised, the agent, reference and what was asked, offered and promised)."""
    return tables(folder, anonymise, language).contacts
