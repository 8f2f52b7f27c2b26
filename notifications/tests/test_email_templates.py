"""Every email's words are templates a content designer can edit (templates/emails/), and no
service writes a subject or a body in Python."""

import ast
from datetime import UTC, date, datetime, time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from accounts.roles import Role
from notifications.emails import Email, email_render, template_names
from referrals.models import TriageDecisionKind

ROOT = Path(__file__).resolve().parents[2]

case = SimpleNamespace(reference="NSCP-2026-0042", title="Child Q")
person = SimpleNamespace(display_name="Ffion Marsh", email="ffion@example.test")
agency = "St Anne's School"
invitation = SimpleNamespace(
    first_name="Odile",
    last_name="Brackenbury",
    invited_by=person,
    partnership=SimpleNamespace(name="Northshire Safeguarding Children Partnership"),
    agency=SimpleNamespace(name=agency),
    expires_at=datetime(2026, 3, 9, 17, 0, tzinfo=UTC),
)
membership = SimpleNamespace(user=person, agency=None, partnership=invitation.partnership)
failed = SimpleNamespace(subject="Outcome", to_email="gone@example.test", attempts=5, recipient_id=None)
clock = SimpleNamespace(case=case)
url = "http://service.example/x/"

# One set of facts for every kind of email (a new kind without one fails the walk below).
EXAMPLES: dict[Email, dict[str, Any]] = {
    Email.INVITATION: {"invitation": invitation, "role": Role.AGENCY_LEAD, "link": url, "expires": invitation.expires_at, "reason": "", "then": ""},
    Email.INVITATION_EXISTING_ACCOUNT: {"invitation": invitation, "role": Role.AGENCY_LEAD},
    Email.PASSWORD_RESET: {"protocol": "https", "domain": "service.example", "uid": "MQ", "token": "abc-123", "site_name": "Safeguarding practice reviews"},
    Email.ROLE_GIVEN: {"membership": membership, "actor": person, "role": Role.CHAIR, "sign_in_url": url, "account_url": url},
    Email.REFERRAL_RECEIVED: {"case": case, "duplicates": [case]},
    Email.REFERRAL_DECISION: {"case": case, "decision": TriageDecisionKind.NOTIFY, "TriageDecisionKind": TriageDecisionKind, "local_learning_review": False, "url": url},
    Email.INFORMATION_REQUEST: {"case": case, "agency": agency, "actor": person, "due": "Summary due: working day 8", "days": 15, "message": "", "url": url},
    Email.INFORMATION_REQUEST_INVITATION: {"case": case, "agency": agency, "actor": person, "due": "Summary due: working day 8", "message": "Thanks"},
    Email.SUMMARY_SENT: {"case": case, "agency": agency, "url": url},
    Email.SUMMARY_ACCEPTED: {"case": case, "agency": agency, "actor": person, "comments": "", "url": url},
    Email.SUMMARY_SENT_BACK: {"case": case, "agency": agency, "actor": person, "comments": "Add the GP", "url": url},
    Email.SUMMARY_REOPENED_BY_PANEL: {"case": case, "comment": "The Panel challenges the decision: why?", "url": url},
    Email.SUMMARY_ASKED_AGAIN_BY_PANEL: {"case": case, "comment": "The Panel asks for every agency's summary", "url": url},
    Email.REQUEST_CLOSED: {"case": case, "agency": agency, "actor": person, "reason": "The school was closed for the summer", "url": url},
    Email.MEETING_INVITATION: {"case": case, "changed": True, "start": datetime(2026, 3, 4, 10, 0, tzinfo=UTC), "where": "Room 2", "url": url},
    Email.MEETING_PAPERS: {"case": case, "meeting": SimpleNamespace(date=date(2026, 3, 4), start_time=time(10, 0)), "url": url},
    Email.SIGN_OFF_REQUESTED: {"case": case, "again": True, "url": url},
    Email.SIGN_OFF_COMPLETE: {"case": case, "actor": person, "role": Role.DELEGATE_POLICE, "comments": "", "url": url},
    Email.SIGN_OFF_COMPLETE_ON_COMMENT: {"case": case, "actor": person, "role": Role.CHAIR, "comments": "Agreed", "url": url},
    Email.SIGN_OFF_COMPLETE_AFTER_COMMENT_WINDOW: {"case": case, "url": url},
    Email.SIGN_OFF_COMMENTS_AWAITED: {"case": case, "awaiting": [Role.SCRUTINEER, Role.CHAIR], "until": datetime(2026, 3, 9, 17, 0, tzinfo=UTC), "url": url},
    Email.SIGN_OFF_COMMENTS_WANTED: {"case": case, "until": datetime(2026, 3, 9, 17, 0, tzinfo=UTC), "url": url},
    Email.SIGN_OFF_CHANGES_ASKED: {"case": case, "actor": person, "role": Role.DELEGATE_POLICE, "comments": "Say more", "url": url},
    Email.SIGN_OFF_COMMENTED: {"case": case, "actor": person, "role": Role.SCRUTINEER, "comments": "Good", "url": url},
    Email.LOCAL_REVIEWER_INVITATION: {"case": SimpleNamespace(reference="NSCP-2026-0042", title="Child Q", partnership=invitation.partnership), "actor": person, "review": SimpleNamespace(kind_label="Local child safeguarding practice review (LCSPR)")},
    Email.LEARNING_EVENT_INVITATION: {"event": SimpleNamespace(title="Learning event: working together", duration_minutes=180), "case": case, "changed": True, "start": datetime(2026, 4, 14, 8, 30, tzinfo=UTC), "where": "Room 2", "organiser": person, "partnership": SimpleNamespace(name="Northshire SCP")},
    Email.LOCAL_REVIEW_WRITTEN_REQUEST: {"case": SimpleNamespace(reference="NSCP-2026-0042", title="Child Q", partnership=invitation.partnership), "actor": person, "review": None, "request": SimpleNamespace(get_what_display="A draft report", text="The draft of section 4", due_on=date(2026, 4, 3)), "url": url},
    Email.LOCAL_REVIEW_REQUEST_ANSWERED: {"case": case, "actor": person, "review": None, "request": SimpleNamespace(get_what_display="Information", asked_on=date(2026, 3, 20)), "url": url},
    Email.FINAL_REPORT_PUT_FORWARD: {"case": case, "actor": person, "version": SimpleNamespace(number=3), "kind_words": "local child safeguarding practice review (LCSPR)"},
    Email.FINAL_REPORT_STEP: {"case": case, "actor": person, "role_label": "Partner delegate (police)", "step": "asked for changes", "comments": "Paragraph 4 needs the dates.", "approved": False},
    Email.ACCURACY_ROUND: {"case": case, "agency": agency, "actor": person, "version": "Draft 2", "deadline": date(2026, 4, 3), "message": "", "url": url},
    Email.RAPID_REVIEW_OUTCOME: {"case": case, "outcome": "The partners decided to hold an LCSPR.", "url": url},
    Email.DEADLINE: {"clock": clock, "case": case, "rule": "Rapid review", "overdue": False, "when": "today", "due": "today, 4 March 2026", "case_url": url},
    Email.DEADLINE_CHASE: {"clock": clock, "case": case, "rule": "Agency summaries", "what": "your agency's summary", "overdue": True, "when": "", "due": "4 March 2026", "link": url, "case_url": url},
    Email.DELIVERY_FAILED: {"message": failed, "first": datetime(2026, 3, 4, 9, 0, tzinfo=UTC), "reason": "Mailbox full", "case_url": url},
}  # fmt: skip


