"""Small helpers shared by the step views: labelled fields, error lines, option lists, styles."""

from __future__ import annotations

import functools
from html import escape
from pathlib import Path

import ipywidgets as w

from complaint.catalog import load_catalog
from complaint.errors import WorkbookError
from complaint.i18n import Translator, languages, locale
from complaint.steps import step_ids
from complaint.validation import text_length

_STYLESHEET = (Path(__file__).parent / "workbook.css").read_text(
    encoding="utf-8"
)  # read once per kernel


def stylesheet() -> w.HTML:
    return w.HTML(f"<style>{_STYLESHEET}</style>", layout=w.Layout(display="none"))


def stylesheet_html() -> str:
    """The stylesheet as markup, for a widget that shows something else too (one model fewer)."""
    return f"<style>{_STYLESHEET}</style>"


# Every widget model costs the kernel, Voilà's server and the browser about a millisecond each
# (docs/performance.md): widgets whose layout or style never changes share one model per kind,
# created once per kernel and never closed (close_tree skips them). A widget that is shown and
# hidden (``show``, ``show_error``) keeps a layout of its own.
_SHARED_MODELS: set[int] = set()


@functools.cache
def shared_layout(**properties: str) -> w.Layout:
    """One Layout model for every widget laid out this way. The default is ``width: auto``:
    a button as wide as its text, anything else in a column as wide as the column."""
    properties = properties or {"width": "auto"}
    layout = w.Layout(**properties)
    _SHARED_MODELS.add(id(layout))
    return layout


@functools.cache
def shared_style(style_class: type, **properties: str) -> w.Style:
    """One style model of ``style_class`` for every widget styled this way."""
    style = style_class(**properties)
    _SHARED_MODELS.add(id(style))
    return style


def auto_width_buttons() -> w.ToggleButtonsStyle:
    """Toggle buttons as wide as their labels (a shared style model)."""
    return shared_style(w.ToggleButtonsStyle, button_width="auto")


def plain(widget_class: type, *args, layout: w.Layout | None = None, **kwargs) -> w.DOMWidget:
    """``widget_class(...)`` with the shared default style and ``layout`` (default: the shared
    empty one) instead of two new models of its own."""
    style_trait = widget_class.class_traits().get("style")
    if style_trait is not None and "style" not in kwargs:
        kwargs["style"] = shared_style(style_trait.klass)
    return widget_class(*args, layout=layout or shared_layout(), **kwargs)


def static_html(value: str, css_class: str | None = None) -> w.HTML:
    """An HTML widget whose layout and style never change (its value may): shares both models."""
    return plain(w.HTML, value, **({"_dom_classes": (css_class,)} if css_class else {}))


def labelled(widget_class: type, label: str, hint: str = "", **kwargs) -> w.DOMWidget:
    """What ``field`` makes, built in one go (no updates after construction) with shared layout
    and style models. For a control that is never shown or hidden on its own."""
    return widget_class(
        description=label, tooltip=hint or label, style=field_style(widget_class), layout=shared_layout(),
        _dom_classes=("wb-field", *kwargs.pop("_dom_classes", ())), **kwargs,
    )  # fmt: skip


def field_style(widget_class: type) -> w.Style:
    """The shared style of labelled controls of ``widget_class``: the label as wide as its text."""
    return shared_style(widget_class.class_traits()["style"].klass, description_width="initial")


def language_header(title: w.HTML, language: str, on_switch) -> tuple[w.Box, w.ToggleButtons]:
    """The title with the 中文 / English switch beside it (the workbook's and the dashboard's): one
    button per language file, each named in its own language, found by those who read it."""
    options = [(locale(code).name, code) for code in languages()]
    switch = w.ToggleButtons(
        options=options,
        value=language,
        style=auto_width_buttons(),
        layout=shared_layout(),
        _dom_classes=("wb-language",),
    )
    switch.observe(lambda change: on_switch(change["new"]), names="value")
    header = w.Box(
        [title, switch], layout=shared_layout(), _dom_classes=("wb-header",)
    )  # laid out in workbook.css
    return header, switch


def mark_language(root: w.Box, language: str) -> None:
    """Mark ``root`` with its language: ``wb-lang-<code>`` (the stylesheet, the page's reload in
    this language) and ``wb-html-lang-<tag>``, from which the page template sets <html lang>."""
    for name in [c for c in root._dom_classes if c.startswith(("wb-lang-", "wb-html-lang-"))]:
        root.remove_class(name)
    root.add_class(f"wb-lang-{language}")
    root.add_class(f"wb-html-lang-{locale(language).html_lang}")


