"""Signed checkpoints outside the database: written by the scheduler and by audit_verify, checked by audit_verify."""

import json
import stat
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from pytest_django import Settings

from audit.chain import compute_hash, row_fields, seal_head
from audit.checkpoint_stores import CheckpointExists, StorageCheckpointStore
from audit.models import AuditEvent, ChainHead, Verb
from audit.services import audit_record
from audit.tests.tampering import sql
from conftest import World

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", stdout=out)
    return out.getvalue() + str(failure.value)


def record(world: World, n: int = 1) -> None:
    case = world.cases["north"]
    for i in range(n):
        audit_record(actor=world.people["coordinator"], verb=Verb.VIEW, target=case, case=case, details={"i": i})


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_the_scheduler_writes_a_checkpoint_each_interval_when_the_ledger_has_grown(
    world: World, audit_checkpoints: Path, settings: Settings
) -> None:
    settings.AUDIT_CHECKPOINT_MINUTES = 15
    with time_machine.travel(START, tick=False) as clock:
        record(world, 3)
        call_command("scheduler", "--once")
        assert [(c["seq"], c["count"]) for c in lines(audit_checkpoints)] == [(1, 3)]
        record(world, 2)
        clock.move_to(START + timedelta(minutes=14))
        call_command("audit_checkpoint")
        assert len(lines(audit_checkpoints)) == 1  # not due yet
        clock.move_to(START + timedelta(minutes=15))
        call_command("audit_checkpoint")
        clock.move_to(START + timedelta(minutes=30))
        call_command("audit_checkpoint")  # nothing new since: nothing written
    written = lines(audit_checkpoints)
    assert [(c["seq"], c["count"], c["last_id"]) for c in written] == [(1, 3, 3), (2, 5, 5)]
    assert written[1]["prev"] == written[0]["mac"]
    assert written[1]["head_hash"] == ChainHead.objects.get().last_hash
    assert stat.S_IMODE(audit_checkpoints.stat().st_mode) == 0o600
    assert "Checked against 2 checkpoint(s)" in (report := verify())
    assert "the newest is of 2026-12-01T09:15:00+00:00" in report


def test_a_checkpoint_is_not_written_over_rows_altered_since_the_last_one(
    world: World, audit_checkpoints: Path
) -> None:
    record(world, 3)
    call_command("audit_checkpoint", "--now")
    record(world, 2)
    sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = 5", ["Someone Else"])
    err = StringIO()
    with pytest.raises(CommandError, match="No audit checkpoint written"):
        call_command("audit_checkpoint", "--now", stderr=err)
    assert "Row 5: was altered" in err.getvalue()
    assert len(lines(audit_checkpoints)) == 1


def test_a_chain_rewritten_with_the_key_before_a_checkpoint_is_reported(world: World) -> None:
    record(world, 5)
    assert "Wrote checkpoint 1" in verify()
    # An insider with the database and the key rewrites row 2 and everything after it, and the head.
    sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = 2", ["Someone Else"])
    prev = AuditEvent.objects.get(id=1).hash
    for event in AuditEvent.objects.filter(id__gte=2).order_by("id"):
        digest = compute_hash(prev, row_fields(event))
        sql("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, event.id])
        prev = digest
    head = ChainHead.objects.get()
    head.last_hash = prev
    seal_head(head)
    sql("UPDATE audit_chainhead SET last_hash = %s, mac = %s", [head.last_hash, head.mac])
    assert "Row 5: is not the row checkpoint 1 recorded" in verify_fails()


def test_an_altered_checkpoint_is_reported(world: World, audit_checkpoints: Path) -> None:
    record(world, 3)
    verify()
    forged = lines(audit_checkpoints)[0] | {"count": 1}
    audit_checkpoints.write_text(json.dumps(forged) + "\n")
    assert "Checkpoint 1: was altered after it was written" in verify_fails()


def test_a_checkpoint_removed_from_the_middle_is_reported(world: World, audit_checkpoints: Path) -> None:
    for _ in range(3):
        record(world)
        call_command("audit_checkpoint", "--now")
    kept = audit_checkpoints.read_text().splitlines()
    audit_checkpoints.write_text(kept[0] + "\n" + kept[2] + "\n")
    assert "Checkpoint 3: does not follow checkpoint 1" in verify_fails()


def test_a_checkpoint_forged_without_the_key_is_reported(world: World, audit_checkpoints: Path) -> None:
    record(world, 2)
    verify()
    first = lines(audit_checkpoints)[0]
    forged = first | {"seq": 2, "prev": first["mac"], "count": 2, "mac": "0" * 64}
    with audit_checkpoints.open("a") as file:
        file.write(json.dumps(forged) + "\n")
    assert "Checkpoint 2: was altered after it was written" in verify_fails()
    with pytest.raises(CommandError, match="No audit checkpoint written"):
        call_command("audit_checkpoint", "--now", stderr=StringIO())


def test_checkpoints_signed_with_another_key_are_reported(world: World, settings: Settings) -> None:
    record(world, 2)
    verify()
    settings.AUDIT_HMAC_KEY = "another-key-" + "k" * 40
    report = verify_fails()
    assert "Checkpoint 1: was signed with another key" in report
    assert "sealed with another key" in report


def test_checkpoints_of_an_emptied_and_restarted_ledger_are_reported(world: World) -> None:
    record(world, 3)
    verify()
    sql("DELETE FROM audit_auditevent")
    sql("DELETE FROM audit_chainhead")
    record(world, 4)  # the service goes on writing: a new head, a new ledger
    report = verify_fails()
    assert "was written for another ledger" in report


def test_audit_verify_without_a_checkpoint_writes_none(world: World, audit_checkpoints: Path) -> None:
    record(world, 2)
    out = StringIO()
    call_command("audit_verify", "--no-checkpoint", stdout=out)
    assert "intact: 2 rows" in out.getvalue()
    assert not audit_checkpoints.exists()


def test_checkpoints_in_object_storage_are_one_object_each_and_never_overwritten(
    world: World, settings: Settings
) -> None:
    settings.STORAGES = settings.STORAGES | {
        "audit_checkpoints": {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    }
    settings.AUDIT_CHECKPOINTS = {"BACKEND": "audit.checkpoint_stores.StorageCheckpointStore"}
    record(world, 2)
    assert "Wrote checkpoint 1" in verify()
    record(world, 1)
    call_command("audit_checkpoint", "--now")
    store = StorageCheckpointStore()
    assert [json.loads(r)["count"] for r in store.records()] == [2, 3]
    with pytest.raises(CheckpointExists):
        store.append(2, "{}")
    sql("DELETE FROM audit_auditevent WHERE id = 3")
    sql("UPDATE audit_chainhead SET last_id = 2")
    assert "recorded 3 rows: rows were removed" in verify_fails()
