"""Every email the service sends, by kind, and its words.

The words are templates a content designer can find and edit without reading Python:
`templates/emails/<kind>_subject.txt` (one line: line breaks and runs of spaces are folded) and
`templates/emails/<kind>_body.txt` (plain text, kept as written; nothing is HTML-escaped). The code
decides who is told, when, and which facts the words may use (the context each template's first
line lists); the templates decide what the email says.
"""

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.template import Context, engines


class Email(StrEnum):
    """Each kind of email; its value names its two templates."""

    # Accounts
    INVITATION = "invitation"
    INVITATION_EXISTING_ACCOUNT = "invitation_existing_account"
    # Sent by Django's password reset form, which renders these two itself (accounts/jobs.py).
    PASSWORD_RESET = "password_reset"
    ROLE_GIVEN = "role_given"
    # Referral and triage
    REFERRAL_RECEIVED = "referral_received"
    REFERRAL_DECISION = "referral_decision"
    # Rapid review
    INFORMATION_REQUEST = "information_request"
    INFORMATION_REQUEST_INVITATION = "information_request_invitation"
    SUMMARY_SENT = "summary_sent"
    SUMMARY_ACCEPTED = "summary_accepted"
    SUMMARY_SENT_BACK = "summary_sent_back"
    SUMMARY_REOPENED_BY_PANEL = "summary_reopened_by_panel"
    SUMMARY_ASKED_AGAIN_BY_PANEL = "summary_asked_again_by_panel"
    REQUEST_CLOSED = "request_closed"
    MEETING_INVITATION = "meeting_invitation"
    MEETING_PAPERS = "meeting_papers"
    SIGN_OFF_REQUESTED = "sign_off_requested"
    SIGN_OFF_COMPLETE = "sign_off_complete"
    SIGN_OFF_COMPLETE_ON_COMMENT = "sign_off_complete_on_comment"
    SIGN_OFF_COMPLETE_AFTER_COMMENT_WINDOW = "sign_off_complete_after_comment_window"
    SIGN_OFF_COMMENTS_AWAITED = "sign_off_comments_awaited"
    SIGN_OFF_COMMENTS_WANTED = "sign_off_comments_wanted"
    SIGN_OFF_CHANGES_ASKED = "sign_off_changes_asked"
    SIGN_OFF_COMMENTED = "sign_off_commented"
    RAPID_REVIEW_OUTCOME = "rapid_review_outcome"
    # Local review
    LOCAL_REVIEWER_INVITATION = "local_reviewer_invitation"
    LEARNING_EVENT_INVITATION = "learning_event_invitation"
    LOCAL_REVIEW_WRITTEN_REQUEST = "local_review_written_request"
    LOCAL_REVIEW_REQUEST_ANSWERED = "local_review_request_answered"
    FINAL_REPORT_PUT_FORWARD = "final_report_put_forward"
    FINAL_REPORT_STEP = "final_report_step"
    ACCURACY_ROUND = "accuracy_round"
    # Deadlines and delivery
    DEADLINE = "deadline"
    DEADLINE_CHASE = "deadline_chase"
    DELIVERY_FAILED = "delivery_failed"


def template_names(kind: Email) -> tuple[str, str]:
    return f"emails/{kind}_subject.txt", f"emails/{kind}_body.txt"


def _render(name: str, context: Mapping[str, Any]) -> str:
    # The engine's own template, rendered without HTML escaping: an email is plain text, and an
    # agency called "St Anne's" must not arrive as "St Anne&#x27;s".
    template = engines["django"].engine.get_template(name)  # type: ignore[attr-defined]
    values = {"SERVICE_NAME": settings.SERVICE_NAME, "SUPPORT_EMAIL": settings.SUPPORT_EMAIL, **context}
    return str(template.render(Context(values, autoescape=False)))


def email_render(kind: Email, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of one email: the subject on one line, the body ending in one line break."""
    subject_name, body_name = template_names(Email(kind))
    subject = " ".join(_render(subject_name, context).split())
    body = _render(body_name, context).strip("\n") + "\n"
    return subject, body
