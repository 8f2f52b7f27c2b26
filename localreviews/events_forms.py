"""The learning events' forms: planning or changing an event (with whom it invites: the
partnership's people, and anyone else by name and address), and recording who attended."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import BoundField

from core.forms import GOVUKDateField, VersionedForm, parse_time
from localreviews.events_models import Attendance, Invitee
from localreviews.events_services import EventDetails, Guest
from localreviews.terms_forms import MAX_ROWS, _posted_rows

SPARE_GUESTS = 2


class EventForm(VersionedForm):
    title = forms.CharField(
        label="Title",
        help_text="For example, Learning event: agencies working together",
        max_length=200,
        error_messages={"required": "Enter the title", "max_length": "Title must be 200 characters or fewer"},
    )
    date = GOVUKDateField(label="Date of the event", help_text="For example, 14 5 2026", future_only=True)
    start_time = forms.CharField(
        label="Start time",
        help_text="For example, 09:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": "Enter the start time"},
    )
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=180,
        min_value=15,
        max_value=600,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the length of the event",
            "invalid": "Length must be a number of minutes, like 180",
            "min_value": "Length must be at least 15 minutes",
            "max_value": "Length must be 600 minutes or fewer",
        },
    )
    place = forms.CharField(
        label="Place (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "Place must be 300 characters or fewer"},
    )
    online_link = forms.URLField(
        label="Online meeting link (optional)",
        required=False,
        max_length=200,
        error_messages={
            "invalid": "Enter the link in the correct format, like https://meet.example/abc",
            "max_length": "Online meeting link must be 200 characters or fewer",
        },
    )
    people = forms.MultipleChoiceField(
        label="Practitioners and agency leads of the partnership",
        help_text="Select everyone to invite who uses the service",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: Sequence[tuple[int, str]], guests: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["people"].choices = [(str(pk), label) for pk, label in people]
        self.guest_count = min(MAX_ROWS, max(guests + SPARE_GUESTS, _posted_rows(self.data, "guest", "_email")))
        for i in range(1, self.guest_count + 1):
            self.fields[f"guest{i}_name"] = forms.CharField(
                label=f"Name of person {i}",
                required=False,
                max_length=200,
                error_messages={"max_length": f"Name of person {i} must be 200 characters or fewer"},
            )
            self.fields[f"guest{i}_email"] = forms.EmailField(
                label=f"Email address of person {i}",
                required=False,
                max_length=254,
                error_messages={
                    "invalid": f"Enter the email address of person {i} in the correct format, like name@example.com",
                    "max_length": f"Email address of person {i} must be 254 characters or fewer",
                },
            )
            self.fields[f"guest{i}_role"] = forms.CharField(
                label=f"Job and organisation of person {i} (optional)",
                required=False,
                max_length=200,
                error_messages={"max_length": f"Job and organisation of person {i} must be 200 characters or fewer"},
            )
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def clean_start_time(self) -> dt.time:
        parsed = parse_time(self.cleaned_data.get("start_time", ""))
        if parsed is None:
            raise forms.ValidationError("Enter the start time in hours and minutes, for example 09:30")
        return parsed

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place") and not data.get("online_link") and "online_link" not in self.errors:
            self.add_error("place", "Enter the place or an online meeting link")
        for i in range(1, self.guest_count + 1):
            name, email = data.get(f"guest{i}_name", "").strip(), data.get(f"guest{i}_email", "")
            if email and not name:
                self.add_error(f"guest{i}_name", f"Enter the name of person {i}")
            elif (
                (name or data.get(f"guest{i}_role", "").strip()) and not email and f"guest{i}_email" not in self.errors
            ):
                self.add_error(f"guest{i}_email", f"Enter the email address of person {i}")
        if not data.get("people") and not self.guests() and not any(k.startswith("guest") for k in self.errors):
            self.add_error("people", "Invite at least one person: select someone, or give a name and email address")
        return data

    def guest_rows(self) -> list[list[BoundField]]:
        return [[self[f"guest{i}_{n}"] for n in ("name", "email", "role")] for i in range(1, self.guest_count + 1)]

    def guests(self) -> list[Guest]:
        data = getattr(self, "cleaned_data", {})
        return [
            Guest(data[f"guest{i}_name"].strip(), data[f"guest{i}_email"], data.get(f"guest{i}_role", "").strip())
            for i in range(1, self.guest_count + 1)
            if data.get(f"guest{i}_email") and data.get(f"guest{i}_name", "").strip()
        ]

    def details(self) -> EventDetails:
        d = self.cleaned_data
        return EventDetails(
            title=d["title"],
            date=d["date"],
            start_time=d["start_time"],
            duration_minutes=d["duration_minutes"],
            place=d["place"],
            online_link=d["online_link"],
        )


class AttendanceForm(VersionedForm):
    notes = forms.CharField(
        label="Notes",
        help_text="What the event learned: themes, what practitioners said, what the review will follow up",
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "Notes must be 50,000 characters or fewer"},
    )

    def __init__(self, *args: Any, invitees: Sequence[Invitee], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitees = list(invitees)
        for invitee in self.invitees:
            label = invitee.name + (f" ({invitee.role})" if invitee.role else "")
            self.fields[f"att_{invitee.pk}"] = forms.ChoiceField(
                label=label,
                choices=Attendance.choices,
                widget=forms.RadioSelect,
                initial=invitee.attendance or None,
                error_messages={"required": f"Select whether {invitee.name} attended"},
            )
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)

    def attendance_fields(self) -> list[BoundField]:
        return [self[f"att_{i.pk}"] for i in self.invitees]

    def attendance(self) -> dict[int, str]:
        return {i.pk: self.cleaned_data[f"att_{i.pk}"] for i in self.invitees}
