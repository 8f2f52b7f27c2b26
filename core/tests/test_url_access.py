"""The one door: every URL pattern, as every persona and as nobody, answers as the table says.

A URL whose name is not in core/tests/url_access.py fails here, so no new view escapes the door.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Invitation, hash_token
from accounts.roles import Role
from cases.models import Case
from conftest import PERSONAS, World, build_world, client_with_session, kept_for_the_module, signed_in_session
from core.http import declared_methods
from core.tests.url_access import PERSONA_ROLES, RULES, SOUTH_PERSONAS, Outcome, Rule
from core.tests.url_checks import method_problems, read_problem, shows_case, views
from documents.models import Document
from documents.services import document_store


def walk(patterns: list[Any], namespace: str = "", route: str = "") -> list[tuple[str, str, set[str]]]:
    """(qualified name, route, parameter names) for every pattern, through every include."""
    found: list[tuple[str, str, set[str]]] = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(walk(entry.url_patterns, ns, route + str(entry.pattern)))
        elif isinstance(entry, URLPattern):
            params = set(entry.pattern.converters) if hasattr(entry.pattern, "converters") else set()
            name = f"{namespace}{entry.name}" if entry.name else f"<unnamed {route}{entry.pattern}>"
            found.append((name, route + str(entry.pattern), params))
    return found


ALL_URLS = walk(get_resolver().url_patterns)
ALL_NAMES = sorted({name for name, _, _ in ALL_URLS})


@dataclass
class Ctx:
    world: World
    case: Case
    document: Document
    invitation: Invitation
    invitation_token: str
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> a signed-in session's key
    made: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        """Makes an object the first time a rule's kwargs ask for it, then reuses it."""
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]


@pytest.fixture(scope="module")
def walk_world(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[Ctx]:
    """The world, its document and invitation, and a signed-in session for every persona: made
    once for this module (conftest.kept_for_the_module), not once per URL. Each test's requests
    are rolled back after it, sessions included, so every URL meets the same world."""
    storages: dict[str, dict[str, Any]] = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path_factory.mktemp("walk"))}},
    }
    with override_settings(STORAGES=storages):
        yield from kept_for_the_module(django_db_blocker, make_walk_world)


@pytest.fixture
def ctx(walk_world: Ctx, db: Any) -> Ctx:
    """This test's view of the module's world, with its own objects made on demand (`once`)."""
    return replace(walk_world, made={})


def make_walk_world() -> Ctx:
    world = build_world()
    case = world.cases["north"]
    document = document_store(
        case=case,
        actor=world.people["coordinator"],
        title="Chronology",
        name="chronology.txt",
        data=b"An invented chronology.\n",
        content_type="text/plain",
    )
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        email="new.person@example.test",
        first_name="Newt",
        last_name="Person",
        partnership=world.north,
        role=Role.PRACTITIONER,
        agency=world.agencies["school"],
        token_hash=hash_token(token),
        invited_by=world.people["coordinator"],
        expires_at=Invitation.default_expiry(),
    )
    sessions = {persona: signed_in_session(user) for persona, user in world.people.items()}
    return Ctx(
        world=world, case=case, document=document, invitation=invitation, invitation_token=token, sessions=sessions
    )


def classify(response: Any) -> Outcome | None:
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "").split("?")[0]
        return Outcome.SIGN_IN if location == reverse("accounts:sign_in") else Outcome.PAGE
    if 200 <= status < 300:
        return Outcome.PAGE
    return {403: Outcome.FORBIDDEN, 404: Outcome.NOT_FOUND}.get(status)


def url_for(name: str, params: set[str], rule: Rule, ctx: Ctx, reference: str) -> str:
    kwargs = rule.kwargs(ctx) if rule.kwargs else {}
    if "reference" in params:
        kwargs["reference"] = reference
    missing = params - set(kwargs)
    assert not missing, f"{name}: give kwargs for {sorted(missing)} in core/tests/url_access.py"
    return reverse(name, kwargs=kwargs)


def client_as(persona: str | None, ctx: Ctx) -> Client:
    return Client() if persona is None else client_with_session(ctx.sessions[persona])


def request_as(persona: str | None, ctx: Ctx, rule: Rule, url: str) -> Any:
    client = client_as(persona, ctx)
    return client.post(url) if rule.method == "post" else client.get(url)


def test_every_url_pattern_is_in_the_access_table() -> None:
    missing = [name for name in ALL_NAMES if name not in RULES]
    assert not missing, (
        f"These URLs have no rule in core/tests/url_access.py: {missing}. Add one (see the note at the top of "
        "that file) saying who may open them, so the URL-access walk checks the view's door."
    )


def test_the_access_table_names_no_url_that_no_longer_exists() -> None:
    stale = sorted(set(RULES) - set(ALL_NAMES))
    assert not stale, f"Remove these rules from core/tests/url_access.py; no URL has the name: {stale}"


