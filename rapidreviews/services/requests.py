from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import AccountExistsError, InvitationAlreadyOpen, invitation_create
from audit.models import Verb
from audit.services import audit_record
from cases.models import CaseAccess
from partnerships.models import Agency
from rapidreviews.integrations import (
    RAPID_REVIEW_DAYS,
    ClockRule,
    Email,
    MessageKind,
    due_label,
    email_render,
    messages_send_to,
    step_met_quietly,
)
from rapidreviews.models import OUTSTANDING_STATUSES, AgencySummary, InformationRequest, RapidReview, SummaryStatus
from rapidreviews.services.review import link


class RequestError(Exception):
    pass


def information_request_send(
    *,
    review: RapidReview,
    actor: User,
    agency: Agency,
    lead: User | None = None,
    invite: dict[str, str] | None = None,
    message: str = "",
) -> InformationRequest:
    """Asks one agency for its Individual Agency Summary: to a named lead, or to one invited now."""
    case = review.case
    if agency.partnership_id != case.partnership_id:
        raise RequestError("Choose an agency in this partnership")
    if review.requests.filter(agency=agency).exists():
        raise RequestError(f"{agency} has already been asked")
    if lead is None and not invite:
        raise RequestError("Choose the safeguarding lead or invite one")
    if lead is not None and invite:
        raise RequestError("Choose a safeguarding lead from the list or invite a new lead, not both")
    with transaction.atomic():
        invitation = None
        if lead is None and invite:
            # The invitation email is the new lead's only word of the request, so it says what is
            # asked, by whom and by when; it names the case only by reference and pseudonym.
            subject, reason = email_render(
                Email.INFORMATION_REQUEST_INVITATION,
                {
                    "case": case,
                    "agency": agency,
                    "actor": actor,
                    "due": due_label(case, "Summary due", ClockRule.RR_RETURNS, outcome=False),
                    "message": message.strip(),
                },
            )
            try:
                invitation, _token = invitation_create(
                    invited_by=actor,
                    partnership=case.partnership,
                    email=invite["email"],
                    first_name=invite["first_name"],
                    last_name=invite["last_name"],
                    role=Role.AGENCY_LEAD,
                    agency=agency,
                    reason=reason,
                    then="The request is then on your home page, ready for you to start.",
                    subject=subject,
                )
            except AccountExistsError:
                raise RequestError(
                    "A person with this email address already has an account, so they cannot be invited: "
                    "choose a safeguarding lead from the list instead"
                ) from None
            except InvitationAlreadyOpen:
                raise RequestError(f"{agency} has already been asked") from None
        request = InformationRequest.objects.create(
            review=review, agency=agency, lead=lead, invitation=invitation, message=message, sent_by=actor
        )
        AgencySummary.objects.create(request=request)
        case.involved_agencies.add(agency)
        if lead is not None:
            CaseAccess.objects.get_or_create(
                case=case, user=lead, reason=CaseAccess.Reason.INFORMATION_REQUEST, defaults={"granted_by": actor}
            )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=request,
            case=case,
            details={"summary": f"Information request sent to {agency}", "agency": agency.name},
        )
        step_met_quietly(case=case, rule=ClockRule.RR_REQUESTS_OUT, actor=actor)
        due = due_label(case, "Summary due", ClockRule.RR_RETURNS, outcome=False)
        subject, body = email_render(
            Email.INFORMATION_REQUEST,
            {
                "case": case,
                "agency": agency,
                "actor": actor,
                "due": due,
                "days": RAPID_REVIEW_DAYS,
                "message": message,
                "url": link("rapidreviews:summary", case.reference, agency.pk),
            },
        )
        if lead is not None:
            messages_send_to(
                recipients=[lead],
                subject=subject,
                body=body,
                case=case,
                actor=actor,
                kind=MessageKind.REQUEST,
                dedupe_key=f"rr-request-{request.pk}",
            )
    return request


def information_requests_send(
    *, review: RapidReview, actor: User, asks: list[tuple[Agency, User]], message: str = ""
) -> list[InformationRequest]:
    """Asks several agencies at once, each its chosen lead: every request as if sent on its own
    (its own summary, due date, clock step and email), all of them or, if one cannot be sent (an
    agency asked meanwhile in another tab), none."""
    if not asks:
        raise RequestError("Select the agencies to ask")
    with transaction.atomic():
        return [
            information_request_send(review=review, actor=actor, agency=agency, lead=lead, message=message)
            for agency, lead in asks
        ]


