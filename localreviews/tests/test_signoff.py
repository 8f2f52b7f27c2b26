"""The final report's sign-off by the three partners (the scrutineer and the chair commenting),
sending it ahead of publication to the Panel and the Secretary of State, the earliest publication
date 7 working days later (England and Wales bank holidays), and the publication decision."""

import io
from datetime import date

import pytest
import time_machine
from docx import Document as WordDocument

from accounts.roles import Role
from audit.models import AuditEvent
from cases.models import Case
from clocks.models import Clock, ClockStatus
from conftest import World
from documents.models import Document
from documents.services import document_open
from documents.tests.pdf_checks import check_tagged
from localreviews.clock_rules import PUBLICATION_EARLIEST
from localreviews.models import DecidedWhen, LocalReview, LocalReviewEvent, LocalReviewStatus, ReviewKind
from localreviews.report_models import ReportVersion
from localreviews.services import local_review_open
from localreviews.signoff_models import FinalDecision, Publication, SentWhat
from localreviews.signoff_services import (
    Deciding,
    Sending,
    SignOffError,
    earliest_publication_date,
    final_report_put_forward,
    final_report_step,
    publication_decide,
    send_ahead,
)
from notifications.models import Message


def _bytes(document: Document | None) -> bytes:
    assert document is not None
    with document_open(document) as file:
        return bytes(file.read())


PANEL, DFE = "panel@csprp.example.gov.uk", "lcspr.notices@education.example.gov.uk"


def _open(world: World, case: Case, kind: ReviewKind = ReviewKind.LCSPR) -> LocalReview:
    review = local_review_open(
        case=case,
        actor=world.people["coordinator"],
        kind=kind,
        alternative_type="Multi-agency learning review" if kind == ReviewKind.ALTERNATIVE else "",
        decided_on=date(2026, 3, 2),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale="Learning about discharge planning.",
        expected_version=case.version,
        started_on=date(2026, 2, 16),
    )
    LocalReview.objects.filter(pk=review.pk).update(status=LocalReviewStatus.REVIEWER_APPOINTED)
    review.refresh_from_db()
    return review


def _version(world: World, review: LocalReview, number: int = 1) -> ReportVersion:
    return ReportVersion.objects.create(
        review=review,
        number=number,
        sections={"introduction": "The review began in March.", "findings": "Discharge was not planned together."},
        created_by=world.people["reviewer"],
    )


def _forward(world: World, review: LocalReview, number: int = 1) -> None:
    version = _version(world, review, number)
    final_report_put_forward(
        review=review, actor=world.people["coordinator"], version=version, expected_version=review.version
    )
    review.refresh_from_db()


def _approve(world: World, review: LocalReview, *personas: str) -> None:
    roles = {
        "delegate_la": Role.DELEGATE_LA,
        "delegate_icb": Role.DELEGATE_ICB,
        "delegate_police": Role.DELEGATE_POLICE,
    }
    for persona in personas:
        final_report_step(
            review=review, actor=world.people[persona], role=roles[persona], decision=FinalDecision.APPROVED
        )
    review.refresh_from_db()


def _sending(**changes: object) -> Sending:
    fields: dict[str, object] = {
        "what": SentWhat.REPORT,
        "sent_on": date(2026, 4, 2),
        "recipients": {"panel": PANEL, "dfe": DFE},
        "letter": "Dear colleagues,\n\nWe enclose the final report.\n\nYours faithfully,",
        **changes,
    }
    return Sending(**fields)  # type: ignore[arg-type]


@pytest.fixture
def thursday() -> object:
    """Thursday 2 April 2026, before Good Friday (3 April) and Easter Monday (6 April)."""
    with time_machine.travel("2026-04-02 10:00 +01:00", tick=False):
        yield


def _approved(world: World, sent: Case) -> LocalReview:
    review = _open(world, sent)
    _forward(world, review)
    _approve(world, review, "delegate_la", "delegate_icb", "delegate_police")
    return review


# The earliest publication date


