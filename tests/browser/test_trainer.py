"""The trainer's dashboard as a trainer uses it (issue 6, items 2, 3 and 5).

One Voilà server for the module serves ``notebooks/trainer.ipynb`` (what ``make trainer`` serves)
on a cases folder the test fills through the workbook's own core: a real case full of personal
details saved by CaseStore, a practice case, a generated workshop, a participant's sub-folder as
on a JupyterHub, and one damaged file named like a sheet. Then, in headless Chromium: the table,
its filters, one case opened read-only in the sandboxed frame, Refresh, the charts, the exports
(anonymised ones must not carry any of the personal details, the others must), the CFPB material
through the path field and the upload, and both languages. Screenshots: artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from complaint import clock
from complaint.audit import load_security
from complaint.codes import participant_number
from complaint.model import Case, Contact, EvidenceFile, EvidenceItem
from complaint.scenarios import fill_case
from complaint.storage import CaseStore
from complaint.synthetic import cfpb_export, write_workshop
from complaint.trainer.counts import matches
from complaint.trainer.index import CaseIndex
from complaint.trainer.summary import CaseSummary

from .conftest import DESKTOP, ROOT, running_voila

pytestmark = pytest.mark.browser

CFPB_SAMPLE = ROOT / "tests" / "fixtures" / "cfpb-ccdb-v2-sample.csv"
#: Distinctive details of the real cases: anonymised exports must drop every one of them.
PERSONAL = {
    "your_name": "Wren Seedname",
    "your_phone": "139-0042-7766",
    "your_address": "88 Kestrel Lane, Seedville",
    "company_address": "Osprey Tower 17, Seed City",
    "transaction_id": "TXN-PLOVER-55201",
    "description": "Heron narrative: my rent vanished although the app said success",
    "goal_details": "Ibis demand: refund within 7 days",
    "note": "Finch note: screenshot kept on the old phone",
    "file": "receipt-Siskin.png",
    "agent": "Agent Curlew-7",
    "reference": "TICKET-GANNET-31",
    "asked": "Asked for a Merlin refund",
    "offered": "Offered a Dunlin voucher",
    "promised": "Promised a Lapwing callback",
    "statement": "Statement Avocet: please refund me.",
    "account_last4": "QZXW",
    "participant": "alice-Puffin",
    "provider_other": "Shrike Wallet Co",
    "label": "Seat Razorbill 12",
}
CORRUPT = "deadbeef" * 3 + ".csv"


def seed_cases(root: Path) -> dict[str, str]:
    """Fill ``root`` the way a workshop does; returns the case ids of the hand-made cases."""
    today = clock.today()
    store = CaseStore(root)
    real = store.new_case("en")
    real.problem, real.provider, real.event_date, real.amount = (
        "funds_not_arriving",
        "alipay",
        today - timedelta(days=9),
        Decimal("3200"),
    )
    for name in (
        "transaction_id",
        "account_last4",
        "description",
        "goal_details",
        "statement_company",
    ):
        setattr(real, name, PERSONAL["statement" if name == "statement_company" else name])
    real.goal, real.participant_label = "refund", PERSONAL["label"]
    uploaded = datetime.now(UTC).replace(microsecond=0)
    real.evidence = {
        "transaction_record": EvidenceItem(
            "have",
            PERSONAL["note"],
            [EvidenceFile(PERSONAL["file"], 2048, "image/png", uploaded, "5e" * 32)],
        )
    }
    real.contacts = [
        Contact(
            when=datetime.combine(today - timedelta(days=7), time(10, 0)),
            channel="phone_hotline",
            outcome="refused",
            **{
                part: PERSONAL[part]
                for part in ("agent", "reference", "asked", "offered", "promised")
            },
        )
    ]
    for name in ("your_name", "your_phone", "your_address", "company_address"):
        setattr(real.escalation, name, PERSONAL[name])
    store.save(real)

    hub = fill_case(Case(language="zh"), "locked-after-new-phone", today)
    hub.practice, hub.provider, hub.provider_other = (
        "",
        "other",
        PERSONAL["provider_other"],
    )  # a real case, on a JupyterHub
    CaseStore(root / PERSONAL["participant"]).save(hub)
    practice = fill_case(Case(language="en"), "cashback-not-as-advertised", today)
    security = load_security()  # a self-audit answered in full: the only one the score chart counts
    practice.audit.answers = {
        question.id: security.answer_sets[question.answers][0].id for question in security.questions
    }
    practice.audit.phishing = {example.id: example.answer for example in security.phishing}
    store.save(practice)
    write_workshop(root, 6, seed=11, today=today)
    (root / CORRUPT).write_bytes(
        b'\xef\xbb\xbfkey,label,value,display\r\nformat_version,"Sheet format version,5\r\n'
    )
    return {"real": real.case_id, "hub": hub.case_id, "practice": practice.case_id}


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    root = tmp_path_factory.mktemp("trainer-cases")
    ids = seed_cases(root)
    log = tmp_path_factory.mktemp("trainer") / "voila.log"
    with running_voila("notebooks/trainer.ipynb", root, log) as url:
        yield url, root, ids


@pytest.fixture(scope="module")
def english_page(browser, trainer):
    """One English dashboard for the tests of this module (a page is a kernel: seconds each)."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(30_000)
    yield open_dashboard(context.new_page(), trainer[0] + "?lang=en")
    context.close()


