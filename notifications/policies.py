"""The one door to the messages the service sent: every "may this person see this" about them.

- A person reads their own messages, and those about a case only while they may still see the
  case (the case door's `cases_visible_to`); anyone else's message does not exist for them (404).
- A case's whole list of messages (the case page's Messages sub-page: whom the service told what)
  is its coordinator's (the case action VIEW_MESSAGES).
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from cases.models import Case
from cases.policies import CaseAction, can, cases_visible_to
from notifications.models import Message


def messages_visible_to(user: User) -> QuerySet[Message]:
    """The person's own messages; those about a case only while they may still see the case."""
    return Message.objects.filter(recipient=user).filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user)))


def get_message_for_user(user: User, pk: int) -> Message:
    """One of the person's own messages, with its case; else 404."""
    message = messages_visible_to(user).select_related("case").filter(pk=pk).first()
    if message is None:
        raise Http404("No such message")
    return message


def may_read_case_messages(user: User, case: Case) -> bool:
    """Every message the service sent about the case, whoever it went to."""
    return can(user, CaseAction.VIEW_MESSAGES, case)
