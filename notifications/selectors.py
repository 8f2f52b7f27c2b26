"""A person's own messages: everything the service sent them, also read in the service."""

from django.db.models import QuerySet

from accounts.models import User
from core.request_context import remembered
from notifications.models import Message


def messages_for(user: User) -> QuerySet[Message]:
    """The person's messages, newest first (those they may see: notifications.policies)."""
    from notifications.policies import messages_visible_to

    return messages_visible_to(user).select_related("case").order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """How many of the person's messages are new (once for a page that only reads: the navigation
    and the home page's messages both show it)."""
    return remembered(("unread_count", user.pk), lambda: messages_for(user).filter(read_at__isnull=True).count())