@pytest.fixture
def english(english_page):
    """The shared English dashboard as a trainer first sees it: the cases tab, no filter, no case open,
    exports anonymised."""
    page = english_page
    page.get_by_role("tab", name="Cases").click()
    page.get_by_label("Problem", exact=True).select_option(label="All problems")
    page.get_by_role("button", name="All cases").click()
    page.get_by_label("Step not complete").select_option(label="Any")
    page.get_by_label("Search", exact=True).fill("")
    page.get_by_label("Search", exact=True).press("Enter")
    page.get_by_label(re.compile("^Refresh by itself")).uncheck()
    if page.get_by_role("button", name="Close", exact=True).is_visible():
        page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_role("tab", name="Export").click()
    page.get_by_label("Anonymise (for sharing with a consumer association)").check()
    page.get_by_role("tab", name="Cases").click()
    return page


def expected_cases(
    root: Path, problem: str = "", kind: str = "all", text: str = "", stuck_at: str = ""
) -> list[CaseSummary]:
    """What the workbook's own reader finds in the folder, narrowed as the dashboard should."""
    overview = CaseIndex(root, index_file=None).refresh()
    return [case for case in overview.cases if matches(case, problem, kind, text, stuck_at)]


def open_dashboard(page: Page, url: str, tab: str = "") -> Page:
    """The dashboard once its kernel has read the cases folder, on ``tab`` if given."""
    page.goto(url)
    expect(page.locator(".wb-trainer .wb-status")).to_be_visible(timeout=60_000)
    if tab:
        page.get_by_role("tab", name=tab).click()
    return page


def read_cfpb_path(page: Page, path: Path) -> None:
    """The CFPB tab's path field: a file on the trainer's own server."""
    page.get_by_role("tab", name="Real-world material (CFPB)").click()
    page.get_by_label("Or a CSV file on this server").fill(str(path))
    page.get_by_role("button", name="Read the file").click()


def picker_label(case_id: str, problem: str, *who: str) -> str:
    """The case picker's option for a case: participant folder and name or seat if any, number, id, problem."""
    return " · ".join([*who, f"No. {participant_number(case_id)}", case_id[:8], problem])


def shown_ids(page: Page) -> set[str]:
    return set(page.locator(".wb-table tbody tr code").all_inner_texts())


def expect_rows(page: Page, cases: list[CaseSummary]) -> None:
    """The table shows exactly ``cases``, newest save first (waits for the kernel's redraw)."""
    expect(page.locator(".wb-table tbody tr code")).to_have_text(
        [case.case_id[:8] for case in cases]
    )


def choose_file(page: Page, button, path: Path) -> None:
    """ipywidgets' FileUpload opens a file input that is not in the page: answer its file chooser."""
    with page.expect_file_chooser() as chooser:
        button.click()
    chooser.value.set_files(str(path))


