"""The rapid review's rows of the URL-access table (core/tests/url_access.py merges them).

The walk's case is the Northshire case. `_review` puts it into the rapid review with a draft
return from the hospital (its lead: `lead_hospital`), one chronology entry, one key practice
episode and one immediate action, so each view is reached past its own door rather than stopping
at "no review yet".
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from accounts.roles import Role
from audit.models import Verb
from cases.models import Case, CaseState
from cases.policies import CaseAction
from core.tests.url_access import CASE_VIEW, PERSONA_ROLES, Outcome, Rule, case_action
from rapidreviews.models import (
    AgencySummary,
    ChronologyEntry,
    ChronologyImport,
    ImmediateAction,
    InformationRequest,
    PracticeEpisode,
    RapidReview,
    SummaryStatus,
)

STAFF_ROLES = {Role.COORDINATOR, Role.DELEGATE_LA, Role.DELEGATE_ICB, Role.DELEGATE_POLICE, Role.SCRUTINEER, Role.CHAIR}


def staff(persona: str | None) -> Outcome:
    """The coordinator, the partner delegates, the scrutineer and the chair; other case seers 403."""
    outcome = CASE_VIEW(persona)
    if outcome is not Outcome.PAGE or persona is None:
        return outcome
    return Outcome.PAGE if PERSONA_ROLES[persona] in STAFF_ROLES else Outcome.FORBIDDEN


def workspace(persona: str | None) -> Outcome:
    """As `staff`, but the referrer (who may not see the case record) finds no rapid review: 404."""
    if persona is not None and PERSONA_ROLES[persona] == Role.PRACTITIONER and CASE_VIEW(persona) is Outcome.PAGE:
        return Outcome.NOT_FOUND
    return staff(persona)


def hospital_summary(persona: str | None) -> Outcome:
    """A draft return: its agency's lead and the coordinator see it; everyone else 404."""
    outcome = CASE_VIEW(persona)
    if outcome is not Outcome.PAGE:
        return outcome
    return Outcome.PAGE if persona in ("lead_hospital", "coordinator") else Outcome.NOT_FOUND


def hospital_summary_edit(persona: str | None) -> Outcome:
    """Only the agency's lead writes it; the coordinator may read but not write (403)."""
    outcome = hospital_summary(persona)
    if persona == "coordinator":
        return Outcome.FORBIDDEN
    return outcome


def _review(ctx: Any) -> dict[str, Any]:
    case: Case = ctx.case
    review = RapidReview.objects.filter(case=case).first()
    if review is None:
        Case.objects.filter(pk=case.pk).update(state=CaseState.RAPID_REVIEW)
        review = RapidReview.objects.create(case=case, started_by=ctx.world.people["coordinator"])
        request = InformationRequest.objects.create(
            review=review,
            agency=ctx.world.agencies["hospital"],
            lead=ctx.world.people["lead_hospital"],
            sent_by=ctx.world.people["coordinator"],
        )
        agency_summary = AgencySummary.objects.create(request=request, status=SummaryStatus.DRAFT)
        ChronologyEntry.objects.create(
            agency_summary=agency_summary, date=date(2025, 5, 1), what_happened="Seen in clinic", source="Record"
        )
        PracticeEpisode.objects.create(agency_summary=agency_summary, title="Clinic visit", went_well="Seen quickly")
        ImmediateAction.objects.create(
            review=review,
            description="Check siblings",
            owner="LA",
            due=date(2026, 1, 1),
            created_by=ctx.world.people["coordinator"],
        )
    return {}


def _with(extra: Callable[[Any], dict[str, Any]]) -> Callable[[Any], dict[str, Any]]:
    def kwargs(ctx: Any) -> dict[str, Any]:
        _review(ctx)
        return extra(ctx)

    return kwargs


def _agency(ctx: Any) -> dict[str, Any]:
    return {"agency_id": ctx.world.agencies["hospital"].pk}


def _entry(ctx: Any) -> dict[str, Any]:
    return {**_agency(ctx), "entry_id": ChronologyEntry.objects.get(agency_summary__request__review__case=ctx.case).pk}


def _import(ctx: Any) -> dict[str, Any]:
    """A CSV file the hospital's lead uploaded and has not added yet."""
    agency_summary = AgencySummary.objects.get(request__review__case=ctx.case)
    pending = ChronologyImport.objects.filter(agency_summary=agency_summary).first() or ChronologyImport.objects.create(
        agency_summary=agency_summary,
        uploaded_by=ctx.world.people["lead_hospital"],
        file_name="export.csv",
        text="Date,What happened,Source\r\n1/5/2025,Seen in clinic,Record\r\n",
    )
    return {**_agency(ctx), "import_id": pending.pk}


def _episode(ctx: Any) -> dict[str, Any]:
    episode = PracticeEpisode.objects.get(agency_summary__request__review__case=ctx.case)
    return {**_agency(ctx), "episode_id": episode.pk}


