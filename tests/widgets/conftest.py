"""Widget tests run without a kernel: build the app, set ``.value``, ``.click()``, check the case."""

from __future__ import annotations

import pytest

from widgets.app import WorkbookApp, close_tree


def choose_files(upload, *files: tuple[str, bytes]) -> None:
    """Files chosen in a FileUpload, its ``value`` as ipywidgets 8 sets it from the browser."""
    upload.set_state(
        {
            "value": [
                {
                    "name": name,
                    "type": "text/csv",
                    "size": len(data),
                    "content": memoryview(data),
                    "last_modified": 0,
                }
                for name, data in files
            ]
        }
    )


class ManualClock:
    """Stands in for the event loop's call_later: autosaves run only when the test says so."""

    def __init__(self) -> None:
        self.pending: list = []

    def call_later(self, _delay, callback):
        handle = _Handle(callback)
        self.pending.append(handle)
        return handle

    def run_due(self) -> int:
        due, self.pending = self.pending, []
        ran = 0
        for handle in due:
            if not handle.cancelled:
                handle.callback()
                ran += 1
        return ran


class _Handle:
    def __init__(self, callback) -> None:
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_app(store, clock, today):
    created = []

    def make(language="en", **kwargs) -> WorkbookApp:
        app = WorkbookApp(
            store=store, language=language, call_later=clock.call_later, today=today, **kwargs
        )
        created.append(app)
        return app

    yield make
    for app in created:
        close_tree(app.root)


@pytest.fixture
def app_with_case(make_app):
    app = make_app("en")
    app.start.new_button.click()
    return app