def save_download(page: Page, link, folder: Path) -> Path:
    with page.expect_download() as info:
        link.click()
    path = folder / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_chinese_by_default_every_case_listed_and_the_damaged_sheet_reported(
    trainer, new_page, shoot
):
    url, root, ids = trainer
    page = open_dashboard(new_page(DESKTOP), url)
    expect(page.get_by_role("heading", name="培训者面板：本次工作坊的全部案例")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.get_by_role("tab", name="案例", exact=True)).to_have_attribute(
        "aria-selected", "true"
    )
    cases = expected_cases(root)
    expect_rows(page, cases)
    hub_row = page.locator(".wb-table tbody tr").filter(has_text=ids["hub"][:8])
    expect(hub_row).to_contain_text(PERSONAL["participant"])
    expect(page.locator(".wb-table .wb-tag")).to_have_count(
        sum(1 for case in cases if case.practice)
    )
    expect(page.locator(".wb-table .wb-tag").first).to_have_text("练习")
    expect(page.locator(".wb-status")).to_contain_text(f"共 {len(cases)} 个案例 · 1 份无法读取")
    problems = page.locator(".wb-error")
    expect(problems).to_contain_text("无法作为案例表读取的文件（上表未列出）：1 个")
    expect(problems).to_contain_text(f"{CORRUPT}: 投诉记录表的格式已损坏")
    shoot(page, "trainer-zh-cases")


def test_english_filters_narrow_the_table(trainer, english):
    _url, root, ids = trainer
    page = english
    expect(
        page.get_by_role("heading", name="Trainer dashboard: all cases of this workshop")
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".wb-error")).to_contain_text(f"{CORRUPT}: The case sheet is damaged")
    expect_rows(page, expected_cases(root))

    problem = page.get_by_label("Problem", exact=True)
    problem.select_option(label="Account locked")
    locked = expected_cases(root, problem="account_locked")
    assert ids["hub"][:8] in {case.case_id[:8] for case in locked}
    expect_rows(page, locked)
    for cell in page.locator(".wb-table tbody tr td:nth-child(2)").all_inner_texts():
        assert cell == "Account locked"
    problem.select_option(label="All problems")

    page.get_by_role("button", name="Real cases").click()
    expect_rows(page, expected_cases(root, kind="real"))
    assert {ids["real"][:8], ids["hub"][:8]} <= shown_ids(page) and ids["practice"][
        :8
    ] not in shown_ids(page)
    page.get_by_role("button", name="Practice cases").click()
    expect_rows(page, expected_cases(root, kind="practice"))
    assert ids["practice"][:8] in shown_ids(page) and ids["real"][:8] not in shown_ids(page)
    page.get_by_role("button", name="All cases").click()

    page.get_by_label("Step not complete").select_option(label="Security")
    not_secured = expected_cases(root, stuck_at="security")
    assert ids["real"][:8] in {case.case_id[:8] for case in not_secured}
    expect_rows(page, not_secured)
    page.get_by_label("Step not complete").select_option(label="Any")

    search = page.get_by_label("Search", exact=True)
    search.fill("puffin")  # the participant's folder, any case
    search.press("Enter")
    expect_rows(page, expected_cases(root, text="puffin"))
    assert shown_ids(page) == {ids["hub"][:8]}
    search.fill(ids["real"][:8])
    search.press("Enter")
    expect_rows(page, expected_cases(root, text=ids["real"][:8]))
    search.fill("no such participant")
    search.press("Enter")
    expect(page.locator(".wb-table tbody tr")).to_have_count(0)
    expect(
        page.get_by_text("No case matches yet.").first
    ).to_be_visible()  # (the charts tab says it too)