def summaries_share(*, review: RapidReview, actor: User) -> None:
    """Lets the meeting's members (and partnership-wide roles) see submitted and accepted returns."""
    with transaction.atomic():
        RapidReview.objects.filter(pk=review.pk).update(summaries_shared_at=timezone.now())
        review.refresh_from_db()
        shared = review.requests.filter(
            agency_summary__status__in=[SummaryStatus.SUBMITTED, SummaryStatus.ACCEPTED]
        ).count()
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=review,
            case=review.case,
            details={"summary": f"Agency summaries shared with the meeting's members ({shared})"},
        )
        meeting = getattr(review, "meeting", None)
        if meeting is not None:
            case = review.case
            subject, body = email_render(
                Email.MEETING_PAPERS,
                {"case": case, "meeting": meeting, "url": link("rapidreviews:papers", case.reference)},
            )
            messages_send_to(
                recipients=list(meeting.members.exclude(pk=actor.pk)),
                subject=subject,
                body=body,
                case=case,
                actor=actor,
                kind=MessageKind.GENERAL,
                dedupe_key=f"rr-papers-{review.pk}-{review.summaries_shared_at:%Y%m%d%H%M%S}",
            )


def requests_take_invited_lead(*, invitation: Any, user: User, **_: Any) -> None:
    """Receiver of accounts' `invitation_accepted`: a lead invited with an information request
    becomes that request's named lead, so its emails and access go to them rather than to every
    lead of the agency. Only the account made from the invitation (its address) takes them."""
    if user.email.strip().lower() != invitation.email.strip().lower():
        return
    for request in InformationRequest.objects.filter(invitation=invitation, lead__isnull=True).select_related(
        "review__case"
    ):
        InformationRequest.objects.filter(pk=request.pk).update(lead=user)
        case = request.review.case
        CaseAccess.objects.get_or_create(
            case=case,
            user=user,
            reason=CaseAccess.Reason.INFORMATION_REQUEST,
            defaults={"granted_by": request.sent_by},
        )
        audit_record(
            actor=user,
            verb=Verb.UPDATE,
            target=request,
            case=case,
            details={"summary": f"Invited lead accepted the information request to {request.agency}"},
        )


def summaries_chase(clock: Any) -> list[Any]:
    """The clocks' reminders for the "agency summaries" step also go to the leads of every agency
    whose return is not in yet, each with a link to their own request."""
    from clocks.reminders import Chase
    from rapidreviews.services.summaries import leads_of

    review = RapidReview.objects.filter(case=clock.case).first()
    if review is None:
        return []
    outstanding = review.requests.filter(agency_summary__status__in=OUTSTANDING_STATUSES).select_related(
        "agency", "lead", "review__case"
    )
    return [
        Chase(
            user=lead,
            link=link("rapidreviews:summary", clock.case.reference, request.agency_id),
            what=f"the Individual Agency Summary from {request.agency}",
        )
        for request in outstanding
        for lead in leads_of(request)
    ]


def requests_let_go_of_ended_lead(*, membership: Any, **_: Any) -> None:
    """Receiver of accounts' `membership_ended`: a lead whose role for an agency ended is no longer
    that agency's named lead on its requests (their emails and access go to the agency's current
    leads), and someone left with no role in the partnership loses its meeting places and grants."""
    from accounts.models import Membership
    from rapidreviews.models import Meeting

    user, partnership_id = membership.user, membership.partnership_id
    active = Membership.objects.active().filter(user=user, partnership_id=partnership_id)
    if (
        membership.role == Role.AGENCY_LEAD
        and not active.filter(role=Role.AGENCY_LEAD, agency=membership.agency).exists()
    ):
        InformationRequest.objects.filter(
            lead=user, agency=membership.agency, review__case__partnership_id=partnership_id
        ).update(lead=None)
        CaseAccess.objects.filter(
            user=user,
            reason=CaseAccess.Reason.INFORMATION_REQUEST,
            case__rapid_review__requests__agency=membership.agency,
        ).delete()
    if not active.exists():
        for meeting in Meeting.objects.filter(members=user, review__case__partnership_id=partnership_id):
            meeting.members.remove(user)
        CaseAccess.objects.filter(user=user, case__partnership_id=partnership_id).exclude(
            reason=CaseAccess.Reason.COMMISSIONED_REVIEWER
        ).delete()
