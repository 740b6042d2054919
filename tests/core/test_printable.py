from datetime import date, datetime

from complaint.model import AuditAnswers, Case, Contact, EvidenceFile, EvidenceItem
from complaint.printable import printable_html

HOSTILE = "<img src=x onerror=alert(1)><script>window.__pwned=1</script>"


def test_every_user_string_is_escaped_and_the_page_is_self_contained():
    case = Case(problem="other", problem_other=HOSTILE, description=HOSTILE, provider="other", provider_other=HOSTILE, goal="refund")
    case.evidence = {"transaction_record": EvidenceItem(status="have", note=HOSTILE, files=[EvidenceFile(HOSTILE.replace("/", "_"), 10, "image/png", datetime(2026, 11, 20), "a" * 64)])}
    case.contacts = [Contact(when=datetime(2026, 11, 21, 9, 0), channel="email", agent=HOSTILE, promised_by=date(2026, 11, 22), outcome="pending")]
    case.audit = AuditAnswers(answers={"two_factor": "none"})
    case.escalation.your_name = HOSTILE
    page = printable_html(case, date(2026, 11, 25))
    assert "<script" not in page and "<img" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "http" not in page and "src=" not in page.replace("&lt;img src=x", "")  # nothing loaded from outside
    assert "@page { size: A4" in page and "class='overdue'" in page
    assert "a" * 64 in page  # the fingerprint, to show later that a file is unchanged


def test_the_page_is_in_the_cases_language():
    page = printable_html(Case(language="en", problem="account_locked"), date(2026, 11, 25))
    assert "<html lang='en'>" in page and "Complaint record" in page and "Account locked" in page


def test_the_escalation_section_gives_each_rung_its_own_date_and_marks_unconfirmed_figures():
    case = Case(language="en", problem="funds_not_arriving", provider="jd", description="x", goal="refund")
    case.contacts = [Contact(when=datetime(2026, 11, 20, 9, 0), channel="online_chat")]
    case.escalation.filed = {"company": date(2026, 11, 21)}
    case.escalation.fraud = True
    page = printable_html(case, date(2026, 11, 25))
    assert "from 5 December 2026 (to verify)" in page  # 15 days after the first complaint, not the escalation
    assert "Possible once your first contact (20 November 2026)" in page
    assert "96110" in page and "PBoC Order" in page
