from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from accounts.roles import COMMENTING_ROLES, DELEGATE_ROLES, Role
from core.request_context import remembered
from rapidreviews.integrations import comment_window_end
from rapidreviews.models import RapidReview, SignOff, SignOffDecision


@dataclass
class SignOffState:
    steps: list[SignOff]
    latest: dict[str, SignOff] = field(default_factory=dict)
    # The comments counted since the decision, by role (the scrutineer's and the chair's).
    commented: dict[str, SignOff] = field(default_factory=dict)
    # Where the partnership wants their comments: until when sign-off waits for them once the three
    # partners have approved (None: it does not wait, or the three have not all approved yet).
    window_ends: datetime | None = None
    now: datetime = field(default_factory=timezone.now)

    @property
    def by_partner(self) -> list[tuple[Role, SignOff | None]]:
        """Each of the three partners, in the order the page lists them, with their latest step."""
        return [(role, self.latest.get(role)) for role in DELEGATE_ROLES]

    @property
    def approved_count(self) -> int:
        return sum(1 for s in self.latest.values() if s.decision == SignOffDecision.APPROVED)

    @property
    def approved_by_all(self) -> bool:
        return all(
            role in self.latest and self.latest[role].decision == SignOffDecision.APPROVED for role in DELEGATE_ROLES
        )

    @property
    def awaiting_comments(self) -> list[Role]:
        """The scrutineer and chair whose comments sign-off still waits for (empty once it does not)."""
        if self.window_ends is None or self.now >= self.window_ends:
            return []
        return [role for role in COMMENTING_ROLES if role not in self.commented]

    @property
    def complete(self) -> bool:
        """The three partners approved, and, where the partnership wants the scrutineer's and chair's
        comments, both have commented or their time has passed."""
        return self.approved_by_all and not self.awaiting_comments

    @property
    def approved_at(self) -> datetime | None:
        """When the last of the three approvals came in (they all count)."""
        if not self.approved_by_all:
            return None
        return max(self.latest[role].at for role in DELEGATE_ROLES)


def sign_off_state(review: RapidReview, now: datetime | None = None) -> SignOffState:
    """See `_sign_off_state`; worked out once per review for a page that only reads."""
    if now is not None:
        return _sign_off_state(review, now)
    return remembered(("sign_off_state", review.pk), lambda: _sign_off_state(review, None))


def _sign_off_state(review: RapidReview, now: datetime | None) -> SignOffState:
    """Each partner's latest step counts: an approval after asking for changes replaces it. A step
    taken before the decision was last changed no longer counts: they signed off something else.
    Where the partnership wants the scrutineer's and chair's comments, the window for them opens
    when the third approval comes in."""
    prefetched = getattr(review, "_prefetched_objects_cache", {}).get("sign_offs")
    steps = list(prefetched) if prefetched is not None else list(review.sign_offs.select_related("actor"))
    state = SignOffState(steps=steps, now=now or timezone.now())
    for step in steps:
        if review.decided_at is not None and step.at < review.decided_at:
            continue
        if step.role in DELEGATE_ROLES:
            state.latest[step.role] = step
        elif step.role in COMMENTING_ROLES and step.decision == SignOffDecision.COMMENT:
            state.commented[step.role] = step
    approved_at = state.approved_at
    if approved_at is not None:
        state.window_ends = comment_window_end(review.case, approved_at)
    return state
