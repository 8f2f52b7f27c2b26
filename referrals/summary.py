"""The referral as summary-list sections: for check your answers and the case page."""

from datetime import date
from typing import Any

from referrals.journey import page_url
from referrals.models import Referral, ReferralChild


def _date(value: date | None) -> str:
    return value.strftime("%-d %B %Y") if value else ""


def _row(key: str, value: Any, url: str | None) -> dict[str, Any]:
    if isinstance(value, list):
        return {"key": key, "list_values": value, "value": "" if value else "Not answered", "change_url": url}
    return {"key": key, "value": value if value not in (None, "") else "Not answered", "change_url": url}


def _child_rows(referral: Referral, child: ReferralChild, editable: bool) -> list[dict[str, Any]]:
    about = page_url(referral, f"child-{child.position}") + "?return=check" if editable else None
    status = page_url(referral, f"child-{child.position}-status") + "?return=check" if editable else None
    born = "Not yet born" if child.is_unborn else _date(child.date_of_birth)
    age = child.age_on(referral.incident_date)
    if age is not None and not child.is_unborn:
        born += f" (aged {age} at the incident)"
    rows = [
        _row("Name", f"{child.first_name} {child.last_name}".strip(), about),
        _row("Date of birth", born, about),
        _row("Sex", child.get_sex_display(), about),
        _row("Ethnic group", child.get_ethnicity_display(), about),
        _row("Disability", child.get_disability_display(), about),
        _row("Home", ", ".join(x for x in [child.home_area, child.home_local_authority] if x), about),
        _row("Looked after", child.get_looked_after_display(), status),
    ]
    if child.may_be_care_leaver(referral.incident_date):
        rows.append(_row("Care leaver", child.get_care_leaver_display(), status))
    rows += [
        _row("Child protection plan", child.get_child_protection_plan_display(), status),
        _row("Child in need", child.get_child_in_need_display(), status),
    ]
    return rows


def referral_sections(referral: Referral, *, editable: bool) -> list[dict[str, Any]]:
    def url(slug: str) -> str | None:
        return page_url(referral, slug) + "?return=check" if editable else None

    category = referral.get_category_display()
    if referral.category_other:
        category += f": {referral.category_other}"
    incident = [
        _row("Date of the incident", _date(referral.incident_date), url("incident")),
        _row("Local authority aware", _date(referral.la_aware_on), url("incident")),
        _row("Where", ", ".join(x for x in [referral.place, referral.get_location_display()] if x), url("incident")),
        _row("What happened", referral.what_happened, url("what-happened")),
        _row("Death or serious harm", referral.get_outcome_display(), url("harm")),
    ]
    if referral.is_death:
        incident.append(_row("Date of death", _date(referral.date_of_death), url("death")))
    incident.append(_row("Kind of incident", category if referral.category else "", url("harm")))
    if referral.outcome_explanation:
        incident.append(_row("Why the kind of incident and the harm differ", referral.outcome_explanation, url("harm")))
    incident += [
        _row("Abuse or neglect", referral.get_abuse_neglect_display(), url("abuse")),
        _row("Why", referral.abuse_neglect_reason, url("abuse")),
    ]
    lead = referral.get_lead_agreed_display()
    if referral.lead_name:
        lead = f"{lead}: {referral.lead_name}, {_date(referral.lead_agreed_on)}"
    sections: list[dict[str, Any]] = [
        {
            "title": "Who is referring",
            "rows": [
                _row("Referrer", referral.created_by.display_name, None),
                _row("Agency", str(referral.agency) if referral.agency else "", url("about-you")),
                _row("Telephone", referral.referrer_phone, url("about-you")),
                _row("Safeguarding lead agreed", lead, url("lead")),
            ],
        },
        {"title": "The incident", "rows": incident},
    ]
    for child in referral.children_list():
        sections.append({"title": child.display_name, "rows": _child_rows(referral, child, editable)})
    agencies = [str(a) for a in referral.agencies.all()] if referral.pk else []
    if referral.other_agencies:
        agencies.append(referral.other_agencies)
    household = referral.get_other_children_display()
    if referral.other_children_details:
        household += f": {referral.other_children_details}"
    processes = referral.parallel_labels()
    sections.append(
        {
            "title": "Family, agencies and safety",
            "rows": [
                _row("Other children in the household", household, url("household")),
                _row("Agencies involved", agencies, url("agencies")),
                _row("Other processes", [p if p != "none" else "None" for p in processes], url("processes")),
                _row("Safety actions taken", referral.safety_actions, url("safety")),
            ],
        }
    )
    return sections
