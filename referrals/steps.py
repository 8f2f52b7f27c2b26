"""The order of the question pages, which apply to a given draft, and what is still missing.

Pages are keyed by slug. Child pages carry the child's position: `child-2`, `child-2-status`.
A page applies only when its question does (the date of death only for a death; a child's status
page only once the child exists).
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.forms.phone import UK_PHONE_ERROR, is_uk_phone_number
from referrals.forms import refer
from referrals.forms.base import StepForm
from referrals.incident_criteria import SUDI_SURVIVED_ERROR, sudi_but_survived
from referrals.models import AbuseNeglect, Category, Referral, YesNo, YesNoUnknown


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    form: type[StepForm]
    applies: Callable[[Referral], bool] = lambda r: True


# Pages about the referral itself, in order; children's pages sit between "abuse" and "household".
BEFORE_CHILDREN = [
    Step("about-you", "About you", refer.AboutYouForm),
    Step("lead", "Your safeguarding lead's agreement", refer.LeadForm),
    Step("incident", "When and where it happened", refer.IncidentForm),
    Step("what-happened", "What happened", refer.WhatHappenedForm),
    Step("harm", "Death or serious harm", refer.HarmForm),
    Step("death", "Date of death", refer.DeathForm, lambda r: r.is_death),
    Step("abuse", "Abuse or neglect", refer.AbuseForm),
]
AFTER_CHILDREN = [
    Step("household", "Other children in the household", refer.HouseholdForm),
    Step("agencies", "Agencies involved", refer.AgenciesForm),
    Step("processes", "Other processes", refer.ProcessesForm),
    Step("safety", "Keeping children safe", refer.SafetyForm),
]
STEPS: dict[str, Step] = {s.slug: s for s in BEFORE_CHILDREN + AFTER_CHILDREN}


def sequence(referral: Referral) -> list[str]:
    """Every page this draft goes through, in order, ending with check answers."""
    slugs = [s.slug for s in BEFORE_CHILDREN if s.applies(referral)]
    positions = [c.position for c in referral.children_list()] or [1]
    for position in positions:
        slugs += [f"child-{position}", f"child-{position}-status"]
    slugs.append("children")
    slugs += [s.slug for s in AFTER_CHILDREN if s.applies(referral)]
    slugs.append("check")
    return slugs


def next_slug(referral: Referral, current: str) -> str:
    slugs = sequence(referral)
    if current in slugs:
        index = slugs.index(current)
        return slugs[min(index + 1, len(slugs) - 1)]
    return "check"


def previous_slug(referral: Referral, current: str) -> str | None:
    slugs = sequence(referral)
    if current in slugs and slugs.index(current) > 0:
        return slugs[slugs.index(current) - 1]
    return None


def problems(referral: Referral) -> list[tuple[str, str]]:
    """What is missing or wrong before the referral can be sent: (page slug, message)."""
    found: list[tuple[str, str]] = []

    def need(condition: object, slug: str, message: str) -> None:
        if not condition:
            found.append((slug, message))

    need(referral.agency_id, "about-you", "Select the agency you are referring for")
    need(referral.referrer_phone, "about-you", "Enter a telephone number")
    if referral.referrer_phone and not is_uk_phone_number(referral.referrer_phone):
        found.append(("about-you", UK_PHONE_ERROR))
    need(referral.lead_agreed, "lead", "Select yes if your agency's safeguarding lead has agreed this referral")
    if referral.lead_agreed == YesNo.NO:
        found.append(("lead", "Your agency's safeguarding lead must agree the referral before you send it"))
    if referral.lead_agreed == YesNo.YES:
        need(referral.lead_name and referral.lead_agreed_on, "lead", "Enter who agreed the referral and when")
    need(referral.incident_date, "incident", "Enter the date of the incident")
    need(referral.la_aware_on, "incident", "Enter the date the local authority became aware")
    need(referral.place and referral.location, "incident", "Enter where the incident happened")
    need(referral.what_happened, "what-happened", "Enter what happened")
    need(referral.outcome, "harm", "Select whether the child died or was seriously harmed")
    need(referral.category, "harm", "Select what kind of incident it was")
    if referral.category == Category.OTHER:
        need(referral.category_other, "harm", "Describe the kind of incident")
    if sudi_but_survived(referral.outcome, referral.category):
        need(referral.outcome_explanation.strip(), "harm", SUDI_SURVIVED_ERROR)
    if referral.is_death:
        need(referral.date_of_death, "death", "Enter the date of death")
    need(referral.abuse_neglect, "abuse", "Select whether abuse or neglect is known or suspected")
    if referral.abuse_neglect and referral.abuse_neglect != AbuseNeglect.NOT_SUSPECTED:
        need(referral.abuse_neglect_reason, "abuse", "Explain why abuse or neglect is known or suspected")
    children = referral.children_list()
    need(children, "child-1", "Add the child the referral is about")
    for child in children:
        slug = f"child-{child.position}"
        need(
            child.born and child.sex and child.ethnicity and child.disability,
            slug,
            f"Answer every question about {child.display_name}",
        )
        need(child.home_area and child.home_local_authority, slug, f"Enter where {child.display_name} lives")
        if child.born == YesNo.YES:
            need(child.date_of_birth, slug, f"Enter {child.display_name}'s date of birth")
        if child.date_of_birth and referral.incident_date and child.date_of_birth > referral.incident_date:
            found.append(
                (slug, f"{child.display_name}'s date of birth must be the same as or before the date of the incident")
            )
        status_ok = child.looked_after and child.child_protection_plan and child.child_in_need
        if child.may_be_care_leaver(referral.incident_date):
            status_ok = status_ok and child.care_leaver
        need(
            status_ok,
            f"{slug}-status",
            f"Answer the questions about {child.display_name}'s contact with children's services",
        )
    need(referral.other_children, "household", "Select whether there are other children in the household")
    if referral.other_children == YesNoUnknown.YES:
        need(referral.other_children_details, "household", "Enter the first names and ages of the other children")
    need(
        referral.pk and (referral.agencies.exists() or referral.other_agencies),
        "agencies",
        "Select the agencies involved",
    )
    need(referral.parallel_processes, "processes", "Select the other processes under way, or none of these")
    need(referral.safety_actions, "safety", "Enter what has been done to keep the children safe")
    if referral.incident_date and referral.la_aware_on and referral.la_aware_on < referral.incident_date:
        found.append(("incident", "Date the local authority became aware must be the same as or after the incident"))
    return found
