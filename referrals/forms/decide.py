"""Triage (the partners' decision) and notification forms. Each carries the case version."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from core.forms import parse_time
from referrals.forms.base import checkboxes, radios, text
from referrals.forms.dates import DateQuestion
from referrals.incident_criteria import AgainstCriteria, decision_against_criteria, panel_must_be_notified
from referrals.models import ReferralChild, SeriousIncidentNotification, TriageDecisionKind, YesNo

STALE = "Someone else changed this case while you were working on it. Your answers are below: check the case and send them again if they still apply."


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriageForm(VersionedForm):
    meeting_date = DateQuestion(
        label="Date of the decision meeting", required_message="Enter the date of the decision meeting"
    )
    attendee_la = text(
        "Who attended for the local authority?", "Enter who attended for the local authority", max_length=200
    )
    attendee_icb = text(
        "Who attended for the integrated care board?",
        "Enter who attended for the integrated care board",
        max_length=200,
    )
    attendee_police = text("Who attended for the police?", "Enter who attended for the police", max_length=200)
    abuse_or_neglect = radios(
        "Is abuse or neglect of the child known or suspected?",
        YesNo.choices,
        "Select whether abuse or neglect is known or suspected",
    )
    death_or_serious_harm = radios(
        "Has the child died or been seriously harmed?",
        YesNo.choices,
        "Select whether the child died or was seriously harmed",
    )
    decision = radios("What did the partners decide?", TriageDecisionKind.choices, "Select what the partners decided")
    rationale = text(
        "Why did the partners decide this?",
        long=True,
        help_text=(
            "Required if you do not notify, or if the decision goes against the answers above. This is kept on "
            "the case and may be shared with the Panel or Ofsted."
        ),
    )
    local_learning_review = forms.BooleanField(
        label="Hold a local learning review instead", required=False, help_text="Only if you decide not to notify"
    )

    def __init__(
        self,
        *args: Any,
        sos_applicable: bool = False,
        earliest: date | None = None,
        a_child_under_18: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest = earliest
        self.sos_applicable = sos_applicable
        self.a_child_under_18 = a_child_under_18
        if not sos_applicable:
            field = self.fields["decision"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [c for c in TriageDecisionKind.choices if c[0] != TriageDecisionKind.SOS_OFSTED_ONLY]
        # A decision against the partners' own answers: the warning, and a box to confirm it, appear
        # once the answers are sent, so a rationale typed beforehand cannot skip the warning.
        self.against_criteria = self._against(self.data) if self.is_bound else None
        if self.against_criteria is not None:
            self.fields["confirm_against_criteria"] = forms.BooleanField(
                label=self.against_criteria.confirm_label, required=False
            )

    def _against(self, data: Any) -> AgainstCriteria | None:
        return decision_against_criteria(
            abuse=str(data.get("abuse_or_neglect") or ""),
            harm=str(data.get("death_or_serious_harm") or ""),
            decision=str(data.get("decision") or ""),
            sos_applicable=self.sos_applicable,
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        rationale = (data.get("rationale") or "").strip()
        if data.get("decision") == TriageDecisionKind.NOT_NOTIFY and not rationale:
            self.add_error("rationale", "Enter why the partners decided not to notify")
        against = self._against(data)
        if against is not None:
            if not rationale and "rationale" not in self.errors:
                self.add_error("rationale", against.rationale_error)
            if not data.get("confirm_against_criteria"):
                self.add_error(
                    "confirm_against_criteria" if "confirm_against_criteria" in self.fields else None,
                    against.confirm_error,
                )
        must = panel_must_be_notified(
            abuse=str(data.get("abuse_or_neglect") or ""),
            harm=str(data.get("death_or_serious_harm") or ""),
            decision=str(data.get("decision") or ""),
            a_child_under_18=self.a_child_under_18,
        )
        if must:
            self.add_error("decision", must)
        if data.get("local_learning_review") and data.get("decision") != TriageDecisionKind.NOT_NOTIFY:
            self.add_error("local_learning_review", "A local learning review instead applies only if you do not notify")
        meeting = data.get("meeting_date")
        if meeting and self.earliest and meeting < self.earliest:
            self.add_error("meeting_date", "Date of the decision meeting must be the same as or after the incident")
        return data


TIME_MESSAGE = "Enter the time as hours and minutes, for example 14:30"


class SinForm(VersionedForm):
    submitted_on = DateQuestion(
        label="Date submitted", required_message="Enter the date the notification was submitted"
    )
    submitted_time = text(
        "Time submitted",
        "Enter the time the notification was submitted",
        max_length=5,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"max_length": TIME_MESSAGE},
    )
    panel_reference = text(
        "Panel reference",
        "Enter the Panel's reference",
        max_length=60,
        help_text="The reference the DfE notification system gave",
    )
    submitted_by = text("Who submitted it?", "Enter who submitted the notification", max_length=200)
    children = checkboxes(
        forms.MultipleChoiceField(
            label="Which children does this notification cover?",
            widget=forms.CheckboxSelectMultiple,
            help_text="Up to 4. Record another notification for any other children.",
            error_messages={"required": "Select the children this notification covers"},
        )
    )
    late_reason = text("Why was it submitted after the 5 working days?", long=True, help_text="Only if it was late")
    other_partnerships = text(
        "Other partnerships or local authorities told",
        long=True,
        help_text="For example the child's home local authority. One on each line. Leave blank if none.",
    )
    other_told_on = DateQuestion(label="Date they were told", help_text="Only if you named any above")

    def __init__(
        self, *args: Any, children: list[ReferralChild], la_aware_on: date | None, sin_due: date | None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.child_objects = {str(c.pk): c for c in children}
        self.la_aware_on = la_aware_on
        self.sin_due = sin_due
        field = self.fields["children"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(c.pk), c.display_name) for c in children]
        if sin_due is None:
            del self.fields["late_reason"]

    def clean_children(self) -> list[str]:
        values: list[str] = self.cleaned_data["children"]
        if len(values) > SeriousIncidentNotification.MAX_CHILDREN:
            raise forms.ValidationError("Select up to 4 children. Record another notification for the others")
        return values

    def clean_submitted_time(self) -> time:
        at = parse_time(self.cleaned_data["submitted_time"])
        if at is None:
            raise forms.ValidationError(TIME_MESSAGE)
        return at

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, at = data.get("submitted_on"), data.get("submitted_time")
        if day and self.la_aware_on and day < self.la_aware_on:
            self.add_error(
                "submitted_on", "Date submitted must be the same as or after the date the local authority became aware"
            )
        if day and at:
            moment = timezone.make_aware(datetime.combine(day, at))
            if moment > timezone.now():
                self.add_error("submitted_time", "Time submitted must be in the past")
            data["submitted_at"] = moment
        if day and self.sin_due and day > self.sin_due and not (data.get("late_reason") or "").strip():
            self.add_error(
                "late_reason",
                f"Enter why it was submitted after {self.sin_due:%-d %B %Y}, the end of the 5 working days",
            )
        names = [line.strip() for line in (data.get("other_partnerships") or "").splitlines() if line.strip()]
        if names and not data.get("other_told_on") and "other_told_on" not in self.errors:
            self.add_error("other_told_on", "Enter the date the other partnerships were told")
        data["other_names"] = names
        return data

    def chosen_children(self) -> list[ReferralChild]:
        return [self.child_objects[v] for v in self.cleaned_data.get("children", []) if v in self.child_objects]
