"""Step 4: the evidence checklist for the chosen problem, with file fingerprints."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from complaint import clock
from complaint.catalog import EvidenceDef, load_catalog
from complaint.errors import InvalidInput
from complaint.evidence import ACCEPT, UPLOAD_LIMIT_BYTES, completeness, evidence_file, human_size
from complaint.model import NOTE_MAX, EvidenceFile, EvidenceItem, utc_now
from complaint.validation import clean_text

from .common import (
    auto_width_buttons,
    catalog_options,
    char_counter,
    close_tree,
    error_line,
    labelled,
    plain,
    shared_layout,
    show_error,
    static_html,
    upload_limit_html,
)
from .step import StepContext, StepView


class EvidenceStep(StepView):
    step = "evidence"

    def __init__(self, context: StepContext) -> None:
        super().__init__(context)
        t = self.t
        self._keep_file, self._discard_file = context.keep_file, context.discard_file
        self._built_for: tuple | None = None
        self.meter = static_html("")
        limit_mb = UPLOAD_LIMIT_BYTES // (1024 * 1024)
        self.limit_note = static_html(
            upload_limit_html(
                t,
                UPLOAD_LIMIT_BYTES,
                t.locale.sentence_separator.join(  # Chinese sentences take no space between
                    (
                        t("evidence.limit", limit_mb=limit_mb),
                        t("evidence.keep_copy.hint"),
                        t("evidence.copies_who"),
                    )
                ),
            )
        )
        self.items = w.VBox(layout=shared_layout(width="100%"))
        self.missing = static_html("")
        self.cards: dict[str, EvidenceCard] = {}
        self.widget.children += (self.meter, self.limit_note, self.items, self.missing)
        self.refresh()

    @property
    def first_control(self) -> w.DOMWidget:
        first = next(iter(self.cards.values()), None)
        return first.status if first else self.meter

    def _items(self) -> tuple[EvidenceDef, ...]:
        """The checklist of the problem, plus items answered under an earlier choice of problem:
        the sheet never carries an answer the user cannot see (and remove) here."""
        catalog = load_catalog()
        current = catalog.evidence_for(self.case.problem)
        earlier = tuple(
            i
            for i in catalog.evidence
            if i not in current and not self.case.evidence.get(i.id, EvidenceItem()).is_empty()
        )
        return current + earlier

    def refresh(self) -> None:
        """Rebuild the checklist if the items to show changed since it was built; update the meter."""
        items = self._items()
        if self._built_for != items:
            drafts = self.drafts()
            self.unregister("evidence.")  # the cards' controls are made anew below
            for card in self.cards.values():
                close_tree(card.widget)
            current = load_catalog().evidence_for(self.case.problem)
            self.cards = {
                item.id: EvidenceCard(self, item, earlier=item not in current) for item in items
            }
            self.items.children = tuple(card.widget for card in self.cards.values())
            self._built_for = items
            self.restore_drafts(drafts)
        for card in (
            self.cards.values()
        ):  # answers given elsewhere: a ticket number logged in the contact log
            card.status.value = card.state.status or None
        self.update_meter()

    def update_meter(self) -> None:
        state = completeness(self.case, load_catalog())
        percent = round(100 * state.ready / state.total) if state.total else 100
        self.meter.value = (
            f"<div class='wb-meter' role='progressbar' aria-label='{escape(self.t('evidence.meter_name'), quote=True)}' "
            f"aria-valuemin='0' aria-valuemax='{state.total}' aria-valuenow='{state.ready}' "
            f"aria-valuetext='{escape(self.t('evidence.meter', ready=state.ready, total=state.total), quote=True)}'>"
            f"<div class='wb-meter-bar' style='width:{percent}%'></div></div>"
            f"<p class='wb-meter-text'>{escape(self.t('evidence.meter', ready=state.ready, total=state.total))}</p>"
        )
        if state.missing:
            names = self.t("common.list_separator").join(
                self.t.pick(next(i for i in load_catalog().evidence if i.id == item_id).label)
                for item_id in state.missing
            )
            self.missing.value = (
                f"<p class='wb-missing'>{escape(self.t('evidence.missing', items=names))}</p>"
            )
        else:
            self.missing.value = f"<p class='wb-hint'>{escape(self.t('evidence.all_ready'))}</p>"

    def item_changed(self) -> None:
        self.update_meter()
        self.changed()


class EvidenceCard:
    """One checklist item: status, note, hint, attached files and the upload control."""

    def __init__(self, view: EvidenceStep, item: EvidenceDef, earlier: bool = False) -> None:
        self.view, self.item, self.t = view, item, view.t
        t = self.t
        state = view.case.evidence.get(item.id, EvidenceItem())
        marker = (
            f" <span class='wb-note'>{escape(t('evidence.earlier_choice'))}</span>"
            if earlier
            else ""
        )
        header = static_html(
            f"<div class='wb-item-head'><strong>{escape(t.pick(item.label))}</strong>{marker}"
            f"<p class='wb-note'>{escape(t.pick(item.hint))}</p></div>"
        )
        self.status = plain(
            w.ToggleButtons,
            options=catalog_options("evidence_statuses", t),
            value=state.status or None,
            style=auto_width_buttons(),
            _dom_classes=("wb-status-buttons",),
        )
        view.bind(
            self.status,
            "status",
            lambda value: value or "",
            target=self._editable,
            then=view.update_meter,
            key=f"evidence.{item.id}.status",
            errors=False,
        )
        self.note = labelled(
            w.Text, t("evidence.note"), value=state.note, placeholder=t("evidence.note.placeholder")
        )
        self.note_counter = char_counter(self.note, NOTE_MAX, t)
        self.note_error = view.bind(
            self.note, "note", lambda value: clean_text(value, NOTE_MAX), target=self._editable, then=view.update_meter,
            key=f"evidence.{item.id}.note", label=lambda: f"{t.pick(item.label)}: {self.note.description}",
        )  # fmt: skip
        self.files = w.VBox(layout=shared_layout())
        # The tooltip doubles as the visible label (workbook.css): ipywidgets appends a file count
        # to the description, always "(0)" here since the bytes are not kept in the widget.
        self.upload = plain(
            w.FileUpload,
            accept=ACCEPT,
            multiple=False,
            description=t("evidence.attach"),
            tooltip=t("evidence.attach"),
        )
        self.upload.observe(view.safely(self._uploaded), names="value")
        self.keep = plain(
            w.Checkbox, value=False, description=t("evidence.keep_copy"), indent=False
        )
        self.message = error_line()
        row = [self.upload, self.keep] if item.copies_allowed else [self.upload]
        upload_row = w.Box(
            row, layout=shared_layout(), _dom_classes=("wb-upload",)
        )  # laid out in workbook.css
        self.widget = w.VBox(
            [header, self.status, self.note, self.note_counter, self.note_error, self.files, upload_row, self.message], layout=shared_layout(width="100%"), _dom_classes=("wb-card",)
        )  # fmt: skip
        self._show_files()

    @property
    def state(self) -> EvidenceItem:
        """The item's answer, created in the case only when the user gives one: viewing the
        checklist must not change the case."""
        return self.view.case.evidence.get(self.item.id) or EvidenceItem()

    def _editable(self) -> EvidenceItem:
        return self.view.case.evidence.setdefault(self.item.id, EvidenceItem())

    def _uploaded(self, change: dict) -> None:
        if not change["new"]:
            return  # the reset below
        upload = change["new"][0]
        self.upload.value = ()  # the bytes are not kept in the widget's state
        keep = self.keep.value and self.item.copies_allowed
        try:
            record = evidence_file(
                upload["name"],
                upload.get("type", ""),
                bytes(upload["content"]),
                utc_now(),
                keep=keep,
            )
        except InvalidInput as error:
            show_error(self.message, self.t, error)
            return
        if record.kept:
            try:
                self.view._keep_file(record, bytes(upload["content"]))
            except OSError:
                record.kept = False  # the fingerprint is recorded all the same; say the copy is not
                show_error(self.message, self.t, InvalidInput("upload.not_kept"))
        self._editable().files.append(record)
        if self.state.status != "have":
            self.status.value = "have"  # attaching a file is having it (this also saves)
        else:
            self.view.item_changed()
        if not record.kept and keep:
            self._show_files()
            return
        show_error(self.message, self.t, None)
        self.message.value = f"<p class='wb-hint' role='status'>{escape(self.t('evidence.recorded', name=record.name))}</p>"
        self.message.layout.display = ""
        self._show_files()

    def _remove(self, record: EvidenceFile) -> None:
        self._editable().files = [f for f in self.state.files if f is not record]
        self.view._discard_file(record)
        self._show_files()
        self.view.item_changed()

    def _show_files(self) -> None:
        for child in self.files.children:
            close_tree(child)
        rows = []
        for record in self.state.files:
            line = self.t(
                "evidence.file_line",
                name=record.name,
                size=human_size(record.size),
                short=record.sha256[:12],
                when=clock.local_datetime_text(record.uploaded_at),
            )
            kept = f" · {self.t('evidence.file_kept')}" if record.kept else ""
            text = w.HTML(
                f"<span class='wb-file' title='SHA-256 {record.sha256}'>{escape(line)}{escape(kept)}</span>"
            )
            remove = w.Button(
                description=self.t("evidence.remove_file", name=record.name),
                layout=w.Layout(width="auto"),
            )
            remove.add_class("wb-small-button")
            remove.on_click(self.view.safely(lambda _b, record=record: self._remove(record)))
            row = w.Box(
                [text, remove],
                layout=w.Layout(flex_flow="row wrap", align_items="center", width="100%"),
            )
            rows.append(row)
        self.files.children = tuple(rows)