def test_seven_working_days_skip_the_easter_bank_holidays(db: None) -> None:
    """Sent on Thursday 2 April 2026 (day 0): Good Friday and Easter Monday do not count, so the
    seventh working day after it is Wednesday 15 April (the clocks' convention, core/workdays.py)."""
    assert earliest_publication_date(date(2026, 4, 2)) == date(2026, 4, 15)
    # With no bank holiday in the way, a Monday gives the Wednesday of the week after.
    assert earliest_publication_date(date(2026, 3, 9)) == date(2026, 3, 18)


# Sign-off


def test_the_three_partners_approve_the_final_report(world: World, sent: Case, thursday: None) -> None:
    review = _open(world, sent)
    _forward(world, review)
    assert review.status == LocalReviewStatus.REPORT_AWAITING_APPROVAL
    # The partners, the scrutineer and the chair hear that it is there.
    told = set(Message.objects.filter(subject__startswith="Final report to approve").values_list("to_email", flat=True))
    assert world.people["delegate_police"].email in told and world.people["chair"].email in told
    _approve(world, review, "delegate_la", "delegate_icb")
    assert review.status == LocalReviewStatus.REPORT_AWAITING_APPROVAL
    final_report_step(
        review=review,
        actor=world.people["scrutineer"],
        role=Role.SCRUTINEER,
        decision=FinalDecision.COMMENT,
        comments="The findings are well evidenced.",
    )
    _approve(world, review, "delegate_police")
    assert review.status == LocalReviewStatus.REPORT_APPROVED
    assert review.final_reports.get().approved_at is not None
    steps = list(LocalReviewEvent.objects.filter(review=review).values_list("step", flat=True))
    assert steps == ["report_put_forward", "report_approved"]
    summaries = [e.details.get("summary", "") for e in AuditEvent.objects.filter(case=sent).order_by("id")]
    assert f"Final report: {Role.SCRUTINEER.label}, commented" in summaries
    assert "Local review: approve the final report" in summaries


def test_changes_asked_need_comments_and_a_new_version_starts_again(world: World, sent: Case, thursday: None) -> None:
    review = _open(world, sent)
    _forward(world, review)
    _approve(world, review, "delegate_la")
    with pytest.raises(SignOffError, match="Enter the changes"):
        final_report_step(
            review=review, actor=world.people["delegate_icb"], role=Role.DELEGATE_ICB, decision=FinalDecision.CHANGES
        )
    final_report_step(
        review=review,
        actor=world.people["delegate_icb"],
        role=Role.DELEGATE_ICB,
        decision=FinalDecision.CHANGES,
        comments="Say more about the GP's part.",
    )
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.REPORT_CHANGES_ASKED
    _forward(world, review, number=2)
    assert review.status == LocalReviewStatus.REPORT_AWAITING_APPROVAL
    # The LA's approval was of draft 1: on draft 2 the three approve again.
    _approve(world, review, "delegate_icb", "delegate_police")
    assert review.status == LocalReviewStatus.REPORT_AWAITING_APPROVAL
    _approve(world, review, "delegate_la")
    assert review.status == LocalReviewStatus.REPORT_APPROVED


def test_who_may_approve_and_comment(world: World, sent: Case, thursday: None) -> None:
    review = _open(world, sent)
    with pytest.raises(SignOffError, match="not awaiting approval"):
        final_report_step(
            review=review, actor=world.people["delegate_la"], role=Role.DELEGATE_LA, decision=FinalDecision.APPROVED
        )
    _forward(world, review)
    with pytest.raises(SignOffError, match="do not take part"):
        final_report_step(
            review=review, actor=world.people["reviewer"], role=Role.DELEGATE_LA, decision=FinalDecision.APPROVED
        )
    with pytest.raises(SignOffError, match="comment; they do not approve"):
        final_report_step(review=review, actor=world.people["chair"], role=Role.CHAIR, decision=FinalDecision.APPROVED)
    _approve(world, review, "delegate_la")
    with pytest.raises(SignOffError, match="You approved this final report"):
        _approve(world, review, "delegate_la")


