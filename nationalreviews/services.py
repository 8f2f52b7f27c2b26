"""Recording the partnership's part in the Panel's national reviews. Every change is one audit
event on the case it was made from; a change to a review's own record (its scope, its report) is
made only if the review is still at the version the page showed (`NationalReviewConflict`)."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from documents.models import Document
from nationalreviews.models import (
    Contribution,
    NationalReview,
    NationalReviewCase,
    NationalReviewKind,
    NationalReviewStatus,
)

SCOPE_FIELDS = ("title", "panel_reference", "scope", "methodology", "scope_agreed_on", "report_expected_on")
REPORT_FIELDS = ("report_published_on", "report_url", "report_learning")


class NationalReviewError(Exception):
    """What was asked cannot be done; the message says why, in the page's words."""


class NationalReviewConflict(Exception):
    message = (
        "Someone else saved this national review while you were working on it. "
        "What is saved now is shown; your text is below and has not been saved: check it, then save again."
    )


def _audit(actor: User, verb: Verb, target: Any, case: Case, review: NationalReview, summary: str) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        target=target,
        case=case,
        details={"summary": summary, "national_review_id": review.pk},
    )


def national_review_start(
    *, case: Case, actor: User, title: str, kind: str, panel_reference: str = ""
) -> NationalReview:
    """A national review the partnership now takes part in, with this case linked to it."""
    with transaction.atomic():
        review = NationalReview.objects.create(
            partnership_id=case.partnership_id,
            title=title,
            kind=NationalReviewKind(kind),
            panel_reference=panel_reference,
            created_by=actor,
        )
        NationalReviewCase.objects.create(review=review, case=case, linked_by=actor)
        _audit(actor, Verb.CREATE, review, case, review, f"National review recorded: {title}")
    return review


def thematic_reviews_to_link(case: Case) -> list[NationalReview]:
    """The partnership's thematic reviews this case is not yet part of."""
    return list(
        NationalReview.objects.filter(partnership_id=case.partnership_id, kind=NationalReviewKind.THEMATIC)
        .exclude(links__case=case)
        .order_by("-created_at", "-id")
    )


def national_review_link(*, case: Case, actor: User, review: NationalReview) -> NationalReviewCase:
    """This case joins a thematic national review of its own partnership."""
    if review.partnership_id != case.partnership_id:
        raise NationalReviewError("Choose a national review of this partnership")
    if not review.is_thematic:
        raise NationalReviewError("Only a thematic national review spans several cases")
    try:
        with transaction.atomic():
            link = NationalReviewCase.objects.create(review=review, case=case, linked_by=actor)
            _audit(
                actor, Verb.CREATE, link, case, review, f"Case linked to the thematic national review: {review.title}"
            )
    except IntegrityError:
        raise NationalReviewError("This case is already part of that national review") from None
    return link


def _save(
    *, review: NationalReview, case: Case, actor: User, fields: dict[str, Any], expected_version: int, summary: str
) -> NationalReview:
    with transaction.atomic():
        updated = NationalReview.objects.filter(pk=review.pk, version=expected_version).update(
            **fields, version=expected_version + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise NationalReviewConflict(NationalReviewConflict.message)
        review.refresh_from_db()
        _audit(actor, Verb.UPDATE, review, case, review, summary)
    return review


def national_review_scope_save(
    *, review: NationalReview, case: Case, actor: User, values: dict[str, Any], expected_version: int
) -> NationalReview:
    """What was agreed with the Panel. A date it was agreed puts the review under way."""
    fields = {k: values[k] for k in SCOPE_FIELDS if k in values}
    if review.status == NationalReviewStatus.SCOPING and fields.get("scope_agreed_on"):
        fields["status"] = NationalReviewStatus.UNDER_WAY
    return _save(
        review=review,
        case=case,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        summary=f"National review's scope and methodology saved: {fields.get('title') or review.title}",
    )


def national_review_report_record(
    *, review: NationalReview, case: Case, actor: User, values: dict[str, Any], expected_version: int
) -> NationalReview:
    """The national report, as published."""
    published: dt.date | None = values.get("report_published_on")
    if published is None:
        raise NationalReviewError("Enter the date the national report was published")
    fields = {k: values[k] for k in REPORT_FIELDS if k in values}
    fields["status"] = NationalReviewStatus.REPORTED
    return _save(
        review=review,
        case=case,
        actor=actor,
        fields=fields,
        expected_version=expected_version,
        summary=f"National report recorded: {review.title}, published {published:%-d %B %Y}",
    )


def contribution_add(
    *,
    review: NationalReview,
    case: Case,
    actor: User,
    on: dt.date,
    kind: str,
    what: str,
    by_whom: str,
    document: Document | None = None,
    token: str = "",
) -> Contribution:
    """One contribution the partnership made for this case. The same form sent twice adds one."""
    if document is not None and document.case_id != case.pk:
        raise NationalReviewError("Choose a document held on this case")
    if not NationalReviewCase.objects.filter(review=review, case=case).exists():
        raise NationalReviewError("This case is not part of that national review")
    with transaction.atomic():
        # One add at a time on this review, so the same form sent twice at once adds one.
        NationalReview.objects.select_for_update().filter(pk=review.pk).first()
        if token and (earlier := Contribution.objects.filter(review=review, case=case, client_token=token).first()):
            return earlier
        contribution = Contribution.objects.create(
            review=review,
            case=case,
            on=on,
            kind=kind,
            what=what,
            by_whom=by_whom,
            document=document,
            client_token=token,
            recorded_by=actor,
        )
        _audit(
            actor,
            Verb.CREATE,
            contribution,
            case,
            review,
            f"Contribution to the national review recorded: {contribution.get_kind_display().lower()}",
        )
    return contribution
