"""Where each workflow step is taken. A stage that records data with a step names its page
(`transition_pages=(TransitionPage("decide_notify", "referrals:triage"),)`); steps without one use
the generic confirmation page, which asks for a note and checks the case version."""

from typing import Any

from django.urls import reverse

from accounts.models import User
from cases import stage_registry
from cases.models import Case
from cases.workflow import available_transitions, closes_the_case


def has_own_page(name: str) -> bool:
    return stage_registry.transition_page(name) is not None


def transition_links(user: User, case: Case) -> list[dict[str, Any]]:
    """The buttons on the case page: one per step this person may take now, de-duplicated by page."""
    links: list[dict[str, Any]] = []
    seen: set[str] = set()
    for transition in available_transitions(user, case):
        page = stage_registry.transition_page(transition.name)
        if page is not None:
            url = reverse(page.url_name, args=[case.reference])
        else:
            url = reverse("cases:transition", args=[case.reference, transition.name])
        if url in seen:
            continue
        seen.add(url)
        links.append(
            {
                "label": (page.label if page is not None and page.label else transition.label),
                "url": url,
                "name": transition.name,
                "closes": closes_the_case(transition),
            }
        )
    return links
