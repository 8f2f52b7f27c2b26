"""Checking the ledger: every row's keyed hash and link, the sealed head, and the checkpoints.

Rows are streamed in id order as plain tuples (`values_list(...).iterator(chunk_size)`), so a
ledger of millions of rows is checked in constant memory.
"""

import hmac
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps

from audit.chain import GENESIS, ROW_COLUMNS, compute_hash, head_is_sealed, keys, values_fields
from audit.checkpoint_stores import CheckpointStore
from audit.checkpoints import Checkpoint, checkpoint_append, is_due, newest, read_checked
from audit.models import AuditEvent, ChainHead
from audit.problems import Problem, Problems

BATCH = 5000


@dataclass
class Tail:
    rows: int
    last_id: int
    last_hash: str


@dataclass
class Report:
    rows: int
    ledger: str | None
    last_id: int
    last_hash: str
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def _walk(problems: Problems, anchors: dict[int, Checkpoint], tail: Tail, up_to: int | None) -> Tail:
    """Check the rows after `tail`, each against the one before; return the new tail."""
    row_key = keys().row
    expected_prev, expected_id, rows = tail.last_hash, tail.last_id + 1, tail.rows
    queryset = AuditEvent.objects.filter(id__gt=tail.last_id)
    if up_to is not None:
        queryset = queryset.filter(id__lte=up_to)
    for values in queryset.order_by("id").values_list(*ROW_COLUMNS, "prev_hash", "hash").iterator(chunk_size=BATCH):
        content, prev_hash, digest = values[:-2], values[-2], values[-1]
        event_id = content[0]
        if event_id != expected_id:
            problems.add(Problem(f"rows {expected_id} to {event_id - 1} are missing (removed)", row=expected_id))
        if prev_hash != expected_prev:
            problems.add(
                Problem("does not link to the row before it (a row before it was altered or removed)", row=event_id)
            )
        if not hmac.compare_digest(compute_hash(prev_hash, values_fields(content), key=row_key), digest):
            problems.add(
                Problem("was altered after it was written (its hash does not match its content)", row=event_id)
            )
        anchor = anchors.get(event_id)
        if anchor is not None and anchor.head_hash != digest:
            problems.add(
                Problem(
                    f"is not the row checkpoint {anchor.seq} recorded on {anchor.at}: it was rewritten", row=event_id
                )
            )
        expected_prev, expected_id, rows = digest, event_id + 1, rows + 1
    return Tail(rows=rows, last_id=expected_id - 1, last_hash=expected_prev)


def _walk_to_head(problems: Problems, anchors: dict[int, Checkpoint], start: Tail) -> tuple[ChainHead | None, Tail]:
    """Walk every row after `start`, then compare with the head, read after the walk.

    Rows and the head are written in one transaction, so a head read after the walk accounts for
    every row the walk saw; rows appended since are walked up to that head. Rows beyond it were
    not written by the service.
    """
    tail = _walk(problems, anchors, start, up_to=None)
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_id > tail.last_id:
        tail = _walk(problems, anchors, tail, up_to=head.last_id)
    if head is None:
        if tail.rows:
            problems.add(Problem("the chain head is missing, so removed newest rows could not be detected"))
        return head, tail
    if not head_is_sealed(head):
        problems.add(Problem("the chain head was changed outside the service (its seal does not match)"))
    if head.last_id > tail.last_id:
        problems.add(
            Problem(
                f"the newest rows after {tail.last_id} up to {head.last_id} are missing (removed)", row=head.last_id
            )
        )
    elif head.last_id < tail.last_id:
        problems.add(
            Problem(
                f"rows {head.last_id + 1} to {tail.last_id} come after the chain head (added outside the service)",
                row=tail.last_id,
            )
        )
    elif head.last_hash != tail.last_hash:
        problems.add(
            Problem("the chain head's hash is not the newest row's (the newest rows were removed or replaced)")
        )
    return head, tail