def test_an_alternative_reviews_report_is_agreed_by_the_coordinator(world: World, sent: Case, thursday: None) -> None:
    review = _open(world, sent, ReviewKind.ALTERNATIVE)
    _forward(world, review)
    assert review.status == LocalReviewStatus.REPORT_APPROVED
    # Sending ahead is not required of it: the decision may be recorded straight away.
    publication_decide(
        review=review,
        actor=world.people["coordinator"],
        deciding=Deciding(Publication.PUBLISH, decided_on=date(2026, 4, 2), planned_on=date(2026, 4, 7)),
        expected_version=review.version,
    )
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.PUBLICATION_PLANNED


def test_only_the_coordinator_puts_the_report_forward(world: World, sent: Case, thursday: None) -> None:
    from django.core.exceptions import PermissionDenied

    review = _open(world, sent)
    version = _version(world, review)
    with pytest.raises(PermissionDenied):
        final_report_put_forward(
            review=review, actor=world.people["reviewer"], version=version, expected_version=review.version
        )


# Sending ahead


def test_sending_ahead_records_the_date_and_the_earliest_publication_date(
    world: World, sent: Case, thursday: None
) -> None:
    review = _approved(world, sent)
    record, now = send_ahead(
        review=review,
        actor=world.people["coordinator"],
        sending=_sending(),
        expected_version=review.version,
        token="t1",
    )
    assert now and record.earliest_publication == date(2026, 4, 15)
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.SENT_AHEAD
    assert {r["email"] for r in record.recipients} == {PANEL, DFE}
    assert record.document.content_type == "application/pdf"
    check_tagged(_bytes(record.document))
    assert record.letter_docx is not None and record.letter_pdf is not None
    words = "\n".join(p.text for p in WordDocument(io.BytesIO(_bytes(record.letter_docx))).paragraphs)
    assert "We enclose the final report." in words
    check_tagged(_bytes(record.letter_pdf))
    assert set(Message.objects.filter(subject__startswith="Final report ahead").values_list("to_email", flat=True)) == {
        PANEL,
        DFE,
    }
    clock = Clock.objects.get(case=sent, rule=PUBLICATION_EARLIEST)
    assert (clock.start_date, clock.due_date, clock.status) == (date(2026, 4, 2), date(2026, 4, 15), ClockStatus.OPEN)
    # The same form sent twice records once.
    again, now = send_ahead(
        review=review,
        actor=world.people["coordinator"],
        sending=_sending(),
        expected_version=review.version,
        token="t1",
    )
    assert again.pk == record.pk and not now


def test_nothing_goes_ahead_before_the_partners_approve(world: World, sent: Case, thursday: None) -> None:
    review = _open(world, sent)
    _forward(world, review)
    with pytest.raises(SignOffError, match="has not been approved"):
        send_ahead(
            review=review, actor=world.people["coordinator"], sending=_sending(), expected_version=review.version
        )
    with pytest.raises(SignOffError, match="has not been approved"):
        publication_decide(
            review=review,
            actor=world.people["coordinator"],
            deciding=Deciding(Publication.PUBLISH, decided_on=date(2026, 4, 2), planned_on=date(2026, 5, 1)),
            expected_version=review.version,
        )


def test_an_lcspr_decides_to_publish_only_once_sent_ahead(world: World, sent: Case, thursday: None) -> None:
    review = _approved(world, sent)
    with pytest.raises(SignOffError, match="Record sending the final report"):
        publication_decide(
            review=review,
            actor=world.people["coordinator"],
            deciding=Deciding(Publication.PUBLISH, decided_on=date(2026, 4, 2), planned_on=date(2026, 5, 1)),
            expected_version=review.version,
        )


def test_sending_ahead_refuses_bad_input(world: World, sent: Case, thursday: None) -> None:
    review = _approved(world, sent)
    for changes, message in (
        ({"recipients": {"panel": PANEL, "dfe": ""}}, "Enter the email address of the Secretary of State"),
        ({"recipients": {"panel": "not-an-address", "dfe": DFE}}, "Panel in the correct format"),
        ({"letter": "  "}, "Enter the letter"),
        ({"sent_on": date(2026, 4, 3)}, "today or in the past"),
        ({"what": SentWhat.IMPROVEMENTS}, "Enter the information about improvements"),
    ):
        with pytest.raises(SignOffError, match=message):
            send_ahead(
                review=review,
                actor=world.people["coordinator"],
                sending=_sending(**changes),
                expected_version=review.version,
            )
    assert not review.sent_ahead.exists()


