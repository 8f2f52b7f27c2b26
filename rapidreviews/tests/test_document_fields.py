"""Every part of the meeting record and of the decision reaches what the partners approve (the
sign-off page) and what goes to the Panel (the DOCX, and the HTML the PDF is laid out from).

The test walks the models' fields, so a field added later fails it until it is shown in all three,
or listed below as plumbing with the reason it is not part of the record."""

import html
import io
from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document as Docx

from conftest import SignIn, World
from rapidreviews.models import (
    ImmediateAction,
    ImmediateActionStatus,
    Meeting,
    RapidReview,
    RapidReviewDecision,
    Regulation11Criterion,
)
from rapidreviews.rendering.document import document_context
from rapidreviews.services.document import document_bytes
from rapidreviews.tests.helpers import hold_meeting

pytestmark = pytest.mark.django_db

# Not part of the record the partners approve: each with the reason.
MEETING_PLUMBING = {
    "id": "its key",
    "review": "the review it belongs to",
    "uid": "the calendar invitation's identifier",
    "sequence": "the calendar invitation's revision number",
    "invitations_sent_at": "when the invitations went out, not what the meeting did",
    "updated_at": "a timestamp",
}
REVIEW_PLUMBING = {
    "id": "its key",
    "case": "the case it belongs to (its reference heads the document)",
    "meeting": "walked as a model of its own (MEETING_VALUES)",
    "started_at": "when the coordinator opened the workspace",
    "started_by": "who opened the workspace",
    "gap_days": "a setting for showing gaps in the chronology",
    "summaries_shared_at": "when the summaries were shared with the meeting's members",
    "shared_with_local_review_at": "when the partners shared the summaries with the later local review",
    "shared_with_local_review_by": "who shared the summaries with the later local review",
    "requests": "the agencies' summaries, checked by test_docx_layout and test_signoff_page",
    "sign_offs": "the partners' sign-off, checked by test_signoff_document",
    "submitted_at": "recorded when the review is sent, after sign-off (the document's 'Date sent to the Panel')",
    "submitted_by": "recorded when the review is sent, after the document is made",
    "late_reason": "recorded when the review is sent, after the document is made",
    "missing_summaries_reason": (
        "recorded when the review is sent without some agencies' summaries, after sign-off; the version kept as "
        "sent carries it (rapidreviews/tests/test_requests_close_with_review.py)"
    ),
    "duplicate_checks": (
        "the coordinator's answers to possible duplicate chronology entries, shown in the annex as 'also recorded "
        "by' (test_chronology_duplicates)"
    ),
    "national_review": "the Panel's response, after the document went to the Panel",
    "panel_responses": "the Panel's response, after the document went to the Panel",
    "version": "the optimistic save check",
    "updated_at": "a timestamp",
}

PLANNED, HELD, DECIDED = date(2026, 2, 2), date(2026, 2, 4), date(2026, 2, 9)


