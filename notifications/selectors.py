"""A person's own messages: everything the service sent them, also read in the service."""

from typing import Any

from django.db.models import QuerySet

from notifications.models import Message


def messages_for(user: Any) -> QuerySet[Message]:
    return Message.objects.filter(recipient=user).select_related("case").order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    return Message.objects.filter(recipient=user, read_at__isnull=True).count()
