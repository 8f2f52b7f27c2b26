"""Background work: the tagged PDF takes seconds for a long review, so the web request queues it."""

from django.tasks import task

from accounts.models import User
from rapidreviews.models import RapidReview


@task()
def document_generate_job(review_id: int, actor_id: int, fmt: str) -> int:
    from rapidreviews.services.document import document_generate

    review = RapidReview.objects.select_related("case__partnership").get(pk=review_id)
    actor = User.objects.get(pk=actor_id)
    return document_generate(review=review, actor=actor, fmt=fmt).pk