def test_a_case_opens_read_only_in_a_frame_that_runs_no_script(trainer, english, shoot):
    _url, root, ids = trainer
    page = english
    page.get_by_label("Case", exact=True).select_option(
        label=picker_label(ids["real"], "Money has not arrived", PERSONAL["label"])
    )
    page.get_by_role("button", name="Open", exact=True).click()
    frame_element = page.locator("iframe.wb-case-frame")
    expect(frame_element).to_have_attribute(
        "sandbox", ""
    )  # an empty sandbox: no script, no form, no navigation
    expect(page.locator(".wb-hint").filter(has_text="Read-only view of")).to_contain_text(
        f"{ids['real']}.csv"
    )
    record = page.frame_locator("iframe.wb-case-frame")
    expect(record.get_by_role("heading", name="Complaint record")).to_be_visible()
    for part in (
        "description",
        "transaction_id",
        "agent",
        "reference",
        "note",
        "file",
        "statement",
    ):
        expect(record.locator("body")).to_contain_text(PERSONAL[part])
    expect(record.locator("body")).to_contain_text(f"••••{PERSONAL['account_last4']}")
    shoot(page, "trainer-en-case-open")

    page.get_by_role("button", name="Close", exact=True).click()
    expect(frame_element).to_have_count(0)
    expect(page.get_by_role("button", name="Close", exact=True)).to_be_hidden()
    # The participant's case on a JupyterHub, in its own language (Chinese).
    page.get_by_label("Case", exact=True).select_option(
        label=picker_label(ids["hub"], "Account locked", PERSONAL["participant"])
    )
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page.locator(".wb-hint").filter(has_text="Read-only view of")).to_contain_text(
        f"{PERSONAL['participant']}/{ids['hub']}.csv"
    )
    expect(record.get_by_role("heading", name="投诉记录")).to_be_visible()
    expect(record.locator("body")).to_contain_text(PERSONAL["provider_other"])


def test_the_charts_follow_the_filter(trainer, english, shoot):
    _url, root, _ids = trainer
    page = english
    page.get_by_role("tab", name="Charts").click()
    charts = page.locator(".wb-chart")
    expect(charts).to_have_count(6)
    expect(charts.locator("svg[role=img]")).to_have_count(6)
    captions = (
        "Problem mix",
        "Evidence completeness",
        "How far the security self-audit got",
        "Security self-audit scores",
        "escalation ladder",
        "Number of steps complete",
    )
    for caption in captions:
        expect(charts.locator("figcaption").filter(has_text=caption)).to_have_count(1)
    problem_mix = charts.filter(has_text="Problem mix")
    expect(problem_mix).to_contain_text(f"{len(expected_cases(root))} cases in the current filter")
    expect(problem_mix.locator("svg title").filter(has_text="Account locked")).to_have_count(1)
    assert charts.first.locator("svg").bounding_box()["width"] > 200
    shoot(page, "trainer-en-charts")

    page.get_by_role("tab", name="Cases").click()
    page.get_by_role("button", name="Real cases").click()
    page.get_by_role("tab", name="Charts").click()
    expect(problem_mix).to_contain_text(
        f"{len(expected_cases(root, kind='real'))} cases in the current filter"
    )


