"""What the referrals journey adds to the case page and the home page."""

from typing import Any

from django.urls import reverse

from cases.models import Case
from cases.policies import CaseAction, can
from referrals.models import Notification, OtherPartnershipTold, Referral, TriageDecision
from referrals.policies import can_refer
from referrals.selectors import (
    cases_awaiting_triage,
    cases_to_notify,
    drafts_of,
    duplicate_warning,
    sent_referrals_of,
)
from referrals.services.notify import uncovered_children
from referrals.summary import referral_sections


def case_panel(request: Any, case: Case) -> dict[str, Any] | None:
    referral = Referral.objects.filter(case=case).select_related("agency", "created_by").first()
    if referral is None:
        return None
    triage = TriageDecision.objects.filter(case=case).select_related("decided_by").first()
    notifications = list(Notification.objects.filter(case=case).prefetch_related("children"))
    may_notify = can(request.user, CaseAction.RECORD_NOTIFICATION, case)
    return {
        "template": "referrals/_case_panel.html",
        "referral": referral,
        "children": referral.children_list(),
        "sections": referral_sections(referral, editable=False),
        "triage": triage,
        "notifications": notifications,
        "others_told": list(OtherPartnershipTold.objects.filter(case=case)),
        "duplicates": duplicate_warning(request.user, referral) if can(request.user, CaseAction.TRIAGE, case) else None,
        "more_to_notify": bool(notifications) and may_notify and bool(uncovered_children(case)),
    }


def referrer_home_panel(user: Any) -> dict[str, Any] | None:
    drafts = list(drafts_of(user)[:5])
    sent = list(sent_referrals_of(user)[:5])
    if not (can_refer(user) or drafts or sent):
        return None
    return {
        "template": "referrals/_home_referrer.html",
        "drafts": drafts,
        "sent": sent,
        "can_refer": can_refer(user),
        "list_url": reverse("referrals:list"),
    }


def triage_home_panel(user: Any) -> dict[str, Any] | None:
    awaiting = cases_awaiting_triage(user)
    to_notify = cases_to_notify(user)
    if not awaiting and not to_notify:
        return None
    return {"template": "referrals/_home_triage.html", "awaiting": awaiting, "to_notify": to_notify}
