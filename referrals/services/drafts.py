"""Drafts: started by a referrer, saved at every page and by autosave, owned by that person."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from referrals.forms.base import StepForm
from referrals.models import Referral, ReferralChild
from referrals.policies import agencies_to_refer_for, referring_memberships


class CannotRefer(Exception):
    """The person holds no role that may refer."""


def referral_start(*, actor: User) -> Referral:
    memberships = referring_memberships(actor)
    if not memberships:
        raise CannotRefer("You do not have a role that can refer")
    first = memberships[0]
    agencies = list(agencies_to_refer_for(actor, first.partnership_id)[:2])
    with transaction.atomic():
        referral = Referral.objects.create(
            partnership=first.partnership,
            created_by=actor,
            agency=agencies[0] if len(agencies) == 1 else None,
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=referral,
            partnership_id=first.partnership_id,
            details={"summary": "Started a referral"},
        )
    return referral


def referral_save_answers(*, form: StepForm, answers: dict[str, Any]) -> None:
    """Writes the valid answers of one page (complete or not) to the draft or child."""
    if not answers:
        return
    with transaction.atomic():
        form.apply(answers)
        form.instance.save()
        form.apply_m2m(answers)
        if isinstance(form.instance, ReferralChild):
            form.instance.referral.save(update_fields=["updated_at"])


def referral_child(*, referral: Referral, position: int, create: bool) -> ReferralChild | None:
    child = referral.children.filter(position=position).first()
    if child is None and create:
        child = ReferralChild(referral=referral, position=position)
    return child


def next_child_position(referral: Referral) -> int:
    return (referral.children.aggregate(m=Max("position"))["m"] or 0) + 1


def referral_child_remove(*, referral: Referral, position: int, actor: User) -> None:
    with transaction.atomic():
        referral.children.filter(position=position).delete()
        for index, child in enumerate(referral.children.order_by("position", "id"), start=1):
            if child.position != index:
                child.position = index
                child.save(update_fields=["position"])
        referral.save(update_fields=["updated_at"])


def referral_discard(*, referral: Referral, actor: User) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=referral,
            partnership_id=referral.partnership_id,
            details={"summary": "Deleted a draft referral"},
        )
        referral.delete()
