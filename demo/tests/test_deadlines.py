"""The demo deadlines: every status present, and the coordinator's dashboard shows each group."""

from collections import Counter

from django.test import Client
from django.urls import reverse

from clocks.models import Clock, ClockStatus
from clocks.selectors import due_counts
from demo import deadlines
from partnerships.demo import seed_people


def test_the_demo_holds_clocks_in_every_status_and_fills_every_group(db: None, client: Client) -> None:
    from django.utils import timezone

    from conftest import sign_in

    world = seed_people()
    deadlines.seed(world)
    statuses = Counter(Clock.objects.values_list("status", flat=True))
    assert set(statuses) == set(ClockStatus.values)
    coordinator = world.users["coordinator"]
    counts = due_counts(coordinator, today=timezone.localdate())
    assert counts["overdue"] >= 1
    assert counts["later"] >= 1
    assert counts["today"] + counts["week"] >= 1
    html = sign_in(client, coordinator).get(reverse("clocks:due")).content.decode()
    overdue_sin = Clock.objects.filter(rule="sin", status__in=["open", "extended"]).order_by("due_date").first()
    assert overdue_sin is not None and overdue_sin.case.reference in html
    assert "Working day" in html
