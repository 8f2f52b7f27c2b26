"""The local review's rows of the URL-access table (core/tests/url_access.py finds them through
the stage). The walk's case is the Northshire case; `_local_review` takes it through a rapid review
sent to the Panel into a commissioned LCSPR, so each page is reached past its own door."""

from datetime import date
from typing import Any

from django.utils import timezone

from accounts.roles import (
    ACCURACY_ANSWERERS,
    EVENT_ORGANISERS,
    FAMILY_LOG_KEEPERS,
    FAMILY_LOG_READERS,
    LOCAL_REVIEW_MONITORS,
    LOCAL_REVIEW_READERS,
    METHODOLOGY_KEEPERS,
    PARTNER_DELEGATES,
    REPORT_WRITERS,
    TERMS_DRAFTERS,
    Role,
)
from cases.models import Case
from cases.policies import CaseAction
from core.tests.url_access import PERSONA_ROLES, Outcome, Rule, case_action, roles
from localreviews.models import DecidedWhen, LocalReview, ReviewKind
from rapidreviews.models import RapidReview, RapidReviewDecision


def readers(persona: str | None) -> Outcome:
    """Those who read the review; the referrer may not read the case record (403); an agency's
    lead who sees the case is not told of a review they have no part in (404)."""
    outcome = case_action(CaseAction.VIEW_RECORD)(persona)
    if outcome is not Outcome.PAGE or persona is None:
        return outcome
    return Outcome.PAGE if PERSONA_ROLES[persona] in LOCAL_REVIEW_READERS else Outcome.NOT_FOUND


def runs_it(persona: str | None) -> Outcome:
    """Those who read the review see that they may not do this (403); only the coordinator may."""
    outcome = readers(persona)
    if outcome is not Outcome.PAGE or persona is None:
        return outcome
    return Outcome.PAGE if PERSONA_ROLES[persona] == Role.COORDINATOR else Outcome.FORBIDDEN


def _local_review(ctx: Any) -> dict[str, Any]:
    case: Case = ctx.case
    if not LocalReview.objects.filter(case=case).exists():
        coordinator = ctx.world.people["coordinator"]
        RapidReview.objects.get_or_create(
            case=case,
            defaults={
                "started_by": coordinator,
                "decision": RapidReviewDecision.LCSPR,
                "decided_at": timezone.now(),
                "submitted_at": timezone.now(),
            },
        )
        Case.objects.filter(pk=case.pk).update(state="local_review")
        LocalReview.objects.create(
            case=case,
            kind=ReviewKind.LCSPR,
            decided_on=date(2026, 3, 2),
            decided_when=DecidedWhen.RAPID_REVIEW,
            rationale="Criteria (a) and (c) met.",
            opened_by=coordinator,
        )
    return {}


def _readers_who(allowed: frozenset[Role]) -> Any:
    """Readers of the review; of them, those outside `allowed` get 403."""

    def expect(persona: str | None) -> Outcome:
        outcome = readers(persona)
        if outcome is not Outcome.PAGE or persona is None:
            return outcome
        return Outcome.PAGE if PERSONA_ROLES[persona] in allowed else Outcome.FORBIDDEN

    expect.__name__ = f"readers_who({sorted(allowed)})"
    return expect


def _with_terms(ctx: Any) -> dict[str, Any]:
    """The commissioned review with draft terms of reference."""
    from localreviews.terms_models import TermsOfReference

    _local_review(ctx)
    review = LocalReview.objects.get(case=ctx.case)
    TermsOfReference.objects.get_or_create(review=review, defaults={"updated_by": ctx.world.people["coordinator"]})
    return {}


def _methodology(ctx: Any) -> dict[str, Any]:
    from localreviews.terms_models import Methodology

    methodology = ctx.once(
        "methodology", lambda: Methodology.objects.create(partnership=ctx.world.north, name="Rapid learning review")
    )
    return {"pk": methodology.pk}


def _north_keepers(persona: str | None) -> Outcome:
    """The Northshire list's keepers; another partnership's keeper does not find the entry."""
    outcome = roles(METHODOLOGY_KEEPERS)(persona)
    if outcome is Outcome.PAGE and persona == "south_coordinator":
        return Outcome.NOT_FOUND
    return outcome


