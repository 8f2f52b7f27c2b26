import datetime as dt
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseAccess
from notifications.emails import Email, email_render
from notifications.models import MessageKind
from notifications.services import message_send
from rapidreviews.integrations import ClockRule, step_met_quietly
from rapidreviews.models import ImmediateAction, ImmediateActionStatus, Meeting, RapidReview
from rapidreviews.rendering.ics import meeting_ics
from rapidreviews.services.meeting_state import MeetingError, meeting_date_error
from rapidreviews.services.review import link


def meeting_held_record(*, review: RapidReview, actor: User, held_on: dt.date) -> Meeting:
    """The coordinator records that the meeting took place, and when: its deadline is met on that
    day, and the decision, sign-off, document and submission may follow."""
    case = review.case
    if held_on > timezone.localdate():
        raise MeetingError("Date the meeting was held must be today or in the past")
    refused = meeting_date_error(case, held_on, "Date the meeting was held")
    if refused:
        raise MeetingError(refused)
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(review=review).first()
        if meeting is None:
            raise MeetingError("Schedule the meeting before you record that it was held")
        before = meeting.held_on
        Meeting.objects.filter(pk=meeting.pk).update(held_on=held_on, updated_at=timezone.now())
        meeting.held_on = held_on
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=meeting,
            case=case,
            details={
                "summary": f"Rapid review meeting held on {held_on:%-d %B %Y}"
                + (f" (recorded before as {before:%-d %B %Y})" if before and before != held_on else ""),
                "held_on": held_on.isoformat(),
            },
        )
        step_met_quietly(case=case, rule=ClockRule.RR_MEETING, actor=actor, on=held_on)
    return meeting


def meeting_schedule(
    *,
    review: RapidReview,
    actor: User,
    date: dt.date,
    start_time: dt.time,
    duration_minutes: int,
    place: str,
    online_link: str,
    members: list[User],
) -> Meeting:
    """Schedules (or moves) the meeting, lets its members see the case, and sends each an invitation."""
    case = review.case
    refused = meeting_date_error(case, date, "Date of the meeting")
    if refused:
        raise MeetingError(refused)
    with transaction.atomic():
        meeting = Meeting.objects.filter(review=review).first()
        values: dict[str, Any] = {
            "date": date,
            "start_time": start_time,
            "duration_minutes": duration_minutes,
            "place": place,
            "online_link": online_link,
        }
        if meeting is None:
            meeting = Meeting.objects.create(review=review, **values)
        else:
            if meeting.date != date:
                values["held_on"] = None  # moved to another day: a meeting still to hold
            for key, value in values.items():
                setattr(meeting, key, value)
            meeting.sequence += 1
        meeting.invitations_sent_at = timezone.now()
        meeting.save()
        meeting.members.set(members)
        for member in members:
            CaseAccess.objects.get_or_create(
                case=case, user=member, reason=CaseAccess.Reason.MEETING_MEMBER, defaults={"granted_by": actor}
            )
        audit_record(
            actor=actor,
            verb=Verb.CREATE if meeting.sequence == 0 else Verb.UPDATE,
            target=meeting,
            case=case,
            details={
                "summary": f"Rapid review meeting set for {date:%-d %B %Y} at {start_time:%H:%M}",
                "members": len(members),
            },
        )
        start = timezone.make_aware(dt.datetime.combine(date, start_time))
        where = ", ".join(x for x in (place, online_link) if x)
        ics = meeting_ics(
            uid=f"{meeting.uid}@rapid-review",
            sequence=meeting.sequence,
            start=start,
            minutes=duration_minutes,
            summary=f"Rapid review meeting: {case.reference}",
            location=where,
            description=f"Papers: {link('rapidreviews:papers', case.reference)}",
            organizer=(actor.display_name, actor.email),
            attendees=[(m.display_name, m.email) for m in members],
        )
        subject, body = email_render(
            Email.MEETING_INVITATION,
            {
                "case": case,
                "changed": bool(meeting.sequence),
                "start": start,
                "where": where,
                "meeting_url": link("rapidreviews:meeting", case.reference),
                "url": link("rapidreviews:papers", case.reference),
            },
        )
        message_send(
            recipients=members,
            subject=subject,
            body=body,
            case=case,
            actor=actor,
            kind=MessageKind.INVITATION,
            attachment=("invite.ics", ics.decode(), "text/calendar; method=REQUEST; charset=utf-8"),
        )
    return meeting


class ActionConflict(Exception):
    """The action was changed elsewhere since the form was opened; nothing was saved."""


RESENT_WITHIN = timedelta(minutes=30)


def immediate_action_save(
    *,
    review: RapidReview,
    actor: User,
    action: ImmediateAction | None,
    values: dict[str, Any],
    expected_version: int | None = None,
    token: str = "",
) -> ImmediateAction:
    """Adds or updates an immediate safeguarding action. Works whatever the case's state: the log stays open.

    A change is made only if the action is still at `expected_version` (else `ActionConflict`): a
    second tab never silently replaces the first's save. An "add" is idempotent: the same form
    (`token`) sent twice, at once or after Back, gives the action it added the first time (with
    any correction made to it), as does the same action added in the last half hour."""
    fields: dict[str, Any] = {
        k: values[k] for k in ("description", "owner", "due", "status", "evidence") if k in values
    }
    fields["status"] = fields.get("status") or ImmediateActionStatus.OPEN
    with transaction.atomic():
        # One add or change at a time on this review's log, so two sends of one form cannot both add.
        RapidReview.objects.select_for_update().filter(pk=review.pk).first()
        if action is None:
            earlier = _earlier_add(review, token, fields)
            if earlier is not None and all(getattr(earlier, k) == v for k, v in fields.items()):
                return earlier
            if earlier is not None:
                action, expected_version = earlier, earlier.version
        if action is None:
            action = ImmediateAction.objects.create(review=review, created_by=actor, client_token=token, **fields)
            verb, summary = Verb.CREATE, "Immediate safeguarding action added"
        else:
            seen = action.version if expected_version is None else expected_version
            updated = ImmediateAction.objects.filter(pk=action.pk, version=seen).update(
                **fields, version=seen + 1, updated_at=timezone.now()
            )
            if updated != 1:
                raise ActionConflict("This action was changed elsewhere while you were changing it")
            action.refresh_from_db()
            verb, summary = Verb.UPDATE, f"Immediate safeguarding action: {action.get_status_display().lower()}"
        audit_record(actor=actor, verb=verb, target=action, case=review.case, details={"summary": summary})
    return action


def _earlier_add(review: RapidReview, token: str, fields: dict[str, Any]) -> ImmediateAction | None:
    actions = ImmediateAction.objects.filter(review=review)
    if token and (earlier := actions.filter(client_token=token).first()) is not None:
        return earlier
    same = {k: fields[k] for k in ("description", "owner", "due")}
    return actions.filter(created_at__gte=timezone.now() - RESENT_WITHIN, **same).first()
