"""The service navigation each person sees: the links their home page's door gives them."""

from typing import Any

from django.urls import reverse

from accounts.selectors import partnership_names
from portal.policies import home_checker


def nav_items(user: Any) -> list[dict[str, str]]:
    who = home_checker(user)
    items: list[dict[str, str]] = []
    if who.has_case_list:
        items.append({"key": "cases", "label": "Cases", "url": reverse("cases:list")})
    if who.refers:
        items.append({"key": "referrals", "label": "Your referrals", "url": reverse("referrals:list")})
    if who.invites:
        items.append({"key": "people", "label": "People", "url": reverse("accounts:invitations")})
    from notifications.selectors import unread_count

    unread = unread_count(user)
    label = f"Messages ({unread} new)" if unread else "Messages"
    items.append({"key": "messages", "label": label, "url": reverse("notifications:inbox")})
    return items


def navigation(request: Any) -> dict[str, Any]:
    """Worked out once per request: a page that renders its sections separately (the case page)
    runs the context processors for each of them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached: dict[str, Any] | None = getattr(request, "_navigation", None)
    if cached is None:
        cached = {"nav_items": nav_items(user), "partnership_name": ", ".join(partnership_names(user))}
        request._navigation = cached
    return cached
