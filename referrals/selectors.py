"""Reading referrals for a person. Cases are reached only through cases.policies."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Case, CaseState
from cases.policies import CaseAction, can, cases_visible_to
from referrals.models import Referral, ReferralStatus


def drafts_of(user: Any) -> QuerySet[Referral]:
    return Referral.objects.filter(created_by=user, status=ReferralStatus.DRAFT).order_by("-updated_at")


def sent_referrals_of(user: Any) -> QuerySet[Referral]:
    """Referrals this person sent, with their case (and its triage outcome) to show the stage."""
    return (
        Referral.objects.filter(created_by=user, status=ReferralStatus.SUBMITTED)
        .select_related("case", "case__triage", "agency")
        .order_by("-submitted_at")
    )


def agency_referrals_for_lead(user: Any) -> QuerySet[Case]:
    """For an agency safeguarding lead: their agency's referrals by others, with the outcome."""
    from accounts.models import Membership
    from accounts.roles import Role

    agencies = Membership.objects.active().filter(user=user, role=Role.AGENCY_LEAD, agency__isnull=False)
    return (
        cases_visible_to(user)
        .filter(referring_agency_id__in=agencies.values("agency_id"))
        .exclude(referred_by=user)
        .select_related("triage", "referred_by", "referring_agency")
        .order_by("-created_at")
    )


def cases_awaiting_triage(user: Any) -> list[Case]:
    qs = cases_visible_to(user).filter(state=CaseState.REFERRED).select_related("referring_agency")
    return [c for c in qs.order_by("created_at") if can(user, CaseAction.TRIAGE, c)]


def cases_to_notify(user: Any) -> list[Case]:
    qs = cases_visible_to(user).filter(state=CaseState.TO_NOTIFY).select_related("referring_agency")
    return [c for c in qs.order_by("created_at") if can(user, CaseAction.RECORD_NOTIFICATION, c)]


def duplicate_cases(referral: Referral) -> QuerySet[Case]:
    """Cases in the same partnership that may be about the same child (name and date of birth,
    ignoring case) or the same incident (same date, and a child of the same name or the same place)."""
    condition = Q()
    children = referral.children_list() if referral.pk else []
    same_child = Q()
    for child in children:
        if child.first_name and child.last_name:
            name = Q(children__first_name__iexact=child.first_name, children__last_name__iexact=child.last_name)
            if child.date_of_birth:
                condition |= name & Q(children__date_of_birth=child.date_of_birth)
            same_child |= name
    if referral.incident_date:
        overlap = same_child
        if referral.place:
            overlap |= Q(place__iexact=referral.place.strip())
        if overlap:
            condition |= Q(incident_date=referral.incident_date) & overlap
    if not condition:
        return Case.objects.none()
    others = (
        Referral.objects.filter(partnership_id=referral.partnership_id, status=ReferralStatus.SUBMITTED)
        .exclude(pk=referral.pk)
        .filter(condition)
        .values("case_id")
    )
    return Case.objects.filter(pk__in=others)


@dataclass
class DuplicateWarning:
    visible: list[Case] = field(default_factory=list)
    hidden_count: int = 0

    def __bool__(self) -> bool:
        return bool(self.visible or self.hidden_count)


def duplicate_warning(user: Any, referral: Referral) -> DuplicateWarning:
    """Possible duplicates, split into cases this person may open and a count of the rest."""
    found = list(duplicate_cases(referral).order_by("reference"))
    visible_ids = set(cases_visible_to(user).filter(pk__in=[c.pk for c in found]).values_list("pk", flat=True))
    return DuplicateWarning(
        visible=[c for c in found if c.pk in visible_ids],
        hidden_count=sum(1 for c in found if c.pk not in visible_ids),
    )
