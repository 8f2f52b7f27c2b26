"""Reading the rapid review for one person. Every view starts here, after `get_case_for_user`.

Who may see which of the review's records is decided in rapidreviews/policies.py; these queries
filter by it. A summary the person may not see answers 404, exactly as one that does not exist.
"""

from typing import Any

from django.db.models import Exists, Q, QuerySet
from django.http import Http404

from accounts.models import Membership, User
from accounts.roles import MEETING_MEMBER_ROLES, Role
from audit.models import AuditEvent, Verb
from cases.models import Case
from rapidreviews.models import (
    AgencySummary,
    ChronologyEntry,
    ChronologyImport,
    InformationRequest,
    Meeting,
    PracticeEpisode,
    RapidReview,
    SummaryStatus,
)
from rapidreviews.policies import ReviewChecker, lead_agency_ids

SHARED_STATUSES = (SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED)

# What a page that only reads the review reads with the case, in one query: the review and its meeting.
CASE_PAGE_RELATED = ("rapid_review__meeting",)


def review_on_page(case: Case) -> RapidReview | None:
    """The case's review or None, read once per case object: the case page's stage, next step,
    guards and section each ask for it. For pages that only read; services load it afresh."""
    try:
        return case.rapid_review  # type: ignore[no-any-return]  # the reverse one-to-one, cached on the case
    except RapidReview.DoesNotExist:
        return None


def review_of(case: Case) -> RapidReview:
    try:
        return RapidReview.objects.select_related("case").get(case=case)
    except RapidReview.DoesNotExist:
        raise Http404("The rapid review has not started") from None


def own_requests_on_page(user: User, case: Case) -> list[InformationRequest]:
    """The review's requests to the agencies this person is safeguarding lead for, with their
    summaries; read once per case object for the case page's next step and section."""
    review = review_on_page(case)
    agencies = lead_agency_ids(user, case)
    if review is None or not agencies:
        return []
    memo: dict[int, list[InformationRequest]] = case.__dict__.setdefault("_own_requests", {})
    if user.pk not in memo:
        memo[user.pk] = list(
            review.requests.filter(agency_id__in=agencies).select_related("agency", "agency_summary").order_by("pk")
        )
    return memo[user.pk]


def summaries_visible_to(user: User, review: RapidReview) -> QuerySet[AgencySummary]:
    returns = AgencySummary.objects.filter(request__review=review).select_related("request__agency", "request__lead")
    checker = ReviewChecker(user, review.case)
    if checker.runs_review:
        return returns
    own = checker.lead_agency_ids
    if checker.sees_shared_summaries(review) or checker.reads_as_local_reviewer(review):
        return returns.filter(Q(request__agency_id__in=own) | Q(status__in=SHARED_STATUSES))
    return returns.filter(request__agency_id__in=own)


def summary_for(user: User, review: RapidReview, agency_id: int) -> AgencySummary:
    try:
        agency_summary = summaries_visible_to(user, review).get(request__agency_id=agency_id)
    except AgencySummary.DoesNotExist:
        raise Http404("No return for that agency") from None
    agency_summary.request.review = review  # already read, with its case: not read again
    return agency_summary


def summary_for_writing(user: User, review: RapidReview, agency_id: int) -> tuple[AgencySummary, bool]:
    """The summary for a page that writes it, and whether this person is one of its agency's leads
    (who write it while it is open; anyone else who may see it may not). Reads the person's
    agencies once: a lead's own summary is found directly, anyone else's through `summary_for`."""
    if agency_id not in lead_agency_ids(user, review.case):
        return summary_for(user, review, agency_id), False
    agency_summary = (
        AgencySummary.objects.filter(request__review=review, request__agency_id=agency_id)
        .select_related("request__agency", "request__lead")
        .first()
    )
    if agency_summary is None:
        raise Http404("No return for that agency")
    agency_summary.request.review = review
    return agency_summary, True


def pending_import_for(user: User, review: RapidReview, agency_id: int, import_id: int) -> ChronologyImport | None:
    """A chronology file this person uploaded to their agency's summary, while they still lead the
    agency (in one query, with the summary); None otherwise."""
    leads_it = Membership.objects.active().filter(
        user=user, partnership_id=review.case.partnership_id, role=Role.AGENCY_LEAD, agency_id=agency_id
    )
    found = (
        ChronologyImport.objects.filter(
            pk=import_id,
            uploaded_by=user,
            agency_summary__request__review=review,
            agency_summary__request__agency_id=agency_id,
        )
        .filter(Exists(leads_it))
        .select_related("agency_summary__request__agency", "agency_summary__request__lead")
        .first()
    )
    if found is not None:
        found.agency_summary.request.review = review
    return found


def requests_for(review: RapidReview) -> QuerySet[InformationRequest]:
    return review.requests.select_related("agency", "lead", "invitation", "agency_summary")


