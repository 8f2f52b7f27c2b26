"""The append-only, hash-chained audit ledger and `manage.py audit_verify`."""

import itertools
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent, ChainHead, Verb
from audit.services import audit_record
from conftest import World
from partnerships.models import Agency


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
    people = world.people
    return [
        audit_record(
            actor=people["coordinator"], verb=Verb.VIEW, target=world.cases["north"], case=world.cases["north"]
        )
        for _ in range(5)
    ]


def test_each_event_links_to_the_one_before(ledger: list[AuditEvent]) -> None:
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    head = ChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (events[-1].id, events[-1].hash)


def test_audit_verify_passes_on_an_intact_ledger(ledger: list[AuditEvent]) -> None:
    assert "Audit ledger intact: 5 rows checked." in verify()


def test_audit_verify_reports_a_row_altered_in_the_database(ledger: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["someone else", ledger[2].id])
    report = verify_fails()
    assert f"Row {ledger[2].id}: was altered after it was written" in report
    assert "1 problem(s) in 5 rows" in report


def test_audit_verify_reports_altered_details_even_when_the_hash_is_recomputed_for_that_row(
    ledger: list[AuditEvent],
) -> None:
    from audit.chain import compute_hash, row_fields

    event = ledger[1]
    event.details = {"page": "forged"}
    forged = compute_hash(event.prev_hash, row_fields(event))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET details = %s, hash = %s WHERE id = %s",
            ['{"page": "forged"}', forged, event.id],
        )
    report = verify_fails()
    assert f"Row {ledger[2].id}: does not link to the row before it" in report


def test_audit_verify_reports_a_deleted_middle_row(ledger: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ledger[2].id])
    report = verify_fails()
    assert f"rows {ledger[2].id} to {ledger[2].id} are missing (removed)" in report
    assert f"Row {ledger[3].id}: does not link to the row before it" in report


def test_audit_verify_reports_a_deleted_last_row(ledger: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ledger[-1].id])
    report = verify_fails()
    assert f"the newest rows after {ledger[-2].id} up to {ledger[-1].id} are missing (removed)" in report


def test_audit_verify_reports_a_deleted_first_row(ledger: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [ledger[0].id])
    report = verify_fails()
    assert "are missing (removed)" in report


def test_the_orm_refuses_to_change_or_delete_an_event(ledger: list[AuditEvent]) -> None:
    event = AuditEvent.objects.get(pk=ledger[0].pk)
    event.actor_label = "someone else"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="someone else")
    with pytest.raises(RuntimeError, match="append-only"):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == ledger[0].actor_label
    assert "intact" in verify()


def test_an_event_records_who_their_agency_where_and_which_request(world: World, client: Client) -> None:
    from conftest import sign_in

    case = world.cases["north"]
    sign_in(client, world.people["lead_hospital"])
    client.get(reverse("cases:detail", args=[case.reference]), HTTP_USER_AGENT="Invented browser 1.0")
    event = AuditEvent.objects.filter(verb=Verb.VIEW).get()
    assert event.actor == world.people["lead_hospital"]
    assert event.actor_agency == world.agencies["hospital"]
    assert event.partnership == world.north
    assert event.case == case
    assert event.ip_address == "127.0.0.1"
    assert event.user_agent == "Invented browser 1.0"
    assert len(event.request_id) == 32
    assert event.target_type == "cases.case" and event.target_id == str(case.pk)


def test_an_event_is_rolled_back_with_the_change_it_records(world: World) -> None:
    from django.db import transaction

    with pytest.raises(ValueError), transaction.atomic():
        audit_record(actor=world.people["coordinator"], verb=Verb.UPDATE, target=world.agencies["la"])
        raise ValueError("the change failed")
    assert not AuditEvent.objects.exists()
    audit_record(actor=world.people["coordinator"], verb=Verb.UPDATE, target=world.agencies["la"])
    assert "intact: 1 rows" in verify()


def test_history_records_each_field_change_of_an_agency(world: World) -> None:
    agency: Agency = world.agencies["school"]
    agency.name = "Hollowbrook Academy"
    agency.save()
    latest, earlier = agency.history.order_by("-history_id")[:2]
    delta = latest.diff_against(earlier)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("name", "Hollowbrook School", "Hollowbrook Academy")]


def test_audit_verify_reports_a_removed_chain_head(ledger: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_chainhead")
    assert "the chain head is missing" in verify_fails()
