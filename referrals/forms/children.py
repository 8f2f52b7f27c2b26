"""Questions about each child: who they are, then their status with children's services."""

from typing import Any

from django import forms

from referrals.forms.base import StepForm, radios, text
from referrals.forms.dates import DateQuestion
from referrals.models import Ethnicity, ReferralChild, Sex, YesNo, YesNoUnknown


class ChildForm(StepForm):
    first_name = text("First name", max_length=100, help_text="Leave blank if an unborn child has no name yet")
    last_name = text("Last name", max_length=100)
    born = radios("Has the child been born?", YesNo.choices, "Select whether the child has been born")
    date_of_birth = DateQuestion(
        label="Date of birth", help_text="Only if the child has been born. For example, 27 3 2015"
    )
    sex = radios("Sex", Sex.choices, "Select the child's sex")
    ethnicity = radios("Ethnic group", Ethnicity.choices, "Select the child's ethnic group")
    disability = radios(
        "Does the child have a disability?", YesNoUnknown.choices, "Select whether the child has a disability"
    )
    home_area = text("Home town or area", "Enter the child's home town or area", max_length=200)
    home_local_authority = text(
        "Home local authority",
        "Enter the child's home local authority",
        max_length=200,
        help_text="The council for the area where the child normally lives",
    )

    def __init__(self, *args: Any, incident_date: Any = None, **kwargs: Any) -> None:
        self.incident_date = incident_date
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        born, dob = data.get("born"), data.get("date_of_birth")
        if born == YesNo.YES and not dob and "date_of_birth" not in self.errors:
            self.add_error("date_of_birth", "Enter the child's date of birth")
        if born == YesNo.NO:
            data["date_of_birth"] = None
        if born == YesNo.YES and not (data.get("first_name") or data.get("last_name")):
            self.add_error("first_name", "Enter the child's first name")
        if dob and self.incident_date and dob > self.incident_date:
            self.add_error("date_of_birth", "Date of birth must be the same as or before the date of the incident")
        return data


class ChildStatusForm(StepForm):
    looked_after = radios(
        "Was the child looked after by a local authority?",
        YesNoUnknown.choices,
        "Select whether the child was looked after",
    )
    care_leaver = radios(
        "Is the young person a care leaver?", YesNoUnknown.choices, "Select whether the young person is a care leaver"
    )
    child_protection_plan = radios(
        "Was the child on a child protection plan?",
        YesNoUnknown.choices,
        "Select whether the child was on a child protection plan",
    )
    child_in_need = radios(
        "Was the child a child in need?",
        YesNoUnknown.choices,
        "Select whether the child was a child in need",
        help_text="Under section 17 of the Children Act 1989",
    )

    def __init__(self, *args: Any, incident_date: Any = None, **kwargs: Any) -> None:
        self.incident_date = incident_date
        super().__init__(*args, **kwargs)

    def adapt(self) -> None:
        child = self.instance
        assert isinstance(child, ReferralChild)
        if not child.may_be_care_leaver(self.incident_date):
            del self.fields["care_leaver"]


class AddAnotherForm(forms.Form):
    add_another = radios(
        "Do you need to add another child?", YesNo.choices, "Select yes if you need to add another child"
    )
