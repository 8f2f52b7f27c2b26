"""Asking several agencies at once (`views.requests.requests_ask`)."""

from typing import Any

from django import forms

from accounts.models import Membership, User
from partnerships.models import Agency


class AskAgenciesForm(forms.Form):
    """A box to tick for each agency not yet asked and, for each, a list of that agency's own
    safeguarding leads (`lead_<agency id>`); one message for them all."""

    agencies = forms.MultipleChoiceField(
        label="Agencies to ask",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select the agencies to ask"},
    )
    message = forms.CharField(
        label="Message to the agencies (optional)",
        required=False,
        help_text="It goes in the email to each lead: do not include the names of the child or family",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        agencies: list[Agency],
        leads: dict[int, list[Membership]],
        named: set[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.choosable = agencies
        self.named = named
        self.leads: dict[int, dict[str, User]] = {
            agency.pk: {str(m.user_id): m.user for m in leads.get(agency.pk, [])} for agency in agencies
        }
        self.fields["agencies"].choices = [(str(a.pk), a.name) for a in agencies]  # type: ignore[attr-defined]
        self.initial.setdefault("agencies", [str(a.pk) for a in agencies if a.pk in named])
        for agency in agencies:
            people = self.leads[agency.pk]
            self.fields[f"lead_{agency.pk}"] = forms.ChoiceField(
                label=f"Safeguarding lead of {agency.name}",
                required=False,
                choices=[
                    ("", "Select the safeguarding lead"),
                    *((pk, f"{user.display_name} ({user.email})") for pk, user in people.items()),
                ],
                error_messages={"invalid_choice": f"Choose a safeguarding lead of {agency.name}"},
            )
            if len(people) == 1:
                self.initial.setdefault(f"lead_{agency.pk}", next(iter(people)))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ticked = set(data.get("agencies") or [])
        for agency in self.choosable:
            if str(agency.pk) not in ticked or f"lead_{agency.pk}" in self.errors:
                continue
            if not self.leads[agency.pk]:
                self.add_error(
                    "agencies",
                    f"{agency.name} has no safeguarding lead with an account: untick it and invite a lead",
                )
            elif not data.get(f"lead_{agency.pk}"):
                self.add_error(f"lead_{agency.pk}", f"Select the safeguarding lead of {agency.name}")
        return data

    def asks(self) -> list[tuple[Agency, User]]:
        """Each ticked agency with its chosen lead, in the page's order."""
        ticked = set(self.cleaned_data["agencies"])
        return [
            (agency, self.leads[agency.pk][self.cleaned_data[f"lead_{agency.pk}"]])
            for agency in self.choosable
            if str(agency.pk) in ticked
        ]

    def rows(self) -> list[dict[str, Any]]:
        """For the page: each agency's box, whether it is ticked, and its lead list."""
        ticked = {str(v) for v in (self["agencies"].value() or [])}
        return [
            {
                "agency": agency,
                "index": index,
                "ticked": str(agency.pk) in ticked,
                "named": agency.pk in self.named,
                "lead": self[f"lead_{agency.pk}"],
                "has_leads": bool(self.leads[agency.pk]),
            }
            for index, agency in enumerate(self.choosable)
        ]
