"""The coordinator's answer about a possible duplicate in the merged chronology: two agencies' entries
of one day are the same event (shown as one event recorded by both) or not (the mark is dismissed;
a reason is required). Recorded on the case's history, and may be answered again."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from rapidreviews.models import ChronologyDuplicateCheck, ChronologyEntry, DuplicateOutcome, RapidReview


def chronology_duplicate_check_record(
    *, review: RapidReview, entries: tuple[ChronologyEntry, ChronologyEntry], actor: User, outcome: str, reason: str
) -> ChronologyDuplicateCheck:
    first, second = sorted(entries, key=lambda e: e.pk)
    if first.pk == second.pk:
        raise ValueError("An entry is not a duplicate of itself")
    outcome = DuplicateOutcome(outcome)
    with transaction.atomic():
        check = ChronologyDuplicateCheck.objects.select_for_update().filter(first=first, second=second).first()
        before = check.outcome if check else None
        if check is None:
            check = ChronologyDuplicateCheck(review=review, first=first, second=second)
        check.outcome, check.reason = outcome, reason.strip()
        check.decided_by, check.decided_at = actor, timezone.now()
        check.save()
        said = "the same event" if outcome == DuplicateOutcome.SAME else "not the same event"
        audit_record(
            actor=actor,
            verb=Verb.CREATE if before is None else Verb.UPDATE,
            target=check,
            case=review.case,
            details={
                "summary": f"A possible duplicate in the merged chronology was checked: {said}",
                "entries": [first.pk, second.pk],
                "outcome": outcome.value,
                "previous_outcome": before,
                "reason": check.reason,
            },
        )
    return check