def test_exports_anonymised_carry_no_personal_detail_the_others_do(
    trainer, english, shoot, tmp_path
):
    _url, root, ids = trainer
    page = english
    page.get_by_role("tab", name="Export").click()
    anonymise = page.get_by_label("Anonymise (for sharing with a consumer association)")
    expect(anonymise).to_be_checked()
    cases = expected_cases(root)
    result = page.locator(".wb-trainer [role=status]").filter(has_text="exported to")

    exports = {
        "All answers (one CSV)": "cases-combined",
        "Case sheets (ZIP)": "case-sheets",
        "Case table (CSV)": "cases-table",
        "Cases, answers and contacts (Excel)": "cases",
    }

    def export(button: str, folder: Path, suffix: str) -> Path:
        page.get_by_role("button", name=button).click()
        # "Download <file> XLSX · 12 KB": the button names the file, its type and its size
        name = re.compile(
            rf"^Download {exports[button]}-\d{{4}}-\d\d-\d\d{suffix}\.(csv|zip|xlsx) (CSV|ZIP|XLSX) · [\d.]+ (B|KB|MB)$"
        )
        link = page.get_by_role("link", name=name)
        expect(link).to_have_count(1)  # the new link: the previous export's is replaced
        expect(result).to_contain_text(
            f"{len(cases)} cases exported to {link.get_attribute('download')}."
        )
        return save_download(page, link, folder)

    anonymous, full = tmp_path / "anonymous", tmp_path / "full"
    anonymous.mkdir(), full.mkdir()
    files = {button: export(button, anonymous, "-anonymised") for button in exports}
    shoot(page, "trainer-en-export")
    anonymise.uncheck()
    files_full = {button: export(button, full, "") for button in exports}
    combined = files["All answers (one CSV)"].read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(combined)))
    real_ids = {case.case_id for case in cases}
    anonymous_ids = {row["case_id"] for row in rows}
    assert (
        len(anonymous_ids) == len(cases) and not anonymous_ids & real_ids
    )  # re-keyed: not joinable to a participant's file
    assert "participant" not in rows[0]
    with zipfile.ZipFile(files["Case sheets (ZIP)"]) as archive:
        names = {name.removesuffix(".csv") for name in archive.namelist()}
        assert (
            len(names) == len(cases)
            and "/" not in "".join(names)
            and not names & (real_ids | anonymous_ids)
        )  # a new key per export
        zipped = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    table = files["Case table (CSV)"].read_text(encoding="utf-8-sig")
    workbook = xlsx_text(files["Cases, answers and contacts (Excel)"])
    assert not {line.split("\t")[0] for line in workbook.splitlines()} & real_ids
    for text in (combined, zipped, table, workbook):
        leaked = [value for value in PERSONAL.values() if value in text]
        assert not leaked, leaked

    combined_full = files_full["All answers (one CSV)"].read_text(encoding="utf-8-sig")
    with zipfile.ZipFile(files_full["Case sheets (ZIP)"]) as archive:
        assert f"{PERSONAL['participant']}/{ids['hub']}.csv" in archive.namelist()
        assert (
            archive.read(f"{ids['real']}.csv") == (root / f"{ids['real']}.csv").read_bytes()
        )  # as saved, byte for byte
        zipped_full = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    for text in (combined_full, zipped_full):
        missing = [
            value for key, value in PERSONAL.items() if key != "participant" and value not in text
        ]
        assert not missing, missing
    assert PERSONAL["participant"] in combined_full and PERSONAL["participant"] in files_full[
        "Case table (CSV)"
    ].read_text(encoding="utf-8-sig")
    workbook_full = xlsx_text(files_full["Cases, answers and contacts (Excel)"])
    assert PERSONAL["participant"] in workbook_full and real_ids <= {
        line.split("\t")[0] for line in workbook_full.splitlines()
    }


