"""Sending a referral: it becomes a case, once, however many times the button is pressed."""

import string

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, User
from accounts.roles import Role
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case, CaseState
from clocks.models import ClockRule
from clocks.services import clock_start
from notifications.emails import Email, email_render
from notifications.services import message_send
from partnerships.models import Partnership
from referrals.models import Referral, ReferralStatus
from referrals.selectors import duplicate_cases
from referrals.steps import problems


class ReferralIncomplete(Exception):
    def __init__(self, found: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in found))
        self.problems = found


def pseudonym(sequence: int) -> str:
    """Child A, Child B ... Child Z, Child AA: a safe title that names nobody."""
    letters = ""
    n = sequence
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return f"Child {letters or 'A'}"


def next_reference(partnership: Partnership, year: int) -> tuple[str, int]:
    """The next free reference for the partnership and year, e.g. NSCP-2026-0007."""
    prefix = f"{partnership.short_name}-{year}-"
    highest = 0
    for reference in Case.objects.filter(reference__startswith=prefix).values_list("reference", flat=True):
        tail = reference.removeprefix(prefix)
        if tail.isdigit():
            highest = max(highest, int(tail))
    sequence = highest + 1
    return f"{prefix}{sequence:04d}", sequence


def referral_submit(*, referral_id: int, actor: User) -> Case:
    """Turns the draft into a case. A second call (double click, resubmitted form, second tab)
    finds the draft already sent and returns the same case."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("partnership", "agency")
            .get(pk=referral_id, created_by=actor)
        )
        if referral.status == ReferralStatus.SUBMITTED and referral.case is not None:
            return referral.case
        found = problems(referral)
        if found:
            raise ReferralIncomplete(found)
        # Lock the partnership row so two referrals at once cannot take the same reference.
        partnership = Partnership.objects.select_for_update().get(pk=referral.partnership_id)
        reference, sequence = next_reference(partnership, timezone.localdate().year)
        case = Case.objects.create(
            reference=reference,
            partnership=partnership,
            state=CaseState.REFERRED,
            title=pseudonym(sequence),
            referred_by=actor,
            referring_agency=referral.agency,
        )
        involved = set(referral.agencies.values_list("pk", flat=True))
        if referral.agency_id:
            involved.add(referral.agency_id)
        case.involved_agencies.set(involved)
        referral.status = ReferralStatus.SUBMITTED
        referral.case = case
        referral.submitted_at = timezone.now()
        referral.save(update_fields=["status", "case", "submitted_at", "updated_at"])
        duplicates = list(duplicate_cases(referral))
        referral.possible_duplicates.set(duplicates)
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=case,
            case=case,
            details={
                "summary": f"Referred by {actor} for {referral.agency}",
                "possible_duplicates": [c.reference for c in duplicates],
            },
        )
        assert referral.la_aware_on is not None  # checked by problems()
        clock_start(case=case, rule=ClockRule.SIN, start_date=referral.la_aware_on, actor=actor)
        _tell_triage(case, actor, duplicates)
    return case


def _tell_triage(case: Case, actor: User, duplicates: list[Case]) -> None:
    coordinators = [
        m.user
        for m in Membership.objects.active()
        .filter(partnership_id=case.partnership_id, role=Role.COORDINATOR)
        .select_related("user")
    ]
    if not coordinators:
        return
    subject, body = email_render(Email.REFERRAL_RECEIVED, {"case": case, "duplicates": duplicates})
    message_send(
        recipients=coordinators,
        subject=subject,
        body=body,
        case=case,
        actor=actor,
        dedupe_key=f"referral-submitted-{case.pk}",
    )
