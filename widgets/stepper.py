"""The step list (jump anywhere), the progress line, and Back / Next."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from complaint.i18n import Translator
from complaint.progress import DONE, STARTED
from complaint.steps import step_ids

from .common import plain, show

_MARKS = {DONE: "✓ ", STARTED: "… "}


class Stepper:
    def __init__(
        self,
        t: Translator,
        on_go: Callable[[str], None],
        on_next: Callable[[str], None] | None = None,
    ) -> None:
        self.t = t
        self._on_go, self._on_next = on_go, on_next or on_go
        self.current = step_ids()[0]
        self.buttons = {}
        for step in step_ids():
            button = plain(w.Button, _dom_classes=("wb-step-button",))
            button.on_click(lambda _button, step=step: on_go(step))
            self.buttons[step] = button
        self.progress = w.HTML()
        # On a phone the nine buttons take a third of the screen: there the same list is one menu
        # ("Step 3 of 9 · Goal"), a native picker (the stylesheet shows one or the other by width).
        self._updating_menu = False
        self.menu = w.Dropdown(
            description=t("nav.menu"),
            style={"description_width": "initial"},
            layout=w.Layout(width="100%"),
        )
        self.menu.add_class("wb-step-menu")
        self.menu.observe(self._picked, names="value")
        self.steps_bar = w.Box(
            list(self.buttons.values()), layout=w.Layout(flex_flow="row wrap", width="100%")
        )
        self.steps_bar.add_class("wb-steps")
        self.back = w.Button(description=t("nav.back"), layout=w.Layout(width="auto"))
        self.next = w.Button(
            description=t("nav.next"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.back.on_click(lambda _b: self._move(-1))
        self.next.on_click(lambda _b: self._move(+1))
        self.nav_bar = w.Box(
            [self.back, self.next], layout=w.Layout(justify_content="space-between", width="100%")
        )
        self.nav_bar.add_class("wb-nav")

    def _move(self, offset: int) -> None:
        steps = step_ids()
        index = steps.index(self.current) + offset
        if 0 <= index < len(steps):
            (self._on_next if offset > 0 else self._on_go)(steps[index])

    def _picked(self, change: dict) -> None:
        if not self._updating_menu and change["new"] and change["new"] != self.current:
            self._on_go(change["new"])

    def update(self, current: str, statuses: dict[str, str]) -> None:
        """Mark the current step and each marked step's status (✓ done, … started; the review,
        which has no answers of its own, has no mark)."""
        self.current = current
        steps = step_ids()
        for number, step in enumerate(steps, start=1):
            button = self.buttons[step]
            title = self.t(f"step.{step}.short")
            button.description = f"{_MARKS.get(statuses.get(step, ''), '')}{number} {title}"
            button.button_style = "primary" if step == current else ""
            button.tooltip = self.t(f"progress.{statuses[step]}") if step in statuses else ""
        index = steps.index(current)
        self._updating_menu = True  # new options and the current step: no jump
        try:
            self.menu.options = [
                (
                    self.t(
                        "nav.menu_item",
                        mark=_MARKS.get(statuses.get(step, ""), ""),
                        number=number,
                        total=len(steps),
                        title=self.t(f"step.{step}.short"),
                    ),
                    step,
                )
                for number, step in enumerate(steps, start=1)
            ]
            self.menu.value = current
        finally:
            self._updating_menu = False
        done = sum(1 for status in statuses.values() if status == DONE)
        self.progress.value = (
            f"<p class='wb-progress' aria-live='polite'>"
            f"{self.t('progress.line', number=index + 1, total=len(steps), done=done)}</p>"
        )
        show(self.back, index > 0)
        show(self.next, index < len(steps) - 1)