def on(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


Setter = Callable[[Any, Any], list[str]]  # (world, object) -> the texts that must appear


def _set(name: str, value: Any, *shown: str) -> Setter:
    def apply(world: World, obj: Any) -> list[str]:
        type(obj).objects.filter(pk=obj.pk).update(**{name: value})
        return list(shown) or [str(value)]

    return apply


def _members(world: World, meeting: Meeting) -> list[str]:
    meeting.members.set([world.people["delegate_icb"], world.people["lead_school"]])
    return [world.people["delegate_icb"].display_name, world.people["lead_school"].display_name]


def _criteria(world: World, review: RapidReview) -> list[str]:
    Regulation11Criterion.objects.create(review=review, criterion="c", answer="met", notes="Criterion note Vbq31")
    return ["Criterion note Vbq31"]


def _actions(world: World, review: RapidReview) -> list[str]:
    ImmediateAction.objects.create(
        review=review,
        description="Immediate action Hmz52",
        owner="Owner Tkp90",
        due=date(2026, 3, 3),
        status=ImmediateActionStatus.DONE,
        evidence="Evidence Lrw18",
        created_by=world.people["coordinator"],
    )
    return ["Immediate action Hmz52", "Owner Tkp90", "3 March 2026", "Evidence Lrw18"]


MEETING_VALUES: dict[str, Setter] = {
    "date": _set("date", PLANNED, "2 February 2026"),
    "held_on": _set("held_on", HELD, "4 February 2026"),
    "start_time": _set("start_time", time(13, 47), "13:47"),
    "duration_minutes": _set("duration_minutes", 97, "97 minutes"),
    "place": _set("place", "Zephyr Suite, Quayside House"),
    "online_link": _set("online_link", "https://meet.example/zq-7731"),
    "members": _members,
}
REVIEW_VALUES: dict[str, Setter] = {
    "incident_summary": _set("incident_summary", "Incident summary Wqa17"),
    "family_context": _set("family_context", "Family context Nbc22"),
    "family_informed": _set("family_informed", "Family informed Dfe39"),
    "facts_agreed": _set("facts_agreed", "Facts agreed Gkh44"),
    "learning": _set("learning", "Learning Pmn58"),
    "decision": _set("decision", RapidReviewDecision.ALTERNATIVE, RapidReviewDecision.ALTERNATIVE.label),
    "alternative_review_type": _set("alternative_review_type", "Appreciative inquiry Xkr63"),
    "decision_rationale": _set("decision_rationale", "Rationale Jps71"),
    "themes": _set("themes", ["cse"], "Child sexual exploitation"),
    "decided_at": _set("decided_at", on(DECIDED), "9 February 2026"),
    "criteria": _criteria,
    "actions": _actions,
}


def docx_text(data: bytes) -> str:
    document = Docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_each_field_is_shown_or_named_as_plumbing() -> None:
    for model, plumbing, values in (
        (Meeting, MEETING_PLUMBING, MEETING_VALUES),
        (RapidReview, REVIEW_PLUMBING, REVIEW_VALUES),
    ):
        names = {f.name for f in model._meta.get_fields()}
        unaccounted = names - plumbing.keys() - values.keys()
        assert not unaccounted, (
            f"{model.__name__}: show {sorted(unaccounted)} on the sign-off page and in the document "
            "(and give each a value here), or add it to the plumbing with the reason"
        )
        assert not (plumbing.keys() | values.keys()) - names, "a field listed here no longer exists"


def test_every_field_of_the_meeting_record_and_the_decision_is_on_the_sign_off_page_and_in_the_document(
    world: World, signed_in: SignIn, asked: RapidReview
) -> None:
    hold_meeting(world, asked)
    meeting = Meeting.objects.get(review=asked)
    expected: dict[str, list[str]] = {}
    for name, apply in MEETING_VALUES.items():
        expected[f"Meeting.{name}"] = apply(world, meeting)
    for name, apply in REVIEW_VALUES.items():
        expected[f"RapidReview.{name}"] = apply(world, asked)
    review = RapidReview.objects.get(pk=asked.pk)

    page = html.unescape(
        signed_in(world.people["delegate_la"]).get(f"/rapid-reviews/{review.case.reference}/sign-off/").content.decode()
    )
    docx = docx_text(document_bytes(review=review, fmt="docx"))
    pdf_html = html.unescape(
        render_to_string("rapidreviews/pdf/document.html", {**document_context(review), "doc_title": "Rapid review"})
    )
    missing = {
        where: {field: [t for t in texts if t not in text] for field, texts in expected.items()}
        for where, text in (("sign-off page", page), ("DOCX", docx), ("PDF", pdf_html))
    }
    missing = {where: {f: t for f, t in fields.items() if t} for where, fields in missing.items()}
    assert not any(missing.values()), missing


def test_facts_agreed_by_the_meeting_are_in_the_docx_under_their_own_heading(world: World, asked: RapidReview) -> None:
    hold_meeting(world, asked)
    RapidReview.objects.filter(pk=asked.pk).update(facts_agreed="The GP and the school never spoke.")
    asked.refresh_from_db()
    paragraphs = [p.text for p in Docx(io.BytesIO(document_bytes(review=asked, fmt="docx"))).paragraphs]
    heading = paragraphs.index("Facts agreed by the rapid review meeting")
    assert paragraphs[heading + 1] == "The GP and the school never spoke."