def _with_report(ctx: Any) -> dict[str, Any]:
    """The commissioned review with a kept version of its report and a recommendation."""
    from localreviews.report_models import ReportDraft, ReportItem, ReportVersion

    _local_review(ctx)
    review = LocalReview.objects.get(case=ctx.case)
    coordinator = ctx.world.people["coordinator"]
    ReportDraft.objects.get_or_create(review=review, defaults={"sections": {"introduction": "The review began."}})
    ReportVersion.objects.get_or_create(
        review=review, number=1, defaults={"sections": {"introduction": "The review began."}, "created_by": coordinator}
    )
    item = ctx.once(
        "report_item",
        lambda: ReportItem.objects.create(
            review=review,
            kind=ReportItem.Kind.RECOMMENDATION,
            position=1,
            text="Share discharge plans.",
            to_partnership=True,
            created_by=coordinator,
        ),
    )
    return {"pk": item.pk}


def _report(ctx: Any) -> dict[str, Any]:
    _with_report(ctx)
    return {}


def _event(ctx: Any) -> dict[str, Any]:
    """The commissioned review with a learning event planned for its decision day."""
    from datetime import time

    from localreviews.events_models import LearningEvent

    _local_review(ctx)
    coordinator = ctx.world.people["coordinator"]
    event = ctx.once(
        "learning_event",
        lambda: LearningEvent.objects.create(
            review=LocalReview.objects.get(case=ctx.case),
            title="Learning event",
            date=date(2026, 3, 2),
            start_time=time(9, 30),
            place="Room 2",
            created_by=coordinator,
            updated_by=coordinator,
        ),
    )
    return {"pk": event.pk}


def family_readers(persona: str | None) -> Outcome:
    """The family involvement log: those who read the review but not the log are told it is not
    there (404), as anyone who may not read the review is."""
    outcome = readers(persona)
    if outcome is not Outcome.PAGE or persona is None:
        return outcome
    return Outcome.PAGE if PERSONA_ROLES[persona] in FAMILY_LOG_READERS else Outcome.NOT_FOUND


def family_keepers(persona: str | None) -> Outcome:
    """Readers of the log see that they may not write it (403); the coordinator and the reviewer may."""
    outcome = family_readers(persona)
    if outcome is not Outcome.PAGE or persona is None:
        return outcome
    return Outcome.PAGE if PERSONA_ROLES[persona] in FAMILY_LOG_KEEPERS else Outcome.FORBIDDEN


def _family_entry(ctx: Any) -> dict[str, Any]:
    from localreviews.family_models import FamilyContact, OfferHow

    _local_review(ctx)
    coordinator = ctx.world.people["coordinator"]
    entry = ctx.once(
        "family_entry",
        lambda: FamilyContact.objects.create(
            review=LocalReview.objects.get(case=ctx.case),
            who="Mother",
            offer_made_on=date(2026, 3, 2),
            offer_how=OfferHow.LETTER,
            created_by=coordinator,
            updated_by=coordinator,
        ),
    )
    return {"pk": entry.pk}


def _written_request(ctx: Any) -> dict[str, Any]:
    """The commissioned review with a written request to the reviewer."""
    from localreviews.monitoring_models import RequestWhat, WrittenRequest

    _local_review(ctx)
    review = LocalReview.objects.get(case=ctx.case)
    request = ctx.once(
        "written_request",
        lambda: WrittenRequest.objects.create(
            review=review,
            what=RequestWhat.INFORMATION,
            text="The chronology as it stands.",
            asked_by=ctx.world.people["coordinator"],
            asked_on=date(2026, 3, 16),
            due_on=date(2026, 3, 30),
        ),
    )
    return {"pk": request.pk}


def _delay(ctx: Any) -> dict[str, Any]:
    """The commissioned review held by a criminal investigation."""
    from localreviews.monitoring_models import Delay, DelayReason

    _local_review(ctx)
    review = LocalReview.objects.get(case=ctx.case)
    delay = ctx.once(
        "delay",
        lambda: Delay.objects.create(
            review=review,
            reason=DelayReason.CRIMINAL_INVESTIGATION,
            text="The police ask that practitioners are not spoken to yet.",
            starts_on=date(2026, 3, 16),
            recorded_by=ctx.world.people["coordinator"],
        ),
    )
    return {"pk": delay.pk}


