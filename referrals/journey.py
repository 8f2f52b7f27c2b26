"""Which form and URL each page of the journey has: the glue between steps.py and the views."""

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.urls import reverse

from accounts.models import User
from partnerships.models import Agency
from referrals.forms.base import StepForm
from referrals.forms.children import ChildForm, ChildStatusForm
from referrals.forms.refer import AboutYouForm, AgenciesForm
from referrals.models import Referral
from referrals.policies import agencies_to_refer_for
from referrals.services.drafts import next_child_position, referral_child
from referrals.steps import STEPS


@dataclass
class Page:
    slug: str
    title: str
    form: StepForm


def child_slug_parts(slug: str) -> tuple[int, bool] | None:
    """'child-2' -> (2, False); 'child-2-status' -> (2, True); anything else -> None."""
    parts = slug.split("-")
    if len(parts) in (2, 3) and parts[0] == "child" and parts[1].isdigit():
        if len(parts) == 3 and parts[2] != "status":
            return None
        return int(parts[1]), len(parts) == 3
    return None


def build_page(referral: Referral, slug: str, user: User, data: Any = None) -> Page:
    """The form for one page, bound to `data` when given; 404 for a page that does not exist."""
    child_parts = child_slug_parts(slug)
    if child_parts is not None:
        position, status = child_parts
        if position < 1 or position > next_child_position(referral):
            raise Http404("No such child")
        child = referral_child(referral=referral, position=position, create=True)
        assert child is not None
        if status:
            if child.pk is None:
                raise Http404("Add the child first")
            return Page(
                slug,
                f"{child.display_name}: contact with children's services",
                ChildStatusForm(data, instance=child, incident_date=referral.incident_date),
            )
        title = "About the child" if position == 1 else f"About child {position}"
        return Page(slug, title, ChildForm(data, instance=child, incident_date=referral.incident_date))
    step = STEPS.get(slug)
    if step is None:
        raise Http404("No such question")
    kwargs: dict[str, Any] = {}
    if step.form is AboutYouForm:
        kwargs["agencies"] = agencies_to_refer_for(user, referral.partnership_id)
    if step.form is AgenciesForm:
        kwargs["agencies"] = Agency.objects.filter(partnership_id=referral.partnership_id, active=True)
    return Page(slug, step.title, step.form(data, instance=referral, **kwargs))


def page_url(referral: Referral, slug: str) -> str:
    if slug == "check":
        return reverse("referrals:check", args=[referral.pk])
    if slug == "children":
        return reverse("referrals:children", args=[referral.pk])
    return reverse("referrals:step", args=[referral.pk, slug])
