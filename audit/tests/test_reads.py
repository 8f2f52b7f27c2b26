"""Reads of case data leave a trace, and coordinators can see who has seen a case."""

from django.urls import reverse

from audit.models import AuditEvent, Verb


def test_opening_a_case_writes_a_view_event(world, signed_in) -> None:
    case = world.cases["north"]
    signed_in(world.people["delegate_police"]).get(reverse("cases:detail", args=[case.reference]))
    event = AuditEvent.objects.get(verb=Verb.VIEW, case=case)
    assert event.actor == world.people["delegate_police"]
    assert event.details == {"page": "case"}


def test_a_refused_read_writes_no_view_event(world, signed_in) -> None:
    case = world.cases["north"]
    response = signed_in(world.people["other_practitioner"]).get(reverse("cases:detail", args=[case.reference]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.VIEW).exists()


def test_the_who_has_seen_page_lists_each_viewer_with_how_often_and_when(world, signed_in) -> None:
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


def test_only_coordinators_see_who_has_seen_a_case(world, signed_in) -> None:
    case = world.cases["north"]
    url = reverse("cases:viewers", args=[case.reference])
    assert signed_in(world.people["chair"]).get(url).status_code == 403
    assert signed_in(world.people["lead_hospital"]).get(url).status_code == 403
    assert signed_in(world.people["south_coordinator"]).get(url).status_code == 404