def _accuracy_round(ctx: Any) -> dict[str, Any]:
    """A round open on draft 1, sent to the hospital (the agency involved), with the hospital lead's
    comment on it."""
    from localreviews.accuracy_models import AccuracyComment, AccuracyRound
    from localreviews.report_models import ReportVersion

    _local_review(ctx)

    def make() -> Any:
        review = LocalReview.objects.get(case=ctx.case)
        coordinator = ctx.world.people["coordinator"]
        version = ReportVersion.objects.create(
            review=review, number=1, sections={"overview": "The baby was born in March."}, created_by=coordinator
        )
        accuracy_round = AccuracyRound.objects.create(
            review=review, report_version=version, deadline=date(2099, 1, 2), sent_by=coordinator
        )
        accuracy_round.agencies.set([ctx.world.agencies["hospital"]])
        comment = AccuracyComment.objects.create(
            round=accuracy_round,
            agency=ctx.world.agencies["hospital"],
            section="overview",
            text="The baby was born in February.",
            author=ctx.world.people["lead_hospital"],
        )
        return accuracy_round, comment

    accuracy_round, comment = ctx.once("accuracy_round", make)
    return {"pk": accuracy_round.pk, "comment": comment.pk}


def _with_round(ctx: Any) -> dict[str, Any]:
    _accuracy_round(ctx)
    return {}


def _round_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": _accuracy_round(ctx)["pk"]}


def _comment_kwargs(ctx: Any) -> dict[str, Any]:
    return {"pk": _accuracy_round(ctx)["comment"]}


def _round_readers(persona: str | None) -> Outcome:
    """The review's readers, and the leads of the agency the round went to (the hospital's)."""
    return Outcome.PAGE if persona == "lead_hospital" else readers(persona)


def _round_readers_who(allowed: frozenset[Role], leads: bool = False) -> Any:
    """Of those who read the round, `allowed` (and, with `leads`, the hospital's lead) get the page;
    the rest 403."""

    def expect(persona: str | None) -> Outcome:
        outcome = _round_readers(persona)
        if outcome is not Outcome.PAGE or persona is None:
            return outcome
        if leads and persona == "lead_hospital":
            return Outcome.PAGE
        return Outcome.PAGE if PERSONA_ROLES[persona] in allowed and persona != "lead_hospital" else Outcome.FORBIDDEN

    expect.__name__ = f"round_readers_who({sorted(allowed)}, leads={leads})"
    return expect


def _hospital_thread(author_only: bool) -> Any:
    """The hospital's thread, not yet answered: its lead, the reviewer and the coordinator read it;
    the review's other readers do not find it (404). Changing it is its author's alone (403 for the
    reviewer and coordinator); deciding on it is the reviewer's and coordinator's (403 for the lead)."""

    def expect(persona: str | None) -> Outcome:
        outcome = _round_readers(persona)
        if outcome is not Outcome.PAGE or persona is None:
            return outcome
        if persona == "lead_hospital":
            return Outcome.PAGE if author_only else Outcome.FORBIDDEN
        if PERSONA_ROLES[persona] in ACCURACY_ANSWERERS:
            return Outcome.FORBIDDEN if author_only else Outcome.PAGE
        return Outcome.NOT_FOUND

    expect.__name__ = f"hospital_thread(author_only={author_only})"
    return expect


