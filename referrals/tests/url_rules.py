"""The referral's rows of the URL-access table (core/tests/url_access.py merges them, found through
the referral's stage). A referral draft belongs to the practitioner writing it."""

from typing import Any

from accounts.roles import REFERRING_ROLES
from cases.policies import CaseAction
from core.tests.url_access import CASE_VIEW, SIGNED_IN, Rule, case_action, owner_only, roles


def _referral_draft(ctx: Any) -> Any:
    from referrals.services.drafts import referral_start

    return ctx.once("referral", lambda: referral_start(actor=ctx.world.people["practitioner"]))


def _referral(ctx: Any) -> dict[str, Any]:
    return {"pk": _referral_draft(ctx).pk}


def _referral_step(ctx: Any) -> dict[str, Any]:
    return {"pk": _referral_draft(ctx).pk, "slug": "about-you"}


def _referral_child(ctx: Any) -> dict[str, Any]:
    return {"pk": _referral_draft(ctx).pk, "position": 1}


def _other_north_case(ctx: Any) -> dict[str, Any]:
    """The walk's case and another Northshire case it may duplicate."""
    from cases.models import Case

    def make() -> Any:
        return Case.objects.create(
            reference="NSCP-2026-002", partnership=ctx.case.partnership, title="Child B", state=ctx.case.state
        )

    return {"reference": ctx.case.reference, "other": ctx.once("other_north_case", make).reference}


REFERRAL_RULES: dict[str, Rule] = {
    "referrals:list": Rule(SIGNED_IN),
    "referrals:start": Rule(roles(REFERRING_ROLES)),
    "referrals:children": Rule(owner_only("practitioner"), kwargs=_referral),
    "referrals:child_remove": Rule(owner_only("practitioner"), kwargs=_referral_child),
    "referrals:check": Rule(owner_only("practitioner"), kwargs=_referral),
    "referrals:submit": Rule(owner_only("practitioner"), method="post", kwargs=_referral),
    "referrals:discard": Rule(owner_only("practitioner"), kwargs=_referral),
    "referrals:autosave": Rule(owner_only("practitioner"), method="post", kwargs=_referral_step),
    "referrals:step": Rule(owner_only("practitioner"), kwargs=_referral_step),
    "referrals:sent": Rule(CASE_VIEW),
    "referrals:triage": Rule(case_action(CaseAction.TRIAGE)),
    "referrals:sin": Rule(case_action(CaseAction.RECORD_SIN)),
    # Those who triage see every case of the partnership, the other one among them.
    "referrals:duplicate_check": Rule(case_action(CaseAction.TRIAGE), kwargs=_other_north_case),
}
