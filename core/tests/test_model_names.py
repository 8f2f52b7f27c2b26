"""Every record the service keeps is named in words wherever it is shown (the case timeline, the
audit ledger, the admin): never Django's "PanelResponse object (4)"."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from audit.models import AuditEvent

PROJECT = Path(settings.BASE_DIR).resolve()


def project_models() -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if PROJECT not in path.parents or ".venv" in path.parts:
            continue
        found.extend(config.get_models())
    return found


def test_the_walk_finds_the_services_own_models() -> None:
    labels = {m._meta.label for m in project_models()}
    assert {"rapidreviews.PanelResponse", "cases.Case", "accounts.Invitation"} <= labels


@pytest.mark.parametrize("model", project_models(), ids=lambda m: m._meta.label)
def test_every_model_of_the_service_says_what_it_is(model: type[models.Model]) -> None:
    assert model.__str__ is not models.Model.__str__, f"{model._meta.label} has no __str__"


def test_an_event_recorded_before_the_names_is_shown_by_its_kind_not_its_number() -> None:
    old = AuditEvent(verb="create", target_type="rapidreviews.panelresponse", target_label="PanelResponse object (4)")
    assert old.target_display == "Panel response"
    named = AuditEvent(
        verb="create", target_type="rapidreviews.meeting", target_label="Rapid review meeting on 2026-12-10"
    )
    assert named.target_display == "Rapid review meeting on 2026-12-10"


@pytest.mark.parametrize(
    ("target_type", "kind"),
    [
        ("referrals.notification", "Serious incident notification"),
        ("rapidreviews.criterionnote", "Regulation 11 criterion"),
        ("rapidreviews.agencyreturn", "Agency summary"),
        ("rapidreviews.returnevent", "Summary event"),
    ],
)
def test_an_event_about_a_model_since_renamed_is_shown_by_its_kind_today(target_type: str, kind: str) -> None:
    """The ledger keeps the model name an event was written with: a renamed model is still found."""
    old = AuditEvent(verb="create", target_type=target_type, target_label=f"{target_type.split('.')[1]} object (4)")
    assert old.target_display == kind
