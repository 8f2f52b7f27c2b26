"""The one door to cases. Views start from `cases_visible_to` and `get_case_for_user`, never from
`Case.objects`: a case a person may not see answers 404, an action they may not take 403.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from accounts.models import Membership, User
from accounts.roles import (
    COMMENTERS,
    DOCUMENT_UPLOADERS,
    PARTNER_DELEGATES,
    PARTNERSHIP_WIDE_CASE_ROLES,
    RECORD_ROLES,
    TRIAGING_ROLES,
    Role,
)
from accounts.selectors import roles_of
from audit import reads
from cases.models import Case, CaseAccess, CaseState


class CaseAction(models.TextChoices):
    VIEW = "view", "See the case"
    VIEW_RECORD = "view_record", "See the whole case record (timeline, deadlines, documents)"
    VIEW_VIEWERS = "view_viewers", "See who has seen the case"
    VIEW_MESSAGES = "view_messages", "See the messages the service sent about the case"
    UPLOAD_DOCUMENT = "upload_document", "Add a document"
    DOWNLOAD_DOCUMENT = "download_document", "Download a document"
    TRIAGE = "triage", "Record the triage decision"
    RECORD_SIN = "record_notification", "Record the Serious Incident Notification"
    MANAGE_CLOCKS = "manage_clocks", "Extend, pause or close a deadline"
    RUN_RAPID_REVIEW = "run_rapid_review", "Run the rapid review"
    RUN_LOCAL_REVIEW = "run_local_review", "Run the local review"
    SIGN_OFF = "sign_off", "Sign off as a safeguarding partner"
    COMMENT = "comment", "Comment as independent scrutineer"


# Which roles may take each action on a case they can see. Everyone who can see a case may VIEW it
# and download its documents; the rest is by role.
ACTION_ROLES: dict[CaseAction, frozenset[Role] | None] = {
    CaseAction.VIEW: None,
    # A practitioner sees the case they referred only as far as its stage and outcome: the record
    # itself (timeline, deadlines, messages, documents) is for the people who work on the case.
    CaseAction.VIEW_RECORD: RECORD_ROLES,
    CaseAction.DOWNLOAD_DOCUMENT: RECORD_ROLES,
    CaseAction.VIEW_VIEWERS: frozenset({Role.COORDINATOR}),
    CaseAction.VIEW_MESSAGES: frozenset({Role.COORDINATOR}),
    CaseAction.UPLOAD_DOCUMENT: DOCUMENT_UPLOADERS,
    CaseAction.TRIAGE: TRIAGING_ROLES,
    CaseAction.RECORD_SIN: frozenset({Role.LA_NOTIFIER}),
    CaseAction.MANAGE_CLOCKS: frozenset({Role.COORDINATOR}),
    CaseAction.RUN_RAPID_REVIEW: frozenset({Role.COORDINATOR}),
    CaseAction.RUN_LOCAL_REVIEW: frozenset({Role.COORDINATOR}),
    CaseAction.SIGN_OFF: PARTNER_DELEGATES,
    CaseAction.COMMENT: COMMENTERS,
}


def _record_condition(user: User) -> Q:
    memberships = Membership.objects.active().filter(user=user)
    wide = memberships.filter(role__in=list(PARTNERSHIP_WIDE_CASE_ROLES)).values("partnership_id")
    lead_agencies = memberships.filter(role=Role.AGENCY_LEAD, agency__isnull=False).values("agency_id")
    return (
        Q(partnership_id__in=wide)
        | Q(referring_agency_id__in=lead_agencies)
        | Q(pk__in=Case.involved_agencies.through.objects.filter(agency_id__in=lead_agencies).values("case_id"))
        | Q(pk__in=CaseAccess.objects.filter(user=user).values("case_id"))
    )


def cases_visible_to(user: User) -> models.QuerySet[Case]:
    """Every case this person may see, and no other.

    - partnership-wide roles (coordinator, LA notifier, partner delegates, scrutineer, chair)
      see their partnership's cases;
    - an agency safeguarding lead sees cases their agency referred or is involved in;
    - a practitioner sees the cases they referred (their stage and outcome, not the whole record);
    - anyone may hold an explicit grant (a commissioned reviewer for their review);
    - an administrator sees no case content by default;
    - and only while they hold an active role in the case's partnership.
    """
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(_record_condition(user) | Q(referred_by=user))
        .filter(partnership_id__in=_active_partnerships(user))
        .exclude(state=CaseState.DRAFT)
    )


def _active_partnerships(user: User) -> Any:
    """A person sees a partnership's cases only while they hold a role in it: ending their last role
    ends every grant, referral and meeting place that let them in."""
    return Membership.objects.active().filter(user=user).values("partnership_id")


def cases_with_record_access(user: User) -> models.QuerySet[Case]:
    """The cases whose whole record this person works with: every visible case except those they
    see only because they referred them (see CaseAction.VIEW_RECORD)."""
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    return (
        Case.objects.filter(_record_condition(user))
        .filter(partnership_id__in=_active_partnerships(user))
        .exclude(state=CaseState.DRAFT)
    )


def _commissioned_for(user: User, case: Case) -> bool:
    return CaseAccess.objects.filter(case=case, user=user, reason=CaseAccess.Reason.COMMISSIONED_REVIEWER).exists()


def commissioned_for(user: User, case: Case) -> bool:
    """Whether this person is a reviewer commissioned for this case (their grant), whatever roles
    they hold: the reviewer role itself gives no case."""
    return _commissioned_for(user, case)


def case_roles(user: User, case: Case) -> set[Role]:
    roles = roles_of(user, case.partnership_id)
    if _commissioned_for(user, case):
        roles.add(Role.REVIEWER)
    return roles


def can(user: User, action: CaseAction, case: Case) -> bool:
    """May this person take this action on this case? Assumes they can see it. Their roles in the
    partnership are read once per request; a commissioned reviewer's grant only when it could matter."""
    allowed = ACTION_ROLES[action]
    if allowed is None:
        return True
    if roles_of(user, case.partnership_id) & allowed:
        return True
    return Role.REVIEWER in allowed and _commissioned_for(user, case)


def get_case_for_user(
    user: User,
    reference: str,
    action: CaseAction = CaseAction.VIEW,
    *,
    related: tuple[str, ...] = (),
    annotations: Mapping[str, Any] | None = None,
) -> Case:
    """The case, if this person may see it (else 404) and take the action (else 403). `related`:
    what the page reads with the case in the same query (`select_related` paths from the case, e.g.
    the stages' records a page that only reads shows at once) and `annotations` (what it counts).

    The case is noted as opened on the current request: a GET or HEAD answered 2xx then records
    one VIEW event for it (audit.reads), so every page that reaches a case through here is audited
    without remembering to."""
    try:
        case = (
            cases_visible_to(user)
            .select_related("partnership", "referring_agency", "referred_by", *related)
            .annotate(**(annotations or {}))
            .get(reference=reference)
        )
    except Case.DoesNotExist:
        raise Http404("No case with that reference") from None
    if not can(user, action, case):
        raise PermissionDenied("You cannot do that on this case")
    reads.note_opened(case)
    return case
