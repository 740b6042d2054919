"""The case's slim bar above the steps, and the panel it opens.

On a phone the steps must start near the top of the screen (issue 15), so what belongs to the
case rather than to the step sits behind one tap once the user has noted the resume code:

- the bar, always shown: the save status, Save, and "Resume code & downloads ▾";
- the panel it opens: the resume code and the case sheet's downloads, "remember on this device" /
  "close this complaint", and the participant card.

A new case shows its code (just made, to be noted) and downloads with "I've noted the code",
which closes them; the rest waits behind the toggle, which opens everything. A case opened with its code, or reopened by
the tab after a reload, starts closed. The page's script (navigation.js) gives the toggle its
aria-expanded from the panel's state (.wb-open).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from complaint.i18n import Translator

from .common import show
from .savebar import SaveBar

NEW, OPEN, CLOSED = "new", "open", "closed"


class CasePanel:
    def __init__(
        self,
        t: Translator,
        savebar: SaveBar,
        device: w.DOMWidget,
        participant: w.DOMWidget,
        *,
        mode: str,
        on_toggle: Callable[[str], None],
    ) -> None:
        self.t, self._on_toggle = t, on_toggle
        self.toggle = w.Button(layout=w.Layout(width="auto"))
        self.toggle.add_class("wb-case-toggle")
        self.toggle.on_click(lambda _b: self.set_mode(CLOSED if self.mode == OPEN else OPEN))
        self.noted = w.Button(
            description=t("case.code_noted"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.noted.add_class("wb-code-noted")
        self.noted.on_click(lambda _b: self.set_mode(CLOSED))
        self.device, self.participant = device, participant
        self.bar = w.Box(
            [savebar.status, savebar.save_button, self.toggle],
            layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"),
        )
        self.bar.add_class("wb-case-bar")
        self.panel = w.VBox(
            [savebar.widget, self.noted, device, participant], layout=w.Layout(width="100%")
        )
        self.panel.add_class("wb-case-panel")
        self.mode = mode
        self._show()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self._show()
        self._on_toggle(mode)

    def _show(self) -> None:
        show(self.panel, self.mode != CLOSED)
        show(self.noted, self.mode == NEW)
        for part in (self.device, self.participant):
            show(part, self.mode == OPEN)
        self.toggle.description = self.t(
            "case.panel_close" if self.mode == OPEN else "case.panel_open"
        )
        if self.mode == CLOSED:
            self.panel.remove_class("wb-open")
        else:
            self.panel.add_class("wb-open")
