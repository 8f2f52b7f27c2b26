import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.policies import CaseAction, can
from core.http import serves
from rapidreviews.chronology import duplicate_checks_for, merge
from rapidreviews.forms.meeting import ImmediateActionForm, MeetingForm, MeetingHeldForm
from rapidreviews.models import ImmediateAction, ImmediateActionStatus, Meeting
from rapidreviews.policies import ReviewChecker
from rapidreviews.rendering.papers import papers_pdf
from rapidreviews.selectors import meeting_candidates, member_labels
from rapidreviews.services.meeting import ActionConflict, immediate_action_save, meeting_held_record, meeting_schedule
from rapidreviews.services.meeting_state import MeetingError, meeting_wait
from rapidreviews.views.common import base_context, load, load_staff
from rapidreviews.views.items import conflict_form


@serves("GET", "POST")
def meeting_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator schedules the meeting here; the partners, the scrutineer, the chair and the
    people invited to it (an agency's lead among them) read it."""
    case, review = load(request, reference)
    if not ReviewChecker(request.user, case).can_view_meeting(review):
        raise PermissionDenied("The meeting page is for the review's coordinator, partners and the meeting's members")
    meeting = Meeting.objects.filter(review=review).first()
    can_run = can(request.user, CaseAction.RUN_RAPID_REVIEW, case)
    form = None
    if can_run:
        initial = {}
        if meeting is not None:
            initial = {
                "date": meeting.date,
                "start_time": meeting.start_time.strftime("%H:%M"),
                "duration_minutes": meeting.duration_minutes,
                "place": meeting.place,
                "online_link": meeting.online_link,
                "members": [str(pk) for pk in meeting.members.values_list("pk", flat=True)],
            }
        form = MeetingForm(request.POST or None, initial=initial, people=meeting_candidates(review), case=case)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                meeting_schedule(
                    review=review,
                    actor=request.user,
                    date=data["date"],
                    start_time=data["start_time"],
                    duration_minutes=data["duration_minutes"],
                    place=data["place"],
                    online_link=data["online_link"],
                    members=list(
                        User.objects.filter(
                            pk__in=data["members"], memberships__partnership=case.partnership
                        ).distinct()
                    ),
                )
            except MeetingError as error:
                form.add_error("date", str(error))
            else:
                messages.success(
                    request,
                    "Meeting scheduled. Each member has been sent an invitation."
                    if meeting is None
                    else "Meeting changed. Each member has been sent the updated invitation.",
                )
                return redirect("rapidreviews:meeting", reference)
    elif request.method == "POST":
        raise PermissionDenied("Only the coordinator schedules the meeting")
    return render(
        request,
        "rapidreviews/meeting.html",
        base_context(
            case,
            review,
            meeting=meeting,
            form=form,
            can_run=can_run,
            members=member_labels(review),
            waits=meeting_wait(review, "The decision", meeting) if meeting is not None else None,
        ),
    )


@serves("GET", "POST")
def meeting_held(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The coordinator records that the meeting took place, and on which day."""
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    meeting = Meeting.objects.filter(review=review).first()
    form = None
    if meeting is not None:
        today = timezone.localdate()
        initial = {"held_on": meeting.held_on or (meeting.date if meeting.date <= today else None)}
        form = MeetingHeldForm(request.POST or None, initial=initial, case=case)
        if request.method == "POST" and form.is_valid():
            try:
                meeting_held_record(review=review, actor=request.user, held_on=form.cleaned_data["held_on"])
            except MeetingError as error:
                form.add_error("held_on", str(error))
            else:
                messages.success(
                    request,
                    f"Recorded: the meeting was held on {form.cleaned_data['held_on']:%-d %B %Y}. "
                    "The decision can now be recorded.",
                )
                return redirect("rapidreviews:meeting", reference)
    return render(request, "rapidreviews/meeting_held.html", base_context(case, review, meeting=meeting, form=form))


@serves("GET")
def papers(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The summaries and the merged chronology as one PDF, for the meeting's members."""
    case, review = load(request, reference)
    checker = ReviewChecker(request.user, case)
    if not checker.can_view_meeting(review):
        raise PermissionDenied("The papers are for the meeting's members")
    if not checker.can_read_papers(review):
        return render(request, "rapidreviews/papers_not_ready.html", base_context(case, review))
    from rapidreviews.chronology import entries_for_document
    from rapidreviews.selectors import SHARED_STATUSES

    returns = list(
        review.requests.filter(agency_summary__status__in=SHARED_STATUSES)
        .select_related("agency", "agency_summary")
        .prefetch_related("agency_summary__episodes")
    )
    data = papers_pdf(
        case=case,
        review=review,
        returns=[r.agency_summary for r in returns],
        chronology=merge(entries_for_document(review), review.gap_days, duplicate_checks_for(review)),
    )
    audit_record(
        actor=request.user,
        verb=Verb.DOWNLOAD,
        target=review,
        case=case,
        details={"summary": "Meeting papers downloaded"},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="papers-{case.reference}.pdf"'
    return response


@serves("GET")
def immediate_actions_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review = load_staff(request, reference)
    actions = list(review.actions.all())
    today = timezone.localdate()
    return render(
        request,
        "rapidreviews/immediate_actions.html",
        base_context(
            case,
            review,
            actions=actions,
            today=today,
            overdue=sum(1 for a in actions if a.status != ImmediateActionStatus.DONE and a.due < today),
            can_run=can(request.user, CaseAction.RUN_RAPID_REVIEW, case),
        ),
    )


ACTION_FIELDS = ("description", "owner", "due", "status", "evidence")


@serves("GET", "POST")
def immediate_action_edit(request: AuthenticatedHttpRequest, reference: str, pk: int | None = None) -> HttpResponse:
    """Adds or changes an immediate action. A change saved elsewhere meanwhile (another tab, a
    colleague) is shown beside the person's own text rather than overwritten; the same "add" form
    sent twice adds one action."""
    case, review = load(request, reference, CaseAction.RUN_RAPID_REVIEW)
    action = get_object_or_404(ImmediateAction, review=review, pk=pk) if pk else None
    initial: dict[str, Any] = {"version": 0, "token": secrets.token_urlsafe(16)}
    if action is not None:
        initial = {"version": action.version, **{k: getattr(action, k) for k in ACTION_FIELDS}}
    form = ImmediateActionForm(request.POST or None, initial=initial)
    saved_now: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = data.get("version")
        token = (data.get("token") or "") if action is None else ""
        earlier = action is None and token and review.actions.filter(client_token=token).exists()
        try:
            immediate_action_save(
                review=review,
                actor=request.user,
                action=action,
                values=data,
                # An old page with no version field still saves over what it showed (the version now).
                expected_version=version if action is not None and version else None,
                token=token,
            )
        except ActionConflict:
            assert action is not None
            action.refresh_from_db()
            form = conflict_form(ImmediateActionForm, request, action.version)
            saved_now = _action_saved(action)
        else:
            messages.success(
                request,
                "This action was saved already: it has not been added twice" if earlier else "Immediate action saved",
            )
            return redirect("rapidreviews:immediate_actions", reference)
    return render(
        request,
        "rapidreviews/immediate_action_form.html",
        base_context(case, review, form=form, action=action, saved_now=saved_now),
    )


def _action_saved(action: ImmediateAction) -> list[tuple[str, str]]:
    rows = [("Action", action.description), ("Owner", action.owner), ("Due date", f"{action.due:%-d %B %Y}")]
    return [*rows, ("Status", action.get_status_display()), ("Evidence", action.evidence)]
