"""Template filters for the referral lists."""

from django import template

from cases.models import CaseState

register = template.Library()


@register.filter
def case_state_tag(state: str) -> str:
    """The colour of a case's state in the referral lists: waiting for triage is blue, decided not
    to notify grey, and notified (or further on) green."""
    if state == CaseState.REFERRED:
        return "govuk-tag--blue"
    if state == CaseState.NOT_NOTIFIED:
        return "govuk-tag--grey"
    return "govuk-tag--green"
