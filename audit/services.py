"""Writing to the audit ledger. Call inside the same transaction as the change it records."""

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils import timezone

from audit import reads
from audit.chain import compute_hash, head_is_sealed, row_fields, seal_head
from audit.models import AuditEvent, ChainHead, Verb
from core.request_context import current

logger = logging.getLogger(__name__)


AgencyResolver = Callable[[Any, int | None], tuple[int | None, int | None]]


def _no_agency(
    actor: AbstractBaseUser | AnonymousUser | None, partnership_id: int | None
) -> tuple[int | None, int | None]:
    return None, partnership_id


# Who the actor acts for: (agency id, partnership id). The ledger sits beneath the people it
# records (accounts writes sign-ins and role changes to it), so it imports no app above it;
# accounts gives it the answer at start-up (accounts/apps.py), from the memberships it has already
# read for the person's roles in this request.
_agency_resolver: AgencyResolver = _no_agency


def agency_resolver_set(resolver: AgencyResolver) -> None:
    global _agency_resolver
    _agency_resolver = resolver


def _actor_agency(
    actor: AbstractBaseUser | AnonymousUser | None, partnership_id: int | None
) -> tuple[int | None, int | None]:
    return _agency_resolver(actor, partnership_id)


def _with_client_request_id(details: dict[str, Any], info: Any) -> dict[str, Any]:
    """A client's own X-Request-ID (strictly shaped, core.middleware) is kept apart from ours."""
    if info is not None and info.client_request_id:
        return {**details, "client_request_id": info.client_request_id}
    return details


def audit_record(
    *,
    # The ledger sits beneath accounts and cases (it imports neither): a person (or nobody, for the
    # scheduler) and a case, as the caller's own types say.
    actor: AbstractBaseUser | AnonymousUser | None,
    verb: Verb,
    target: models.Model | None = None,
    case: Any = None,
    details: dict[str, Any] | None = None,
    partnership_id: int | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event to the ledger, chained to the one before it.

    The chain head row is locked for the append, so concurrent writers queue rather than fork
    the chain; on SQLite the IMMEDIATE transaction already serialises writers.
    """
    if case is not None and partnership_id is None:
        partnership_id = case.partnership_id
    if partnership_id is None and target is not None:
        partnership_id = getattr(target, "partnership_id", None)
    agency_id, partnership_id = _actor_agency(actor, partnership_id)
    info = current()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head, created = ChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"ledger": uuid.uuid4().hex})
        # A head whose seal does not match was set by hand (or the key changed): the event is still
        # written, but the head is not sealed again, so the break stays visible to audit_verify
        # instead of being blessed by the next write.
        trusted = created or head_is_sealed(head)
        if not trusted:
            logger.error("The audit ledger's chain head was changed outside the service: run audit_verify.")
        event = AuditEvent(
            id=head.last_id + 1,
            at=timezone.now(),
            actor=cast(Any, actor) if authenticated and isinstance(actor, AbstractBaseUser) else None,
            actor_label=actor_label if actor_label is not None else (str(actor) if authenticated else "anonymous"),
            actor_agency_id=agency_id,
            partnership_id=partnership_id,
            verb=verb,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=str(target)[:300] if target is not None else "",
            case=case,
            ip_address=info.ip_address if info else None,
            user_agent=info.user_agent if info else "",
            request_id=info.request_id if info else "",
            details=json.loads(json.dumps(_with_client_request_id(details or {}, info), default=str)),
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(head.last_hash, row_fields(event))
        event.save(force_insert=True)
        head.last_id = event.id
        head.last_hash = event.hash
        if trusted:
            seal_head(head)
        head.save(update_fields=["last_id", "last_hash", "key_id", "mac"])
    reads.note_recorded(verb, event.case_id)  # a read the view recorded itself is not recorded again
    return event
