import hashlib
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audit.models import Verb
from audit.services import audit_record
from cases.models import Case
from core.uploads import check_upload
from documents.models import Document, random_key


def document_store(
    *,
    case: Case,
    actor: User | None,
    title: str,
    name: str,
    data: bytes,
    content_type: str,
    kind: str = Document.Kind.GENERATED,
    agency: Any = None,
    topic: str = "",
    client_token: str = "",
    audit_details: dict[str, Any] | None = None,
) -> Document:
    """Stores bytes under a random key and records the document, audited, in one transaction; the
    file is removed again if the record cannot be written."""
    key = random_key()
    path = default_storage.save(f"documents/{key}", ContentFile(data))
    try:
        return _record(
            case=case,
            actor=actor,
            title=title,
            name=name,
            data=data,
            content_type=content_type,
            kind=kind,
            agency=agency,
            topic=topic,
            key=key,
            client_token=client_token,
            audit_details=audit_details or {},
        )
    except BaseException:
        default_storage.delete(path)
        raise


def _record(
    *,
    case: Case,
    actor: User | None,
    title: str,
    name: str,
    data: bytes,
    content_type: str,
    kind: str,
    agency: Any,
    topic: str,
    key: str,
    client_token: str,
    audit_details: dict[str, Any],
) -> Document:
    with transaction.atomic():
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
            client_token=client_token,
        )
        audit_record(
            actor=actor,
            verb=Verb.UPLOAD if kind == Document.Kind.UPLOAD else Verb.CREATE,
            target=document,
            case=case,
            details={"sha256": document.sha256, "size": document.size, **audit_details},
        )
    return document


# The same file with the same title from the same person this soon after is the same upload sent
# again (Back, then Upload), not a new version.
RESENT_WITHIN = timedelta(minutes=10)


def earlier_upload(*, case: Case, actor: User, token: str, sha256: str, title: str) -> Document | None:
    """The document this upload already added: by its form's token, or the same bytes and title."""
    same = Q(sha256=sha256, title=title, created_at__gte=timezone.now() - RESENT_WITHIN)
    found = Document.objects.filter(
        (Q(client_token=token) | same) if token else same, case=case, uploaded_by=actor, kind=Document.Kind.UPLOAD
    )
    return min(found[:2], key=lambda d: d.client_token != token, default=None)  # the token's own first


def document_upload(
    *, case: Case, actor: User, upload: UploadedFile, title: str, agency: Any = None, token: str = ""
) -> Document:
    """Checks the file (raises UploadRejected with a GOV.UK message) then stores it, once: the same
    upload sent again gives the document it added the first time (see `earlier_upload`)."""
    checked = check_upload(upload)
    upload.seek(0)
    data = upload.read()
    title = title or (upload.name or "Document")
    sha256 = hashlib.sha256(data).hexdigest()
    if (earlier := earlier_upload(case=case, actor=actor, token=token, sha256=sha256, title=title)) is not None:
        return earlier
    try:
        return document_store(
            case=case,
            actor=actor,
            title=title,
            name=upload.name or "document",
            data=data,
            content_type=checked.content_type,
            kind=Document.Kind.UPLOAD,
            agency=agency,
            client_token=token,
            audit_details={"virus_scan": checked.virus_scan},
        )
    except IntegrityError:
        # The same form, sent at the same moment, was stored first (the token is unique per person
        # and case): that one is the upload.
        if token and (earlier := earlier_upload(case=case, actor=actor, token=token, sha256=sha256, title=title)):
            return earlier
        raise


def document_open(document: Document) -> Any:
    return default_storage.open(f"documents/{document.storage_key}", "rb")