# The publication decision


def _sent_ahead(world: World, sent: Case, **changes: object) -> LocalReview:
    review = _approved(world, sent)
    send_ahead(
        review=review, actor=world.people["coordinator"], sending=_sending(**changes), expected_version=review.version
    )
    review.refresh_from_db()
    return review


def test_a_planned_date_before_the_earliest_is_refused(world: World, sent: Case, thursday: None) -> None:
    review = _sent_ahead(world, sent)
    with pytest.raises(SignOffError, match="on or after 15 April 2026"):
        publication_decide(
            review=review,
            actor=world.people["coordinator"],
            deciding=Deciding(Publication.PUBLISH, decided_on=date(2026, 4, 2), planned_on=date(2026, 4, 14)),
            expected_version=review.version,
        )
    record, _ = publication_decide(
        review=review,
        actor=world.people["coordinator"],
        deciding=Deciding(Publication.PUBLISH, decided_on=date(2026, 4, 2), planned_on=date(2026, 4, 15)),
        expected_version=review.version,
    )
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.PUBLICATION_PLANNED and record.planned_on == date(2026, 4, 15)
    assert Clock.objects.get(case=sent, rule=PUBLICATION_EARLIEST).status == ClockStatus.MET


def test_publishing_the_report_needs_the_report_sent_not_only_improvements(
    world: World, sent: Case, thursday: None
) -> None:
    review = _sent_ahead(world, sent, what=SentWhat.IMPROVEMENTS, improvements="Agencies plan discharges together.")
    assert "improvements" in review.sent_ahead.get().document.original_name
    with pytest.raises(SignOffError, match="Only the information about improvements was sent"):
        publication_decide(
            review=review,
            actor=world.people["coordinator"],
            deciding=Deciding(Publication.PUBLISH, decided_on=date(2026, 4, 2), planned_on=date(2026, 5, 1)),
            expected_version=review.version,
        )
    with pytest.raises(SignOffError, match="Enter why only"):
        publication_decide(
            review=review,
            actor=world.people["coordinator"],
            deciding=Deciding(Publication.IMPROVEMENTS, decided_on=date(2026, 4, 2)),
            expected_version=review.version,
        )
    publication_decide(
        review=review,
        actor=world.people["coordinator"],
        deciding=Deciding(
            Publication.IMPROVEMENTS, decided_on=date(2026, 4, 2), reasons="The surviving sibling could be identified."
        ),
        expected_version=review.version,
    )
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.IMPROVEMENTS_ONLY


def test_a_delay_needs_reasons_and_sends_them_to_the_panel_and_the_secretary_of_state(
    world: World, sent: Case, thursday: None
) -> None:
    review = _sent_ahead(world, sent)
    deciding = Deciding(
        Publication.DELAY,
        decided_on=date(2026, 4, 2),
        recipients={"panel": PANEL, "dfe": DFE},
        letter="Dear colleagues,\n\nThe trial of the father is listed for June 2026.",
    )
    with pytest.raises(SignOffError, match="Enter the reasons for the delay"):
        publication_decide(
            review=review, actor=world.people["coordinator"], deciding=deciding, expected_version=review.version
        )
    deciding = Deciding(**{**deciding.__dict__, "reasons": "The criminal trial is listed for June 2026."})
    record, _ = publication_decide(
        review=review, actor=world.people["coordinator"], deciding=deciding, expected_version=review.version
    )
    review.refresh_from_db()
    assert review.status == LocalReviewStatus.PUBLICATION_DELAYED
    assert record.letter_docx is not None and record.letter_pdf is not None
    words = "\n".join(p.text for p in WordDocument(io.BytesIO(_bytes(record.letter_docx))).paragraphs)
    assert "The trial of the father is listed for June 2026." in words
    check_tagged(_bytes(record.letter_pdf))
    assert set(
        Message.objects.filter(subject__startswith="Publication delayed").values_list("to_email", flat=True)
    ) == {
        PANEL,
        DFE,
    }
    assert any(
        "reasons for delaying publication" in e.details.get("summary", "") for e in AuditEvent.objects.filter(case=sent)
    )
