from datetime import date, datetime

from complaint.model import AuditAnswers, Case, Contact, EvidenceFile, EvidenceItem
from complaint.printable import printable_html

HOSTILE = "<img src=x onerror=alert(1)><script>window.__pwned=1</script>"


def test_every_user_string_is_escaped_and_the_page_is_self_contained():
    case = Case(
        problem="other",
        problem_other=HOSTILE,
        description=HOSTILE,
        provider="other",
        provider_other=HOSTILE,
        goal="refund",
    )
    case.evidence = {
        "transaction_record": EvidenceItem(
            status="have",
            note=HOSTILE,
            files=[
                EvidenceFile(
                    HOSTILE.replace("/", "_"), 10, "image/png", datetime(2026, 11, 20), "a" * 64
                )
            ],
        )
    }
    case.contacts = [
        Contact(
            when=datetime(2026, 11, 21, 9, 0),
            channel="email",
            agent=HOSTILE,
            promised_by=date(2026, 11, 22),
            outcome="pending",
        )
    ]
    case.audit = AuditAnswers(answers={"two_factor": "none"})
    case.escalation.your_name = HOSTILE
    page = printable_html(case, date(2026, 11, 25))
    assert (
        "<script" not in page
        and "<img" not in page
        and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "http" not in page and "src=" not in page.replace(
        "&lt;img src=x", ""
    )  # nothing loaded from outside
    assert "@page { size: A4" in page and "class='overdue'" in page
    assert "a" * 64 in page  # the fingerprint, to show later that a file is unchanged


def test_the_page_is_in_the_cases_language():
    page = printable_html(Case(language="en", problem="account_locked"), date(2026, 11, 25))
    assert "<html lang='en'>" in page and "Complaint record" in page and "Account locked" in page


def test_the_escalation_section_gives_each_rung_its_own_date_and_marks_unconfirmed_figures():
    case = Case(
        language="en", problem="funds_not_arriving", provider="jd", description="x", goal="refund"
    )
    case.contacts = [Contact(when=datetime(2026, 11, 20, 9, 0), channel="online_chat")]
    case.escalation.filed = {"company": date(2026, 11, 21)}
    case.escalation.fraud = True
    page = printable_html(case, date(2026, 11, 25))
    assert (
        "you may go from 27 November 2026" in page
    )  # the statement's 7 days from the first complaint, not the escalation
    assert "Possible once your first contact (20 November 2026)" in page
    assert "96110" in page and "PBoC Order" in page
    # every figure and body says how sure it is, in plain words; no internal notes
    assert "from secondary sources; the article is not confirmed; checked 2026-11-29" in page
    assert "checked against the rule&#x27;s text on 2026-11-29" in page  # escaped like every text
    assert "网银在线（北京）支付科技有限公司" in page and "routes below are yours to choose" in page
    assert "PRODUCT.md" not in page and "offline" not in page
    assert (
        "call 12378 (this arrangement is to be checked)" in page
    )  # the body's note travels with the record


def test_every_printed_page_has_a_footer_with_the_case_id_the_date_and_page_numbers():
    case = Case(language="en", problem="account_locked")
    page = printable_html(case, date(2026, 11, 25))
    assert (
        f'@bottom-left {{ content: "Complaint record · case ID {case.case_id} · 25 November 2026"'
        in page
    )
    assert '@bottom-right { content: "Page " counter(page) " of " counter(pages)' in page
    zh = printable_html(Case(language="zh"), date(2026, 11, 25), case_id='x"</style><script>')
    assert '"第 " counter(page) " 页，共 " counter(pages) " 页"' in zh
    assert "</style><script>" not in zh and "<script" not in zh.lower().replace(
        "&lt;script", ""
    )  # a hostile id cannot leave the style
    assert "h2, .wb-timeline figcaption { break-after: avoid" in page.replace(
        "h1, h2", "h2"
    )  # no heading alone at a page's foot