def _two_entries(ctx: Any) -> dict[str, Any]:
    """The hospital's entry and the school's of the same day: a possible duplicate to check."""
    _review(ctx)
    review = RapidReview.objects.get(case=ctx.case)
    hospital = ChronologyEntry.objects.get(
        agency_summary__request__review=review, agency_summary__request__agency=ctx.world.agencies["hospital"]
    )

    def make() -> ChronologyEntry:
        request = InformationRequest.objects.create(
            review=review,
            agency=ctx.world.agencies["school"],
            lead=ctx.world.people["lead_school"],
            sent_by=ctx.world.people["coordinator"],
        )
        school = AgencySummary.objects.create(request=request, status=SummaryStatus.DRAFT)
        return ChronologyEntry.objects.create(
            agency_summary=school, date=hospital.date, what_happened="Seen in clinic", source="Record"
        )

    other = ctx.once("school_entry", make)
    return {"reference": ctx.case.reference, "first": hospital.pk, "second": other.pk}


RUN = case_action(CaseAction.RUN_RAPID_REVIEW)
R = _with(lambda ctx: {})

RAPID_REVIEW_RULES: dict[str, Rule] = {
    "rapidreviews:workspace": Rule(workspace, kwargs=R),
    "rapidreviews:start": Rule(RUN, method="post", kwargs=R),
    "rapidreviews:requests": Rule(staff, kwargs=R),
    "rapidreviews:request_new": Rule(RUN, kwargs=R),
    "rapidreviews:requests_ask": Rule(RUN, kwargs=R),
    "rapidreviews:share_summaries": Rule(RUN, kwargs=R),
    "rapidreviews:summary": Rule(hospital_summary, kwargs=_with(_agency)),
    "rapidreviews:summary_submit": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:summary_check": Rule(RUN, kwargs=_with(_agency)),
    "rapidreviews:summary_section": Rule(
        hospital_summary_edit, kwargs=_with(lambda ctx: {**_agency(ctx), "slug": "learning"})
    ),
    "rapidreviews:summary_section_autosave": Rule(
        hospital_summary_edit,
        method="post",
        kwargs=_with(lambda ctx: {**_agency(ctx), "slug": "learning"}),
        ok_statuses=frozenset({400}),  # the walk posts no version: the lead gets past the door to "bad request"
    ),
    "rapidreviews:summary_answers": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:entries_add": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:entries_import": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:entries_import_preview": Rule(hospital_summary_edit, kwargs=_with(_import)),
    "rapidreviews:entries_template": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:entry_new": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:entry_edit": Rule(hospital_summary_edit, kwargs=_with(_entry)),
    "rapidreviews:entry_delete": Rule(hospital_summary_edit, method="post", kwargs=_with(_entry)),
    "rapidreviews:episode_new": Rule(hospital_summary_edit, kwargs=_with(_agency)),
    "rapidreviews:episode_edit": Rule(hospital_summary_edit, kwargs=_with(_episode)),
    "rapidreviews:episode_delete": Rule(hospital_summary_edit, method="post", kwargs=_with(_episode)),
    "rapidreviews:chronology": Rule(case_action(CaseAction.VIEW_RECORD), kwargs=R),
    "rapidreviews:chronology_duplicate": Rule(RUN, kwargs=_two_entries),
    "rapidreviews:chronology_download": Rule(
        case_action(CaseAction.VIEW_RECORD),
        kwargs=_with(lambda ctx: {"fmt": "csv"}),
        read_verbs=frozenset({Verb.EXPORT}),
    ),
    # People invited to the meeting read it too (none in the walk: rapidreviews/tests/test_meeting.py).
    "rapidreviews:meeting": Rule(staff, kwargs=R),
    # The coordinator downloads the papers; the others see that they are not ready yet (a page).
    "rapidreviews:papers": Rule(staff, kwargs=R, read_verbs=frozenset({Verb.DOWNLOAD, Verb.VIEW})),
    "rapidreviews:meeting_held": Rule(RUN, kwargs=R),
    "rapidreviews:record": Rule(RUN, kwargs=R),
    "rapidreviews:regulation_11": Rule(RUN, kwargs=R),
    "rapidreviews:decision": Rule(RUN, kwargs=R),
    "rapidreviews:sign_off": Rule(staff, kwargs=R),
    "rapidreviews:document": Rule(staff, kwargs=R),
    "rapidreviews:document_create": Rule(staff, method="post", kwargs=R),
    "rapidreviews:document_status": Rule(staff, kwargs=R),
    "rapidreviews:submission": Rule(staff, kwargs=R),
    "rapidreviews:panel_response": Rule(staff, kwargs=R),
    "rapidreviews:immediate_actions": Rule(staff, kwargs=R),
    "rapidreviews:immediate_action_new": Rule(RUN, kwargs=R),
    "rapidreviews:immediate_action_edit": Rule(
        RUN, kwargs=_with(lambda ctx: {"pk": ImmediateAction.objects.get(review__case=ctx.case).pk})
    ),
}
