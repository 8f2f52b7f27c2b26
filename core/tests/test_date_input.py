"""Whatever is typed into a GOV.UK date input gives a date or a GOV.UK message naming the
question, never an exception (a 500) and never a message about another field."""

import re
from datetime import date

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string

from core.forms import GOVUKDateField


class TwoDatesForm(forms.Form):
    incident = GOVUKDateField(label="Date of incident", past_only=True)
    aware = GOVUKDateField(label="Date the local authority became aware", past_only=True, required=False)


def errors_of(day: str, month: str, year: str, name: str = "incident") -> list[str]:
    form = TwoDatesForm({f"{name}_0": day, f"{name}_1": month, f"{name}_2": year})
    form.is_valid()
    return [str(message) for message in form.errors.get(name, [])]


JUNK = [
    ("1", "1", "99999999999"),  # the tester's year: date() overflowed
    ("1", "1", "9" * 5000),  # more digits than int() converts
    ("99999999999999999999", "1", "2020"),
    ("1", "99999999999999999999", "2020"),
    ("-1", "1", "2020"),
    ("1", "-1", "2020"),
    ("1", "1", "-2020"),
    ("+1", "1", "2020"),
    ("1", "1", "+2020"),
    ("١٢", "1", "2020"),  # Arabic-Indic digits, which int() accepts
    ("1", "١", "2020"),
    ("1", "1", "٢٠٢٠"),
    ("１", "1", "2020"),  # full-width digits
    ("1_0", "1", "2020"),  # int() takes underscores
    ("1", "1", "2_020"),
    ("1.5", "1", "2020"),
    ("1", "1", "2e3"),
    ("0x1", "1", "2020"),
    ("1 0", "1", "2020"),
    ("1\x00", "1", "2020"),
    ("🙂", "1", "2020"),
    ("1", "1", "20 20"),
    ("0", "1", "2020"),
    ("1", "0", "2020"),
    ("32", "1", "2020"),
    ("1", "13", "2020"),
]


@pytest.mark.parametrize(("day", "month", "year"), JUNK)
def test_junk_in_any_box_gives_a_govuk_message_not_an_exception(day: str, month: str, year: str) -> None:
    errors = errors_of(day, month, year)
    assert len(errors) == 1
    assert errors[0] in {
        "Date of incident must be a real date",
        "The year of the date of incident must include 4 numbers",
    }, errors


@time_machine.travel(date(2026, 11, 23))
def test_each_date_message_names_its_own_question() -> None:
    form = TwoDatesForm({"incident_0": "1", "incident_1": "2", "incident_2": "26", "aware_0": "2", "aware_1": "2"})
    form.is_valid()
    assert form.errors["incident"] == ["The year of the date of incident must include 4 numbers"]
    assert form.errors["aware"] == ["Date the local authority became aware must include a year"]
    assert errors_of("1", "2", "26", name="aware") == [
        "The year of the date the local authority became aware must include 4 numbers"
    ]


def test_a_year_too_long_is_told_it_needs_4_numbers() -> None:
    assert errors_of("1", "1", "99999999999") == ["The year of the date of incident must include 4 numbers"]
    assert errors_of("1", "1", "20261") == ["The year of the date of incident must include 4 numbers"]


def test_a_year_of_4_numbers_before_1900_is_told_the_real_reason() -> None:
    assert errors_of("1", "1", "0001") == ["Date of incident must be in 1900 or later"]
    assert errors_of("1", "1", "0000") == ["Date of incident must be in 1900 or later"]
    assert errors_of("1", "1", "1899") == ["Date of incident must be in 1900 or later"]


def test_spaces_around_the_numbers_and_leading_zeros_are_fine() -> None:
    form = TwoDatesForm({"incident_0": " 07 ", "incident_1": "\t03\u00a0", "incident_2": " 2025 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["incident"] == date(2025, 3, 7)


@pytest.mark.parametrize("month", ["March", "march", "MAR", "Mar", "3", "03"])
def test_a_month_can_be_typed_as_a_word(month: str) -> None:
    form = TwoDatesForm({"incident_0": "7", "incident_1": month, "incident_2": "2025"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["incident"] == date(2025, 3, 7)


def test_a_date_that_does_not_exist_is_not_real() -> None:
    assert errors_of("29", "2", "2025") == ["Date of incident must be a real date"]
    assert errors_of("31", "4", "2025") == ["Date of incident must be a real date"]
    assert errors_of("29", "2", "2024") == []


def boxes_in_error(html: str, name: str) -> list[str]:
    found = re.findall(rf'<input class="([^"]*)" id="id_{name}_(\d)"', html)
    return [index for classes, index in found if "govuk-input--error" in classes]


def test_only_the_box_that_is_missing_or_wrong_is_highlighted_and_the_summary_links_to_it() -> None:
    form = TwoDatesForm({"incident_0": "7", "incident_1": "", "incident_2": "2025", "aware_0": "7", "aware_1": "3"})
    form.is_valid()
    html = str(form)
    assert boxes_in_error(html, "incident") == ["1"]
    assert boxes_in_error(html, "aware") == ["2"]
    summary = render_to_string("govuk/forms/error_summary.html", {"form": form})
    assert '<a href="#id_incident_1">Date of incident must include a month</a>' in summary
    assert '<a href="#id_aware_2">Date the local authority became aware must include a year</a>' in summary


@time_machine.travel(date(2026, 11, 23))
def test_a_problem_with_the_date_as_a_whole_highlights_all_three_boxes() -> None:
    form = TwoDatesForm(
        {"incident_0": "x", "incident_1": "y", "incident_2": "2025", "aware_0": "1", "aware_1": "1", "aware_2": "2027"}
    )
    form.is_valid()
    html = str(form)
    assert boxes_in_error(html, "incident") == ["0", "1", "2"]  # more than one box wrong
    assert form.errors["aware"] == ["Date the local authority became aware must be today or in the past"]
    assert boxes_in_error(html, "aware") == ["0", "1", "2"]


def test_what_was_typed_is_kept_whatever_it_was() -> None:
    form = TwoDatesForm({"incident_0": "١٢", "incident_1": "<b>", "incident_2": "99999999999"})
    form.is_valid()
    html = str(form)
    assert 'value="١٢"' in html and 'value="&lt;b&gt;"' in html and 'value="99999999999"' in html