def agency_leads(case: Case) -> QuerySet[Membership]:
    return (
        Membership.objects.active()
        .filter(partnership_id=case.partnership_id, role=Role.AGENCY_LEAD, agency__isnull=False)
        .select_related("user", "agency")
        .order_by("agency__name", "user__last_name")
    )


def open_requests_for_lead(user: User) -> QuerySet[AgencySummary]:
    agencies = (
        Membership.objects.active().filter(user=user, role=Role.AGENCY_LEAD, agency__isnull=False).values("agency_id")
    )
    return (
        AgencySummary.objects.filter(request__agency_id__in=agencies)
        .exclude(status__in=[SummaryStatus.ACCEPTED, SummaryStatus.CLOSED])
        .select_related("request__agency", "request__review__case")
        .order_by("request__sent_at")
    )


# Audit targets that belong to one agency's summary: its sections, chronology entries and episodes.
SUMMARY_TARGETS = {
    "rapidreviews.agencysummary": AgencySummary,
    "rapidreviews.agencyreturn": AgencySummary,  # events recorded before the model was renamed
    "rapidreviews.chronologyentry": ChronologyEntry,
    "rapidreviews.practiceepisode": PracticeEpisode,
}
_AGENCY_PATH = {
    AgencySummary: "request__agency_id",
    ChronologyEntry: "agency_summary__request__agency_id",
    PracticeEpisode: "agency_summary__request__agency_id",
}


def _agency_of_events(events: list[AuditEvent]) -> dict[int, int | None]:
    """The agency whose summary each event is about: from the event (`details["agency_id"]`), or
    else from the row it names (None when the row is gone, e.g. a removed draft entry)."""
    found: dict[int, int | None] = {}
    wanted: dict[type[Any], set[int]] = {}
    for event in events:
        if isinstance(event.details.get("agency_id"), int):
            found[event.pk] = event.details["agency_id"]
        elif event.target_id.isdigit():
            wanted.setdefault(SUMMARY_TARGETS[event.target_type], set()).add(int(event.target_id))
    agency_by_row = {
        (model, pk): agency
        for model, ids in wanted.items()
        for pk, agency in model.objects.filter(pk__in=ids).values_list("pk", _AGENCY_PATH[model])
    }
    for event in events:
        if event.pk not in found:
            model = SUMMARY_TARGETS[event.target_type]
            found[event.pk] = agency_by_row.get((model, int(event.target_id))) if event.target_id.isdigit() else None
    return found


def timeline_for(user: User, case: Case, events: list[AuditEvent]) -> list[AuditEvent]:
    """The case timeline without other agencies' drafting. Writing a summary (its sections, entries
    and episodes, with their words in the event) is seen by the agency's own leads and the
    coordinator, as the summary itself is; everyone who reads the case record sees its milestones
    (sent, accepted, sent back). An event whose agency cannot be told is left out (fail closed)."""
    about_summaries = [e for e in events if e.target_type in SUMMARY_TARGETS]
    checker = ReviewChecker(user, case)
    if not about_summaries or checker.runs_review:
        return events
    own = checker.lead_agency_ids
    agency_of = _agency_of_events(about_summaries)

    def shown(event: AuditEvent) -> bool:
        if event.target_type not in SUMMARY_TARGETS:
            return True
        if agency_of.get(event.pk) in own:
            return True
        return SUMMARY_TARGETS[event.target_type] is AgencySummary and event.verb == Verb.TRANSITION

    return [e for e in events if shown(e)]


def member_labels(review: RapidReview) -> list[str]:
    """The meeting's members as people read them: name, role and agency ('Owain Brackley, Agency
    safeguarding lead (Northshire Police)')."""
    meeting = getattr(review, "meeting", None)
    if meeting is None:
        return []
    labels = dict(meeting_candidates(review))
    return [labels.get(m.pk, m.display_name) for m in meeting.members.order_by("last_name", "first_name")]


def meeting_candidates(review: RapidReview) -> list[tuple[int, str]]:
    """Who may be asked to the meeting: the partners, the scrutineer, the chair and the business unit,
    and the safeguarding leads of the agencies involved in the case or asked for a summary (not every
    lead in the partnership); anyone already invited stays on the list."""
    seen: dict[int, str] = {}
    asked = {r["agency_id"] for r in review.requests.values("agency_id")}
    asked |= set(review.case.involved_agencies.values_list("pk", flat=True))
    invited = Meeting.members.through.objects.filter(meeting__review=review).values("user_id")
    memberships = (
        Membership.objects.active()
        .filter(partnership_id=review.case.partnership_id, role__in=list(MEETING_MEMBER_ROLES))
        .filter(~Q(role=Role.AGENCY_LEAD) | Q(agency_id__in=asked) | Q(user_id__in=invited))
        .select_related("user", "agency")
        .order_by("user__last_name", "user__first_name")
    )
    for m in memberships:
        label = f"{m.user.display_name}, {m.get_role_display()}" + (f" ({m.agency})" if m.agency else "")
        seen.setdefault(m.user_id, label)
    return list(seen.items())
