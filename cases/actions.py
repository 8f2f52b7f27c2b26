"""Where each workflow step is taken. A journey that records data with a step registers its page
(`register_transition_page("decide_notify", "referrals:triage")`); steps without one use the
generic confirmation page, which asks for a note and checks the case version."""

from typing import Any

from django.urls import reverse

from cases.models import Case
from cases.workflow import available_transitions

_pages: dict[str, str] = {}


def register_transition_page(name: str, url_name: str) -> None:
    """`url_name` takes the case reference as its only argument."""
    _pages[name] = url_name


def has_own_page(name: str) -> bool:
    return name in _pages


def transition_links(user: Any, case: Case) -> list[dict[str, str]]:
    """The buttons on the case page: one per step this person may take now, de-duplicated by page."""
    links: list[dict[str, str]] = []
    seen: set[str] = set()
    for transition in available_transitions(user, case):
        if transition.name in _pages:
            url = reverse(_pages[transition.name], args=[case.reference])
        else:
            url = reverse("cases:transition", args=[case.reference, transition.name])
        if url in seen:
            continue
        seen.add(url)
        links.append({"label": transition.label, "url": url, "name": transition.name})
    return links
