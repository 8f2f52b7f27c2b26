"""Moving an existing ledger from unkeyed SHA-256 hashes to keyed ones (and back), once, in a migration.

The old chain is checked first, row by row, with the old hashing; only a chain that holds is
re-hashed, so re-keying never blesses a ledger that was already tampered with. A chain that fails
stops the migration with the problems it found and changes nothing (the migration is one
transaction): restore the database from a backup whose ledger holds, or investigate, first.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError

from audit.chain import GENESIS, ROW_COLUMNS, compute_hash, legacy_hash, seal_head, values_fields

Hasher = Callable[[str, dict[str, Any]], str]
BATCH = 2000


class LedgerDoesNotHold(CommandError):
    """A CommandError, so `migrate` stops with the message and no traceback."""

    def __init__(self, problems: list[str]) -> None:
        shown = "\n".join(f"  {problem}" for problem in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            "The audit ledger failed its check before it could be re-keyed; nothing was changed. "
            f"Restore a backup whose ledger holds, or investigate:\n{shown}{more}"
        )
        self.problems = problems


def _check(event_model: Any, head_model: Any, hasher: Hasher) -> list[str]:
    problems: list[str] = []
    expected_prev, expected_id = GENESIS, 1
    rows = event_model._base_manager.order_by("id").values_list(*ROW_COLUMNS, "prev_hash", "hash")
    for values in rows.iterator(chunk_size=BATCH):
        content, prev_hash, digest = values[:-2], values[-2], values[-1]
        event_id = content[0]
        if event_id != expected_id:
            problems.append(f"Row {expected_id}: rows {expected_id} to {event_id - 1} are missing")
        if prev_hash != expected_prev:
            problems.append(f"Row {event_id}: does not link to the row before it")
        if hasher(prev_hash, values_fields(content)) != digest:
            problems.append(f"Row {event_id}: does not match its hash")
        expected_prev, expected_id = digest, event_id + 1
    head = head_model.objects.filter(pk=1).first()
    if head is None and expected_id > 1:
        problems.append("The chain head is missing")
    elif head is not None and (head.last_id, head.last_hash) != (expected_id - 1, expected_prev):
        problems.append("The chain head is not the newest row")
    return problems


def _rehash(event_model: Any, head_model: Any, hasher: Hasher) -> str:
    """Re-hash every row in id order, a batch at a time (never updating a table being streamed)."""
    prev, after = GENESIS, 0
    while True:
        batch = list(event_model._base_manager.filter(id__gt=after).order_by("id").values_list(*ROW_COLUMNS)[:BATCH])
        if not batch:
            return prev
        changed = []
        for content in batch:
            digest = hasher(prev, values_fields(content))
            changed.append(event_model(id=content[0], prev_hash=prev, hash=digest))
            prev = digest
        event_model._base_manager.bulk_update(changed, ["prev_hash", "hash"])
        after = batch[-1][0]


def rekey(event_model: Any, head_model: Any) -> None:
    """Check the unkeyed chain, then seal every row and the head with the key."""
    problems = _check(event_model, head_model, legacy_hash)
    if problems:
        raise LedgerDoesNotHold(problems)
    last_hash = _rehash(event_model, head_model, compute_hash)
    head = head_model.objects.filter(pk=1).first()
    if head is not None:
        head.ledger = head.ledger or uuid.uuid4().hex
        head.last_hash = last_hash
        seal_head(head)
        head.save(update_fields=["ledger", "last_hash", "key_id", "mac"])


def unkey(event_model: Any, head_model: Any) -> None:
    """The way back: check the keyed chain, then hash it without the key again."""
    problems = _check(event_model, head_model, compute_hash)
    if problems:
        raise LedgerDoesNotHold(problems)
    last_hash = _rehash(event_model, head_model, legacy_hash)
    head = head_model.objects.filter(pk=1).first()
    if head is not None:
        head.last_hash = last_hash
        head.save(update_fields=["last_hash"])
