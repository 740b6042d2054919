"""Issue 7: every place user text reaches HTML is escaped, checked in a real browser.

Script, img, iframe, svg, attribute-breaking and ``javascript:`` payloads are typed through the
real workbook into every free-text field a participant can reach (and given as the name of an
uploaded file), then read back on every screen that shows them: the steps, the review, the
printable record (loaded as a page of its own), and the trainer's dashboard on the same cases
folder, where a participant's folder is itself named with a payload and a damaged sheet and a
CFPB export carry payloads too. After each screen no script has run (``window.__pwned`` unset,
no dialog), no element the payloads would create exists, and the payload reads as plain text.
A first test shows the payloads do run when they are not escaped, so the checks can fail.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from contextlib import ExitStack
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import Page, expect

from complaint.model import Case
from complaint.sheet import write_sheet

from .conftest import DESKTOP, running_voila
from .test_evidence_contacts import attach_through_file_chooser, card
from .test_export import download
from .test_trainer import CFPB_SAMPLE, open_dashboard, picker_label, read_cfpb_path
from .test_workbook_flow import open_workbook, start_new_case, wait_saved

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
IFRAME = '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'
SVG = '"><svg onload=window.__pwned=1>'
QUOTE = "'><img src=x onerror=window.__pwned=1 x='"  # breaks out of a single-quoted attribute
ALERT = "</textarea><img src=x onerror=alert(1)>"
ENTITY = (
    "&lt;img src=x onerror=window.__pwned=1&gt;"  # must stay these very characters, not an element
)
JS_URL = "javascript:window.__pwned=1"
MARKUP = (SCRIPT, IMG, IFRAME, SVG, QUOTE, ALERT)
PAYLOADS = MARKUP + (ENTITY, JS_URL)
#: A participant's folder on a JupyterHub named like an element (a valid directory name).
FOLDER = "<img src=x onerror=window.__pwned=1>"
FOLDER_OF_DAMAGED = "'><svg onload=window.__pwned=1>"
#: What the workbook keeps of an uploaded file's name: no path, and <>:"|?* made "_" (complaint/evidence.py).
UPLOAD_NAME = "<img src=x onerror=window.__pwned=1>.png"
KEPT_NAME = "_img src=x onerror=window.__pwned=1_.png"

#: Elements a payload would create; the record's own timeline pictures are the only SVG it draws.
ELEMENTS = "img, script, iframe, object, embed, svg:not(.wb-timeline > svg)"
#: Elements and attributes the payloads would create if any reached the page as markup.
INJECTED = """() => [...document.querySelectorAll('*')].flatMap(e => {
  const marked = v => /__pwned|alert\\(/.test(v || '');
  const bad = [...e.attributes].filter(a => marked(a.value) && (a.name.startsWith('on')
      || (['src', 'href', 'action', 'formaction', 'xlink:href', 'data'].includes(a.name))
      || (a.name === 'srcdoc' && !e.classList.contains('wb-case-frame'))));
  const script = e.tagName === 'SCRIPT' && marked(e.textContent);
  return bad.length || script ? [e.outerHTML.slice(0, 160)] : [];
})"""


@pytest.fixture
def watched(new_page):
    """A desktop page that records every dialog (an ``alert`` payload that ran)."""
    dialogs: list[str] = []

    def make() -> Page:
        page = new_page(DESKTOP)
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.dialogs = dialogs
        return page

    return make


def assert_clean(page: Page, frame=None) -> None:
    """No payload ran or became an element on ``page`` (or in one of its frames)."""
    where = frame or page
    assert where.evaluate(INJECTED) == []
    assert where.evaluate("window.__pwned") is None
    assert page.evaluate("window.__pwned") is None
    assert page.dialogs == [], page.dialogs


def test_the_payloads_run_when_not_escaped(watched):
    """The checks' control: put unescaped where each is aimed (text, or a quoted attribute), every
    payload runs, and INJECTED finds what it made."""
    page = watched()
    aimed_at = {QUOTE: "<p title='{}'>x</p>", SVG: '<p title="{}">x</p>'}
    for payload in MARKUP:
        page.evaluate("delete window.__pwned")  # set_content keeps the window object
        content = aimed_at.get(payload, "<p>{}</p>").format(payload)
        if payload is ALERT:
            with page.expect_event("dialog"):
                page.set_content(content)
            assert page.dialogs == ["1"], page.dialogs
            page.dialogs.clear()
        else:
            page.set_content(content)
            page.wait_for_function("window.__pwned === 1")
        assert page.evaluate(INJECTED), payload
    page.evaluate("delete window.__pwned")
    page.set_content(f"<a href='{JS_URL}'>link</a>")
    page.get_by_role("link").click()
    page.wait_for_function("window.__pwned === 1")


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The workbook and the trainer's dashboard on one cases folder, as in a workshop."""
    root = tmp_path_factory.mktemp("injection-cases")
    logs = tmp_path_factory.mktemp("injection-logs")
    with ExitStack() as stack:
        workbook = stack.enter_context(
            running_voila("notebooks/workbook.ipynb", root, logs / "workbook.log")
        )
        trainer = stack.enter_context(
            running_voila("notebooks/trainer.ipynb", root, logs / "trainer.log")
        )
        yield workbook, trainer, root


def fill(page: Page, label: str, text: str, scope=None) -> None:
    field = (scope or page).get_by_label(label, exact=True)
    field.fill(text)
    expect(field).to_have_value(text)


def test_every_participant_field_is_text_on_every_screen(servers, watched, tmp_path, shoot):
    workbook, _trainer, root = servers
    page = watched()
    open_workbook(page, workbook + f"?lang=en&scenario={quote(IMG)}")
    expect(page.get_by_text("This practice case was not found")).to_be_visible()
    page.get_by_label("Resume code").fill(QUOTE)
    page.get_by_label("Resume code").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("A resume code has")
    assert_clean(page)
    start_new_case(page)

    page.get_by_text("Something else", exact=True).click()
    fill(page, "Describe the problem in one sentence", SCRIPT)
    wait_saved(page)
    assert_clean(page)
    page.get_by_role("button", name="Next →").click()

    page.get_by_label("Provider", exact=True).select_option(label="Other (type it in)")
    fill(page, "Provider's name", SVG)
    fill(page, "Transaction / order number", IFRAME)
    description = "\n".join(PAYLOADS)
    fill(page, "What happened (in your own words)", description)
    wait_saved(page)
    assert_clean(page)
    page.get_by_role("button", name="Next →").click()

    # The goal's "Something else", not the problem's: that step stays in the page, hidden.
    page.locator(".wb-step").get_by_text("Something else", exact=True).click()
    fill(page, "Your goal", QUOTE)
    fill(page, "Precise demand (optional)", f"{ALERT} {JS_URL}")
    wait_saved(page)
    assert_clean(page)
    page.get_by_role("button", name="Next →").click()

    record = card(page, "Transaction record / bill screenshot")
    fill(page, "Note", ENTITY, scope=record)
    upload = tmp_path / UPLOAD_NAME
    upload.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(64)))
    attach_through_file_chooser(page, record, upload)
    expect(record.locator(".wb-file")).to_contain_text(KEPT_NAME)
    expect(record.get_by_role("status")).to_have_text(f"Recorded “{KEPT_NAME}”.")
    expect(record.get_by_role("button", name=f"Remove {KEPT_NAME}")).to_be_visible()
    wait_saved(page)
    assert_clean(page)
    shoot(page, "injection-evidence")
    page.get_by_role("button", name="Next →").click()

    contact = {
        "Agent's name or ID": IMG,
        "Ticket / reference number": SVG,
        "What you asked for": SCRIPT,
        "What they offered": IFRAME,
        "What they promised": f"{ALERT}\n{ENTITY}",
    }
    page.get_by_role("button", name="Add a contact").click()
    form = page.locator(".wb-contact-form")
    form.get_by_label("When").fill(f"{date.today() - timedelta(days=3)}T10:00")
    form.get_by_label("Channel").select_option(label="Online chat")
    for label, text in contact.items():
        fill(page, label, text, scope=form)
    form.get_by_role("button", name="Save this entry").click()
    entry = page.locator(".wb-contact")
    for label, text in contact.items():
        expect(entry).to_contain_text(f"{label}: {text}")
    wait_saved(page)
    assert_clean(page)
    shoot(page, "injection-contacts")
    page.get_by_role("button", name="Next →").click()
    page.get_by_role("button", name="Next →").click()  # the security self-audit keeps no free text

    details = {
        "Your name": SCRIPT,
        "Your phone": IMG,
        "Your address": IFRAME,
        "The company's address": QUOTE,
    }
    for label, text in details.items():
        fill(page, label, text)
    wait_saved(page)
    assert_clean(page)
    page.get_by_role("button", name="Next →").click()

    for label in ("Statement for the company", "Statement for a regulator"):
        statement = page.get_by_label(label)
        fill(page, label, statement.input_value() + "\n" + description)
    expect(page.get_by_text("You have edited this statement")).to_have_count(2)
    wait_saved(page)
    assert_clean(page)
    page.get_by_role("button", name="Next →").click()

    expect(page.get_by_role("heading", name="Review and export")).to_be_visible()
    assert_clean(page)
    printable = download(page, re.compile("Printable case record"), tmp_path)

    shown = watched()
    shown.set_content(printable.read_text(encoding="utf-8"))
    expect(shown.get_by_role("heading", name="Complaint record")).to_be_visible()
    assert shown.locator(ELEMENTS).count() == 0
    text = shown.locator("body").inner_text()
    for expected in (*PAYLOADS, KEPT_NAME):
        assert expected in text, expected
    assert_clean(shown)
    shoot(shown, "injection-printable")


