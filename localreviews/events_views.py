"""The practitioner learning events' pages: the list and each event (read by everyone who reads the
review), planning and changing one, and recording who attended (the coordinator or the reviewer).
Each reaches the case through the one door and the review's checker (localreviews/views._load)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from accounts.http import AuthenticatedHttpRequest
from core.http import serves
from localreviews.events_forms import AttendanceForm, EventForm
from localreviews.events_models import EventStatus, Invitee, LearningEvent
from localreviews.events_services import (
    EventError,
    Person,
    invitable_people,
    learning_event_attendance,
    learning_event_change,
    learning_event_plan,
)
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker
from localreviews.views import _load


def _event(review: LocalReview, pk: int) -> LearningEvent:
    event = (
        LearningEvent.objects.filter(review=review, pk=pk)
        .select_related("created_by", "updated_by")
        .prefetch_related(Prefetch("invitees", queryset=Invitee.objects.select_related("user").order_by("id")))
        .first()
    )
    if event is None:
        raise Http404("No such learning event")
    event.review = review
    return event


def _organiser(checker: LocalReviewChecker) -> None:
    if not checker.may_organise_events:
        raise PermissionDenied("Only the coordinator or the reviewer organises the learning events")


@serves("GET")
def learning_events(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, checker = _load(request, reference)
    events = list(review.learning_events.prefetch_related("invitees"))
    return render(
        request,
        "localreviews/events.html",
        {"case": case, "review": review, "checker": checker, "events": events, "nav": "cases"},
    )


@serves("GET")
def learning_event(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    case, review, checker = _load(request, reference)
    event = _event(review, pk)
    return render(
        request,
        "localreviews/event.html",
        {
            "case": case,
            "review": review,
            "checker": checker,
            "event": event,
            "invitees": list(event.invitees.all()),
            "EventStatus": EventStatus,
            "nav": "cases",
        },
    )


def _chosen(form: EventForm, people: list[Person]) -> list[Person]:
    wanted = {int(pk) for pk in form.cleaned_data["people"]}
    return [p for p in people if p.user.pk in wanted]


def _people(review: LocalReview, event: LearningEvent | None) -> list[Person]:
    """Those the form offers: the partnership's practitioners and leads, and anyone already invited
    from the service who no longer is one (so saving does not drop them)."""
    people = invitable_people(review)
    if event is not None:
        offered = {p.user.pk for p in people}
        people += [
            Person(i.user, i.role) for i in event.invitees.all() if i.user is not None and i.user_id not in offered
        ]
    return people


@serves("GET", "POST")
def learning_event_new(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    case, review, checker = _load(request, reference)
    _organiser(checker)
    people = _people(review, None)
    form = EventForm(
        request.POST or None,
        initial={"version": 0},
        people=[(p.user.pk, f"{p.user.display_name} ({p.role})") for p in people],
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = learning_event_plan(
                review=review,
                actor=request.user,
                details=form.details(),
                chosen=_chosen(form, people),
                guests=form.guests(),
            )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, "The learning event is planned. Everyone invited has been sent a calendar invitation."
            )
            return redirect("localreviews:learning_event", reference, event.pk)
    return render(
        request,
        "localreviews/event_edit.html",
        {"case": case, "review": review, "form": form, "event": None, "nav": "cases"},
    )


@serves("GET", "POST")
def learning_event_edit(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    case, review, checker = _load(request, reference)
    _organiser(checker)
    event = _event(review, pk)
    if event.status != EventStatus.PLANNED:
        messages.error(request, "The learning event has been held: record its attendance and notes instead.")
        return redirect("localreviews:learning_event", reference, pk)
    people = _people(review, event)
    guests = [i for i in event.invitees.all() if not i.user_id]
    initial: dict[str, object] = {
        "version": event.version,
        "title": event.title,
        "date": event.date,
        "start_time": f"{event.start_time:%H:%M}",
        "duration_minutes": event.duration_minutes,
        "place": event.place,
        "online_link": event.online_link,
        "people": [str(i.user_id) for i in event.invitees.all() if i.user_id],
    }
    for n, guest in enumerate(guests, start=1):
        initial |= {f"guest{n}_name": guest.name, f"guest{n}_email": guest.email, f"guest{n}_role": guest.role}
    form = EventForm(
        request.POST or None,
        initial=initial,
        people=[(p.user.pk, f"{p.user.display_name} ({p.role})") for p in people],
        guests=len(guests),
    )
    if request.method == "POST" and form.is_valid():
        try:
            learning_event_change(
                event=event,
                actor=request.user,
                details=form.details(),
                chosen=_chosen(form, people),
                guests=form.guests(),
                expected_version=form.cleaned_data["version"],
            )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The learning event is saved. Invitations have been sent where it changed.")
            return redirect("localreviews:learning_event", reference, pk)
    return render(
        request,
        "localreviews/event_edit.html",
        {"case": case, "review": review, "form": form, "event": event, "nav": "cases"},
    )


@serves("GET", "POST")
def learning_event_attendance_view(request: AuthenticatedHttpRequest, reference: str, pk: int) -> HttpResponse:
    case, review, checker = _load(request, reference)
    _organiser(checker)
    event = _event(review, pk)
    invitees = list(event.invitees.all())
    form = AttendanceForm(
        request.POST or None, initial={"version": event.version, "notes": event.notes}, invitees=invitees
    )
    if request.method == "POST" and form.is_valid():
        try:
            learning_event_attendance(
                event=event,
                actor=request.user,
                attendance=form.attendance(),
                notes=form.cleaned_data["notes"],
                expected_version=form.cleaned_data["version"],
            )
        except EventError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Attendance and notes are recorded.")
            return redirect("localreviews:learning_event", reference, pk)
    return render(
        request,
        "localreviews/event_attendance.html",
        {"case": case, "review": review, "form": form, "event": event, "nav": "cases"},
    )