def test_the_table_knows_every_persona_of_the_world() -> None:
    assert set(PERSONA_ROLES) == set(PERSONAS)
    assert all(PERSONAS[key][1] == role for key, role in PERSONA_ROLES.items())


def test_every_view_declares_the_methods_it_serves() -> None:
    """So that the walk below can send it every other method and expect 405 (core.http)."""
    undeclared = sorted(name for name, view in views() if declared_methods(view) is None)
    assert not undeclared, f"Decorate these views with core.http.serves(...): {undeclared}"


@pytest.mark.parametrize(("name", "route", "params"), ALL_URLS, ids=[name for name, _, _ in ALL_URLS])
def test_each_url_answers_every_persona_as_the_table_says(ctx: Ctx, name: str, route: str, params: set[str]) -> None:
    """Who gets in; that each page showing the case left exactly one read event for it (the door
    records it, so a new page cannot forget); and, as the last persona who gets the page, that
    every method the view does not serve answers 405 and HEAD answers and is audited like GET."""
    rule = RULES.get(name)
    if rule is None:
        pytest.fail(f"{name} ({route}) is not in core/tests/url_access.py: add a rule for it")
    url = url_for(name, params, rule, ctx, ctx.case.reference)
    case_shown = shows_case(rule, params)
    wrong = []
    last_seer: tuple[Client, int | None] | None = None
    for persona in [None, *PERSONAS]:
        client = client_as(persona, ctx)
        response = client.post(url) if rule.method == "post" else client.get(url)
        got = classify(response)
        if got is Outcome.PAGE and rule.ok_statuses and response.status_code not in (rule.ok_statuses | {200, 302}):
            got = None
        if got is None and response.status_code in rule.ok_statuses:
            got = Outcome.PAGE
        expected = rule.expect(persona)
        if got is not expected:
            wrong.append(f"  {persona or 'anonymous'}: expected {expected.value}, got {response.status_code}")
        elif (
            rule.method == "get"
            and case_shown
            and 200 <= response.status_code < 300
            and (problem := read_problem(rule, response, ctx.case))
        ):
            wrong.append(f"  {persona or 'anonymous'}: {problem}")
        if expected is Outcome.PAGE:
            last_seer = (client, response.status_code if rule.method == "get" else None)
    if last_seer is not None:
        wrong += method_problems(rule, url, last_seer[0], last_seer[1], ctx.case, case_shown)
    assert not wrong, f"{rule.method.upper()} {url} ({name}):\n" + "\n".join(wrong)


CASE_URLS = [(name, route, params) for name, route, params in ALL_URLS if "reference" in params]


@pytest.mark.parametrize(("name", "route", "params"), CASE_URLS, ids=[name for name, _, _ in CASE_URLS])
def test_no_case_url_crosses_between_partnerships(ctx: Ctx, name: str, route: str, params: set[str]) -> None:
    """Southmoor's people get 404 on Northshire's case, and Northshire's people on Southmoor's."""
    rule = RULES.get(name)
    if rule is None:
        pytest.fail(f"{name} is not in core/tests/url_access.py")
    north_url = url_for(name, params, rule, ctx, ctx.case.reference)
    south_url = url_for(name, params, rule, ctx, ctx.world.cases["south"].reference)
    wrong = []
    for persona in SOUTH_PERSONAS:
        status = request_as(persona, ctx, rule, north_url).status_code
        if status != 404:
            wrong.append(f"  {persona} on {north_url}: {status}")
    for persona in set(PERSONAS) - SOUTH_PERSONAS:
        status = request_as(persona, ctx, rule, south_url).status_code
        if status != 404:
            wrong.append(f"  {persona} on {south_url}: {status}")
    assert not wrong, f"{name} lets people across partnerships (expected 404):\n" + "\n".join(wrong)


UNVERIFIED_EXEMPT = ("/sign-in", "/sign-out", "/signed-out", "/healthz", "/accessibility", "/cookies")


@pytest.mark.parametrize(("name", "route", "params"), ALL_URLS, ids=[name for name, _, _ in ALL_URLS])
def test_a_session_without_the_security_code_opens_no_page_but_sign_in(
    ctx: Ctx, name: str, route: str, params: set[str]
) -> None:
    """Two-factor authentication for every page: after the password alone, everything else sends
    the person to the code page."""
    rule = RULES.get(name)
    if rule is None:
        pytest.fail(f"{name} is not in core/tests/url_access.py")
    url = url_for(name, params, rule, ctx, ctx.case.reference)
    if url.startswith(UNVERIFIED_EXEMPT):
        return
    client = Client()
    client.force_login(ctx.world.people["coordinator"], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(url) if rule.method == "post" else client.get(url)
    assert response.status_code == 302, f"{name}: {response.status_code}"
    assert response["Location"] == reverse("accounts:two_factor_verify"), f"{name}: {response['Location']}"
