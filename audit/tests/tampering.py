"""What an attacker with the database but not the key can do to the ledger, with plain SQL.

They can read every row and the published hashing scheme (SHA-256 over the previous hash and the
row's canonical JSON), so they can recompute unkeyed hashes; they cannot compute the service's
keyed MACs.
"""

import hashlib
import json
from typing import Any

from django.db import connection

from audit.chain import GENESIS, canonical, row_fields
from audit.models import AuditEvent


def sql(query: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])


def unkeyed_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def rehash_forward(from_id: int) -> str:
    """Recompute every hash from row `from_id` on, relink the chain and point the head at its end."""
    prev = GENESIS
    last_id = 0
    for event in AuditEvent.objects.order_by("id"):
        if event.id >= from_id:
            digest = unkeyed_hash(prev, row_fields(event))
            sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, event.id])
            event.hash = digest
        prev, last_id = event.hash, event.id
    sql("UPDATE audit_chainhead SET last_id = %s, last_hash = %s", [last_id, prev])
    return prev


def delete_and_renumber(event_id: int) -> None:
    """Remove a row and close the gap, so the ids run on without a break."""
    sql("DELETE FROM audit_auditevent WHERE id = %s", [event_id])
    for later in AuditEvent.objects.filter(id__gt=event_id).order_by("id").values_list("id", flat=True):
        sql("UPDATE audit_auditevent SET id = %s WHERE id = %s", [later - 1, later])


def append_forged_row(*, actor_label: str, details: dict[str, Any]) -> int:
    """Insert a row after the newest one, copying its who and where, with an unkeyed hash."""
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    forged = AuditEvent(
        id=last.id + 1,
        at=last.at,
        actor_id=last.actor_id,
        actor_label=actor_label,
        actor_agency_id=last.actor_agency_id,
        partnership_id=last.partnership_id,
        verb=last.verb,
        target_type=last.target_type,
        target_id=last.target_id,
        target_label=last.target_label,
        case_id=last.case_id,
        ip_address=last.ip_address,
        user_agent=last.user_agent,
        request_id=last.request_id,
        details=details,
    )
    digest = unkeyed_hash(last.hash, row_fields(forged))
    sql(
        "INSERT INTO audit_auditevent (id, at, actor_id, actor_label, actor_agency_id, partnership_id, verb,"
        " target_type, target_id, target_label, case_id, ip_address, user_agent, request_id, details,"
        " prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        [
            forged.id,
            forged.at,
            forged.actor_id,
            forged.actor_label,
            forged.actor_agency_id,
            forged.partnership_id,
            forged.verb,
            forged.target_type,
            forged.target_id,
            forged.target_label,
            forged.case_id,
            forged.ip_address,
            forged.user_agent,
            forged.request_id,
            json.dumps(details),
            last.hash,
            digest,
        ],
    )
    sql("UPDATE audit_chainhead SET last_id = %s, last_hash = %s", [forged.id, digest])
    return forged.id