def damaged_sheet() -> bytes:
    """A sheet the workbook refuses because a row repeats: its message names the payload row."""
    lines = write_sheet(Case(language="en")).split(b"\r\n")
    row = f"{IMG},label,value,".encode()
    return b"\r\n".join(lines[:5] + [row, row] + lines[5:])


def cfpb_with_payloads(folder: Path) -> Path:
    """The public sample with its one money-transfer complaint's text fields replaced by payloads."""
    rows = list(csv.reader(io.StringIO(CFPB_SAMPLE.read_text(encoding="utf-8"))))
    header = rows[0]
    kept = next(row for row in rows if row[1].startswith("Money transfer"))
    for column, payload in (
        ("Sub-product", SCRIPT),
        ("Issue", IMG),
        ("Company response to consumer", SVG),
        ("Timely response?", QUOTE),
    ):
        kept[header.index(column)] = payload
    path = folder / "cfpb-payloads.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, kept])
    return path


def test_the_trainer_dashboard_shows_every_payload_as_text(servers, watched, tmp_path, shoot):
    _workbook, trainer, root = servers
    # The participant's case (saved through the workbook by the test above, else made here) in a
    # folder named like an element, and a damaged sheet in another.
    sheets = sorted(root.glob("*.csv"))
    if not sheets:  # this test run on its own: the same payloads, saved through the core
        case = Case(
            language="en", problem="other", problem_other=SCRIPT, description="\n".join(PAYLOADS)
        )
        sheets = [root / f"{case.case_id}.csv"]
        sheets[0].write_bytes(write_sheet(case))
    (root / FOLDER).mkdir(exist_ok=True)
    shutil.copy(sheets[0], root / FOLDER / sheets[0].name)
    (root / FOLDER_OF_DAMAGED).mkdir(exist_ok=True)
    (root / FOLDER_OF_DAMAGED / ("0123abcd" * 3 + ".csv")).write_bytes(damaged_sheet())

    page = open_dashboard(watched(), trainer + "?lang=en")
    rows = page.locator(".wb-table tbody tr")
    expect(rows.filter(has_text=FOLDER)).to_have_count(1)
    problems = page.locator(".wb-error")
    expect(problems).to_contain_text(
        f"{FOLDER_OF_DAMAGED}/{'0123abcd' * 3}.csv: Row 7 of the case sheet repeats “{IMG}”"
    )
    assert_clean(page)

    search = page.get_by_label("Search", exact=True)
    search.fill(FOLDER)
    search.press("Enter")
    expect(rows).to_have_count(1)
    case_id = sheets[0].stem
    page.get_by_label("Case", exact=True).select_option(
        label=picker_label(case_id, "Something else", FOLDER)
    )
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.get_by_text(f"Read-only view of {FOLDER}/{case_id}.csv.")).to_be_visible()
    frame_element = page.locator("iframe.wb-case-frame")
    expect(frame_element).to_have_attribute("sandbox", "")
    record = page.frame_locator("iframe.wb-case-frame")
    expect(record.get_by_role("heading", name="Complaint record")).to_be_visible()
    expect(record.locator(ELEMENTS)).to_have_count(0)
    for expected in PAYLOADS:
        expect(record.locator("body")).to_contain_text(expected)
    assert_clean(page, frame_element.element_handle().content_frame())
    shoot(page, "injection-trainer-case")

    read_cfpb_path(page, cfpb_with_payloads(tmp_path))
    expect(page.get_by_text("1 money-transfer and wallet complaints received")).to_be_visible()
    titles = page.locator(".wb-chart:visible svg title")
    for payload in (SCRIPT, IMG, SVG, QUOTE):
        expect(titles.filter(has_text=f"{payload}: 1 (100%)")).to_have_count(1)
    assert_clean(page)

    page.get_by_role("button", name="中文").click()  # the whole dashboard drawn again, in Chinese
    expect(page.get_by_role("tab", name="案例", exact=True)).to_be_visible()
    expect(page.locator(".wb-error")).to_contain_text(f"重复出现了“{IMG}”")
    assert_clean(page)
