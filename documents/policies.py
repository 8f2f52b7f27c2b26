"""The one door to a case's documents: who may read which, and who may add one.

The case door comes first (`cases.policies`): everyone who may download the case's documents
(DOWNLOAD_DOCUMENT) reads the uploads and untopical generated files, and those who may add one
(UPLOAD_DOCUMENT) add them. A generated document that belongs to one part of the case carries a
`topic`, and the stage that made it carries a filter for it (cases.stage_registry,
`document_topics={topic: f}`) with f(user, case) -> whether that person may read that topic's
documents (the rapid review document holds every agency's summary, so it follows the summaries'
own rules). A topic nobody registered is read by nobody (fail closed).

Views load a document through `get_document_for_user` (404 for one the person may not read, as for
a case they may not see); lists and the case page ask `DocumentChecker`, so a list and a download
never disagree.
"""

from functools import cached_property

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from cases.models import Case
from cases.policies import CaseAction, can, get_case_for_user
from documents.models import Document


class DocumentChecker:
    """What one person may do with one case's documents. Assumes they can see the case."""

    def __init__(self, user: User, case: Case) -> None:
        self.user = user
        self.case = case

    @cached_property
    def can_upload(self) -> bool:
        return can(self.user, CaseAction.UPLOAD_DOCUMENT, self.case)

    def visible(self) -> QuerySet[Document]:
        return documents_visible_to(self.user, self.case)


def documents_visible_to(user: User, case: Case) -> QuerySet[Document]:
    documents = Document.objects.filter(case=case)
    topics = set(documents.exclude(topic="").values_list("topic", flat=True).distinct())
    from cases.stage_registry import document_topic

    hidden = [t for t in topics if not ((f := document_topic(t)) is not None and f(user, case))]
    return documents.exclude(topic__in=hidden) if hidden else documents


def get_document_for_user(user: User, reference: str, pk: int) -> tuple[Case, Document]:
    """The case (through its door, for downloading its documents) and the document, if this person
    may read it; else 404."""
    case = get_case_for_user(user, reference, CaseAction.DOWNLOAD_DOCUMENT)
    document = documents_visible_to(user, case).filter(pk=pk).first()
    if document is None:
        raise Http404("No such document")
    return case, document