def xlsx_text(path: Path) -> str:
    """Every cell of an .xlsx, a line per row, cells separated by tabs; fails on a live formula."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    cells = [[cell for cell in row] for table in book.worksheets for row in table.iter_rows()]
    assert not [cell.coordinate for row in cells for cell in row if cell.data_type == "f"]
    return "\n".join("\t".join(str(cell.value) for cell in row) for row in cells)


def test_cfpb_material_through_the_path_and_the_upload(trainer, english, shoot):
    _url, root, ids = trainer
    page = english
    read_cfpb_path(page, root / "no-such-export.csv")
    expect(
        page.get_by_role("alert").filter(has_text="There is no readable file at this path.")
    ).to_be_visible()

    summary = "1 money-transfer and wallet complaints received between 2019-09-08 and 2019-09-08 (29 about other products skipped). 100% got a timely response."
    headline = "30 of the 30 rows in the file read; 0 could not be read."
    read_cfpb_path(page, CFPB_SAMPLE)
    expect(page.get_by_text(summary)).to_be_visible()
    expect(page.get_by_text(headline)).to_be_visible()
    cfpb_charts = page.locator(".wb-chart").filter(
        has=page.locator(
            "figcaption", has_text=re.compile("Company response|Timely|Sub-product|Most frequent")
        )
    )
    expect(cfpb_charts).to_have_count(4)
    expect(cfpb_charts.first.locator("svg title")).to_contain_text(
        "Closed with explanation: 1 (100%)"
    )
    shoot(page, "trainer-en-cfpb")

    upload = page.get_by_role("button", name=re.compile("Upload CSV"))
    choose_file(page, upload, root / f"{ids['real']}.csv")  # a case sheet is not a CFPB export
    expect(page.get_by_role("alert")).to_contain_text(
        "This is not a CSV export of the CFPB Consumer Complaint Database"
    )
    expect(page.get_by_text(summary)).to_have_count(0)
    choose_file(page, upload, CFPB_SAMPLE)
    expect(page.get_by_text(summary)).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="not a CSV export")).to_have_count(0)
    expect(cfpb_charts).to_have_count(4)


def test_refresh_picks_up_a_case_saved_after_the_page_opened(trainer, english):
    _url, root, _ids = trainer
    page = english
    before = expected_cases(root)
    expect_rows(page, before)
    late = Case(language="en", problem="privacy_security", provider="wechat_pay")
    CaseStore(root).save(late)
    expect(page.locator(".wb-table tbody tr")).to_have_count(len(before))  # nothing moves by itself
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator(".wb-status")).to_contain_text(
        re.compile(rf"{len(before) + 1} cases · unreadable sheets: 1 · sheets read at [0-9:]+: 1$")
    )
    expect_rows(page, expected_cases(root))
    expect(page.locator(".wb-table tbody tr").first).to_contain_text(
        late.case_id[:8]
    )  # newest save first
    page.get_by_label("Case", exact=True).select_option(
        label=picker_label(late.case_id, "Privacy or security concern")
    )


# ---- details a first version got wrong, each checked on its own -------------------------------


def test_the_read_only_record_names_the_case_it_shows(english, trainer):
    _url, _root, ids = trainer
    page = english
    page.get_by_label("Case", exact=True).select_option(
        label=picker_label(ids["practice"], "Misleading advertising")
    )
    page.get_by_role("button", name="Open", exact=True).click()
    meta = page.frame_locator("iframe.wb-case-frame").locator("p.meta")  # "Made on …; case ID …"
    expect(meta).to_contain_text("case ID")
    expect(meta).to_contain_text(ids["practice"], timeout=2_000)


def test_every_tab_title_is_shown_whole(english):
    labels = english.locator(".wb-trainer .lm-TabBar-tabLabel")
    expect(labels).to_have_count(4)
    cut = labels.evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)"
    )
    assert not cut, cut


def test_the_anonymise_choice_is_shown_whole(english):
    english.get_by_role("tab", name="Export").click()
    for text in (
        "Anonymise (for sharing with a consumer association)",
        "Refresh by itself every 15 s",
    ):
        label = english.locator(".wb-trainer .widget-checkbox .widget-label-basic").filter(
            has_text=text
        )
        expect(label).to_contain_text(text)
        assert label.evaluate("e => e.scrollWidth <= e.clientWidth"), (
            f"the label is cut off: {text}"
        )


def test_the_cfpb_upload_button_says_what_it_does(english):
    english.get_by_role("tab", name="Real-world material (CFPB)").click()
    button = english.locator(
        ".wb-trainer .widget-upload:visible"
    )  # the cases tab has one too (handed-in sheets)
    expect(button).to_be_visible()
    shown = button.evaluate(
        "e => getComputedStyle(e, '::after').content"
    )  # the visible label (workbook.css)
    assert shown == '"Upload CSV"', shown


def big_export(path: Path, megabytes: int) -> Path:
    """A CFPB export of about ``megabytes`` MB (generated rows, some of them broken, repeated)."""
    chunk = cfpb_export(20_000, 7)
    header, body = chunk.split(b"\r\n", 1)
    with open(path, "wb") as handle:
        handle.write(chunk)
        while handle.tell() < megabytes * 1024 * 1024:
            handle.write(body)
    return path


def test_chart_labels_stay_inside_their_chart(english, tmp_path, shoot):
    """Labels on the left and counts on the right, with counts in the hundreds of thousands."""
    page = english
    read_cfpb_path(page, big_export(tmp_path / "export.csv", 40))
    labels = page.locator(".wb-chart:visible svg text")
    expect(labels.filter(has_text="Closed with explanation")).to_have_count(1, timeout=60_000)
    expect(
        page.get_by_text(re.compile(r"^[0-9,]{7,} of the [0-9,]{7,} rows in the file read"))
    ).to_be_visible()
    outside = labels.evaluate_all(
        "els => els.filter(t => { const b = t.getBBox(); return b.x < 0 || b.x + b.width > t.ownerSVGElement.viewBox.baseVal.width; })"
        ".map(t => t.textContent)"
    )
    assert not outside, f"cut at the chart's edge: {outside}"
    assert re.search(r"\d{1,3},\d{3} · \d+%", " ".join(labels.all_text_contents()))
    shoot(page, "trainer-en-cfpb-large")


def test_a_large_cfpb_read_shows_progress_can_be_cancelled_and_the_dashboard_stays_usable(
    english, trainer, tmp_path, shoot
):
    page = english
    export = big_export(tmp_path / "large.csv", 300)
    read_cfpb_path(page, export)
    progress = page.locator(".wb-progress-text").filter(has_text="Reading the file:")
    expect(progress).to_contain_text(re.compile(r"[0-9,]+ rows, [0-9,]+ of 30[0-9] MB"))
    expect(page.get_by_role("button", name="Read the file")).to_be_disabled()
    shoot(page, "trainer-en-cfpb-progress")
    # Meanwhile the rest of the dashboard answers: a filter narrows the table.
    page.get_by_role("tab", name="Cases").click()
    page.get_by_label("Problem", exact=True).select_option(label="Account locked")
    expect_rows(page, expected_cases(trainer[1], problem="account_locked"))
    page.get_by_role("tab", name="Real-world material (CFPB)").click()
    expect(progress).to_be_visible()  # still reading: the filter was answered during the read
    page.get_by_role("button", name="Cancel").click()
    expect(
        page.get_by_text(re.compile(r"^Stopped at your request after [0-9,]+ MB"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Read the file")).to_be_enabled()
    expect(progress).to_have_count(0)


def test_who_is_stuck_number_and_name_in_the_table(english, trainer):
    _url, _root, ids = trainer
    page = english
    row = page.locator(".wb-table tbody tr").filter(has_text=ids["real"][:8])
    number = participant_number(ids["real"])
    expect(row.locator(".wb-number")).to_have_text(f"No. {number}")
    expect(row).to_contain_text(PERSONAL["label"])
    search = page.get_by_label("Search", exact=True)
    search.fill(number)  # what the participant reads out from their screen
    search.press("Enter")
    expect(page.locator(".wb-table tbody tr code")).to_have_text([ids["real"][:8]])


def test_the_table_refreshes_itself_when_asked(english, trainer):
    _url, root, _ids = trainer
    page = english
    page.get_by_label(re.compile("^Refresh by itself every 15 s")).check()
    late = Case(language="zh", problem="slow_service", provider="alipay")
    CaseStore(root).save(late)
    expect(page.locator(".wb-table tbody tr").first).to_contain_text(
        late.case_id[:8], timeout=40_000
    )  # no click
    page.get_by_label(re.compile("^Refresh by itself")).uncheck()


def test_a_right_to_left_override_does_not_reverse_what_the_trainer_reads(english, trainer):
    """Issue 13: U+202E typed by a participant showed the trainer reversed text."""
    _url, root, _ids = trainer
    page = english
    case = Case(
        language="en",
        problem="other",
        problem_other="x",
        description="paid to \u202eliamg.evil@\u202c shop",
        participant_label="Seat \u202e21",
    )
    CaseStore(root).save(case)
    page.get_by_role("button", name="Refresh").click()
    row = page.locator(".wb-table tbody tr").filter(has_text=case.case_id[:8])
    expect(row).to_contain_text("Seat \ufffd21")
    assert "\u202e" not in row.inner_text() and row.locator("bdi").count() >= 1
    page.get_by_label("Case", exact=True).select_option(
        label=picker_label(case.case_id, "Something else", "Seat \ufffd21")
    )
    page.get_by_role("button", name="Open", exact=True).click()
    body = page.frame_locator("iframe.wb-case-frame").locator("body")
    expect(body).to_contain_text("paid to \ufffdliamg.evil@\ufffd shop")
    assert "\u202e" not in body.inner_text()
