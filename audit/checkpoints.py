"""Checkpoints: the ledger's size and newest hash, signed and kept outside the database.

A checkpoint says "on this date the ledger `ledger` held `count` rows and row `last_id` had hash
`head_hash`", signed with the key and chained to the checkpoint before it (`prev` is that one's
MAC), so a checkpoint cannot be forged, altered, removed from the middle or reordered without the
key. `audit_verify` then knows that the ledger can never again hold fewer rows, and that each
checkpointed row still has the hash it had: truncating the ledger below a checkpoint, or rewriting
the chain before one (even with the key), is found.
"""

import hmac
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings

from audit.chain import GENESIS, canonical, keys, sign
from audit.checkpoint_stores import CheckpointStore
from audit.problems import Problem, Problems


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    at: str
    ledger: str
    count: int
    last_id: int
    head_hash: str
    key_id: str
    prev: str
    mac: str = ""

    def body(self) -> dict[str, object]:
        fields = asdict(self)
        del fields["mac"]
        return fields

    def record(self) -> str:
        return canonical(asdict(self))

    @property
    def written_at(self) -> datetime:
        return datetime.fromisoformat(self.at)


def parse(record: str) -> Checkpoint | None:
    try:
        fields = json.loads(record)
        checkpoint = Checkpoint(**fields)
    except (ValueError, TypeError):
        return None
    texts = (checkpoint.at, checkpoint.ledger, checkpoint.head_hash, checkpoint.key_id, checkpoint.prev, checkpoint.mac)
    numbers = (checkpoint.seq, checkpoint.count, checkpoint.last_id)
    if not all(isinstance(t, str) for t in texts) or not all(type(n) is int for n in numbers):
        return None
    try:
        checkpoint.written_at  # noqa: B018 - a date that does not parse makes the record malformed
    except ValueError:
        return None
    return checkpoint


def is_signed(checkpoint: Checkpoint) -> bool:
    return hmac.compare_digest(checkpoint.mac, sign(keys().checkpoint, checkpoint.body()))


def read_checked(store: CheckpointStore, problems: Problems) -> list[Checkpoint]:
    """Every checkpoint whose signature holds, oldest first; each break in their chain is a problem."""
    checked: list[Checkpoint] = []
    expected_seq, expected_prev = 1, GENESIS
    for number, record in enumerate(store.records(), start=1):
        checkpoint = parse(record)
        if checkpoint is None:
            problems.add(Problem(f"record {number} in {store.where} is not a checkpoint (it was altered)"))
            continue
        if checkpoint.key_id != keys().key_id:
            problems.add(
                Problem(
                    f"was signed with another key (key id {checkpoint.key_id}; this service's is {keys().key_id})",
                    checkpoint=checkpoint.seq,
                )
            )
            continue
        if not is_signed(checkpoint):
            problems.add(
                Problem("was altered after it was written (its signature does not match)", checkpoint=checkpoint.seq)
            )
            continue
        if checkpoint.seq != expected_seq or checkpoint.prev != expected_prev:
            problems.add(
                Problem(
                    f"does not follow checkpoint {expected_seq - 1} (checkpoints were removed or reordered)",
                    checkpoint=checkpoint.seq,
                )
            )
        checked.append(checkpoint)
        expected_seq, expected_prev = checkpoint.seq + 1, checkpoint.mac
    return checked


def newest(store: CheckpointStore) -> Checkpoint | None:
    """The newest checkpoint if its signature holds (None if there is none; ValueError if it is bad)."""
    record = store.newest()
    if record is None:
        return None
    checkpoint = parse(record)
    if checkpoint is None or checkpoint.key_id != keys().key_id or not is_signed(checkpoint):
        raise ValueError(f"The newest checkpoint in {store.where} is not signed with this service's key.")
    return checkpoint


def is_due(latest: Checkpoint | None, now: datetime) -> bool:
    interval = timedelta(minutes=settings.AUDIT_CHECKPOINT_MINUTES)
    return latest is None or now - latest.written_at >= interval


def checkpoint_append(
    *,
    store: CheckpointStore,
    after: Checkpoint | None,
    now: datetime,
    ledger: str,
    count: int,
    last_id: int,
    head_hash: str,
) -> Checkpoint:
    """Write the checkpoint after `after` (hold `store.exclusive()` around reading it and this)."""
    checkpoint = Checkpoint(
        seq=after.seq + 1 if after else 1,
        at=now.isoformat(),
        ledger=ledger,
        count=count,
        last_id=last_id,
        head_hash=head_hash,
        key_id=keys().key_id,
        prev=after.mac if after else GENESIS,
    )
    signed = Checkpoint(**{**asdict(checkpoint), "mac": sign(keys().checkpoint, checkpoint.body())})
    store.append(signed.seq, signed.record())
    return signed
