import hashlib

from accounts.models import User
from documents.models import Document
from documents.services import document_store
from rapidreviews.models import RapidReview
from rapidreviews.rendering.document import document_context, render_document_pdf, render_docx
from rapidreviews.services.meeting_state import meeting_wait

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
TITLE = "Rapid review document"
TOPIC = "rapid_review"  # documents.policies: read as the summaries are (rapidreviews.selectors)
WHAT = "The rapid review document"


class DocumentWaits(Exception):
    """The document is written from what the meeting did: it waits until the meeting is held."""


def document_bytes(*, review: RapidReview, fmt: str) -> bytes:
    context = document_context(review)
    return render_docx(context) if fmt == "docx" else render_document_pdf(context)


def document_generate(*, review: RapidReview, actor: User | None, fmt: str) -> Document:
    """Generates the document and keeps this version, with its sha256, on the case (audited). A
    document identical to the latest version of its format is that version: no new one is kept."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format {fmt!r}")
    waits = meeting_wait(review, WHAT)
    if waits:
        raise DocumentWaits(waits)
    data = document_bytes(review=review, fmt=fmt)
    case = review.case
    same_format = Document.objects.filter(case=case, topic=TOPIC, title__startswith=f"{TITLE} ({fmt.upper()})")
    latest = same_format.order_by("-created_at", "-id").first()
    if latest is not None and latest.sha256 == hashlib.sha256(data).hexdigest():
        return latest
    version = same_format.count() + 1
    return document_store(
        case=case,
        actor=actor,
        title=f"{TITLE} ({fmt.upper()}), version {version}",
        name=f"rapid-review-{case.reference}-v{version}.{fmt}",
        data=data,
        content_type=FORMATS[fmt],
        topic=TOPIC,
    )


def document_versions(review: RapidReview) -> list[Document]:
    return list(Document.objects.filter(case=review.case, topic=TOPIC).order_by("-created_at", "-id"))
