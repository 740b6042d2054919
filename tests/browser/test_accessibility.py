"""WCAG 2.1 AA as axe-core measures it, on every screen of the workbook and the trainer's dashboard.

axe-core comes from npm, pinned by tests/browser/axe/package-lock.json (``make axe``, part of
``make test``), and is injected into the page by Playwright. The screens: the start screen, each of
the nine steps of a filled-in practice case (the channel guide is on the contacts step, the
downloads on the review), the printable record, and each tab of the trainer's dashboard, in
Chinese and English, at phone (390×844) and desktop (1280×900) size; then, at phone size in
Chinese, the start screen offering a case this device remembers and every step of a new, empty case
with the contact form open; and the security check on its own (``?module=security``).

To stay affordable on a small CI machine there is one page (one kernel) per server: the viewport
is resized and the language switched in place. Any serious or critical violation fails the test;
every violation, moderate and minor ones too, is written to artifacts/accessibility/ (JSON for
tools, text for people).
"""

from __future__ import annotations

import base64
import contextlib
import json
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from complaint import clock
from complaint.audit import evaluate, load_security
from complaint.i18n import (
    Translator,
    locale,  # the language switch names each language in its own
)
from complaint.model import AuditAnswers
from complaint.scenarios import fill_case, scenarios
from complaint.steps import step_ids
from complaint.storage import CaseStore
from complaint.synthetic import write_workshop

from .conftest import DESKTOP, PHONE, ROOT, running_voila

pytestmark = pytest.mark.browser

AXE_JS = ROOT / ".node" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = ROOT / "artifacts" / "accessibility"
SIZES = {"phone": PHONE, "desktop": DESKTOP}
FAILING = ("critical", "serious")
#: How long to wait for the kernel's answer to a click: seconds on a loaded 2-core CI machine.
KERNEL_WAIT = 30_000
#: The practice case the workbook is audited with: filled in, so every step shows its content
#: (contacts logged, a plan with dates, a statement) and not only its empty state.
SCENARIO = "wrong-account-rent-transfer"
AXE_VERSION = (
    json.loads((AXE_JS.parent / "package.json").read_text())["version"] if AXE_JS.exists() else "?"
)


def run_axe(page: Page) -> list[dict]:
    """axe-core's violations on the page as it is now (injected once per loaded document)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary})),
            }));
        }"""
    )


