"""Checking a possible duplicate: those who triage say whether two cases are about the same incident.

"Not the same incident" dismisses the warning and needs a reason; "the same incident" links the two
cases, each of which then names the other. Either is recorded on both cases' history (the audit
ledger), and may be changed later by recording the check again."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from referrals.models import DuplicateCheck, DuplicateOutcome


def duplicate_check_record(*, case: Case, other: Case, actor: User, outcome: str, reason: str) -> DuplicateCheck:
    if case.pk == other.pk or case.partnership_id != other.partnership_id:
        raise ValueError("A case can be checked only against another case of its partnership")
    outcome = DuplicateOutcome(outcome)
    with transaction.atomic():
        existing = (
            DuplicateCheck.objects.select_for_update()
            .filter(Q(case=case, other=other) | Q(case=other, other=case))
            .first()
        )
        before = existing.outcome if existing else None
        check = existing or DuplicateCheck(case=case, other=other)
        check.outcome, check.reason = outcome, reason.strip()
        check.decided_by, check.decided_at = actor, timezone.now()
        check.save()
        said = "the same incident (linked)" if outcome == DuplicateOutcome.SAME else "not the same incident"
        for this, that in ((case, other), (other, case)):
            audit_record(
                actor=actor,
                verb=Verb.CREATE if before is None else Verb.UPDATE,
                target=check,
                case=this,
                details={
                    # The other case's reference stays out of the words everyone on the case reads:
                    # only those who may open both see which case it was.
                    "summary": f"A possible duplicate was checked: {said}",
                    "other_case": that.reference,
                    "outcome": outcome.value,
                    "previous_outcome": before,
                    "reason": check.reason,
                },
            )
    return check
