"""The local review's demo: cases whose rapid review decided on an LCSPR, which the Panel agreed
with, each taken by the stage's own services to one point of the review (issue 15, part 12):

- Child AG: just commissioned, the terms of reference in draft;
- Child AH: the reviewer appointed and both notices sent to the national bodies;
- Child AI: drafting, two versions of the report kept;
- Child AJ: a factual accuracy round open with two agencies;
- Child AK: the final report approved by the three partners and sent ahead of publication;
- Child AL: delayed by a criminal trial, its 6 months paused.
"""

from typing import Any

from django.utils import timezone

from cases.models import Case
from localreviews.models import DecidedWhen, ReviewKind
from localreviews.services import local_review_open
from rapidreviews.demo import demo_review_at
from rapidreviews.models import PanelResponseKind
from rapidreviews.services.submission import panel_response_record


def seed(world: Any) -> None:
    local_review = _opened(world, 62, "Child AG")
    if local_review is None:
        return
    _terms_drafted(world, local_review)
    later = [_opened(world, n, title) for n, title in ((63, "Child AH"), (64, "Child AI"), (65, "Child AJ"))]
    later += [_opened(world, n, title) for n, title in ((66, "Child AK"), (67, "Child AL"))]
    appointed, drafting, accuracy, sent_ahead, delayed = later
    for each in later:
        _reviewer_appointed(world, each)
    _notices_sent(world, appointed)
    for each in (drafting, accuracy, sent_ahead):
        _drafts_kept(world, each)
    _accuracy_round(world, accuracy)
    _sent_ahead(world, sent_ahead)
    _delayed(world, delayed)


def _opened(world: Any, n: int, title: str) -> Any:
    """A case whose rapid review decided on an LCSPR, the Panel agreeing, and the review opened."""
    coordinator = world.users["coordinator"]
    review = demo_review_at(world, n, title, 15, 7)
    if review is None:
        return None
    panel_response_record(
        review=review,
        actor=coordinator,
        received_on=timezone.localdate(),
        kind=PanelResponseKind.AGREES,
        said="The Panel agrees that a local child safeguarding practice review should be held.",
        reopen=[],
    )
    case = Case.objects.get(pk=review.case_id)
    local_review = local_review_open(
        case=case,
        actor=coordinator,
        kind=ReviewKind.LCSPR,
        alternative_type="",
        decided_on=timezone.localdate(review.decided_at) if review.decided_at else timezone.localdate(),
        decided_when=DecidedWhen.RAPID_REVIEW,
        rationale=review.decision_rationale,
        expected_version=case.version,
    )
    local_review.refresh_from_db()
    return local_review


def _reviewer_appointed(world: Any, local_review: Any) -> None:
    """The demo's independent reviewer, appointed the day the review opened (their account is in the
    partnership already, so they are given the case without an invitation)."""
    from datetime import timedelta

    from localreviews.models import Employment
    from localreviews.services_reviewer import Appointment, reviewer_appoint

    reviewer = world.users["reviewer"]
    day = timezone.localdate()
    reviewer_appoint(
        review=local_review,
        actor=world.users["coordinator"],
        appointment=Appointment(
            name=reviewer.display_name,
            email=reviewer.email,
            employment=Employment.INDEPENDENT,
            organisation="Wrenfield Review Consulting",
            agreement_starts=day,
            agreement_ends=day + timedelta(days=240),
            independent_declared=True,
            independence_statement="No work for any Northshire agency in the last five years.",
            conflicts="",
            appointed_on=day,
        ),
        expected_version=local_review.version,
    )
    local_review.refresh_from_db()


def _notices_sent(world: Any, local_review: Any) -> None:
    """Both notices to the Panel, Ofsted and DfE: that the review is held, and who the reviewer is."""
    from localreviews import notice_letter
    from localreviews.models import NoticeKind
    from localreviews.services_notices import notice_send

    coordinator = world.users["coordinator"]
    addresses = {"panel": "panel@national-body.example", "ofsted": "ofsted@national-body.example"}
    addresses["dfe"] = "dfe@national-body.example"
    reviewers = list(local_review.reviewers.all())
    for kind in (NoticeKind.COMMISSIONED, NoticeKind.REVIEWER):
        notice_send(
            review=local_review,
            actor=coordinator,
            kind=kind,
            recipients=addresses,
            letter=notice_letter.draft(local_review, kind, coordinator, reviewers=reviewers),
            sent_on=timezone.localdate(),
        )


