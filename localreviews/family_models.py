"""The local review's family involvement log (domain.md §4.5): each offer to a member of the child's
family to take part, how it was made, their answer, how they contributed and what they consented
to. A family member is named by their relationship ("Mother", "Grandparent"), never by name.

Restricted: read by the reviewer, the coordinator and the partners, written by the reviewer and the
coordinator (LocalReviewChecker.may_read_family_log, may_keep_family_log); anyone else who reads the
review is told the log is not there, and its events are left out of the case's history for them."""

from django.conf import settings
from django.db import models


class OfferHow(models.TextChoices):
    LETTER = "letter", "Letter"
    VISIT = "visit", "Visit"
    CALL = "call", "Telephone call"
    OTHER = "other", "Another way (say how in the notes)"


class FamilyResponse(models.TextChoices):
    NO_RESPONSE = "no_response", "No response yet"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class FamilyContact(models.Model):
    review = models.ForeignKey("localreviews.LocalReview", on_delete=models.CASCADE, related_name="family_contacts")
    who = models.CharField(max_length=200)  # a relationship or description: "Mother", "Maternal grandparent"
    offer_made_on = models.DateField()
    offer_how = models.CharField(max_length=20, choices=OfferHow.choices)
    response = models.CharField(max_length=20, choices=FamilyResponse.choices, default=FamilyResponse.NO_RESPONSE)
    responded_on = models.DateField(null=True, blank=True)
    contribution = models.TextField(blank=True)  # how they contributed: met the reviewer, wrote, ...
    consent_for = models.TextField(blank=True)  # what they consented to
    consent_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, blank=True, db_index=True)  # one add per form sent
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["offer_made_on", "id"]

    def __str__(self) -> str:
        return "Family involvement log entry"
