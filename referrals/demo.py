"""Demo referrals for the invented Northshire partnership: cases at referral, triage and
notification, and a half-finished draft for the practitioner. Every name here is made up.

Dates are relative to today so the clocks show something realistic whenever the demo is seeded.
Its six referrals take the year's next references after the deadline demo's, which run first.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from cases.models import Case
from clocks.calendar import holiday_dates
from core.workdays import subtract_working_days
from referrals.models import Referral, ReferralChild, TriageDecisionKind
from referrals.services.sin import SinAnswers, sin_record
from referrals.services.submit import referral_submit
from referrals.services.triage import TriageAnswers, triage_record


def _referral(
    world: Any, *, user: str, agency: int, incident: date, aware: date, child: dict[str, Any], **extra: Any
) -> Referral:
    agencies = world.agencies
    answers: dict[str, Any] = {
        "referrer_phone": "01632 960123",
        "lead_agreed": "yes",
        "lead_name": "Harriet Quillon" if agency == 3 else "Saoirse Penhallow",
        "lead_agreed_on": aware,
        "incident_date": incident,
        "la_aware_on": aware,
        "place": "Hollowbrook",
        "location": "in_area",
        "what_happened": "Brought to the emergency department with injuries the family could not explain.",
        "outcome": "serious_harm",
        "category": "nai",
        "abuse_neglect": "suspected",
        "abuse_neglect_reason": "The injuries do not match the account given; a sibling disclosed being hit.",
        "other_children": "yes",
        "other_children_details": "A brother, aged 7",
        "parallel_processes": ["police", "care"],
        "safety_actions": "Strategy discussion held the same day; both children are staying with their grandmother.",
    }
    answers.update(extra)
    referral = Referral.objects.create(
        partnership=world.partnership, created_by=world.users[user], agency=agencies[agency], **answers
    )
    referral.agencies.set([agencies[agency], agencies[0], agencies[1]])
    defaults = {
        "born": "yes",
        "sex": "female",
        "ethnicity": "white",
        "disability": "no",
        "home_area": "Hollowbrook",
        "home_local_authority": "Northshire Council",
        "looked_after": "no",
        "care_leaver": "no",
        "child_protection_plan": "no",
        "child_in_need": "yes",
    }
    ReferralChild.objects.create(referral=referral, position=1, **{**defaults, **child})
    return referral


def _sent_on(referral: Referral, day: date) -> Case:
    """The referral was sent on the day the LA became aware, not at the moment of seeding: its case
    and referral say so, as the partners' later decision does."""
    when = timezone.make_aware(datetime.combine(day, time(9, 40)))
    Referral.objects.filter(pk=referral.pk).update(submitted_at=when)
    Case.objects.filter(referral=referral).update(created_at=when)
    return Case.objects.get(referral=referral)


def _triage(world: Any, case: Case, on: date, decision: str = TriageDecisionKind.NOTIFY, **extra: Any) -> None:
    answers = TriageAnswers(
        meeting_date=on,
        attendee_la="Lorcan Ashdown",
        attendee_icb="Imogen Carraway",
        attendee_police="Dominic Feltham",
        abuse_or_neglect=extra.get("abuse_or_neglect", "yes"),
        death_or_serious_harm="yes",
        decision=decision,
        rationale=extra.get("rationale", "Both criteria are met: abuse suspected and serious harm."),
        local_learning_review=extra.get("local_learning_review", False),
    )
    triage_record(case=case, actor=world.users["delegate.la"], expected_version=case.version, answers=answers)


