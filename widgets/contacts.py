"""Step 5: the channel guide for the problem, and the log of every contact."""

from __future__ import annotations

from html import escape

import ipywidgets as w

from complaint.catalog import Channel, load_catalog
from complaint.contacts import is_overdue, make_contact, record_contact, sorted_contacts
from complaint.errors import InvalidInput
from complaint.escalation import channel_body, evidence_text
from complaint.guide import opening_line
from complaint.model import CONTACT_PARTS, NOTE_MAX, Contact
from complaint.presentation import contact_time

from .common import (
    catalog_options,
    char_counter,
    close_tree,
    error_line,
    labelled,
    plain,
    shared_layout,
    show,
    show_error,
    static_html,
)
from .step import StepContext, StepView


class ContactsStep(StepView):
    step = "contacts"

    def __init__(self, context: StepContext) -> None:
        super().__init__(
            context
        )  # self.today is a function: "overdue" must not go stale after midnight
        t = self.t
        # One collapsible section per channel: six full cards would bury the log on a phone.
        self.guide = w.Accordion(layout=w.Layout(width="100%"))
        self.guide.add_class("wb-guide")
        self.log = w.VBox(layout=shared_layout(width="100%"))
        self.add_button = w.Button(
            description=t("contacts.add"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.add_button.on_click(self.safely(lambda _b: self.open_form()))
        self.form = ContactForm(self)
        # An open form and its typing are drafts (kept over a language switch) until it is saved:
        # which contact it edits first, then its fields.
        self.register("contacts.form", _OpenForm(self), unsaved_while=self.form.is_open)
        for name, control in zip(ContactForm._NAMES, self.form.controls(), strict=True):
            self.register(f"contacts.form.{name}", control, unsaved_while=self.form.is_open)
        self.editing: Contact | None = None
        self.via_channel: Channel | None = (
            None  # the guide's channel the open form logs a contact for
        )
        self.tried: dict[str, w.Checkbox] = {}
        # What the guide and the log were last drawn from: showing the step again redraws them
        # only when that changed (each redraw re-creates ~100 widget models in the browser).
        self._guide_for: tuple | None = None
        self._log_for: tuple | None = None
        self.widget.children += (
            static_html(f"<h3>{escape(t('channels.title'))}</h3>"), self.guide,
            static_html(f"<h3>{escape(t('contacts.title'))}</h3>"), self.log, self.add_button, self.form.widget,
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
            (
                channel.id,
                channel.id in self.case.channels_tried,
                opening_line(self.t.pick(channel.say_first), self.case, self.t),
            )
            for channel in channels
        )
        if shown == self._guide_for:
            return
        self._guide_for = shown
        drawn, self.tried = self.guide.children, {}
        self.guide.children = tuple(self._channel_card(channel) for channel in channels)
        for child in drawn:  # after: the accordion on the page must never hold a closed card
            close_tree(child)
        self._title_guide(channels)
        untried = [
            i for i, channel in enumerate(channels) if channel.id not in self.case.channels_tried
        ]
        self.guide.selected_index = untried[0] if untried else None  # open the next one to try

    def _channels(self) -> tuple[Channel, ...]:
        """The guide for the problem, plus channels marked tried under an earlier choice."""
        catalog = load_catalog()
        current = catalog.channels_for(self.case.problem, self.case.escalation.jurisdiction)
        return current + tuple(
            c for c in catalog.channels if c not in current and c.id in self.case.channels_tried
        )

    def _title_guide(self, channels=None) -> None:
        channels = channels or self._channels()
        self.guide.titles = tuple(
            f"{'✓ ' if channel.id in self.case.channels_tried else ''}{number}. {self.t.pick(channel.label)}"
            for number, channel in enumerate(channels, start=1)
        )

    def _channel_card(self, channel: Channel) -> w.VBox:
        t = self.t
        prepare = "".join(f"<li>{escape(line)}</li>" for line in t.pick(channel.prepare))
        text = static_html(
            f"<div class='wb-channel'>"
            f"<p><span class='wb-label'>{escape(t('channels.how'))}</span>{escape(t.pick(channel.how))}</p>"
            f"<p class='wb-label'>{escape(t('channels.prepare'))}</p><ul>{prepare}</ul>"
            f"<p><span class='wb-label'>{escape(t('channels.say_first'))}</span></p>"
            f"<blockquote class='wb-say'>{escape(opening_line(t.pick(channel.say_first), self.case, t))}</blockquote>{self._source(channel)}</div>"
        )
        tried = plain(
            w.Checkbox,
            value=channel.id in self.case.channels_tried,
            description=t("channels.tried"),
            indent=False,
        )
        tried.observe(
            self.safely(lambda change, channel=channel: self._mark_tried(channel, change["new"])),
            names="value",
        )
        self.tried[channel.id] = tried
        log = plain(w.Button, description=t("channels.log_contact"))
        log.on_click(self.safely(lambda _b, channel=channel: self._log_via(channel)))
        actions = w.Box(
            [tried, log], layout=shared_layout(flex_flow="row wrap", align_items="center")
        )
        return w.VBox([text, actions], layout=shared_layout(width="100%"))

    def _source(self, channel: Channel) -> str:
        """A regulator's or consumer body's source and how sure it is (the company's own channels have none)."""
        body = channel_body(channel)
        if body is None:
            return ""
        t = self.t
        return f"<p class='wb-source'>{escape(t('deadline.source', source=t.pick(body.source), evidence=evidence_text(t, body)))}</p>"

    def _mark_tried(self, channel: Channel, tried: bool) -> None:
        order = load_catalog().ids("channels")
        chosen = (
            set(self.case.channels_tried) | {channel.id}
            if tried
            else set(self.case.channels_tried) - {channel.id}
        )
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
            self.log.children = (
                static_html(f"<p class='wb-note'>{escape(self.t('contacts.empty'))}</p>"),
            )
            return
        count_key = "contacts.count_one" if len(entries) == 1 else "contacts.count"
        header = static_html(
            f"<p class='wb-note'>{escape(self.t(count_key, count=len(entries)))}</p>"
        )
        self.log.children = (header,) + tuple(self._entry(contact) for contact in entries)

    def _entry(self, contact: Contact) -> w.VBox:
        t, catalog = self.t, load_catalog()
        lines = []
        for part, value in (
            ("agent", contact.agent),
            ("reference", contact.reference),
            ("asked", contact.asked),
            ("offered", contact.offered),
            ("promised", contact.promised),
            ("promised_by", contact.promised_by.isoformat() if contact.promised_by else ""),
            ("outcome", catalog.label("contact_outcomes", contact.outcome, t.language)),
        ):
            if value:
                label = escape(t(f"contact.field.{part}") + t("common.colon"))
                lines.append(f"<li><span class='wb-label'>{label}</span>{escape(value)}</li>")
        overdue = ""
        if is_overdue(contact, self.today()):
            overdue = f"<span class='wb-overdue' role='note'>{escape(t('contacts.overdue', date=contact.promised_by.isoformat()))}</span>"
        when = contact_time(contact.when)
        channel = catalog.label("contact_channels", contact.channel, t.language)
        text = static_html(
            f"<div class='wb-contact{' wb-contact-overdue' if overdue else ''}'><strong>{escape(when)} · {escape(channel)}</strong> {overdue}"
            f"<ul>{''.join(lines)}</ul></div>"
        )
        edit = plain(w.Button, description=t("contacts.edit"), _dom_classes=("wb-small-button",))
        edit.on_click(self.safely(lambda _b: self.open_form(contact, editing=True)))
        delete = plain(
            w.Button, description=t("contacts.delete"), _dom_classes=("wb-small-button",)
        )
        delete.on_click(self.safely(lambda button: self._delete(contact, button)))
        card = w.VBox(
            [text, w.Box([edit, delete], layout=shared_layout())],
            layout=shared_layout(width="100%"),
            _dom_classes=("wb-card",),
        )
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
        return (
            [self.t("contacts.form_edit" if self.editing is not None else "contacts.form_new")]
            if self.form.has_unsaved_typing()
            else []
        )

    def save_form(self, contact: Contact) -> None:
        # The core ticks the channel and counts a ticket number as evidence: the guide shows it.
        record_contact(
            self.case, contact, self.editing, via=self.via_channel.id if self.via_channel else ""
        )
        for channel_id, box in self.tried.items():
            box.value = channel_id in self.case.channels_tried
        self._title_guide()
        self.close_form()
        self._show_log()
        self.changed()


class _OpenForm:
    """The contact form's state as a draft value: which contact it edits, and through which of
    the guide's channels; setting it opens the form that way in a rebuilt view."""

    def __init__(self, view: ContactsStep) -> None:
        self.view = view

    @property
    def value(self) -> dict[str, object]:
        view = self.view
        editing = next((i for i, c in enumerate(view.case.contacts) if c is view.editing), None)
        return {"editing": editing, "via": view.via_channel.id if view.via_channel else None}

    @value.setter
    def value(self, draft: dict[str, object]) -> None:
        view, editing = self.view, draft["editing"]
        view.open_form(
            view.case.contacts[editing] if editing is not None else None,
            editing=editing is not None,
        )
        view.via_channel = next((c for c in load_catalog().channels if c.id == draft["via"]), None)


class ContactForm:
    """Add or edit one contact. Its prompts are the article's: name, solution offered, promised time."""

    def __init__(self, view: ContactsStep) -> None:
        self.view, t = view, view.t
        self.when = labelled(w.NaiveDatetimePicker, t("contact.field.when"))
        self.channel = labelled(
            w.Dropdown,
            t("contact.field.channel"),
            options=[(t("common.choose"), "")] + catalog_options("contact_channels", t),
        )
        self.agent = labelled(
            w.Text, t("contact.field.agent"), placeholder=t("contact.placeholder.agent")
        )
        self.reference = labelled(
            w.Text, t("contact.field.reference"), placeholder=t("contact.placeholder.reference")
        )
        self.asked = labelled(
            w.Textarea, t("contact.field.asked"), placeholder=t("contact.placeholder.asked"), rows=2
        )
        self.offered = labelled(
            w.Textarea,
            t("contact.field.offered"),
            placeholder=t("contact.placeholder.offered"),
            rows=2,
        )
        self.promised = labelled(
            w.Textarea,
            t("contact.field.promised"),
            placeholder=t("contact.placeholder.promised"),
            rows=2,
        )
        self.promised_by = labelled(w.DatePicker, t("contact.field.promised_by"))
        self.outcome = labelled(
            w.Dropdown,
            t("contact.field.outcome"),
            options=[(t("common.choose"), "")] + catalog_options("contact_outcomes", t),
        )
        self.error = error_line()
        self.loaded: dict[str, object] = {}  # the form's values when it was opened
        for control in self.controls():  # a fixed field takes its error message away
            control.observe(lambda _change: show_error(self.error, view.t, None), names="value")
            control.observe(
                lambda _change: view.validity_changed(), names="value"
            )  # typing here is not saved yet
        self.save = plain(w.Button, description=t("contacts.save_entry"), button_style="primary")
        self.save.on_click(view.safely(lambda _b: self.submit()))
        self.cancel = plain(w.Button, description=t("contacts.cancel"))
        self.cancel.on_click(view.safely(lambda _b: view.close_form()))
        self.title = static_html("")
        self.widget = w.VBox(
            [self.title, self.when, self.channel, self.agent, self.reference,
             self.asked, char_counter(self.asked, NOTE_MAX, t, multiline=True), self.offered, char_counter(self.offered, NOTE_MAX, t, multiline=True),
             self.promised, char_counter(self.promised, NOTE_MAX, t, multiline=True), self.promised_by, self.outcome, self.error,
             w.Box([self.save, self.cancel], layout=shared_layout())],
            layout=w.Layout(width="100%", display="none"), _dom_classes=("wb-card", "wb-contact-form"),
        )  # fmt: skip

    _NAMES = CONTACT_PARTS

    def controls(self) -> list[w.ValueWidget]:
        return [getattr(self, name) for name in self._NAMES]

    def is_open(self) -> bool:
        return self.widget.layout.display != "none"

    def raw_values(self) -> dict[str, object]:
        return {name: getattr(self, name).value for name in self._NAMES}

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
                when=self.when.value,
                channel=self.channel.value,
                agent=self.agent.value,
                reference=self.reference.value,
                asked=self.asked.value,
                offered=self.offered.value,
                promised=self.promised.value,
                promised_by=self.promised_by.value,
                outcome=self.outcome.value,
                channels=catalog.ids("contact_channels"),
                outcomes=catalog.ids("contact_outcomes"),
                today=self.view.today(),
            )
        except InvalidInput as error:
            show_error(self.error, self.view.t, error)
            return
        self.view.save_form(contact)