class Audit:
    """The violations found per screen, written out as a report when the test ends."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.screens: dict[str, list[dict]] = {}

    def check(self, page: Page, screen: str, sizes=("phone", "desktop")) -> None:
        """Audit ``screen`` at each size, the page resized in place (the layout reflows).

        axe checks the contrast of text on screen only, and Voilà scrolls inside #rendered_cells:
        the viewport is made as tall as the content (at the size's width) so that all of it is."""
        for size in sizes:
            page.set_viewport_size(SIZES[size])
            page.wait_for_timeout(150)  # the reflow, and ipywidgets' own resize handlers
            height = page.evaluate(
                "(document.getElementById('rendered_cells') || document.documentElement).scrollHeight"
            )
            page.set_viewport_size(
                {"width": SIZES[size]["width"], "height": max(SIZES[size]["height"], height)}
            )
            page.wait_for_timeout(100)
            self.screens[f"{screen} · {size}"] = run_axe(page)
            page.set_viewport_size(SIZES[size])

    def failures(self) -> list[str]:
        return [
            f"{screen}: {v['impact']} {v['id']} ({len(v['nodes'])}×) e.g. {v['nodes'][0]['target']} {v['nodes'][0]['summary']}"
            for screen, violations in self.screens.items()
            for v in violations
            if v["impact"] in FAILING
        ]

    def write(self) -> Path:
        REPORTS.mkdir(parents=True, exist_ok=True)
        (REPORTS / f"axe-{self.name}.json").write_text(
            json.dumps(self.screens, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        totals = Counter(
            (v["impact"], v["id"])
            for violations in self.screens.values()
            for v in violations
            for _ in v["nodes"]
        )
        lines = [f"axe-core {AXE_VERSION} · {self.name} · {len(self.screens)} screens", ""]
        lines += [
            f"{impact:9} {rule:28} {count} nodes"
            for (impact, rule), count in sorted(totals.items())
        ] or ["no violations"]
        lines += ["", "Screens audited (violations of any impact):"]
        lines += [
            f"    {screen}: {sum(len(v['nodes']) for v in violations)}"
            for screen, violations in self.screens.items()
        ]
        lines.append("")
        for screen, violations in self.screens.items():
            for v in violations:
                lines.append(f"{screen}: {v['impact']} {v['id']}: {v['help']}")
                lines += [
                    f"    {' '.join(map(str, n['target']))}  {n['html'][:160]}"
                    for n in v["nodes"][:5]
                ]
        path = REPORTS / f"axe-{self.name}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@pytest.fixture(autouse=True)
def axe_installed():
    assert AXE_JS.exists(), "axe-core is missing: run `make axe` (part of `make test`)"


def switch_language(page: Page, language: str) -> None:
    page.get_by_role("button", name=locale(language).name, exact=True).click()
    expect(page.locator(f".wb-lang-{language}")).to_be_attached(
        timeout=KERNEL_WAIT
    )  # the kernel redraws every screen


def audit_printable(page: Page, audit: Audit, label: str, sizes) -> None:
    """The printable record the review offers, opened as the downloaded file would be."""
    href = page.locator("a[download$='.html']").first.get_attribute("href")
    media, _, payload = href.partition(",")
    html = (
        base64.b64decode(payload).decode("utf-8")
        if media.endswith(";base64")
        else urllib.parse.unquote(payload)
    )
    record = page.context.new_page()
    record.set_content(html)
    audit.check(record, f"printable record{label}", sizes)
    record.close()


def move_to(page: Page, t: Translator, step: str, forward: bool) -> None:
    """Next (or Back) until ``step``'s heading shows: a second press when the step first says what
    it still misses."""
    button = page.get_by_role("button", name=t("nav.next" if forward else "nav.back"), exact=True)
    heading = page.get_by_role("heading", name=t(f"step.{step}.title"), exact=True)
    for _press in range(2):
        button.click()
        try:
            heading.wait_for(
                state="visible", timeout=KERNEL_WAIT
            )  # a loaded CI machine can take seconds
            return
        except PlaywrightTimeout:
            continue
    expect(heading).to_be_visible(timeout=KERNEL_WAIT)


def audit_steps(
    page: Page,
    audit: Audit,
    language: str,
    forward: bool,
    label: str = "",
    sizes=("phone", "desktop"),
    add_contact=False,
) -> None:
    """Every step, walking with Next (forward) or Back from the review (not forward)."""
    t = Translator(language)
    order = step_ids() if forward else tuple(reversed(step_ids()))
    for number, step in enumerate(order):
        if number:
            move_to(page, t, step, forward)
        expect(page.get_by_role("heading", name=t(f"step.{step}.title"), exact=True)).to_be_visible(
            timeout=KERNEL_WAIT
        )
        if step == "contacts":  # the channel guide: one channel open, as the step shows it
            expect(page.locator(".wb-guide")).to_be_visible(timeout=KERNEL_WAIT)
        audit.check(page, f"{step_ids().index(step) + 1} {step}{label} · {language}", sizes)
        if step == "contacts" and add_contact:  # the log's form, open
            page.get_by_role("button", name=t("contacts.add"), exact=True).click()
            expect(
                page.get_by_role("heading", name=t("contacts.form_new"), exact=True)
            ).to_be_visible(timeout=KERNEL_WAIT)
            audit.check(
                page,
                f"{step_ids().index(step) + 1} {step}{label}, contact form · {language}",
                sizes,
            )
            page.get_by_role("button", name=t("contacts.cancel"), exact=True).click()
        if step == "review":
            expect(page.locator("a[download$='.html']")).to_have_count(1, timeout=KERNEL_WAIT)
            audit_printable(page, audit, f"{label} · {language}", sizes)


@contextlib.contextmanager
def audited_page(browser, name: str):
    """One page (one kernel) and its Audit; afterwards the report is written and any serious or
    critical violation fails the test, all of them listed."""
    audit = Audit(name)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.set_default_timeout(30_000)
    try:
        yield context.new_page(), audit
    finally:
        report = audit.write()
        context.close()
    failures = audit.failures()
    assert not failures, (
        f"{len(failures)} serious/critical axe violations (report: {report}):\n"
        + "\n".join(failures)
    )


def audit_security_module(page: Page, audit: Audit, url: str) -> None:
    """The security check on its own (``?module=security``, a workshop module), in English, every
    question answered "not sure": the to-do list then shows every priority's badge."""
    en, security = Translator("en"), load_security()
    page.goto(url + "?module=security&lang=en")
    expect(page.get_by_text(en("audit.standalone"))).to_be_visible(timeout=60_000)
    unsure = {
        question.id: security.answer_sets[question.answers][-1] for question in security.questions
    }
    for question in security.questions:
        card = page.locator(".wb-card").filter(has_text=en.pick(question.label))
        card.get_by_text(en.pick(unsure[question.id].label), exact=True).click()
    result = evaluate(
        AuditAnswers(answers={question: answer.id for question, answer in unsure.items()}), security
    )
    for priority in {action.priority for action in result.actions}:
        expect(page.locator(f".wb-priority-{priority}").first).to_be_visible(timeout=KERNEL_WAIT)
    audit.check(page, "security module · en")


def test_workbook_has_no_serious_or_critical_violation(browser, voila_url):
    zh, en = Translator("zh"), Translator("en")
    with audited_page(browser, "workbook") as (page, audit):
        page.goto(voila_url)
        expect(page.get_by_role("button", name=zh("start.new"))).to_be_visible(timeout=60_000)
        audit.check(page, "start · zh")
        switch_language(page, "en")
        audit.check(page, "start · en")
        page.get_by_role(
            "button", name=en("start.sheet_title"), exact=True
        ).click()  # built when opened
        page.get_by_role("button", name=en("practice.title"), exact=True).click()
        audit.check(page, "start, sheet and practice forms open · en")
        page.get_by_label(en("practice.choose"), exact=True).select_option(
            label=en.pick(scenarios()[SCENARIO].title)
        )
        page.get_by_role("button", name=en("practice.start"), exact=True).click()
        audit_steps(page, audit, "en", forward=True)
        switch_language(page, "zh")
        audit_steps(page, audit, "zh", forward=False)
        assert (
            len(audit.screens) == 2 * 2 * (1 + len(step_ids()) + 1) + 2
        )  # start, the steps, the record; 2 languages, 2 sizes; the opened forms
        # A new tab (a new kernel) on a device that remembers the case, then an empty new case:
        # the start screen's offer to continue, and every step before any answer (phone size).
        page.locator(".wb-remember-box").dispatch_event("click")  # wherever the header keeps it
        context = page.context
        page.close()
        page = context.new_page()
        page.goto(voila_url)
        expect(page.get_by_role("heading", name=zh("device.remembered_title"))).to_be_visible(
            timeout=60_000
        )
        audit.check(page, "start, a case remembered · zh")
        page.get_by_role("button", name=zh("start.new"), exact=True).click()
        audit_steps(
            page, audit, "zh", forward=True, label=", new case", sizes=("phone",), add_contact=True
        )
        audit_security_module(page, audit, voila_url)
        assert (
            len(audit.screens) == 44 + 2 + 2 + len(step_ids()) + 2 + 2
        )  # + the start screen's opened forms


@pytest.fixture(scope="module")
def trainer_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("a11y-trainer-cases")
    today = clock.today()
    store = CaseStore(root)
    store.save(fill_case(store.new_case("zh"), SCENARIO, today))
    write_workshop(root, 6, seed=5, today=today)
    with running_voila(
        "notebooks/trainer.ipynb", root, tmp_path_factory.mktemp("a11y-trainer") / "voila.log"
    ) as url:
        yield url


def test_trainer_dashboard_has_no_serious_or_critical_violation(browser, trainer_url):
    with audited_page(browser, "trainer") as (page, audit):
        page.goto(trainer_url)
        expect(page.locator(".wb-trainer .wb-status")).to_be_visible(timeout=60_000)
        for language in ("zh", "en"):
            if language != "zh":
                switch_language(page, language)
            t = Translator(language)
            for key in (
                "trainer.tab.cases",
                "trainer.tab.charts",
                "trainer.tab.export",
                "trainer.tab.cfpb",
            ):
                tab = page.get_by_role("tab", name=t(key), exact=True)
                tab.click()
                expect(tab).to_have_attribute("aria-selected", "true", timeout=KERNEL_WAIT)
                audit.check(page, f"{key.removeprefix('trainer.tab.')} · {language}")
        assert len(audit.screens) == 4 * 2 * 2
