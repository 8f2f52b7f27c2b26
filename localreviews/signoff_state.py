"""Where the final report's sign-off stands: the version put forward last, and each partner's, the
scrutineer's and the chair's latest step on it. Only the latest version put forward counts: a
partner who approved an earlier one approved something else."""

from dataclasses import dataclass, field
from typing import Any

from accounts.roles import COMMENTING_ROLES, DELEGATE_ROLES
from localreviews.models import LocalReview
from localreviews.signoff_models import FinalDecision, FinalReport, FinalReportStep


@dataclass
class SignOffState:
    final: FinalReport | None
    steps: list[FinalReportStep] = field(default_factory=list)  # on the current final report
    latest: dict[str, FinalReportStep] = field(default_factory=dict)  # each role's latest step on it

    @property
    def approved_by_all(self) -> bool:
        return self.final is not None and all(
            role in self.latest and self.latest[role].decision == FinalDecision.APPROVED for role in DELEGATE_ROLES
        )

    @property
    def by_partner(self) -> list[dict[str, Any]]:
        """Each partner's delegate, in the partners' order, with their latest step on this report."""
        return [{"role": role.label, "step": self.latest.get(role)} for role in DELEGATE_ROLES]

    @property
    def comments(self) -> list[FinalReportStep]:
        return [s for s in self.steps if s.role in COMMENTING_ROLES]


def current_final(review: LocalReview) -> FinalReport | None:
    """The version put forward last (from the review's prefetched `final_reports`, if a page read them)."""
    prefetched = getattr(review, "_prefetched_objects_cache", {}).get("final_reports")
    if prefetched is not None:
        finals = list(prefetched)
        return finals[-1] if finals else None
    return (
        FinalReport.objects.filter(review=review)
        .select_related("report_version", "put_forward_by")
        .order_by("-put_forward_at", "-id")
        .first()
    )


def sign_off_state(review: LocalReview, final: FinalReport | None = None) -> SignOffState:
    final = final or current_final(review)
    if final is None:
        return SignOffState(final=None)
    steps = list(FinalReportStep.objects.filter(final=final).select_related("actor"))
    state = SignOffState(final=final, steps=steps)
    for step in steps:
        state.latest[step.role] = step
    return state
