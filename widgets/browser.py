"""The workbook as the in-browser edition runs it (make lite: Pyodide, no server).

Two differences from the Voilà workbook: case sheets live on the browser's JupyterLite drive
(IndexedDB, on this device only), and the page says so, in the workbook's current language.
"""

from __future__ import annotations

import os
from html import escape

import ipywidgets as w

from complaint.i18n import Translator, languages
from complaint.paths import CASES_DIR_ENV

from .app import WorkbookApp

#: The top of the JupyterLite drive. Not a folder on it: a folder the kernel makes there is not
#: seen as a folder after a reload (DriveFS in JupyterLite 0.6), so the sheets would be lost.
BROWSER_CASES_DIR = "/drive"


def storage_notice(app: WorkbookApp) -> w.HTML:
    """Where the case is kept, in the app's language, following the language switch (the app
    marks its language with a wb-lang-* class on its root, which every re-render updates)."""
    notice = w.HTML()
    notice.add_class("wb-storage-notice")

    def show(_change=None) -> None:
        language = next((code for code in languages() if f"wb-lang-{code}" in app.root._dom_classes), app.language)
        notice.value = f"<p class='wb-hint' role='note'>{escape(Translator(language)('browser.storage_notice'))}</p>"

    app.root.observe(show, names="_dom_classes")
    show()
    return notice


def browser_workbook(**kwargs) -> WorkbookApp:
    """The workbook for the page's query (the page puts it in QUERY_STRING), with its notice."""
    os.environ.setdefault(CASES_DIR_ENV, BROWSER_CASES_DIR)
    app = WorkbookApp.from_environment(**kwargs)
    stylesheet, header, *rest = app.root.children
    app.root.children = (stylesheet, header, storage_notice(app), *rest)
    return app
