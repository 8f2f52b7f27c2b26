"""Planning a local review's practitioner learning events, inviting people to them with a calendar
invitation each, and recording who attended. Every change goes through the event's own table
(localreviews/events_workflow.py): the version check, the history row and the audit event."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import EVENT_INVITEE_ROLES, Role
from accounts.selectors import normalised_email
from audit.models import Verb
from audit.services import audit_record
from cases.workflow_engine import TransitionError, take
from localreviews.events_models import Attendance, EventStatus, Invitee, LearningEvent
from localreviews.events_workflow import EVENT_WORKFLOW
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker
from notifications.emails import Email, email_render
from notifications.models import MessageKind
from notifications.services import message_send
from rapidreviews.rendering.ics import meeting_ics

PRODUCT = "-//Safeguarding practice reviews//Practitioner learning event//EN"


class EventError(Exception):
    """What stops the change, in words for the page."""


@dataclass(frozen=True)
class Guest:
    """Someone invited by name and address (not one of the partnership's people)."""

    name: str
    email: str
    role: str = ""


@dataclass(frozen=True)
class EventDetails:
    title: str
    date: dt.date
    start_time: dt.time
    duration_minutes: int
    place: str
    online_link: str


@dataclass(frozen=True)
class Person:
    """One of the partnership's people who may be invited, as the form lists them."""

    user: User
    role: str  # "Practitioner, Northshire Hospital"


def invitable_people(review: LocalReview) -> list[Person]:
    """The partnership's practitioners and agency leads, each once (with their first role)."""
    people: dict[int, Person] = {}
    memberships = (
        Membership.objects.active()
        .filter(partnership_id=review.case.partnership_id, role__in=EVENT_INVITEE_ROLES, user__is_active=True)
        .select_related("user", "agency")
        .order_by("user__last_name", "user__first_name", "id")
    )
    for m in memberships:
        if m.user_id not in people:
            role = str(Role(m.role).label) + (f", {m.agency.name}" if m.agency else "")
            people[m.user_id] = Person(m.user, role)
    return list(people.values())


def _check(review: LocalReview, details: EventDetails, chosen: Sequence[Person], guests: Sequence[Guest]) -> None:
    if details.date < review.decided_on:
        raise EventError(
            f"Date of the event must be on or after the partners' decision ({review.decided_on:%-d %B %Y})"
        )
    if not details.place and not details.online_link:
        raise EventError("Enter the place or an online meeting link")
    if not chosen and not guests:
        raise EventError("Invite at least one person")
    emails = [normalised_email(p.user.email) for p in chosen] + [normalised_email(g.email) for g in guests]
    if len(emails) != len(set(emails)):
        raise EventError("Each person is invited once: an email address is given twice")


def _fields(details: EventDetails) -> dict[str, Any]:
    return {
        "title": details.title.strip(),
        "date": details.date,
        "start_time": details.start_time,
        "duration_minutes": details.duration_minutes,
        "place": details.place.strip(),
        "online_link": details.online_link.strip(),
    }


def _invitees(event: LearningEvent, chosen: Sequence[Person], guests: Sequence[Guest]) -> list[Invitee]:
    """Writes the invitee list as given: those no longer invited go, the new are added. Returns the
    new ones."""
    now = timezone.now()
    wanted: dict[str, tuple[User | None, str, str]] = {
        normalised_email(p.user.email): (p.user, p.user.display_name, p.role) for p in chosen
    }
    wanted |= {normalised_email(g.email): (None, g.name.strip(), g.role.strip()) for g in guests}
    existing = {i.email: i for i in event.invitees.all()}
    Invitee.objects.filter(event=event).exclude(email__in=list(wanted)).delete()
    added = [
        Invitee(event=event, user=user, name=name, email=email, role=role, invited_at=now)
        for email, (user, name, role) in wanted.items()
        if email not in existing
    ]
    Invitee.objects.bulk_create(added)
    for email, (_user, name, role) in wanted.items():
        kept = existing.get(email)
        if kept is not None and (kept.name, kept.role) != (name, role):
            Invitee.objects.filter(pk=kept.pk).update(name=name, role=role)
    return added


def _invite(event: LearningEvent, actor: User, recipients: Sequence[Invitee], *, changed: bool) -> None:
    """Each of `recipients` is sent the calendar invitation (all invitees are its attendees)."""
    if not recipients:
        return
    case = event.review.case
    start = timezone.make_aware(dt.datetime.combine(event.date, event.start_time))
    everyone = list(Invitee.objects.filter(event=event).order_by("id"))
    ics = meeting_ics(
        uid=f"{event.uid}@learning-event",
        sequence=event.sequence,
        start=start,
        minutes=event.duration_minutes,
        summary=f"Practitioner learning event: {event.title}",
        location=event.where,
        description=f"A practitioner learning event of the local review of case {case.reference}.",
        organizer=(actor.display_name, actor.email),
        attendees=[(i.name, i.email) for i in everyone],
        product=PRODUCT,
    )
    subject, body = email_render(
        Email.LEARNING_EVENT_INVITATION,
        {
            "event": event,
            "case": case,
            "changed": changed,
            "start": start,
            "where": event.where,
            "organiser": actor,
            "partnership": case.partnership,
        },
    )
    message_send(
        recipients=[i.user if i.user_id else i.email for i in recipients],
        subject=subject,
        body=body,
        case=case,
        actor=actor,
        kind=MessageKind.INVITATION,
        attachment=("invite.ics", ics.decode(), "text/calendar; method=REQUEST; charset=utf-8"),
    )


def _organiser(actor: User, review: LocalReview) -> None:
    if not LocalReviewChecker(actor, review.case).may_organise_events:
        raise PermissionDenied("Only the coordinator or the reviewer organises the learning events")


def learning_event_plan(
    *, review: LocalReview, actor: User, details: EventDetails, chosen: Sequence[Person], guests: Sequence[Guest]
) -> LearningEvent:
    """Plans an event and sends each invitee a calendar invitation. All or nothing."""
    _organiser(actor, review)
    _check(review, details, chosen, guests)
    try:
        with transaction.atomic():
            event = LearningEvent.objects.create(review=review, created_by=actor, updated_by=actor, **_fields(details))
            added = _invitees(event, chosen, guests)
            audit_record(
                actor=actor,
                verb=Verb.CREATE,
                target=event,
                case=review.case,
                details={
                    "summary": f"Local review: learning event planned for {event.date:%-d %B %Y} ({event.title})",
                    "invitees": len(added),
                },
            )
            _invite(event, actor, added, changed=False)
    except IntegrityError:
        raise EventError("Each person is invited once: an email address is given twice") from None
    return event


def learning_event_change(
    *,
    event: LearningEvent,
    actor: User,
    details: EventDetails,
    chosen: Sequence[Person],
    guests: Sequence[Guest],
    expected_version: int,
) -> LearningEvent:
    """Changes a planned event. When it moves (day, time, length or place) everyone invited is sent
    the changed invitation; otherwise only those newly invited are sent theirs."""
    review = event.review
    _check(review, details, chosen, guests)
    fields = _fields(details)
    moved = any(getattr(event, k) != v for k, v in fields.items() if k != "title")
    if moved:
        fields["sequence"] = event.sequence + 1
    try:
        with transaction.atomic():
            take(
                EVENT_WORKFLOW,
                event,
                "event_change",
                actor=actor,
                expected_version=expected_version,
                context={"content": fields},
            )
            added = _invitees(event, chosen, guests)
            if moved:
                _invite(event, actor, list(Invitee.objects.filter(event=event).order_by("id")), changed=True)
            else:
                _invite(event, actor, added, changed=False)
    except IntegrityError:
        raise EventError("Each person is invited once: an email address is given twice") from None
    except TransitionError as error:
        raise EventError(str(error)) from None
    return event


def learning_event_attendance(
    *, event: LearningEvent, actor: User, attendance: dict[int, str], notes: str, expected_version: int
) -> LearningEvent:
    """Records (or corrects) who attended, sent apologies or did not attend, and the notes, once the
    event has taken place. `attendance` is invitee id -> Attendance."""
    invitees = {i.pk: i for i in event.invitees.all()}
    if set(attendance) != set(invitees) or any(a not in Attendance.values for a in attendance.values()):
        raise EventError("Record whether each person invited attended")
    step = "event_held" if event.status == EventStatus.PLANNED else "event_attendance"
    try:
        with transaction.atomic():
            take(
                EVENT_WORKFLOW,
                event,
                step,
                actor=actor,
                expected_version=expected_version,
                context={"content": {"notes": notes.strip()}},
            )
            for pk, value in attendance.items():
                if invitees[pk].attendance != value:
                    Invitee.objects.filter(pk=pk).update(attendance=value)
    except TransitionError as error:
        raise EventError(str(error)) from None
    event.notes = notes.strip()
    return event
