"""Who may open each URL: the table `test_url_access.py` walks as every persona.

HOW TO ADD A URL (the test fails with this hint when a url name is missing here):
1. Find the view's door: which `get_case_for_user(user, reference, CaseAction.X)` (or other policy)
   it calls, and whether it needs sign-in at all (only `@login_not_required` views are public).
2. Add `"<namespace>:<name>": Rule(<kind>)` to RULES below. Kinds:
   - PUBLIC: anyone, signed in or not, gets a page or a redirect (never 4xx/5xx);
   - SIGNED_IN: anonymous people are sent to sign in; every persona gets a page or a redirect;
   - CASE_VIEW: anonymous -> sign in; a persona who cannot see the case -> 404; the rest -> page;
   - case_action(CaseAction.X): as CASE_VIEW, then 403 for a persona whose roles may not take X
     (the roles are `cases.policies.ACTION_ROLES[X]`);
   - roles({Role.A, ...}): anonymous -> sign in; those roles -> page; everyone else -> 403;
   - or any callable (persona_key | None, world) -> Outcome for something special.
3. Give `method="post"` for POST-only views (they are sent an empty form), and `kwargs` (a
   function of the test context `Ctx`) when the URL takes parameters other than `reference`.
   `reference` is the Northshire case by default; `ctx.make(...)` helpers create objects.
4. `ok_statuses` widens what "gets a page" means for a view that legitimately answers otherwise
   when called with an empty form (for example 400 for a JSON endpoint).
5. Declare the view's methods with `core.http.serves("GET")`, `("GET", "POST")` or `("POST")`: the
   walk sends each URL every other method (and OPTIONS, TRACE, PROPFIND, PUT, PATCH, DELETE) as
   someone who gets the page and expects 405, and HEAD expecting what GET gave.
6. Reads are audited by the door: every 2xx GET (and HEAD) of a URL that shows the case (one with a
   `reference`, or `shows_case=True`) must leave exactly one read event for it in the ledger, VIEW
   unless `read_verbs` says the URL is a file (DOWNLOAD, EXPORT). Reach the case through
   `cases.policies.get_case_for_user` and this holds by itself.

The personas and which of them can see the Northshire case are written out independently below
(NORTH_CASE_SEERS), so a wrong visibility rule in cases/policies.py fails here too.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from accounts.roles import INVITING_ROLES, Role
from audit.models import Verb
from cases.policies import ACTION_ROLES, CaseAction


class Outcome(StrEnum):
    PAGE = "a page or a redirect (2xx/3xx, not to sign in)"
    SIGN_IN = "a redirect to sign in"
    FORBIDDEN = "403 Forbidden"
    NOT_FOUND = "404 Not found"


# Role of each persona of the root conftest world, and who can see the Northshire case
# "NSCP-2026-001" (referred by `practitioner` of the hospital; the hospital is involved).
PERSONA_ROLES: dict[str, Role] = {
    "practitioner": Role.PRACTITIONER,
    "other_practitioner": Role.PRACTITIONER,
    "lead_hospital": Role.AGENCY_LEAD,
    "lead_school": Role.AGENCY_LEAD,
    "lead_police": Role.AGENCY_LEAD,
    "coordinator": Role.COORDINATOR,
    "notifier": Role.LA_NOTIFIER,
    "delegate_la": Role.DELEGATE_LA,
    "delegate_icb": Role.DELEGATE_ICB,
    "delegate_police": Role.DELEGATE_POLICE,
    "scrutineer": Role.SCRUTINEER,
    "chair": Role.CHAIR,
    "reviewer": Role.REVIEWER,
    "admin": Role.ADMIN,
    "south_coordinator": Role.COORDINATOR,
    "south_lead": Role.AGENCY_LEAD,
}
SOUTH_PERSONAS = frozenset({"south_coordinator", "south_lead"})
NORTH_CASE_SEERS = frozenset(
    {
        "practitioner",
        "lead_hospital",
        "coordinator",
        "notifier",
        "delegate_la",
        "delegate_icb",
        "delegate_police",
        "scrutineer",
        "chair",
    }
)

Expect = Callable[[str | None], Outcome]


@dataclass(frozen=True)
class Rule:
    expect: Expect
    method: str = "get"
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    ok_statuses: frozenset[int] = field(default_factory=frozenset)
    # Does a 2xx answer show the walk's case? By default, when the URL takes a `reference`; say
    # True for a URL that reaches the case another way (a message about it).
    shows_case: bool | None = None
    # The one read event such an answer records for the case: VIEW for a page, DOWNLOAD or EXPORT for a file.
    read_verbs: frozenset[Verb] = frozenset({Verb.VIEW})


def PUBLIC(persona: str | None) -> Outcome:
    return Outcome.PAGE


def SIGNED_IN(persona: str | None) -> Outcome:
    return Outcome.SIGN_IN if persona is None else Outcome.PAGE


def CASE_VIEW(persona: str | None) -> Outcome:
    if persona is None:
        return Outcome.SIGN_IN
    return Outcome.PAGE if persona in NORTH_CASE_SEERS else Outcome.NOT_FOUND


def case_action(action: CaseAction) -> Expect:
    allowed = ACTION_ROLES[action]

    def expect(persona: str | None) -> Outcome:
        outcome = CASE_VIEW(persona)
        if outcome is not Outcome.PAGE or allowed is None or persona is None:
            return outcome
        return Outcome.PAGE if PERSONA_ROLES[persona] in allowed else Outcome.FORBIDDEN

    expect.__name__ = f"case_action({action.value})"
    return expect


def roles(allowed: frozenset[Role] | set[Role]) -> Expect:
    def expect(persona: str | None) -> Outcome:
        if persona is None:
            return Outcome.SIGN_IN
        return Outcome.PAGE if PERSONA_ROLES[persona] in allowed else Outcome.FORBIDDEN

    expect.__name__ = f"roles({sorted(allowed)})"
    return expect


def roles_on_north_case(allowed: set[Role]) -> Expect:
    """A part of the Northshire case for these roles only: other people who see the case get 403,
    written out here rather than read from cases.policies."""

    def expect(persona: str | None) -> Outcome:
        outcome = CASE_VIEW(persona)
        if outcome is not Outcome.PAGE or persona is None:
            return outcome
        return Outcome.PAGE if PERSONA_ROLES[persona] in allowed else Outcome.FORBIDDEN

    expect.__name__ = f"roles_on_north_case({sorted(allowed)})"
    return expect


def north_object_of_people(persona: str | None) -> Outcome:
    """An inviter's view of a Northshire invitation: Southmoor's inviters do not find it (404)."""
    outcome = roles(INVITING_ROLES)(persona)
    if outcome is Outcome.PAGE and persona in SOUTH_PERSONAS:
        return Outcome.NOT_FOUND
    return outcome


def _invitation(ctx: Any) -> dict[str, Any]:
    return {"pk": ctx.invitation.pk}


def _invitation_token(ctx: Any) -> dict[str, Any]:
    return {"token": ctx.invitation_token}


def _reset_link(ctx: Any) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "set-password"}


def _document(ctx: Any) -> dict[str, Any]:
    return {"reference": ctx.case.reference, "pk": ctx.document.pk}


# --- Journeys built on the foundation ------------------------------------------------------------


def owner_only(owner: str) -> Expect:
    """Something that belongs to one person (a referral draft): everyone else finds nothing (404)."""

    def expect(persona: str | None) -> Outcome:
        if persona is None:
            return Outcome.SIGN_IN
        return Outcome.PAGE if persona == owner else Outcome.NOT_FOUND

    expect.__name__ = f"owner_only({owner})"
    return expect


def _message(ctx: Any) -> dict[str, Any]:
    from notifications.models import Message

    def make() -> Any:
        coordinator = ctx.world.people["coordinator"]
        return Message.objects.create(
            case=ctx.case, recipient=coordinator, to_email=coordinator.email, subject="A reminder", body="Due soon"
        )

    return {"pk": ctx.once("message", make).pk}


def _transition(ctx: Any) -> dict[str, Any]:
    return {"name": GENERIC_TRANSITION}


def _generic_transition() -> str:
    from cases.steps import has_own_page
    from cases.workflow import transitions

    return next(name for name in transitions() if not has_own_page(name))


GENERIC_TRANSITION = _generic_transition()


def _transition_rule() -> Expect:
    from cases.workflow import transitions

    return case_action(transitions()[GENERIC_TRANSITION].action)


def _clock(ctx: Any) -> dict[str, Any]:
    from django.utils import timezone

    from clocks.models import ClockRule
    from clocks.services import clock_start

    clock = ctx.once(
        "clock",
        lambda: clock_start(
            case=ctx.case, rule=ClockRule.SIN, start_date=timezone.localdate(), actor=ctx.world.people["coordinator"]
        ),
    )
    return {"reference": ctx.case.reference, "pk": clock.pk, "action": "extend"}


def _bank_holiday(ctx: Any) -> dict[str, Any]:
    from datetime import date

    from clocks.models import BankHoliday

    holiday = ctx.once(
        "holiday",
        lambda: BankHoliday.objects.get_or_create(date=date(2031, 12, 25), defaults={"name": "Christmas Day"})[0],
    )
    return {"pk": holiday.pk}


def _closure_day(ctx: Any) -> dict[str, Any]:
    from datetime import date

    from clocks.models import ClosureDay

    closure = ctx.once(
        "closure",
        lambda: ClosureDay.objects.create(partnership=ctx.world.north, date=date(2031, 12, 27), name="Office closed"),
    )
    return {"pk": closure.pk}


def north_closure_keeper_object(persona: str | None) -> Outcome:
    """A Northshire closure day, kept by its coordinator or administrator: Southmoor's find nothing."""
    outcome = roles(CLOSURE_KEEPERS)(persona)
    if outcome is Outcome.PAGE and persona in SOUTH_PERSONAS:
        return Outcome.NOT_FOUND
    return outcome


