"""Keeping the review's family involvement log: an entry for each offer made to a member of the
family, changed as their answer, contribution and consent come in. Each entry carries its version:
a change made from a page opened before someone else's is refused, and the page keeps what was
typed. Only the coordinator and the reviewer write the log; its audit events say that the log
changed, never what it says (the log itself is the record)."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from localreviews.family_models import FamilyContact, FamilyResponse
from localreviews.models import LocalReview
from localreviews.policies import LocalReviewChecker

CLASH = "Someone else changed this entry while you were working on it. Your text has not been saved: check it and save again."


class FamilyLogError(Exception):
    """What stops the change, in words for the page (by field, "" for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Contact:
    who: str
    offer_made_on: dt.date
    offer_how: str
    response: str
    responded_on: dt.date | None
    contribution: str
    consent_for: str
    consent_on: dt.date | None
    notes: str


def _check(review: LocalReview, c: Contact) -> None:
    if c.offer_made_on < review.decided_on:
        raise FamilyLogError(
            f"Date the offer was made must be on or after the partners' decision ({review.decided_on:%-d %B %Y})",
            "offer_made_on",
        )
    if c.response == FamilyResponse.NO_RESPONSE and c.responded_on is not None:
        raise FamilyLogError("Leave the date of their answer empty until they answer", "responded_on")
    if c.responded_on is not None and c.responded_on < c.offer_made_on:
        raise FamilyLogError("Date of their answer must be on or after the date the offer was made", "responded_on")
    if c.contribution.strip() and c.response != FamilyResponse.ACCEPTED:
        raise FamilyLogError("Record how they contributed once they have accepted the offer", "contribution")
    if bool(c.consent_for.strip()) != bool(c.consent_on):
        field = "consent_on" if c.consent_for.strip() else "consent_for"
        message = "Enter the date consent was given" if c.consent_for.strip() else "Enter what they consented to"
        raise FamilyLogError(message, field)


def _fields(c: Contact) -> dict[str, object]:
    return {
        "who": " ".join(c.who.split()),
        "offer_made_on": c.offer_made_on,
        "offer_how": c.offer_how,
        "response": c.response,
        "responded_on": c.responded_on,
        "contribution": c.contribution.strip(),
        "consent_for": c.consent_for.strip(),
        "consent_on": c.consent_on,
        "notes": c.notes.strip(),
    }


def _keeper(actor: User, review: LocalReview) -> None:
    if not LocalReviewChecker(actor, review.case).may_keep_family_log:
        raise PermissionDenied("Only the coordinator or the reviewer writes the family involvement log")


def family_contact_add(*, review: LocalReview, actor: User, contact: Contact, token: str = "") -> FamilyContact:
    """Adds an entry. The same form sent twice (`token`) adds it once."""
    _keeper(actor, review)
    _check(review, contact)
    with transaction.atomic():
        # One add at a time on this review's log, so two sends of one form cannot both add.
        LocalReview.objects.select_for_update().filter(pk=review.pk).first()
        if token and (earlier := FamilyContact.objects.filter(review=review, client_token=token).first()):
            return earlier
        entry = FamilyContact.objects.create(
            review=review, created_by=actor, updated_by=actor, client_token=token, **_fields(contact)
        )
        audit_record(
            actor=actor,
            verb=Verb.CREATE,
            target=entry,
            case=review.case,
            details={"summary": "Local review: family involvement log, offer recorded"},
        )
    return entry


def family_contact_change(
    *, entry: FamilyContact, actor: User, contact: Contact, expected_version: int
) -> FamilyContact:
    review = entry.review
    _keeper(actor, review)
    _check(review, contact)
    fields = _fields(contact)
    with transaction.atomic():
        updated = FamilyContact.objects.filter(pk=entry.pk, version=expected_version).update(
            **fields, version=expected_version + 1, updated_by=actor, updated_at=timezone.now()
        )
        if updated != 1:
            raise FamilyLogError(CLASH)
        before = entry.response
        for key, value in fields.items():
            setattr(entry, key, value)
        entry.version = expected_version + 1
        audit_record(
            actor=actor,
            verb=Verb.UPDATE,
            target=entry,
            case=review.case,
            details={
                "summary": "Local review: family involvement log, entry changed"
                + (f" (answer: {FamilyResponse(entry.response).label.lower()})" if entry.response != before else ""),
            },
        )
    return entry