def field(control: w.DOMWidget, label: str, hint: str = "") -> w.DOMWidget:
    """Give ``control`` a visible <label> (its description) stacked above it, full width.

    The description is the control's accessible name, so screen readers and Tab users get it.
    """
    control.description = label
    control.style.description_width = "initial"
    control.layout.width = "100%"
    control.add_class("wb-field")
    control.tooltip = hint or label  # without a tooltip ipywidgets renders title="null"
    return control


def note(text: str, css_class: str = "wb-note") -> w.HTML:
    """A paragraph of text; ``text`` is escaped, so it may come from anywhere."""
    return static_html(f'<p class="{css_class}">{escape(text)}</p>')


def upload_limit_html(
    t: Translator, limit_bytes: int, text: str, too_large_key: str = "upload.too_large"
) -> str:
    """A note that states the upload limit. The page template reads the limit and the message from
    its data attributes to refuse a too-large file before it is sent: the websocket would drop it
    without a word. Upload buttons sit in a ``.wb-upload`` box, where the refusal is shown."""
    limit_mb = limit_bytes // (1024 * 1024)
    return (
        f"<p class='wb-note wb-upload-limit' data-limit-bytes='{limit_bytes}' "
        f"data-too-large='{escape(t(too_large_key, limit_mb=limit_mb), quote=True)}'>{escape(text)}</p>"
    )


def char_counter(
    control: w.ValueWidget, limit: int, t: Translator, multiline: bool = False
) -> w.HTML:
    """A live "120 / 2000" under a long text field, counted as the limit counts (trimmed), marked
    past the limit; the field's own message says what to do. Follows every keystroke: the
    field syncs its value continuously."""
    counter = static_html("", "wb-counter-box")

    def update(_change=None) -> None:
        length = text_length(control.value, multiline=multiline)
        over = " wb-counter-over" if length > limit else ""
        counter.value = f"<p class='wb-counter{over}'>{escape(t('input.counter', length=length, limit=limit))}</p>"

    control.observe(update, names="value")
    update()
    return counter


def unsaved_answers_html(t: Translator, refused: list[tuple[str, str]], key: str) -> str:
    """A note naming the fields whose typed value was refused and so is not saved, each with its
    step ("“What happened” in step 2, Facts"): the answers shown beside it are the saved ones."""
    if not refused:
        return ""
    items = t("common.list_separator").join(
        t(
            "save.refused_item",
            field=label.rstrip(":：") or t(f"step.{step}.title"),
            number=step_ids().index(step) + 1,
            step=t(f"step.{step}.short"),
        )
        for step, label in refused
    )
    return f"<div class='wb-unsaved' role='note'>{escape(t(key, items=items))}</div>"


def error_line() -> w.HTML:
    """A hidden line for an error message: a layout of its own (shown and hidden), a shared style."""
    return plain(w.HTML, "", layout=w.Layout(display="none"))


def show_error(line: w.HTML, t: Translator, error: WorkbookError | None) -> None:
    """Show the translated message of ``error`` in ``line`` (or hide it when there is none)."""
    if error is None:
        line.value, line.layout.display = "", "none"
    else:
        line.value = (
            f'<div class="wb-error" role="alert">{escape(t(error.key, **error.params))}</div>'
        )
        line.layout.display = ""


def catalog_options(family: str, t: Translator) -> list[tuple[str, str]]:
    """(label, id) pairs of a catalog family in the current language, for selection widgets."""
    return [(t.pick(option.label), option.id) for option in getattr(load_catalog(), family)]


def show(widget: w.DOMWidget, visible: bool) -> None:
    if id(widget.layout) in _SHARED_MODELS:
        # A shared layout lays out other widgets too (the app's root among them): hiding it would
        # hide them all. The widget gets a layout of its own, the same otherwise, once.
        state = widget.layout.get_state()
        widget.layout = w.Layout(
            **{k: v for k, v in state.items() if not k.startswith("_") and v is not None}
        )
    widget.layout.display = "" if visible else "none"


def close_tree(widget: w.Widget, unseen: bool = False) -> None:
    """Close a widget, everything inside it and its layout/style models: a re-render must not
    leave orphan comms behind (each is memory in the kernel and in the browser).

    ``unseen``: no page has these models (a start screen built ahead in a preheated kernel, for
    the language its visitor did not ask for: a page asks for every model when it connects, and
    it has not connected yet). They are closed without a message to the page: Voilà would relay
    and decode each one while the visitor waits for the page."""
    for child in getattr(widget, "children", ()):
        close_tree(child, unseen)
    for part in ("layout", "style"):
        model = getattr(widget, part, None)
        if isinstance(model, w.Widget) and id(model) not in _SHARED_MODELS:
            _close(model, unseen)
    _close(widget, unseen)


def _close(model: w.Widget, unseen: bool) -> None:
    if unseen and model.comm is not None:
        from comm import get_comm_manager

        model.comm._closed = True  # what its close() checks before it publishes comm_close
        get_comm_manager().unregister_comm(model.comm)
    model.close()
