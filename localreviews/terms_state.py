"""Where the terms of reference stand: what they still need before they can be approved, and each
partner's step in the current approval round."""

from dataclasses import dataclass, field

from accounts.roles import DELEGATE_ROLES, Role
from localreviews.terms_models import TermsApproval, TermsDecision, TermsOfReference


def missing_parts(terms: TermsOfReference) -> list[str]:
    """The parts the terms need before anyone approves them, in words, in the page's order."""
    missing = []
    if terms.period_start is None or terms.period_end is None:
        missing.append("the review period")
    if not terms.agencies.exists():
        missing.append("the agencies in scope")
    if not terms.lines:
        missing.append("a key line of enquiry")
    if terms.methodology_id is None:
        missing.append("the methodology")
    for name, label in (
        ("family_engagement", "the family engagement plan"),
        ("timetable", "the timetable"),
        ("governance", "the governance"),
    ):
        if not getattr(terms, name).strip():
            missing.append(label)
    return missing


@dataclass
class ApprovalState:
    steps: list[TermsApproval]
    # Each partner's latest step in the current round.
    latest: dict[str, TermsApproval] = field(default_factory=dict)

    @property
    def by_partner(self) -> list[tuple[Role, TermsApproval | None]]:
        """Each of the three partners, in the order the page lists them, with their latest step."""
        return [(role, self.latest.get(role)) for role in DELEGATE_ROLES]

    @property
    def approved_by_all(self) -> bool:
        return all(
            role in self.latest and self.latest[role].decision == TermsDecision.APPROVED for role in DELEGATE_ROLES
        )


def approval_state(terms: TermsOfReference) -> ApprovalState:
    """Only the current round counts: a change to the terms after a partner approved them means they
    approved something else."""
    prefetched = getattr(terms, "_prefetched_objects_cache", {}).get("approvals")
    steps = list(prefetched) if prefetched is not None else list(terms.approvals.select_related("actor"))
    state = ApprovalState(steps=steps)
    for step in steps:
        if step.approval_round == terms.approval_round and step.role in DELEGATE_ROLES:
            state.latest[step.role] = step
    return state