RULES = {
    "localreviews:review": Rule(readers, kwargs=_local_review),
    "localreviews:open": Rule(case_action(CaseAction.RUN_LOCAL_REVIEW)),
    "localreviews:terms": Rule(readers, kwargs=_with_terms),
    "localreviews:terms_edit": Rule(_readers_who(TERMS_DRAFTERS), kwargs=_with_terms),
    "localreviews:terms_send": Rule(_readers_who(TERMS_DRAFTERS), method="post", kwargs=_with_terms),
    "localreviews:terms_agree": Rule(_readers_who(TERMS_DRAFTERS), method="post", kwargs=_with_terms),
    "localreviews:terms_document": Rule(
        _readers_who(TERMS_DRAFTERS | PARTNER_DELEGATES), method="post", kwargs=_with_terms
    ),
    "localreviews:methodologies": Rule(roles(METHODOLOGY_KEEPERS)),
    "localreviews:methodology_retire": Rule(_north_keepers, method="post", kwargs=_methodology),
    "localreviews:notice": Rule(runs_it, kwargs=lambda ctx: {**_local_review(ctx), "kind": "commissioned"}),
    "localreviews:reviewers": Rule(readers, kwargs=_local_review),
    "localreviews:appoint": Rule(case_action(CaseAction.RUN_LOCAL_REVIEW), kwargs=_local_review),
    "localreviews:monitoring": Rule(readers, kwargs=_local_review),
    "localreviews:written_request_new": Rule(_readers_who(LOCAL_REVIEW_MONITORS), kwargs=_local_review),
    "localreviews:written_request": Rule(readers, kwargs=_written_request),
    # The first checkpoint: 4 weeks (the default interval) after the decision of 2 March 2026.
    "localreviews:checkpoint": Rule(
        _readers_who(LOCAL_REVIEW_MONITORS), kwargs=lambda ctx: {**_local_review(ctx), "day": "2026-03-30"}
    ),
    "localreviews:delay_new": Rule(runs_it, kwargs=_local_review),
    "localreviews:delay_end": Rule(runs_it, kwargs=_delay),
    "localreviews:share": Rule(case_action(CaseAction.RUN_LOCAL_REVIEW), method="post", kwargs=_local_review),
    "localreviews:final_report": Rule(readers, kwargs=_local_review),
    "localreviews:final_report_put_forward": Rule(runs_it, kwargs=_local_review),
    "localreviews:send_ahead": Rule(runs_it, kwargs=_local_review),
    "localreviews:publication": Rule(runs_it, kwargs=_local_review),
    "localreviews:report": Rule(readers, kwargs=_report),
    "localreviews:report_section": Rule(
        _readers_who(REPORT_WRITERS), kwargs=lambda ctx: {**_report(ctx), "slug": "introduction"}
    ),
    "localreviews:report_autosave": Rule(
        _readers_who(REPORT_WRITERS),
        method="post",
        kwargs=lambda ctx: {**_report(ctx), "slug": "introduction"},
        ok_statuses=frozenset({400}),  # the walk posts no version: a writer gets past the door to "bad request"
    ),
    "localreviews:report_keep": Rule(_readers_who(REPORT_WRITERS), method="post", kwargs=_report),
    "localreviews:report_upload": Rule(_readers_who(REPORT_WRITERS), kwargs=_report),
    "localreviews:report_version": Rule(readers, kwargs=lambda ctx: {**_report(ctx), "number": 1}),
    "localreviews:report_compare": Rule(readers, kwargs=_report),
    "localreviews:report_items": Rule(readers, kwargs=_report),
    "localreviews:report_item": Rule(_readers_who(REPORT_WRITERS), kwargs=_with_report),
    "localreviews:report_item_step": Rule(
        _readers_who(REPORT_WRITERS), method="post", kwargs=lambda ctx: {**_with_report(ctx), "step": "up"}
    ),
    "localreviews:learning_events": Rule(readers, kwargs=_local_review),
    "localreviews:learning_event_new": Rule(_readers_who(EVENT_ORGANISERS), kwargs=_local_review),
    "localreviews:learning_event": Rule(readers, kwargs=_event),
    "localreviews:learning_event_edit": Rule(_readers_who(EVENT_ORGANISERS), kwargs=_event),
    "localreviews:learning_event_attendance": Rule(_readers_who(EVENT_ORGANISERS), kwargs=_event),
    "localreviews:family": Rule(family_readers, kwargs=_local_review),
    "localreviews:family_new": Rule(family_keepers, kwargs=_local_review),
    "localreviews:family_edit": Rule(family_keepers, kwargs=_family_entry),
    "localreviews:accuracy": Rule(_round_readers, kwargs=_with_round),
    "localreviews:accuracy_send": Rule(_readers_who(ACCURACY_ANSWERERS), kwargs=_local_review),
    "localreviews:accuracy_round": Rule(_round_readers, kwargs=_round_kwargs),
    "localreviews:accuracy_comment": Rule(_round_readers_who(frozenset(), leads=True), kwargs=_round_kwargs),
    "localreviews:accuracy_close": Rule(_round_readers_who(ACCURACY_ANSWERERS), method="post", kwargs=_round_kwargs),
    "localreviews:accuracy_change": Rule(_hospital_thread(author_only=True), kwargs=_comment_kwargs),
    "localreviews:accuracy_decide": Rule(_hospital_thread(author_only=False), kwargs=_comment_kwargs),
}
