"""`audit_verify` against an attacker who can change the database with plain SQL but has no key.

Each tamper here passed the unkeyed chain unnoticed: the attacker covers their tracks by
recomputing SHA-256 hashes, renumbering rows or adjusting the chain head.
"""

from collections.abc import Mapping
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent, ChainHead, Verb
from audit.services import audit_record
from audit.tests.tampering import append_forged_row, delete_and_renumber, rehash_forward, sql
from conftest import World


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def verify_fails() -> str:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", stdout=out)
    return out.getvalue() + str(failure.value)


@pytest.fixture
def ledger(world: World) -> list[AuditEvent]:
    case = world.cases["north"]
    return [
        audit_record(actor=world.people["coordinator"], verb=Verb.VIEW, target=case, case=case, details={"n": n})
        for n in range(5)
    ]


def test_a_row_altered_with_its_chain_rehashed_forward_without_the_key_is_reported(ledger: list[AuditEvent]) -> None:
    sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["Someone Else", ledger[2].id])
    rehash_forward(ledger[2].id)
    report = verify_fails()
    assert f"Row {ledger[2].id}: was altered after it was written" in report


def test_a_deleted_first_row_with_the_rest_renumbered_and_rehashed_is_reported(ledger: list[AuditEvent]) -> None:
    delete_and_renumber(ledger[0].id)
    rehash_forward(1)
    report = verify_fails()
    assert "Row 1: was altered after it was written" in report


def test_a_deleted_middle_row_with_the_rest_renumbered_and_rehashed_is_reported(ledger: list[AuditEvent]) -> None:
    delete_and_renumber(ledger[2].id)
    rehash_forward(ledger[2].id)
    report = verify_fails()
    assert f"Row {ledger[2].id}: was altered after it was written" in report


def test_deleted_newest_rows_with_the_heads_last_id_set_to_match_are_reported(ledger: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditevent WHERE id > %s", [ledger[2].id])
    sql("UPDATE audit_chainhead SET last_id = %s", [ledger[2].id])
    report = verify_fails()
    assert "the chain head's hash is not the newest row's" in report


def test_deleted_newest_rows_with_the_head_copied_from_the_new_newest_row_are_reported(
    ledger: list[AuditEvent],
) -> None:
    sql("DELETE FROM audit_auditevent WHERE id > %s", [ledger[2].id])
    sql("UPDATE audit_chainhead SET last_id = %s, last_hash = %s", [ledger[2].id, ledger[2].hash])
    report = verify_fails()
    assert "the chain head was changed outside the service" in report


def test_an_appended_forged_row_is_reported(ledger: list[AuditEvent]) -> None:
    forged = append_forged_row(actor_label="Nobody Real", details={"page": "case"})
    report = verify_fails()
    assert f"Row {forged}: was altered after it was written" in report


def test_an_emptied_ledger_beside_existing_cases_is_reported(ledger: list[AuditEvent]) -> None:
    sql("DELETE FROM audit_auditevent")
    sql("DELETE FROM audit_chainhead")
    report = verify_fails()
    assert "the ledger is empty but the service holds 2 cases" in report


def test_a_head_hash_that_is_not_the_newest_rows_is_reported(ledger: list[AuditEvent]) -> None:
    sql("UPDATE audit_chainhead SET last_hash = %s", [ledger[1].hash])
    assert "the chain head's hash is not the newest row's" in verify_fails()


def test_truncation_below_a_checkpoint_with_the_head_restored_from_an_old_copy_is_reported(world: World) -> None:
    case = world.cases["north"]
    for n in range(3):
        audit_record(actor=None, verb=Verb.VIEW, case=case, details={"n": n})
    old_head: Mapping[str, object] = (
        ChainHead.objects.values().get()
    )  # the attacker keeps a copy of the head (a backup)
    for n in range(3, 5):
        audit_record(actor=None, verb=Verb.VIEW, case=case, details={"n": n})
    assert "intact: 5 rows" in verify()  # audit_verify leaves a checkpoint outside the database
    sql("DELETE FROM audit_auditevent WHERE id > 3")
    columns = [name for name in old_head if name != "id"]
    sql(f"UPDATE audit_chainhead SET {', '.join(f'{c} = %s' for c in columns)}", [old_head[c] for c in columns])
    report = verify_fails()
    assert "recorded 5 rows: rows were removed" in report


def test_an_emptied_ledger_with_no_case_left_is_reported_by_the_checkpoint(db: None) -> None:
    for n in range(3):
        audit_record(actor=None, verb=Verb.SIGN_IN_FAILED, details={"n": n})
    assert "intact: 3 rows" in verify()
    sql("DELETE FROM audit_auditevent")
    sql("DELETE FROM audit_chainhead")
    assert "recorded 3 rows: rows were removed" in verify_fails()


def test_an_event_written_after_the_head_was_set_back_does_not_seal_the_truncation(
    ledger: list[AuditEvent], world: World
) -> None:
    sql("DELETE FROM audit_auditevent WHERE id > %s", [ledger[2].id])
    sql("UPDATE audit_chainhead SET last_id = %s, last_hash = %s", [ledger[2].id, ledger[2].hash])
    case = world.cases["north"]
    audit_record(actor=world.people["chair"], verb=Verb.VIEW, target=case, case=case)
    assert "the chain head was changed outside the service" in verify_fails()


def test_the_row_hash_covers_every_column_of_an_event() -> None:
    from audit.chain import ROW_COLUMNS

    columns = {field.attname for field in AuditEvent._meta.concrete_fields} - {"prev_hash", "hash"}
    assert set(ROW_COLUMNS) == columns
    assert len(ROW_COLUMNS) == len(columns)
