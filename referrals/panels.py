"""What the referrals journey adds to the case page and the home page."""

from typing import Any

from django.db.models import Exists, Prefetch, Q
from django.urls import reverse

from accounts.http import AuthenticatedHttpRequest
from accounts.models import User
from cases.models import Case, CaseState
from cases.policies import CaseAction, can
from cases.stage_registry import capped
from referrals.models import (
    DuplicateCheck,
    DuplicateOutcome,
    OtherPartnershipTold,
    Referral,
    ReferralChild,
    SeriousIncidentNotification,
)
from referrals.policies import can_refer
from referrals.selectors import (
    cases_for_triage_and_notification,
    drafts_of,
    duplicate_warning,
    linked_duplicates,
    sent_referrals_of,
)
from referrals.summary import referral_sections


def case_panel(request: AuthenticatedHttpRequest, case: Case) -> dict[str, Any] | None:
    """The referral sub-page: the referral, the partners' decision and the notifications, in a fixed
    number of queries (the notifications are read through the children they cover)."""
    referral = (
        Referral.objects.filter(case=case)
        # Whether any case is linked to this one as the same incident: read only when one is.
        .annotate(
            has_links=Exists(DuplicateCheck.objects.filter(Q(case=case) | Q(other=case), outcome=DuplicateOutcome.SAME))
        )
        .select_related("agency", "created_by", "case__triage__decided_by")
        .prefetch_related(
            "agencies", Prefetch("children", queryset=ReferralChild.objects.prefetch_related("notifications"))
        )
        .first()
    )
    if referral is None:
        return None
    triage = getattr(referral.case, "triage", None)
    children = referral.children_list()
    by_pk: dict[int, SeriousIncidentNotification] = {}
    covered: dict[int, list[ReferralChild]] = {}
    for child in children:
        for n in child.notifications.all():  # every notification covers at least one child
            by_pk.setdefault(n.pk, n)
            covered.setdefault(n.pk, []).append(child)
    notifications = [
        {"n": n, "children": covered[n.pk]} for n in sorted(by_pk.values(), key=lambda n: (n.submitted_at, n.pk))
    ]
    may_notify = can(request.user, CaseAction.RECORD_SIN, case)
    # Possible duplicates are for the partners' decision: shown to those who triage, while they decide.
    deciding = case.state == CaseState.REFERRED and can(request.user, CaseAction.TRIAGE, case)
    return {
        "template": "referrals/_case_panel.html",
        "referral": referral,
        "children": children,
        "sections": referral_sections(referral, editable=False),
        "triage": triage,
        "notifications": notifications,
        "others_told": list(OtherPartnershipTold.objects.filter(case=case)) if notifications else [],
        "duplicates": duplicate_warning(request.user, referral)
        if deciding
        else linked_duplicates(request.user, case)
        if referral.has_links  # type: ignore[attr-defined]
        else None,
        "more_to_notify": bool(notifications) and may_notify and len(covered_children(covered)) < len(children),
    }


def covered_children(covered: dict[int, list[ReferralChild]]) -> set[int]:
    return {child.pk for kids in covered.values() for child in kids}


def referrer_home_panel(user: User) -> dict[str, Any] | None:
    drafts = list(drafts_of(user)[:5])
    sent = list(sent_referrals_of(user)[:5])
    if not (can_refer(user) or drafts or sent):
        return None
    return {
        "template": "referrals/_home_referrer.html",
        "todo": bool(drafts),  # a draft to finish; referrals already sent are for information
        "drafts": drafts,
        "sent": sent,
        "can_refer": can_refer(user),
        "list_url": reverse("referrals:list"),
    }


def triage_home_panel(user: Any) -> dict[str, Any] | None:
    awaiting, to_notify = cases_for_triage_and_notification(user)
    if not awaiting and not to_notify:
        return None
    cases = reverse("cases:list")
    awaiting, awaiting_more = capped(awaiting, f"{cases}?state={CaseState.REFERRED.value}", "referrals awaiting triage")
    to_notify, to_notify_more = capped(to_notify, f"{cases}?state={CaseState.TO_NOTIFY.value}", "cases to notify")
    return {
        "template": "referrals/_home_triage.html",
        "awaiting": awaiting,
        "awaiting_more": awaiting_more,
        "to_notify": to_notify,
        "to_notify_more": to_notify_more,
    }
