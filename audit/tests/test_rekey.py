"""Existing ledgers, hashed without a key, are checked and then sealed with the key by migration 0003."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from audit.chain import GENESIS, legacy_hash, row_fields
from audit.models import AuditEvent, ChainHead, Verb
from audit.rekey import LedgerDoesNotHold, rekey, unkey
from audit.services import audit_record
from audit.tests.tampering import sql
from conftest import World


def record(world: World, n: int) -> None:
    case = world.cases["north"]
    for i in range(n):
        audit_record(actor=world.people["lead_police"], verb=Verb.VIEW, target=case, case=case, details={"i": i})


def is_unkeyed_chain() -> bool:
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id"):
        if event.prev_hash != prev or legacy_hash(prev, row_fields(event)) != event.hash:
            return False
        prev = event.hash
    return ChainHead.objects.values_list("last_hash", flat=True).get() == prev


def verify_fails() -> str:
    out = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify", "--no-checkpoint", stdout=out)
    return out.getvalue() + str(failure.value)


def test_an_intact_unkeyed_ledger_is_re_keyed_and_then_holds(world: World) -> None:
    record(world, 4)
    unkey(AuditEvent, ChainHead)
    assert is_unkeyed_chain()
    assert "was altered after it was written" in verify_fails()
    rekey(AuditEvent, ChainHead)
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 4 rows" in out.getvalue()


def test_a_tampered_unkeyed_ledger_is_not_re_keyed_and_nothing_changes(world: World) -> None:
    record(world, 4)
    unkey(AuditEvent, ChainHead)
    sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = 2", ["Someone Else"])
    before = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    with pytest.raises(LedgerDoesNotHold, match="Row 2: does not match its hash"):
        rekey(AuditEvent, ChainHead)
    assert list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash")) == before


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_an_existing_ledger_and_unseals_it_on_the_way_back(world: World) -> None:
    record(world, 3)
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0002_alter_auditevent_verb")])
    assert is_unkeyed_chain()
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 3 rows" in out.getvalue()