def ledger_verify(*, store: CheckpointStore) -> Report:
    problems = Problems()
    checkpoints = read_checked(store, problems)
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.key_id and head.key_id != keys().key_id:
        problems.add(
            Problem(
                f"it was sealed with another key (key id {head.key_id}; this service's is {keys().key_id}): "
                "set AUDIT_HMAC_KEY to the key the ledger was written with"
            )
        )
        return Report(0, head.ledger, 0, GENESIS, checkpoints, problems)
    ledger = head.ledger if head is not None else None
    anchors = {checkpoint.last_id: checkpoint for checkpoint in checkpoints if checkpoint.ledger == ledger}
    head, tail = _walk_to_head(problems, anchors, Tail(0, 0, GENESIS))
    ledger = head.ledger if head is not None else None
    if tail.rows == 0:
        cases = apps.get_model("cases", "Case").objects.count()
        if cases:
            problems.add(Problem(f"the ledger is empty but the service holds {cases} cases: its rows were removed"))
    others = [checkpoint for checkpoint in checkpoints if checkpoint.ledger != ledger]
    if others:
        problems.add(
            Problem(
                f"was written for another ledger ({others[-1].ledger}) than this database's ({ledger or 'none'}): "
                "the ledger was emptied and started again, or replaced",
                checkpoint=others[-1].seq,
            )
        )
    if checkpoints:
        largest = max(checkpoints, key=lambda checkpoint: checkpoint.count)
        if tail.rows < largest.count:
            problems.add(
                Problem(
                    f"the ledger has {tail.rows} rows but checkpoint {largest.seq} of {largest.at} recorded "
                    f"{largest.count} rows: rows were removed",
                )
            )
    return Report(tail.rows, ledger, tail.last_id, tail.last_hash, checkpoints, problems)


def checkpoint_write_verified(*, store: CheckpointStore, report: Report, now: datetime) -> Checkpoint | None:
    """After a clean `ledger_verify`: anchor what it checked, unless a checkpoint already covers it."""
    if report.problems or report.ledger is None or report.rows == 0:
        return None
    with store.exclusive():
        latest = newest(store)
        if latest is not None and latest.ledger == report.ledger and latest.last_id >= report.last_id:
            return None
        return checkpoint_append(
            store=store,
            after=latest,
            now=now,
            ledger=report.ledger,
            count=report.rows,
            last_id=report.last_id,
            head_hash=report.last_hash,
        )


def checkpoint_write_if_due(
    *, store: CheckpointStore, now: datetime, force: bool = False
) -> tuple[Checkpoint | None, Problems]:
    """The scheduler's job: check the rows since the newest checkpoint, then anchor them.

    Only what was added since the last checkpoint is checked (the full check is `audit_verify`),
    and nothing is anchored unless it links to the last checkpoint's row and holds.
    """
    problems = Problems()
    with store.exclusive():
        try:
            latest = newest(store)
        except ValueError as error:
            problems.add(Problem(str(error)))
            return None, problems
        if not force and not is_due(latest, now):
            return None, problems
        head = ChainHead.objects.filter(pk=1).first()
        if head is None:
            if latest is not None:
                problems.add(Problem("the chain head is missing"))
            return None, problems
        if latest is not None and latest.ledger == head.ledger and latest.last_id == head.last_id:
            return None, problems
        start = Tail(0, 0, GENESIS)
        if latest is not None:
            if latest.ledger != head.ledger:
                problems.add(
                    Problem(f"the ledger is not the one checkpoint {latest.seq} recorded: it was emptied or replaced")
                )
                return None, problems
            anchored = AuditEvent.objects.filter(id=latest.last_id).values_list("hash", flat=True).first()
            if anchored != latest.head_hash:
                problems.add(
                    Problem(f"is missing or is not the row checkpoint {latest.seq} recorded", row=latest.last_id)
                )
                return None, problems
            start = Tail(latest.count, latest.last_id, latest.head_hash)
        head, tail = _walk_to_head(problems, {}, start)
        if problems or head is None:
            return None, problems
        written = checkpoint_append(
            store=store,
            after=latest,
            now=now,
            ledger=head.ledger,
            count=tail.rows,
            last_id=tail.last_id,
            head_hash=tail.last_hash,
        )
        return written, problems
