"""Who may refer, and the one door to drafts: a draft belongs to the person writing it."""

from typing import Any

from django.http import Http404

from accounts.models import Membership, User
from accounts.roles import REFERRING_ROLES
from accounts.selectors import roles_of
from core.request_context import remembered
from partnerships.models import Agency
from referrals.models import Referral, ReferralStatus


def referring_memberships(user: User) -> list[Membership]:
    if user is None or not user.is_authenticated:
        return []
    return remembered(
        ("referring_memberships", user.pk),
        lambda: list(
            Membership.objects.active()
            .filter(user=user, role__in=list(REFERRING_ROLES))
            .select_related("partnership", "agency")
            .order_by("partnership_id", "id")
        ),
    )


def can_refer(user: Any) -> bool:
    """Whether the person holds a role that refers (from the roles read once for the request)."""
    return bool(roles_of(user) & REFERRING_ROLES)


def agencies_to_refer_for(user: User, partnership_id: int) -> Any:
    """The agencies this person may refer for: their own, or (without one, as a coordinator) any."""
    own = {m.agency_id for m in referring_memberships(user) if m.partnership_id == partnership_id and m.agency_id}
    qs = Agency.objects.filter(partnership_id=partnership_id, active=True)
    return qs.filter(pk__in=own) if own else qs


def get_referral_for_owner(user: User, pk: int, *, draft_only: bool = True) -> Referral:
    """The person's own referral, else 404 (someone else's draft does not exist for them)."""
    qs = Referral.objects.filter(pk=pk, created_by=user).select_related("partnership", "agency", "case")
    if draft_only:
        qs = qs.filter(status=ReferralStatus.DRAFT)
    referral = qs.first()
    if referral is None or not user.is_authenticated:
        raise Http404("No such referral")
    return referral
