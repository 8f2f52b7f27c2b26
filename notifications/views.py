from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.http import AuthenticatedHttpRequest
from audit.models import Verb
from audit.services import audit_record
from core.http import serves
from notifications.models import Message
from notifications.policies import get_message_for_user
from notifications.selectors import messages_for

PAGE_SIZE = 25


@serves("GET")
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(messages_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "nav": "messages"})


@serves("GET")
def message_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One of the person's own messages (anyone else's does not exist for them); reading it marks it
    read, and a message about a case is case data, so the read is audited."""
    message = get_message_for_user(request.user, pk)
    if message.read_at is None:
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=timezone.now())
    if message.case_id:
        audit_record(actor=request.user, verb=Verb.VIEW, target=message, case=message.case, details={"page": "message"})
    return render(request, "notifications/message.html", {"message": message, "nav": "messages"})
