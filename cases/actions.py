"""Where each workflow step is taken. A journey that records data with a step registers its page
(`register_transition_page("decide_notify", "referrals:triage")`); steps without one use the
generic confirmation page, which asks for a note and checks the case version."""

from typing import Any

from django.urls import reverse

from cases.models import Case
from cases.workflow import available_transitions, closes_the_case

_pages: dict[str, str] = {}
_labels: dict[str, str] = {}


def register_transition_page(name: str, url_name: str, *, label: str = "") -> None:
    """`url_name` takes the case reference as its only argument. `label` names the button when the
    page does more than the step's own name says (the Panel's reply page may reopen the review)."""
    _pages[name] = url_name
    if label:
        _labels[name] = label


def has_own_page(name: str) -> bool:
    return name in _pages


def transition_links(user: Any, case: Case) -> list[dict[str, Any]]:
    """The buttons on the case page: one per step this person may take now, de-duplicated by page."""
    links: list[dict[str, Any]] = []
    seen: set[str] = set()
    for transition in available_transitions(user, case):
        if transition.name in _pages:
            url = reverse(_pages[transition.name], args=[case.reference])
        else:
            url = reverse("cases:transition", args=[case.reference, transition.name])
        if url in seen:
            continue
        seen.add(url)
        links.append(
            {
                "label": _labels.get(transition.name, transition.label),
                "url": url,
                "name": transition.name,
                "closes": closes_the_case(transition),
            }
        )
    return links
