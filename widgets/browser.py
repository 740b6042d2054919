"""The workbook as the in-browser edition runs it (make lite: Pyodide, no server).

The differences from the Voilà workbook: case sheets live on the browser's JupyterLite drive
(IndexedDB, on this device only), and the page says so, in the workbook's current language;
there is no server and no trainer, so the participant card (the number and name a workshop's
trainer sees) is left out, and the texts that speak of the server say "this browser" instead.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as w

from complaint.i18n import Translator, languages
from complaint.paths import CASES_DIR_ENV
from complaint.storage import CaseStore

from .app import WorkbookApp

#: The server edition's texts that are not true in the browser, and what this edition says instead.
BROWSER_TEXTS = {
    "step.review.intro": "browser.review_intro",
    "evidence.keep_copy": "browser.keep_copy",
    "evidence.copies_who": "browser.copies_who",
    "upload.not_kept": "browser.not_kept",
    "save.failed": "browser.save_failed",
    "code.not_found": "browser.code_not_found",
}

#: The top of the JupyterLite drive. Not a folder on it: a folder the kernel makes there is not
#: seen as a folder after a reload (DriveFS in JupyterLite 0.6), so the sheets would be lost; for
#: the same reason kept copies of evidence files lie beside the sheets (``kept_in_folders=False``).
BROWSER_CASES_DIR = "/drive"


class BrowserTranslator(Translator):
    """The workbook's translations, with the in-browser edition's own texts where they differ."""

    def __call__(self, key: str, **params: object) -> str:
        return super().__call__(BROWSER_TEXTS.get(key, key), **params)


class BrowserWorkbookApp(WorkbookApp):
    """The workbook without a server: its translator says "this browser", no participant card."""

    @property
    def t(self) -> Translator:
        return self._browser_t

    @t.setter
    def t(
        self, translator: Translator
    ) -> None:  # the app sets it at start and at each language switch
        self._browser_t = BrowserTranslator(translator.language)

    def _render(self) -> None:
        super()._render()
        participant = getattr(self, "participant", None)
        if participant is not None and participant.widget in self.body.children:
            self.body.children = tuple(
                child for child in self.body.children if child is not participant.widget
            )


def storage_notice(app: WorkbookApp) -> w.HTML:
    """Where the case is kept, in the app's language, following the language switch (the app
    marks its language with a wb-lang-* class on its root, which every re-render updates)."""
    notice = w.HTML()
    notice.add_class("wb-storage-notice")

    def show(_change=None) -> None:
        language = next(
            (code for code in languages() if f"wb-lang-{code}" in app.root._dom_classes),
            app.language,
        )
        notice.value = f"<p class='wb-hint' role='note'>{escape(Translator(language)('browser.storage_notice'))}</p>"

    app.root.observe(show, names="_dom_classes")
    show()
    return notice


def browser_workbook(**kwargs) -> BrowserWorkbookApp:
    """The workbook for the page's query (the page puts it in QUERY_STRING), with its notice."""
    os.environ.setdefault(CASES_DIR_ENV, BROWSER_CASES_DIR)
    kwargs.setdefault("store", CaseStore(kept_in_folders=False))
    app = BrowserWorkbookApp.from_environment(**kwargs)
    stylesheet, header, *rest = app.root.children
    app.root.children = (stylesheet, header, storage_notice(app), *rest)
    return app
