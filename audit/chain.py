"""How the ledger is sealed: keyed hashes (HMAC-SHA256) whose key lives outside the database.

Each row's `hash` is an HMAC over the previous row's hash and the row's own content, so nobody
who can change the database but does not hold `AUDIT_HMAC_KEY` can alter, insert, remove or
renumber a row and recompute the chain. The chain head (the newest id and hash) carries its own
HMAC, so its `last_id` and `last_hash` cannot be set back to hide removed newest rows. Three
sub-keys are derived from the one key, one for each kind of thing signed, so a signature made for
one can never be passed off as another.

`legacy_hash` is the unkeyed SHA-256 of the first version of the ledger, kept only to check an
existing ledger before it is re-keyed (`audit/rekey.py`).
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings

GENESIS = "0" * 64

# Every column of an AuditEvent except its own hash and the previous row's hash (which is chained
# in as the prefix of what is signed). A test keeps this list and the model in step.
ROW_COLUMNS = (
    "id",
    "at",
    "actor_id",
    "actor_label",
    "actor_agency_id",
    "partnership_id",
    "verb",
    "target_type",
    "target_id",
    "target_label",
    "case_id",
    "ip_address",
    "user_agent",
    "request_id",
    "details",
)


@dataclass(frozen=True)
class Keys:
    row: bytes
    head: bytes
    checkpoint: bytes
    key_id: str


@lru_cache(maxsize=4)
def _derive(master: str) -> Keys:
    secret = master.encode()

    def sub(label: str) -> bytes:
        return hmac.new(secret, f"scp-audit-ledger/{label}/v1".encode(), hashlib.sha256).digest()

    return Keys(row=sub("row"), head=sub("head"), checkpoint=sub("checkpoint"), key_id=sub("key-id").hex()[:16])


def keys() -> Keys:
    return _derive(settings.AUDIT_HMAC_KEY)


def canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)


def row_fields(event: Any) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "actor_agency": event.actor_agency_id,
        "partnership": event.partnership_id,
        "verb": event.verb,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_label": event.target_label,
        "case": event.case_id,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "request_id": event.request_id,
        "details": event.details,
    }


def values_fields(values: tuple[Any, ...]) -> dict[str, Any]:
    """`row_fields` from a `values_list(*ROW_COLUMNS)` tuple (no model instance: faster to stream)."""
    (event_id, at, actor, label, agency, partnership, verb, t_type, t_id, t_label, case, ip, ua, req, details) = values
    return {
        "id": event_id,
        "at": at.isoformat(),
        "actor": actor,
        "actor_label": label,
        "actor_agency": agency,
        "partnership": partnership,
        "verb": verb,
        "target_type": t_type,
        "target_id": t_id,
        "target_label": t_label,
        "case": case,
        "ip_address": ip,
        "user_agent": ua,
        "request_id": req,
        "details": details,
    }


def compute_hash(prev_hash: str, fields: dict[str, Any], *, key: bytes | None = None) -> str:
    message = (prev_hash + canonical(fields)).encode()
    return hmac.new(key if key is not None else keys().row, message, hashlib.sha256).hexdigest()


def legacy_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(fields)).encode()).hexdigest()


def sign(key: bytes, fields: dict[str, Any]) -> str:
    return hmac.new(key, canonical(fields).encode(), hashlib.sha256).hexdigest()


def head_mac(head: Any) -> str:
    fields = {"ledger": head.ledger, "last_id": head.last_id, "last_hash": head.last_hash, "key_id": head.key_id}
    return sign(keys().head, fields)


def seal_head(head: Any) -> None:
    """Set the head's key id and MAC for its current `last_id` and `last_hash` (caller saves)."""
    head.key_id = keys().key_id
    head.mac = head_mac(head)


def head_is_sealed(head: Any) -> bool:
    return hmac.compare_digest(head.mac, head_mac(head))
