"""What the URL walk checks beyond who gets in: that a page showing a case leaves exactly one read
event in the ledger, and that a view answers 405 to every method it does not serve.

Used by `test_url_access.py`; the rule fields it reads (`shows_case`, `read_verbs`) are described in
`url_access.py`.
"""

from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from audit.models import AuditEvent
from audit.reads import READ_VERBS
from core.http import allow_header, allowed_methods, declared_methods
from core.tests.url_access import Rule

# Methods no view serves; each URL is sent every one of them, and GET or POST where its view does
# not serve that either.
UNSERVED = ("OPTIONS", "TRACE", "PROPFIND", "PUT", "PATCH", "DELETE")


def views(patterns: list[Any] | None = None, namespace: str = "") -> list[tuple[str, Callable[..., Any]]]:
    """(qualified name, view) for every URL pattern, through every include."""
    found: list[tuple[str, Callable[..., Any]]] = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            found.extend(views(entry.url_patterns, f"{namespace}{entry.namespace}:" if entry.namespace else namespace))
        elif isinstance(entry, URLPattern):
            found.append((f"{namespace}{entry.name}", entry.callback))
    return found


def shows_case(rule: Rule, params: set[str]) -> bool:
    return rule.shows_case if rule.shows_case is not None else "reference" in params


def read_problem(rule: Rule, response: Any, case: Any) -> str | None:
    """For a 2xx answer showing the case: exactly one read event for it, written by that request,
    of the verb the rule expects (VIEW for a page). None when it is so."""
    verbs = sorted(
        AuditEvent.objects.filter(request_id=response["X-Request-ID"], case=case, verb__in=READ_VERBS).values_list(
            "verb", flat=True
        )
    )
    if len(verbs) == 1 and verbs[0] in rule.read_verbs:
        return None
    expected = " or ".join(sorted(rule.read_verbs))
    return f"expected one {expected} event for {case.reference} in the ledger, found {verbs or 'none'}"


def method_problems(
    rule: Rule, url: str, client: Client, get_status: int | None, case: Any, case_shown: bool
) -> list[str]:
    """As someone who gets the page: 405 with the view's `Allow` for every method it does not serve;
    HEAD answers as GET did and is audited like it."""
    view = resolve(url).func
    served = allowed_methods(view)
    problems = [] if declared_methods(view) else ["  its view declares no methods: decorate it with core.http.serves"]
    for method in (*UNSERVED, "GET", "POST"):
        if method in served:
            continue
        response = client.generic(method, url)
        if response.status_code != 405 or response.get("Allow") != allow_header(served):
            problems.append(f"  {method}: expected 405 (Allow: {allow_header(served)}), got {response.status_code}")
    if "HEAD" in served and get_status is not None:
        response = client.head(url)
        if response.status_code != get_status:
            problems.append(f"  HEAD: expected {get_status} as for GET, got {response.status_code}")
        elif case_shown and 200 <= get_status < 300 and (problem := read_problem(rule, response, case)):
            problems.append(f"  HEAD: {problem}")
    return problems