# A partnership's own closure days are kept by its coordinator and its administrator.
CLOSURE_KEEPERS = frozenset({Role.COORDINATOR, Role.ADMIN})


def service_admin_only(persona: str | None) -> Outcome:
    """The England and Wales calendar: the service administrator's alone (no persona of the walk is
    one, not even a partnership's administrator; clocks/tests/test_service_calendar.py signs one in)."""
    return Outcome.SIGN_IN if persona is None else Outcome.FORBIDDEN


RULES: dict[str, Rule] = {
    # portal
    "portal:home": Rule(SIGNED_IN),
    # core
    "core:healthz": Rule(PUBLIC),
    "core:accessibility": Rule(PUBLIC),
    "core:cookies": Rule(PUBLIC),
    # accounts: signing in
    "accounts:sign_in": Rule(PUBLIC),
    "accounts:two_factor_verify": Rule(SIGNED_IN),
    "accounts:two_factor_setup": Rule(SIGNED_IN),
    "accounts:backup_codes": Rule(SIGNED_IN),
    "accounts:sign_out": Rule(PUBLIC, method="post"),
    "accounts:signed_out": Rule(PUBLIC),
    "accounts:account": Rule(SIGNED_IN),
    "accounts:regenerate_backup_codes": Rule(SIGNED_IN, method="post"),
    "accounts:keep_alive": Rule(SIGNED_IN, method="post"),
    "accounts:accept_invitation": Rule(PUBLIC, kwargs=_invitation_token),
    "accounts:password_reset": Rule(PUBLIC),
    "accounts:password_reset_sent": Rule(PUBLIC),
    "accounts:password_reset_confirm": Rule(PUBLIC, kwargs=_reset_link),
    "accounts:password_reset_complete": Rule(PUBLIC),
    # accounts: people
    "accounts:invitations": Rule(roles(INVITING_ROLES)),
    "accounts:invite": Rule(roles(INVITING_ROLES)),
    "accounts:cancel_invitation": Rule(north_object_of_people, method="post", kwargs=_invitation),
    "accounts:invitation_list": Rule(roles(INVITING_ROLES)),
    "accounts:person": Rule(north_object_of_people, kwargs=lambda ctx: {"pk": ctx.world.people["practitioner"].pk}),
    "accounts:give_role_to_person": Rule(
        north_object_of_people, kwargs=lambda ctx: {"pk": ctx.world.people["practitioner"].pk}
    ),
    "accounts:give_role": Rule(roles(INVITING_ROLES)),
    "accounts:give_role_role": Rule(roles(INVITING_ROLES)),
    "accounts:give_role_check": Rule(roles(INVITING_ROLES)),
    "accounts:give_role_done": Rule(roles(INVITING_ROLES)),
    "accounts:end_role": Rule(
        north_object_of_people, kwargs=lambda ctx: {"pk": ctx.world.people["practitioner"].memberships.get().pk}
    ),
    # cases
    "cases:list": Rule(SIGNED_IN),
    "cases:detail": Rule(CASE_VIEW),
    "cases:viewers": Rule(case_action(CaseAction.VIEW_VIEWERS)),
    # the case page's sub-pages (cases.panels tabs): the record's people, messages the coordinator only
    "cases:history": Rule(case_action(CaseAction.VIEW_RECORD)),
    "cases:deadlines": Rule(case_action(CaseAction.VIEW_RECORD)),
    "cases:referral": Rule(case_action(CaseAction.VIEW_RECORD)),
    "cases:documents": Rule(case_action(CaseAction.VIEW_RECORD)),
    "cases:messages": Rule(roles_on_north_case({Role.COORDINATOR})),
    # documents
    "documents:upload": Rule(case_action(CaseAction.UPLOAD_DOCUMENT)),
    "documents:download": Rule(
        case_action(CaseAction.DOWNLOAD_DOCUMENT), kwargs=_document, read_verbs=frozenset({Verb.DOWNLOAD})
    ),
    "cases:transition": Rule(_transition_rule(), kwargs=_transition),
    # notifications: a person's own messages; anyone else's do not exist for them
    "notifications:inbox": Rule(SIGNED_IN),
    "notifications:message": Rule(owner_only("coordinator"), kwargs=_message, shows_case=True),
    # clocks
    "clocks:due": Rule(SIGNED_IN),
    "clocks:change": Rule(case_action(CaseAction.MANAGE_CLOCKS), kwargs=_clock),
    "clocks:bank_holidays": Rule(service_admin_only),
    "clocks:bank_holiday_remove": Rule(service_admin_only, kwargs=_bank_holiday),
    "clocks:closure_days": Rule(roles(CLOSURE_KEEPERS)),
    "clocks:closure_day_remove": Rule(north_closure_keeper_object, kwargs=_closure_day),
    "clocks:settings": Rule(roles(CLOSURE_KEEPERS)),
}

# Each stage keeps its own rows beside its code (its `url_rules`, for example
# rapidreviews/tests/url_rules.py), found through the stage registry and merged here after the
# helpers above exist: the walk names no stage.
from cases.stage_registry import url_rules  # noqa: E402

RULES.update(url_rules())
