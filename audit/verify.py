"""Checking the ledger: every row's hash, every link to the row before, and no missing rows."""

from collections.abc import Iterator
from dataclasses import dataclass

from audit.chain import GENESIS, compute_hash, row_fields
from audit.models import AuditEvent, ChainHead


@dataclass(frozen=True)
class Problem:
    event_id: int
    what: str


def verify_chain(batch_size: int = 2000) -> Iterator[Problem]:
    expected_prev = GENESIS
    expected_id = 1
    last_id = 0
    queryset = AuditEvent.objects.order_by("id")
    for event in queryset.iterator(chunk_size=batch_size):
        if event.id != expected_id:
            yield Problem(expected_id, f"rows {expected_id} to {event.id - 1} are missing (removed)")
        if event.prev_hash != expected_prev:
            yield Problem(event.id, "does not link to the row before it (a row before it was altered or removed)")
        if compute_hash(event.prev_hash, row_fields(event)) != event.hash:
            yield Problem(event.id, "was altered after it was written (its hash does not match its content)")
        expected_prev = event.hash
        expected_id = event.id + 1
        last_id = event.id
    head = ChainHead.objects.filter(pk=1).first()
    if head is None and last_id:
        yield Problem(last_id, "the chain head is missing, so removed newest rows could not be detected")
    if head is not None and head.last_id != last_id:
        yield Problem(head.last_id, f"the newest rows after {last_id} up to {head.last_id} are missing (removed)")
