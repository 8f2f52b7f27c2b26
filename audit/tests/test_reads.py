"""Reads of case data leave a trace, and coordinators can see who has seen a case."""

from typing import NoReturn

import pytest
from django.urls import reverse

from audit.models import AuditEvent, Verb
from conftest import SignIn, World


def test_opening_a_case_writes_a_view_event(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    signed_in(world.people["delegate_police"]).get(reverse("cases:detail", args=[case.reference]))
    event = AuditEvent.objects.get(verb=Verb.VIEW, case=case)
    assert event.actor == world.people["delegate_police"]
    assert event.details == {"page": "cases:detail", "path": f"/cases/{case.reference}/", "method": "GET"}


def test_a_refused_read_writes_no_view_event(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    response = signed_in(world.people["other_practitioner"]).get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.VIEW).exists()


def test_the_who_has_seen_page_lists_each_viewer_with_how_often_and_when(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    for key in ("lead_hospital", "lead_hospital", "chair"):
        signed_in(world.people[key]).get(reverse("cases:detail", args=[case.reference]))
    response = signed_in(world.people["coordinator"]).get(reverse("cases:viewers", args=[case.reference]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lead_Hospital Tester" in html and "Chair Tester" in html
    assert "Northshire Hospitals" in html
    viewers = {row["actor_label"]: row["times"] for row in response.context["viewers"]}
    assert viewers["Lead_Hospital Tester"] == 2 and viewers["Chair Tester"] == 1
    # Looking at who has seen the case is itself a read.
    assert AuditEvent.objects.filter(verb=Verb.VIEW, actor=world.people["coordinator"], case=case).exists()


def test_only_coordinators_see_who_has_seen_a_case(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    url = reverse("cases:viewers", args=[case.reference])
    assert signed_in(world.people["chair"]).get(url).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(url).status_code == 403
    assert signed_in(world.people["south_coordinator"]).get(url).status_code == 404


def test_the_deadline_step_and_upload_pages_of_a_case_record_a_view(world: World, signed_in: SignIn) -> None:
    from django.utils import timezone

    from clocks.models import ClockRule
    from clocks.services import clock_start
    from core.tests.url_access import GENERIC_TRANSITION

    case = world.cases["north"]
    coordinator = world.people["coordinator"]
    clock = clock_start(case=case, rule=ClockRule.SIN, start_date=timezone.localdate(), actor=coordinator)
    client = signed_in(coordinator)
    pages = [
        reverse("clocks:change", args=[case.reference, clock.pk, "extend"]),
        reverse("cases:transition", args=[case.reference, GENERIC_TRANSITION]),
        reverse("documents:upload", args=[case.reference]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    views = AuditEvent.objects.filter(verb=Verb.VIEW, case=case, actor=coordinator)
    assert [event.details["path"] for event in views] == pages


def test_a_redirect_shows_nothing_and_records_no_view(world: World, signed_in: SignIn) -> None:
    case = world.cases["north"]
    url = reverse("rapidreviews:workspace", args=[case.reference]) + "start/"
    response = signed_in(world.people["coordinator"]).post(url)
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(verb=Verb.VIEW).exists()


def test_a_page_whose_view_cannot_be_recorded_is_not_shown(
    world: World, signed_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ledger first: if the read cannot be written, the person gets the error page, not the case."""
    import audit.middleware

    def refuse(**kwargs: object) -> NoReturn:
        raise RuntimeError("the ledger is unavailable")

    monkeypatch.setattr(audit.middleware, "audit_record", refuse)
    client = signed_in(world.people["coordinator"])
    client.raise_request_exception = False
    response = client.get(reverse("cases:detail", args=[world.cases["north"].reference]))
    assert response.status_code == 500
    assert world.cases["north"].title.encode() not in response.content
