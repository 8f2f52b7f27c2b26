"""The GOV.UK form renderer and the date field."""

import re
from datetime import date

import time_machine
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from core.forms import GOVUKDateField


class IncidentForm(forms.Form):
    title = forms.CharField(
        label="Pseudonym", help_text="For example, Child N", error_messages={"required": "Enter a pseudonym"}
    )
    incident_date = GOVUKDateField(label="Date of incident", past_only=True)
    kind = forms.ChoiceField(
        label="What happened",
        choices=[("death", "A child died"), ("harm", "A child was seriously harmed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select what happened"},
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea)


def date_data(day: str = "", month: str = "", year: str = "") -> dict[str, str]:
    return {"incident_date_0": day, "incident_date_1": month, "incident_date_2": year}


def errors_of(data: dict[str, str]) -> list[str]:
    form = IncidentForm(data)
    form.is_valid()
    return [str(message) for message in form.errors.get("incident_date", [])]


def test_each_field_has_a_label_hint_and_described_by_its_hint_and_error() -> None:
    form = IncidentForm({"title": "", **date_data("1", "2", "2026"), "notes": "Typed <b>notes</b>"})
    form.is_valid()
    html = str(form)
    assert '<label class="govuk-label" for="id_title">Pseudonym</label>' in html
    assert '<div id="id_title-hint" class="govuk-hint">For example, Child N</div>' in html
    assert re.search(r'<input[^>]*aria-describedby="id_title-hint id_title-error"[^>]*>', html)
    assert (
        '<p id="id_title-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter a pseudonym</p>'
        in html
    )
    assert "govuk-input--error" in html and "govuk-form-group--error" in html
    # Typed text is kept, escaped.
    assert "Typed &lt;b&gt;notes&lt;/b&gt;" in html
    # Radios and dates are fieldsets with legends, described by their error.
    assert re.search(r'<fieldset class="govuk-fieldset" aria-describedby="id_kind-error">', html)
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">What happened</legend>' in html
    assert 'role="group"' in html and 'for="id_incident_date_0">Day</label>' in html


def test_the_error_summary_links_each_error_to_its_field() -> None:
    form = IncidentForm({})
    form.is_valid()
    summary = render_to_string("govuk/forms/error_summary.html", {"form": form})
    assert "There is a problem" in summary and 'role="alert"' in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert links == [
        ("id_title", "Enter a pseudonym"),
        ("id_incident_date_0", "Enter the date of incident"),
        ("id_kind_0", "Select what happened"),
    ]
    html = str(form)
    for anchor, _ in links:
        assert f'id="{anchor}"' in html


def test_a_field_with_several_errors_has_one_error_element(client: Client, db: None) -> None:
    class PasswordForm(forms.Form):
        password = forms.CharField(label="Password")

        def clean_password(self) -> str:
            raise forms.ValidationError(["This password is too short", "This password is too common"])

    form = PasswordForm({"password": "abc"})
    form.is_valid()
    html = str(form)
    assert html.count('id="id_password-error"') == 1
    assert "This password is too short" in html and "This password is too common" in html


def test_a_page_with_errors_puts_error_in_the_title_and_the_summary_first(client: Client, db: None) -> None:
    response = client.post(reverse("accounts:sign_in"), {"username": "", "password": ""})
    html = response.content.decode()
    assert re.search(r"<title>Error: Sign in - ", html)
    main = html[html.index('<main class="govuk-main-wrapper"') :]
    assert main.index("govuk-error-summary") < main.index("<h1")
    assert '<a href="#id_username">Enter your email address</a>' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    clean = client.get(reverse("accounts:sign_in")).content.decode()
    assert "<title>Error:" not in clean and "govuk-error-summary" not in clean


@time_machine.travel(date(2026, 11, 23))
def test_the_date_field_speaks_govuk() -> None:
    assert errors_of(date_data()) == ["Enter the date of incident"]
    assert errors_of(date_data("1", "", "2026")) == ["Date of incident must include a month"]
    assert errors_of(date_data("", "", "2026")) == ["Date of incident must include a day and month"]
    assert errors_of(date_data("31", "2", "2026")) == ["Date of incident must be a real date"]
    assert errors_of(date_data("x", "2", "2026")) == ["Date of incident must be a real date"]
    assert errors_of(date_data("1", "2", "26")) == ["The year of the date of incident must include 4 numbers"]
    assert errors_of(date_data("1", "2", "1890")) == ["Date of incident must be in 1900 or later"]
    assert errors_of(date_data("24", "11", "2026")) == ["Date of incident must be today or in the past"]
    assert errors_of(date_data("23", "11", "2026")) == []
    form = IncidentForm({"title": "Child N", "kind": "death", **date_data(" 7 ", "3", "2025")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["incident_date"] == date(2025, 3, 7)


def test_a_bad_date_keeps_what_was_typed() -> None:
    form = IncidentForm(date_data("31", "2", "2026"))
    form.is_valid()
    html = str(form)
    assert 'name="incident_date_0" type="text" inputmode="numeric" value="31"' in html
    assert 'value="2026"' in html


def test_an_initial_date_fills_the_three_boxes() -> None:
    html = str(IncidentForm(initial={"incident_date": date(2025, 3, 7)}))
    assert 'id="id_incident_date_0" name="incident_date_0" type="text" inputmode="numeric" value="7"' in html
    assert 'value="2025"' in html
