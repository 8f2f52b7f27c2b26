import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from audit.models import Verb
from audit.services import audit_record
from core.uploads import check_upload
from documents.models import Document, random_key


def document_store(
    *,
    case: Any,
    actor: Any,
    title: str,
    name: str,
    data: bytes,
    content_type: str,
    kind: str = Document.Kind.GENERATED,
    agency: Any = None,
    topic: str = "",
) -> Document:
    """Stores bytes under a random key and records the document, audited, in one transaction."""
    key = random_key()
    with transaction.atomic():
        default_storage.save(f"documents/{key}", ContentFile(data))
        document = Document.objects.create(
            case=case,
            kind=kind,
            title=title,
            original_name=name,
            storage_key=key,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
            agency=agency,
            topic=topic,
        )
        audit_record(
            actor=actor,
            verb=Verb.UPLOAD if kind == Document.Kind.UPLOAD else Verb.CREATE,
            target=document,
            case=case,
            details={"sha256": document.sha256, "size": document.size},
        )
    return document


def document_upload(*, case: Any, actor: Any, upload: UploadedFile, title: str, agency: Any = None) -> Document:
    """Checks the file (raises UploadRejected with a GOV.UK message) then stores it."""
    checked = check_upload(upload)
    upload.seek(0)
    return document_store(
        case=case,
        actor=actor,
        title=title or (upload.name or "Document"),
        name=upload.name or "document",
        data=upload.read(),
        content_type=checked.content_type,
        kind=Document.Kind.UPLOAD,
        agency=agency,
    )


def document_open(document: Document) -> Any:
    return default_storage.open(f"documents/{document.storage_key}", "rb")