def seed(world: Any) -> None:
    holidays = holiday_dates()
    today = timezone.localdate()

    def back(n: int) -> date:
        return subtract_working_days(today, n, holidays)

    practitioner_child = {"first_name": "Elowen", "last_name": "Marchetti", "date_of_birth": date(2021, 5, 14)}
    # 1. Just referred: the SIN clock is running and the partners have yet to decide.
    referred = _referral(
        world, user="practitioner", agency=3, incident=back(2), aware=back(1), child=practitioner_child
    )
    referral_submit(referral_id=referred.pk, actor=world.users["practitioner"])
    _sent_on(referred, back(1))
    # 2. A second referral of the same child by the school: flagged as a possible duplicate.
    duplicate = _referral(
        world,
        user="lead.school",
        agency=7,
        incident=back(2),
        aware=back(1),
        child=practitioner_child,
        what_happened="Told by her brother that she had been taken to hospital.",
    )
    referral_submit(referral_id=duplicate.pk, actor=world.users["lead.school"])
    _sent_on(duplicate, back(1))
    # 3. Decided to notify: waiting for the LA notifier.
    to_notify = _referral(
        world,
        user="practitioner",
        agency=3,
        incident=back(4),
        aware=back(3),
        child={
            "first_name": "Caspian",
            "last_name": "Oyelaran",
            "sex": "male",
            "ethnicity": "black",
            "date_of_birth": date(2025, 9, 2),
        },
    )
    referral_submit(referral_id=to_notify.pk, actor=world.users["practitioner"])
    case = _sent_on(to_notify, back(3))
    _triage(world, case, back(2))
    # 4. Notified: the SIN went in time and the rapid review clocks are running.
    notified = _referral(
        world,
        user="practitioner",
        agency=3,
        incident=back(8),
        aware=back(7),
        child={"first_name": "Wren", "last_name": "Tallis-Okafor", "date_of_birth": date(2012, 1, 30)},
        category="neglect",
    )
    referral_submit(referral_id=notified.pk, actor=world.users["practitioner"])
    case = _sent_on(notified, back(7))
    _triage(world, case, back(6))
    case.refresh_from_db()
    submitted = timezone.make_aware(datetime.combine(back(4), time(11, 20)))
    sin_record(
        case=case,
        actor=world.users["notifier"],
        expected_version=case.version,
        answers=SinAnswers(
            submitted_at=submitted,
            panel_reference="SIN-2026-10417",
            submitted_by="Nadia Fenwright",
            children=notified.children_list(),
            other_partnerships=[("Southmoor Safeguarding Children Partnership", back(4))],
        ),
    )
    # 5. Decided not to notify: a local learning review instead.
    not_notified = _referral(
        world,
        user="lead.school",
        agency=7,
        incident=back(15),
        aware=back(14),
        child={"first_name": "Milo", "last_name": "Brightwater", "sex": "male", "date_of_birth": date(2014, 7, 9)},
        category="other",
        category_other="Self-harm at school",
        abuse_neglect="not_suspected",
        abuse_neglect_reason="No concerns about care at home are known.",
    )
    referral_submit(referral_id=not_notified.pk, actor=world.users["lead.school"])
    case = _sent_on(not_notified, back(14))
    _triage(
        world,
        case,
        back(13),
        decision=TriageDecisionKind.NOT_NOTIFY,
        abuse_or_neglect="no",
        local_learning_review=True,
        rationale="Serious harm, but no abuse or neglect known or suspected. Learning for schools: local learning review.",
    )
    # 6. A looked-after child's death: to the Secretary of State and Ofsted, and the Panel.
    lac = _referral(
        world,
        user="practitioner",
        agency=3,
        incident=back(3),
        aware=back(3),
        child={
            "first_name": "Juniper",
            "last_name": "Ashcombe",
            "date_of_birth": date(2010, 11, 3),
            "looked_after": "yes",
        },
        outcome="died",
        date_of_death=back(3),
        category="suicide",
    )
    referral_submit(referral_id=lac.pk, actor=world.users["practitioner"])
    case = _sent_on(lac, back(3))
    _triage(world, case, back(1))
    # A half-finished draft: the practitioner stopped at the child's details.
    draft = Referral.objects.create(
        partnership=world.partnership,
        created_by=world.users["practitioner"],
        agency=world.agencies[3],
        referrer_phone="01632 960123",
        lead_agreed="yes",
        lead_name="Harriet Quillon",
        lead_agreed_on=today,
        incident_date=today - timedelta(days=1),
        la_aware_on=today,
        place="Northshire General Hospital",
        location="in_area",
        what_happened="A baby was brought in unresponsive; recovering on the ward.",
        outcome="serious_harm",
        category="nai",
    )
    ReferralChild.objects.create(referral=draft, position=1, first_name="Tobiah", last_name="Quennell")
