"""The referral's question pages, one form per page."""

from typing import Any

from django import forms

from core.forms.phone import uk_phone_number
from partnerships.models import Agency
from referrals.forms.base import StepForm, checkboxes, radios, text
from referrals.forms.dates import DateQuestion
from referrals.incident_criteria import SUDI_SURVIVED_ERROR, SUDI_SURVIVED_WARNING, sudi_but_survived
from referrals.models import (
    AbuseNeglect,
    Category,
    Location,
    Outcome,
    ParallelProcess,
    Referral,
    YesNo,
    YesNoUnknown,
)


class AboutYouForm(StepForm):
    agency = forms.ModelChoiceField(
        label="Which agency are you referring for?",
        queryset=Agency.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the agency you are referring for"},
    )
    referrer_phone = text(
        "Telephone number",
        "Enter a telephone number",
        max_length=40,
        help_text="So the business unit can call you about the referral. For example, 01632 960 001",
        validators=[uk_phone_number],
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        self._agencies = agencies
        super().__init__(*args, **kwargs)

    def adapt(self) -> None:
        field = self.fields["agency"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = self._agencies if self._agencies is not None else Agency.objects.none()
        phone = self.fields["referrer_phone"].widget
        assert isinstance(phone, forms.TextInput)
        phone.input_type = "tel"
        phone.attrs["autocomplete"] = "tel"

    def initial_from(self, instance: Any) -> dict[str, Any]:
        return {"agency": instance.agency_id, "referrer_phone": instance.referrer_phone}


class LeadForm(StepForm):
    lead_agreed = radios(
        "Has your agency's safeguarding lead agreed this referral?",
        YesNo.choices,
        "Select yes if your agency's safeguarding lead has agreed this referral",
    )
    lead_name = text("Name of the safeguarding lead who agreed it", max_length=200, help_text="Only if they agreed")
    lead_agreed_on = DateQuestion(label="Date they agreed it", help_text="For example, 27 3 2026")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("lead_agreed") == YesNo.YES:
            if not data.get("lead_name"):
                self.add_error("lead_name", "Enter the name of the safeguarding lead who agreed the referral")
            if not data.get("lead_agreed_on") and "lead_agreed_on" not in self.errors:
                self.add_error("lead_agreed_on", "Enter the date they agreed it")
        return data


class IncidentForm(StepForm):
    incident_date = DateQuestion(
        label="Date of the incident",
        required_message="Enter the date of the incident",
        help_text="If you do not know the exact date, give your best estimate",
    )
    la_aware_on = DateQuestion(
        label="Date the local authority became aware",
        required_message="Enter the date the local authority became aware",
        help_text="The 5 working days to notify the Panel count from this date",
    )
    place = text("Where did it happen?", "Enter where it happened", max_length=300, help_text="A town or area")
    location = radios("Was this in the partnership's area?", Location.choices, "Select where the incident happened")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        incident, aware = data.get("incident_date"), data.get("la_aware_on")
        if incident and aware and aware < incident:
            self.add_error(
                "la_aware_on", "Date the local authority became aware must be the same as or after the incident"
            )
        if incident and isinstance(self.instance, Referral) and self.instance.pk:
            for child in self.instance.children.all():
                if child.date_of_birth and child.date_of_birth > incident:
                    self.add_error(
                        "incident_date",
                        f"Date of the incident must be after {child.display_name}'s date of birth",
                    )
                    break
        return data


class WhatHappenedForm(StepForm):
    what_happened = text(
        "What happened?",
        "Enter what happened",
        long=True,
        help_text="A short outline: what happened, who was involved and what is known so far",
    )


class HarmForm(StepForm):
    outcome = radios(
        "Did the child die or were they seriously harmed?",
        Outcome.choices,
        "Select whether the child died or was seriously harmed",
    )
    category = radios("What kind of incident was it?", Category.choices, "Select what kind of incident it was")
    category_other = text("If other, describe it", max_length=200)
    outcome_explanation = text("Why is it a sudden unexpected death in infancy if the child survived?", long=True)

    def adapt(self) -> None:
        # Asked only when the two answers disagree, with a warning above the form.
        if not self.answers_disagree():
            del self.fields["outcome_explanation"]

    def answers_disagree(self) -> bool:
        source: Any = self.data if self.is_bound else self.initial
        return sudi_but_survived(str(source.get("outcome") or ""), str(source.get("category") or ""))

    @property
    def warning(self) -> str:
        return SUDI_SURVIVED_WARNING if self.answers_disagree() else ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("category") == Category.OTHER and not data.get("category_other"):
            self.add_error("category_other", "Describe the kind of incident")
        if sudi_but_survived(data.get("outcome", ""), data.get("category", "")):
            if not (data.get("outcome_explanation") or "").strip():
                self.add_error("outcome_explanation", SUDI_SURVIVED_ERROR)
        elif "outcome" in data and "category" in data:
            data["outcome_explanation"] = ""  # nothing left to explain
        return data


class DeathForm(StepForm):
    date_of_death = DateQuestion(label="Date of death", required_message="Enter the date of death")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        died, incident = data.get("date_of_death"), getattr(self.instance, "incident_date", None)
        if died and incident and died < incident:
            self.add_error("date_of_death", "Date of death must be the same as or after the date of the incident")
        return data


class AbuseForm(StepForm):
    abuse_neglect = radios(
        "Is abuse or neglect of the child known or suspected?",
        AbuseNeglect.choices,
        "Select whether abuse or neglect is known or suspected",
    )
    abuse_neglect_reason = text("Why do you think so?", "Explain why", long=True)


class HouseholdForm(StepForm):
    other_children = radios(
        "Are there other children in the household?",
        YesNoUnknown.choices,
        "Select whether there are other children in the household",
    )
    other_children_details = text(
        "If yes, give their first names and ages", long=True, help_text="Their safety may need action now"
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("other_children") == YesNoUnknown.YES and not data.get("other_children_details"):
            self.add_error("other_children_details", "Enter the first names and ages of the other children")
        return data


class AgenciesForm(StepForm):
    m2m_fields = ("agencies",)
    agencies = checkboxes(
        forms.ModelMultipleChoiceField(
            label="Which agencies are known to be involved with the child or family?",
            queryset=Agency.objects.none(),
            widget=forms.CheckboxSelectMultiple,
            required=False,
            help_text="Select all that apply",
        )
    )
    other_agencies = text("Any other agencies involved", max_length=400)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        self._agencies = agencies
        super().__init__(*args, **kwargs)

    def adapt(self) -> None:
        field = self.fields["agencies"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = self._agencies if self._agencies is not None else Agency.objects.none()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "agencies" in data and not data.get("agencies") and not data.get("other_agencies"):
            self.add_error("agencies", "Select the agencies involved, or name them under other agencies")
        return data


NONE = "none"


class ProcessesForm(StepForm):
    parallel_processes = checkboxes(
        forms.MultipleChoiceField(
            label="Which other processes are under way or expected?",
            choices=[*ParallelProcess.choices, (NONE, "None of these")],
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply",
            error_messages={"required": "Select the processes under way, or select none of these"},
        )
    )

    def clean_parallel_processes(self) -> list[str]:
        values: list[str] = self.cleaned_data["parallel_processes"]
        if NONE in values and len(values) > 1:
            raise forms.ValidationError("Select the processes under way, or select none of these, not both")
        return values


class SafetyForm(StepForm):
    safety_actions = text(
        "What has been done already to keep the child and other children safe?",
        "Enter what has been done to keep the children safe",
        long=True,
        help_text="For example, a strategy discussion, a child protection plan, police bail conditions",
    )