@pytest.mark.parametrize("kind", list(Email))
def test_every_kind_of_email_renders_from_its_own_templates(kind: Email) -> None:
    for name in template_names(kind):
        try:
            get_template(name)
        except TemplateDoesNotExist:
            pytest.fail(f"{kind} has no template {name}")
    assert kind in EXAMPLES, f"give {kind} an example here"
    subject, body = email_render(kind, EXAMPLES[kind])
    assert subject and "\n" not in subject and "  " not in subject
    assert "{" not in subject + body and body.endswith("\n") and not body.startswith("\n")
    about_no_case = {
        Email.INVITATION,
        Email.INVITATION_EXISTING_ACCOUNT,
        Email.PASSWORD_RESET,
        Email.ROLE_GIVEN,
        Email.DELIVERY_FAILED,
    }
    assert case.reference in subject + body or kind in about_no_case


def test_every_template_in_the_folder_belongs_to_a_kind() -> None:
    names = {p.name for p in (ROOT / "templates" / "emails").glob("*.txt")}
    assert names == {Path(n).name for kind in Email for n in template_names(kind)}


def test_emails_are_plain_text_and_not_html_escaped() -> None:
    subject, body = email_render(Email.SUMMARY_SENT_BACK, EXAMPLES[Email.SUMMARY_SENT_BACK])
    assert "St Anne's School's summary" in body and "&#x27;" not in body
    assert subject == "Your agency summary for NSCP-2026-0042 has been sent back for changes"


