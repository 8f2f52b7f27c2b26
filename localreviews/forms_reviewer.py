from typing import Any

from django import forms

from core.forms import GOVUKDateField, VersionedForm
from localreviews.models import Employment


class ReviewerForm(VersionedForm):
    """Appointing a reviewer: who, employed how and by whom, the agreement's dates, and their
    declaration of independence and any conflicts of interest."""

    name = forms.CharField(
        label="Reviewer's full name",
        max_length=200,
        error_messages={
            "required": "Enter the reviewer's full name",
            "max_length": "Reviewer's full name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Reviewer's email address",
        help_text="They are invited to the service with this address, to this case's local review only",
        max_length=254,
        error_messages={
            "required": "Enter the reviewer's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Reviewer's email address must be 254 characters or fewer",
        },
    )
    employment = forms.ChoiceField(
        label="Is the reviewer independent or employed by a partner agency?",
        choices=Employment.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the reviewer is independent or employed by a partner agency"},
    )
    organisation = forms.CharField(
        label="Organisation",
        help_text="Their own business or consultancy, or the agency that employs them",
        max_length=200,
        error_messages={
            "required": "Enter the reviewer's organisation",
            "max_length": "Organisation must be 200 characters or fewer",
        },
    )
    agreement_starts = GOVUKDateField(
        label="Start of the agreement",
        help_text="For example, 1 4 2026",
        error_messages={"required": "Enter the start of the agreement"},
    )
    agreement_ends = GOVUKDateField(
        label="End of the agreement",
        help_text="For example, 30 9 2026",
        error_messages={"required": "Enter the end of the agreement"},
    )
    appointed_on = GOVUKDateField(
        label="Date of the appointment",
        help_text="For example, 20 3 2026",
        past_only=True,
        error_messages={"required": "Enter the date of the appointment"},
    )
    independent_declared = forms.BooleanField(
        label="The reviewer has declared that they are independent of the agencies whose work the review looks at",
        required=False,
    )
    independence_statement = forms.CharField(
        label="Declaration of independence",
        help_text=(
            "In the reviewer's words. For a reviewer employed by a partner agency, say how they are "
            "independent of the case and of its line management"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        error_messages={
            "required": "Enter the reviewer's declaration of independence",
            "max_length": "Declaration of independence must be 20,000 characters or fewer",
        },
    )
    conflicts = forms.CharField(
        label="Conflicts of interest (optional)",
        help_text="Any past or present connection to the child, the family or the agencies, and how it is handled",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
        error_messages={"max_length": "Conflicts of interest must be 20,000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("agreement_starts"), data.get("agreement_ends")
        if starts and ends and ends <= starts:
            self.add_error("agreement_ends", "The end of the agreement must be after its start")
        if data.get("employment") == Employment.INDEPENDENT and not data.get("independent_declared"):
            self.add_error(
                "independent_declared", "Confirm the reviewer has declared they are independent of the agencies"
            )
        return data
