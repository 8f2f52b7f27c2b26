"""Which of a case's documents a person may read.

Everyone who may download the case's documents (cases.policies, DOWNLOAD_DOCUMENT) reads the
uploads and untopical generated files. A generated document that belongs to one part of the case
carries a `topic`, and the stage that made it carries a filter for it (cases.stage_registry,
`document_topics={topic: f}`) with f(user, case) -> whether that person may read that
topic's documents (the rapid review document holds every agency's summary, so it follows the
summaries' own rules). A topic nobody registered is read by nobody (fail closed).
"""

from django.db.models import QuerySet

from accounts.models import User
from cases.models import Case
from documents.models import Document


def documents_visible_to(user: User, case: Case) -> QuerySet[Document]:
    documents = Document.objects.filter(case=case)
    topics = set(documents.exclude(topic="").values_list("topic", flat=True).distinct())
    from cases.stage_registry import document_topic

    hidden = [t for t in topics if not ((f := document_topic(t)) is not None and f(user, case))]
    return documents.exclude(topic__in=hidden) if hidden else documents
