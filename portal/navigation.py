"""The service navigation each person sees, from their roles."""

from typing import Any

from django.urls import reverse

from accounts.roles import CASE_LIST_ROLES, INVITING_ROLES, REFERRING_ROLES
from accounts.selectors import partnership_names, roles_of


def nav_items(user: Any) -> list[dict[str, str]]:
    roles = roles_of(user)
    items: list[dict[str, str]] = []
    if roles & CASE_LIST_ROLES:
        items.append({"key": "cases", "label": "Cases", "url": reverse("cases:list")})
    if roles & REFERRING_ROLES:
        items.append({"key": "referrals", "label": "Your referrals", "url": reverse("referrals:list")})
    if roles & INVITING_ROLES:
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
