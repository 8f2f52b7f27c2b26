from dataclasses import dataclass, field

from accounts.roles import Role
from rapidreviews.models import RapidReview, SignOff, SignOffDecision

DELEGATE_ROLES = (Role.DELEGATE_LA, Role.DELEGATE_ICB, Role.DELEGATE_POLICE)


@dataclass
class SignOffState:
    steps: list[SignOff]
    latest: dict[str, SignOff] = field(default_factory=dict)

    @property
    def approved_count(self) -> int:
        return sum(1 for s in self.latest.values() if s.decision == SignOffDecision.APPROVED)

    @property
    def complete(self) -> bool:
        return all(
            role in self.latest and self.latest[role].decision == SignOffDecision.APPROVED for role in DELEGATE_ROLES
        )


def sign_off_state(review: RapidReview) -> SignOffState:
    """Each partner's latest step counts: an approval after asking for changes replaces it. A step
    taken before the decision was last changed no longer counts: they signed off something else."""
    steps = list(review.sign_offs.select_related("actor"))
    state = SignOffState(steps=steps)
    for step in steps:
        if step.role in DELEGATE_ROLES and (review.decided_at is None or step.at >= review.decided_at):
            state.latest[step.role] = step
    return state