def test_the_words_come_from_the_template() -> None:
    subject, body = email_render(Email.MEETING_INVITATION, EXAMPLES[Email.MEETING_INVITATION])
    assert subject == "Changed: Rapid review meeting for NSCP-2026-0042"
    assert "on Wednesday 4 March 2026 at 10:00." in body and body.endswith(
        f"The papers will be here before the meeting: {url}\n"
    )


def _written_in_python(source: str, filename: str) -> list[str]:
    """Subjects and bodies of emails built from f-strings or joined strings in Python."""
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        values: list[tuple[str, ast.AST]] = []
        if isinstance(node, ast.Call):
            values = [(k.arg, k.value) for k in node.keywords if k.arg in {"subject", "body"}]
        elif isinstance(node, ast.Assign):
            values = [
                (t.id, node.value) for t in node.targets if isinstance(t, ast.Name) and t.id in {"subject", "body"}
            ]
        else:
            continue
        for name, value in values:
            if isinstance(value, ast.JoinedStr | ast.BinOp | ast.IfExp):
                found.append(f"{filename}:{node.lineno}: {name}")
    return found


def test_no_service_writes_an_email_in_python() -> None:
    found = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if str(relative) == "notifications/emails.py":  # the renderer itself
            continue
        if relative.parts[0] in {".venv", "e2e", "bench", "frontend", "var"} or {"tests", "migrations"} & set(
            relative.parts
        ):
            continue
        found += _written_in_python(path.read_text(), str(relative))
    assert found == [], "Move these words to templates/emails/ (notifications.emails):\n" + "\n".join(found)


def test_the_comment_window_emails_say_until_when_in_local_time() -> None:
    # 16:00 UTC in July is 17:00 in London: the template shows the time the reader lives in.
    until = datetime(2026, 7, 9, 16, 0, tzinfo=UTC)
    facts = {"case": case, "awaiting": [Role.SCRUTINEER, Role.CHAIR], "until": until, "url": url}
    subject, body = email_render(Email.SIGN_OFF_COMMENTS_AWAITED, facts)
    assert subject == "All three partners have approved the rapid review of NSCP-2026-0042: waiting for comments"
    assert body == (
        "Sign-off stays open for the comments of the independent scrutineer and partnership chair until they "
        "have commented or until Thursday 9 July at 17:00, whichever comes first.\n\n"
        f"Open the sign-off: {url}\n"
    )
    subject, body = email_render(Email.SIGN_OFF_COMMENTS_WANTED, facts)
    assert subject == "Your comments on the rapid review of NSCP-2026-0042 are wanted by Thursday 9 July at 17:00"
    assert body == (
        "The three safeguarding partners have approved the rapid review of NSCP-2026-0042 (Child Q). "
        f"Sign-off stays open for your comments until Thursday 9 July at 17:00.\n\nComment: {url}\n"
    )


def test_a_closed_request_email_gives_the_reason() -> None:
    subject, body = email_render(Email.REQUEST_CLOSED, EXAMPLES[Email.REQUEST_CLOSED])
    assert subject == "The rapid review of NSCP-2026-0042 has been sent without your agency's summary"
    assert body == (
        "Ffion Marsh, the review coordinator, has sent the rapid review of NSCP-2026-0042 (Child Q) to the Child "
        "Safeguarding Practice Review Panel without St Anne's School's summary, so the request for it is closed "
        "and nothing more is needed on it.\n\nWhy: The school was closed for the summer\n\n"
        f"Your request: {url}\n"
    )
