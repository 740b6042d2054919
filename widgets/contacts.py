"""Step 5: the channel guide for the problem, and the log of every contact."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Callable

import ipywidgets as w

from complaint.catalog import Channel, load_catalog
from complaint.contacts import is_overdue, make_contact, record_contact, sorted_contacts
from complaint.errors import InvalidInput
from complaint.guide import opening_line
from complaint.model import NOTE_MAX, Contact

from .common import catalog_options, char_counter, close_tree, error_line, field, show, show_error
from .step import StepView


class ContactsStep(StepView):
    step = "contacts"

    def __init__(self, case, t, on_change, today: Callable[[], date]) -> None:
        super().__init__(case, t, on_change)
        self.today = today  # a function: "overdue" must not go stale after midnight
        # One collapsible section per channel: six full cards would bury the log on a phone.
        self.guide = w.Accordion(layout=w.Layout(width="100%"))
        self.guide.add_class("wb-guide")
        self.log = w.VBox(layout=w.Layout(width="100%"))
        self.add_button = w.Button(description=t("contacts.add"), button_style="primary", layout=w.Layout(width="auto"))
        self.add_button.on_click(self.safely(lambda _b: self.open_form()))
        self.form = ContactForm(self)
        self.editing: Contact | None = None
        self.via_channel: Channel | None = None  # the guide's channel the open form logs a contact for
        self.tried: dict[str, w.Checkbox] = {}
        # What the guide and the log were last drawn from: showing the step again redraws them
        # only when that changed (each redraw re-creates ~100 widget models in the browser).
        self._guide_for: tuple | None = None
        self._log_for: tuple | None = None
        self.widget.children += (
            w.HTML(f"<h3>{escape(t('channels.title'))}</h3>"), self.guide,
            w.HTML(f"<h3>{escape(t('contacts.title'))}</h3>"), self.log, self.add_button, self.form.widget,
        )  # fmt: skip
        self.refresh()

    @property
    def first_control(self) -> w.DOMWidget:
        return self.add_button

    def refresh(self) -> None:
        """Redraw the guide (its opening lines use the latest facts) and the log."""
        self._show_guide()
        self._show_log()

    # -- channel guide -----------------------------------------------------------------------

    def _show_guide(self) -> None:
        channels = self._channels()
        shown = tuple(
            (channel.id, channel.id in self.case.channels_tried, opening_line(self.t.pick(channel.say_first), self.case, self.t))
            for channel in channels
        )
        if shown == self._guide_for:
            return
        self._guide_for = shown
        for child in self.guide.children:
            close_tree(child)
        self.tried = {}
        self.guide.children = tuple(self._channel_card(channel) for channel in channels)
        self._title_guide(channels)
        untried = [i for i, channel in enumerate(channels) if channel.id not in self.case.channels_tried]
        self.guide.selected_index = untried[0] if untried else None  # open the next one to try

    def _channels(self) -> tuple[Channel, ...]:
        """The guide for the problem, plus channels marked tried under an earlier choice."""
        catalog = load_catalog()
        current = catalog.channels_for(self.case.problem)
        return current + tuple(c for c in catalog.channels if c not in current and c.id in self.case.channels_tried)

    def _title_guide(self, channels=None) -> None:
        channels = channels or self._channels()
        self.guide.titles = tuple(
            f"{'✓ ' if channel.id in self.case.channels_tried else ''}{number}. {self.t.pick(channel.label)}"
            for number, channel in enumerate(channels, start=1)
        )

    def _channel_card(self, channel: Channel) -> w.VBox:
        t = self.t
        prepare = "".join(f"<li>{escape(line)}</li>" for line in channel.prepare[t.language])
        text = w.HTML(
            f"<div class='wb-channel'>"
            f"<p><span class='wb-label'>{escape(t('channels.how'))}</span>{escape(t.pick(channel.how))}</p>"
            f"<p class='wb-label'>{escape(t('channels.prepare'))}</p><ul>{prepare}</ul>"
            f"<p><span class='wb-label'>{escape(t('channels.say_first'))}</span></p>"
            f"<blockquote class='wb-say'>{escape(opening_line(t.pick(channel.say_first), self.case, t))}</blockquote></div>"
        )
        tried = w.Checkbox(value=channel.id in self.case.channels_tried, description=t("channels.tried"), indent=False, layout=w.Layout(width="auto"))
        tried.observe(self.safely(lambda change, channel=channel: self._mark_tried(channel, change["new"])), names="value")
        self.tried[channel.id] = tried
        log = w.Button(description=t("channels.log_contact"), layout=w.Layout(width="auto"))
        log.on_click(self.safely(lambda _b, channel=channel: self._log_via(channel)))
        actions = w.Box([tried, log], layout=w.Layout(flex_flow="row wrap", align_items="center"))
        return w.VBox([text, actions], layout=w.Layout(width="100%"))

    def _mark_tried(self, channel: Channel, tried: bool) -> None:
        order = load_catalog().ids("channels")
        chosen = set(self.case.channels_tried) | {channel.id} if tried else set(self.case.channels_tried) - {channel.id}
        self.case.channels_tried = [c for c in order if c in chosen]
        self._title_guide()
        self.changed()

    def _log_via(self, channel: Channel) -> None:
        """The guide pre-fills the log with a contact through this channel; saving the entry
        marks the channel as tried. A form already open keeps what was typed in it."""
        if self.form.is_open():
            if self.editing is None:
                self.form.channel.value = channel.contact_channel
                self.via_channel = channel
            self.form.when.focus()
            return
        self.open_form(Contact(channel=channel.contact_channel))
        self.via_channel = channel

    # -- contact log -------------------------------------------------------------------------

    def _show_log(self) -> None:
        entries = sorted_contacts(self.case.contacts)
        shown = (self.today(), repr(entries))  # "overdue" depends on the day
        if shown == self._log_for:
            return
        self._log_for = shown
        for child in self.log.children:
            close_tree(child)
        if not entries:
            self.log.children = (w.HTML(f"<p class='wb-note'>{escape(self.t('contacts.empty'))}</p>"),)
            return
        count_key = "contacts.count_one" if len(entries) == 1 else "contacts.count"
        header = w.HTML(f"<p class='wb-note'>{escape(self.t(count_key, count=len(entries)))}</p>")
        self.log.children = (header,) + tuple(self._entry(contact) for contact in entries)

    def _entry(self, contact: Contact) -> w.VBox:
        t, catalog = self.t, load_catalog()
        lines = []
        for part, value in (
            ("agent", contact.agent), ("reference", contact.reference), ("asked", contact.asked),
            ("offered", contact.offered), ("promised", contact.promised),
            ("promised_by", contact.promised_by.isoformat() if contact.promised_by else ""),
            ("outcome", catalog.label("contact_outcomes", contact.outcome, t.language)),
        ):  # fmt: skip
            if value:
                label = escape(t(f"contact.field.{part}") + t("common.colon"))
                lines.append(f"<li><span class='wb-label'>{label}</span>{escape(value)}</li>")
        overdue = ""
        if is_overdue(contact, self.today()):
            overdue = f"<span class='wb-overdue' role='note'>{escape(t('contacts.overdue', date=contact.promised_by.isoformat()))}</span>"
        when = contact.when.strftime("%Y-%m-%d %H:%M") if contact.when else ""
        channel = catalog.label("contact_channels", contact.channel, t.language)
        text = w.HTML(
            f"<div class='wb-contact{' wb-contact-overdue' if overdue else ''}'><strong>{escape(when)} · {escape(channel)}</strong> {overdue}"
            f"<ul>{''.join(lines)}</ul></div>"
        )
        edit = w.Button(description=t("contacts.edit"), layout=w.Layout(width="auto"))
        edit.on_click(self.safely(lambda _b: self.open_form(contact, editing=True)))
        delete = w.Button(description=t("contacts.delete"), layout=w.Layout(width="auto"))
        delete.on_click(self.safely(lambda button: self._delete(contact, button)))
        for button in (edit, delete):
            button.add_class("wb-small-button")
        card = w.VBox([text, w.Box([edit, delete])], layout=w.Layout(width="100%"))
        card.add_class("wb-card")
        return card

    def _delete(self, contact: Contact, button: w.Button) -> None:
        if button.button_style != "danger":  # first click asks, second click deletes
            button.description, button.button_style = self.t("contacts.confirm_delete"), "danger"
            return
        self.case.contacts = [c for c in self.case.contacts if c is not contact]
        if self.editing is contact:
            self.close_form()
        self._show_log()
        self.changed()

    def open_form(self, contact: Contact | None = None, editing: bool = False) -> None:
        self.editing = contact if editing else None
        self.via_channel = None
        self.form.load(contact or Contact(), editing=editing)
        show(self.form.widget, True)
        show(self.add_button, False)
        self.form.when.focus()
        self.validity_changed()

    def close_form(self) -> None:
        self.editing = None
        self.via_channel = None
        show(self.form.widget, False)
        show(self.add_button, True)
        self.validity_changed()

    def unsaved_drafts(self) -> list[str]:
        return [self.t("contacts.form_edit" if self.editing is not None else "contacts.form_new")] if self.form.has_unsaved_typing() else []

    def save_form(self, contact: Contact) -> None:
        # The core ticks the channel and counts a ticket number as evidence: the guide shows it.
        record_contact(self.case, contact, self.editing, via=self.via_channel.id if self.via_channel else "")
        for channel_id, box in self.tried.items():
            box.value = channel_id in self.case.channels_tried
        self._title_guide()
        self.close_form()
        self._show_log()
        self.changed()


    # -- what survives a re-render (language switch): an open form and what was typed in it

    def invalid_inputs(self) -> dict[str, object]:
        if not self.form.is_open():
            return {}
        editing = next((i for i, c in enumerate(self.case.contacts) if c is self.editing), None)
        via = self.via_channel.id if self.via_channel else None
        return {"form": {"values": self.form.raw_values(), "editing": editing, "via": via}}

    def restore_invalid_inputs(self, raw_values: dict[str, object]) -> None:
        draft = raw_values.get("form")
        if not draft:
            return
        editing = draft["editing"]
        self.open_form(self.case.contacts[editing] if editing is not None else None, editing=editing is not None)
        self.form.set_raw_values(draft["values"])
        self.via_channel = next((c for c in load_catalog().channels if c.id == draft["via"]), None)


class ContactForm:
    """Add or edit one contact. Its prompts are the article's: name, solution offered, promised time."""

    def __init__(self, view: ContactsStep) -> None:
        self.view, t = view, view.t
        self.when = field(w.NaiveDatetimePicker(), t("contact.field.when"))
        self.channel = field(w.Dropdown(options=[(t("common.choose"), "")] + catalog_options("contact_channels", t)), t("contact.field.channel"))
        self.agent = field(w.Text(placeholder=t("contact.placeholder.agent")), t("contact.field.agent"))
        self.reference = field(w.Text(placeholder=t("contact.placeholder.reference")), t("contact.field.reference"))
        self.asked = field(w.Textarea(placeholder=t("contact.placeholder.asked"), rows=2), t("contact.field.asked"))
        self.offered = field(w.Textarea(placeholder=t("contact.placeholder.offered"), rows=2), t("contact.field.offered"))
        self.promised = field(w.Textarea(placeholder=t("contact.placeholder.promised"), rows=2), t("contact.field.promised"))
        self.promised_by = field(w.DatePicker(), t("contact.field.promised_by"))
        self.outcome = field(w.Dropdown(options=[(t("common.choose"), "")] + catalog_options("contact_outcomes", t)), t("contact.field.outcome"))
        self.error = error_line()
        self.loaded: dict[str, object] = {}  # the form's values when it was opened
        for control in self.controls():  # a fixed field takes its error message away
            control.observe(lambda _change: show_error(self.error, view.t, None), names="value")
            control.observe(lambda _change: view.validity_changed(), names="value")  # typing here is not saved yet
        self.save = w.Button(description=t("contacts.save_entry"), button_style="primary", layout=w.Layout(width="auto"))
        self.save.on_click(view.safely(lambda _b: self.submit()))
        self.cancel = w.Button(description=t("contacts.cancel"), layout=w.Layout(width="auto"))
        self.cancel.on_click(view.safely(lambda _b: view.close_form()))
        self.title = w.HTML()
        self.widget = w.VBox(
            [self.title, self.when, self.channel, self.agent, self.reference,
             self.asked, char_counter(self.asked, NOTE_MAX, t, multiline=True), self.offered, char_counter(self.offered, NOTE_MAX, t, multiline=True),
             self.promised, char_counter(self.promised, NOTE_MAX, t, multiline=True), self.promised_by, self.outcome, self.error,
             w.Box([self.save, self.cancel])],
            layout=w.Layout(width="100%", display="none"),
        )  # fmt: skip
        self.widget.add_class("wb-card")
        self.widget.add_class("wb-contact-form")

    _NAMES = ("when", "channel", "agent", "reference", "asked", "offered", "promised", "promised_by", "outcome")

    def controls(self) -> list[w.ValueWidget]:
        return [getattr(self, name) for name in self._NAMES]

    def is_open(self) -> bool:
        return self.widget.layout.display != "none"

    def raw_values(self) -> dict[str, object]:
        return {name: getattr(self, name).value for name in self._NAMES}

    def set_raw_values(self, values: dict[str, object]) -> None:
        for name, value in values.items():
            getattr(self, name).value = value

    def load(self, contact: Contact, editing: bool = False) -> None:
        key = "contacts.form_edit" if editing else "contacts.form_new"
        self.title.value = f"<h4>{escape(self.view.t(key))}</h4>"
        self.when.value = contact.when
        self.channel.value = contact.channel
        for name in ("agent", "reference", "asked", "offered", "promised"):
            getattr(self, name).value = getattr(contact, name)
        self.promised_by.value = contact.promised_by
        self.outcome.value = contact.outcome
        show_error(self.error, self.view.t, None)
        self.loaded = self.raw_values()

    def has_unsaved_typing(self) -> bool:
        """Open, and changed since it was opened: typing that is not in the case yet."""
        return self.is_open() and self.raw_values() != self.loaded

    def submit(self) -> None:
        catalog = load_catalog()
        try:
            contact = make_contact(
                when=self.when.value, channel=self.channel.value, agent=self.agent.value, reference=self.reference.value,
                asked=self.asked.value, offered=self.offered.value, promised=self.promised.value,
                promised_by=self.promised_by.value, outcome=self.outcome.value,
                channels=catalog.ids("contact_channels"), outcomes=catalog.ids("contact_outcomes"), today=self.view.today(),
            )  # fmt: skip
        except InvalidInput as error:
            show_error(self.error, self.view.t, error)
            return
        self.view.save_form(contact)