def _drafts_kept(world: Any, local_review: Any) -> None:
    """The reviewer's first two drafts, written in the service, kept as versions."""
    from localreviews.report_models import ReportDraft, ReportSection
    from localreviews.report_services import section_save, version_keep

    reviewer = world.users["reviewer"]
    version = 0
    for note, words in (("First draft for the panel", "first"), ("After the practitioners' event", "second")):
        for section in (ReportSection.INTRODUCTION, ReportSection.OVERVIEW, ReportSection.WORKING_TOGETHER):
            draft = section_save(
                review=local_review,
                actor=reviewer,
                section=section,
                text=f"The {words} draft of this section: {section.label.lower()}.",
                expected_version=version,
                autosave=False,
            )
            version = draft.version
        version_keep(review=local_review, actor=reviewer, note=note, expected_version=version)
        version = ReportDraft.objects.get(review=local_review).version


def _accuracy_round(world: Any, local_review: Any) -> None:
    """The second draft sent to the agencies involved, to check its facts."""
    from localreviews.accuracy_services import accuracy_agencies, round_send

    round_send(
        review=local_review,
        actor=world.users["reviewer"],
        report_version=local_review.report_versions.order_by("-number").first(),
        agency_ids=[a.pk for a in accuracy_agencies(local_review.case)][:2],
        message="Please check the facts about your agency by the deadline.",
    )


def _sent_ahead(world: Any, local_review: Any) -> None:
    """The second draft put forward as the final report, approved by the three partners, and sent to
    the Panel and the Secretary of State: publication may follow 7 working days later."""
    from accounts.roles import Role
    from localreviews.signoff_models import FinalDecision, SentWhat
    from localreviews.signoff_services import Sending, final_report_put_forward, final_report_step, send_ahead

    coordinator = world.users["coordinator"]
    final_report_put_forward(
        review=local_review,
        actor=coordinator,
        version=local_review.report_versions.order_by("-number").first(),
        expected_version=local_review.version,
        note="Ready for the partners.",
    )
    for key, role in (
        ("delegate.la", Role.DELEGATE_LA),
        ("delegate.icb", Role.DELEGATE_ICB),
        ("delegate.police", Role.DELEGATE_POLICE),
    ):
        local_review.refresh_from_db()
        final_report_step(review=local_review, actor=world.users[key], role=role, decision=FinalDecision.APPROVED)
    local_review.refresh_from_db()
    send_ahead(
        review=local_review,
        actor=coordinator,
        sending=Sending(
            what=SentWhat.REPORT,
            sent_on=timezone.localdate(),
            recipients={"panel": "panel@national-body.example", "dfe": "dfe@national-body.example"},
            letter="The partners send the final report of this local review ahead of its publication.",
        ),
        expected_version=local_review.version,
    )


def _delayed(world: Any, local_review: Any) -> None:
    """A criminal trial holds the review: the coordinator records it and pauses the 6 months."""
    from datetime import timedelta

    from localreviews.monitoring_models import DelayReason
    from localreviews.monitoring_services import delay_record

    delay_record(
        review=local_review,
        actor=world.users["coordinator"],
        reason=DelayReason.PROSECUTION,
        text="The trial of the child's father is listed for next spring; the police ask that practitioners "
        "are not interviewed until it ends.",
        starts_on=timezone.localdate(),
        expected_until=timezone.localdate() + timedelta(days=150),
        pause=True,
    )


def _terms_drafted(world: Any, local_review: Any) -> None:
    """The coordinator's first draft of the terms of reference, not yet sent to the partners."""
    from localreviews.terms_services import Parallel, TermsContent, methodologies_for, terms_save
    from partnerships.models import Agency

    case = local_review.case
    agencies = list(Agency.objects.filter(partnership_id=case.partnership_id, active=True).order_by("name")[:3])
    silp = methodologies_for(case.partnership)[0]
    today = timezone.localdate()
    terms_save(
        review=local_review,
        actor=world.users["coordinator"],
        content=TermsContent(
            period_start=today.replace(year=today.year - 1, day=1),
            period_end=local_review.decided_on,
            agency_ids=[a.pk for a in agencies],
            lines=[
                "How did agencies share what they knew of the risks at home?",
                "How was the child's own experience heard and recorded?",
            ],
            methodology_id=silp.pk,
            methodology_notes="",
            family_engagement="The lead reviewer offers to meet the child's mother and grandmother.",
            timetable="",
            governance="The Case Review Group oversees the review and reports to the partners monthly.",
            parallel=[Parallel("criminal_investigation", "under_way", None, None, "Police enquiries continue.")],
        ),
        expected_version=0,
    )
