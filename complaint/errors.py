"""Errors that carry a message *key*, so the UI can say what went wrong in the user's language."""

from __future__ import annotations


class WorkbookError(Exception):
    """Base class: ``key`` names a message in data/i18n, ``params`` fill its placeholders."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params

    def __str__(self) -> str:  # readable in logs and test failures; the UI translates instead
        details = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.key}({details})" if details else self.key


class InvalidInput(WorkbookError):
    """A value the user typed cannot be accepted as it is."""


class CaseSheetError(WorkbookError):
    """A case sheet on disk (or uploaded) cannot be read."""


class CaseNotFound(WorkbookError):
    """No case sheet exists for a (well-formed) resume code."""


class SaveConflict(WorkbookError):
    """The sheet on disk changed since this window loaded it: saving would overwrite newer work."""
