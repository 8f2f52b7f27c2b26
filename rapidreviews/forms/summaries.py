import datetime as dt
import secrets
from typing import Any

from django import forms

from accounts.models import User
from core.forms import GOVUKDateField, VersionedForm, parse_time
from partnerships.models import Agency
from rapidreviews.models import AgencySummary, ChronologyEntry, PracticeEpisode
from rapidreviews.sections import Section

LABELS: dict[str, tuple[str, str]] = {
    "involvement_summary": ("Summary of your agency's involvement", ""),
    "lived_experience": ("What your agency knew of the child's daily life and what they said, showed or wanted", ""),
    "inequalities": ("How race, culture, disability or other inequalities may have had an effect", ""),
    "immediate_actions": ("Immediate actions your agency has already taken", ""),
    "learning": ("Learning your agency has identified", ""),
    "parallel_processes": ("Parallel processes you know of", ""),
}


def section_form_class(section: Section) -> type[VersionedForm]:
    """One question page per section: its text boxes, and dates for the period of involvement. The
    page's own `editor` token goes with each of its saves (services.summaries.agency_summary_save)."""
    fields: dict[str, forms.Field] = {
        "editor": forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    }
    for name in section.fields:
        if name == "period_start":
            fields[name] = GOVUKDateField(
                label="Start of the period of involvement",
                help_text="For example, 1 4 2025. Needed before you send the summary",
                past_only=True,
                required=False,
            )
        elif name == "period_end":
            fields[name] = GOVUKDateField(
                label="End of the period of involvement",
                help_text="Usually the date of the incident. Needed before you send the summary",
                past_only=True,
                required=False,
            )
        else:
            label, hint = LABELS[name]
            fields[name] = forms.CharField(
                label=label, help_text=hint, required=False, widget=forms.Textarea(attrs={"rows": 8})
            )
    return type(f"{section.slug.title()}Form", (VersionedForm,), fields)


def section_initial(agency_summary: AgencySummary, section: Section) -> dict[str, Any]:
    """The section's answers, and its own version (a save of another section is no clash)."""
    version = int((agency_summary.section_versions or {}).get(section.slug, 0))
    fields = {f: getattr(agency_summary, f) for f in section.fields}
    return {"version": version, "editor": secrets.token_urlsafe(12), **fields}


def clean_period(form: forms.Form) -> None:
    start, end = form.cleaned_data.get("period_start"), form.cleaned_data.get("period_end")
    if start and end and end < start:
        form.add_error("period_end", "End of the period of involvement must be the same as or after the start")


class ItemForm(VersionedForm):
    """A form for one item of a summary's list; `token` makes its "add" form idempotent."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)


class ChronologyEntryForm(ItemForm):
    date = GOVUKDateField(label="Date of the event", past_only=True, help_text="For example, 27 3 2026")
    time = forms.CharField(
        label="Time (optional)",
        required=False,
        help_text="For example, 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
    )
    what_happened = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what happened"},
    )
    source = forms.CharField(
        label="Source record",
        help_text="For example, a case note, a GP record or a police log",
        max_length=300,
        error_messages={
            "required": "Enter the source record",
            "max_length": "Source record must be 300 characters or fewer",
        },
    )
    significance = forms.CharField(
        label="Significance (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_time(self) -> dt.time | None:
        text = self.cleaned_data.get("time", "").strip()
        if not text:
            return None
        parsed = parse_time(text)
        if parsed is None:
            raise forms.ValidationError("Enter the time in hours and minutes, for example 14:30")
        return parsed

    @staticmethod
    def initial_for(entry: ChronologyEntry) -> dict[str, Any]:
        return {
            "version": entry.version,
            "date": entry.date,
            "time": entry.time.strftime("%H:%M") if entry.time else "",
            "what_happened": entry.what_happened,
            "source": entry.source,
            "significance": entry.significance,
        }


class PracticeEpisodeForm(ItemForm):
    title = forms.CharField(
        label="Name of the episode",
        max_length=200,
        help_text="A short name, for example 'Emergency department visit with a bruise'",
        error_messages={
            "required": "Enter a name for the episode",
            "max_length": "Name of the episode must be 200 characters or fewer",
        },
    )
    date = GOVUKDateField(
        label="Date of the episode", past_only=True, required=False, help_text="Optional. For example, 27 3 2026"
    )
    went_well = forms.CharField(
        label="What went well",
        required=False,
        help_text="Answer this, the next question or both",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    could_differ = forms.CharField(
        label="What could have been done differently",
        required=False,
        help_text="Answer this, the question above or both",
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("went_well", "").strip() and not data.get("could_differ", "").strip():
            self.add_error("went_well", "Enter what went well, what could have been done differently, or both")
        return data

    @staticmethod
    def initial_for(episode: PracticeEpisode) -> dict[str, Any]:
        return {
            "version": episode.version,
            "title": episode.title,
            "date": episode.date,
            "went_well": episode.went_well,
            "could_differ": episode.could_differ,
        }


class SummaryCheckForm(forms.Form):
    outcome = forms.ChoiceField(
        label="What do you want to do with this summary?",
        choices=[("accept", "Accept it"), ("return", "Send it back to the agency with comments")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to accept the summary or send it back"},
    )
    comments = forms.CharField(
        label="Comments for the agency", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "return" and not data.get("comments", "").strip():
            self.add_error("comments", "Enter what the agency needs to change")
        return data


class InformationRequestForm(forms.Form):
    """Asking one agency: its lead chosen from that agency's leads, or a new lead invited by email."""

    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Select the agency",
        error_messages={"required": "Select the agency"},
    )
    lead = forms.ChoiceField(
        label="Safeguarding lead",
        required=False,
        help_text="Leave empty to invite the agency's lead below",
        widget=forms.Select(attrs={"data-filter-by": "agency"}),
        error_messages={"invalid_choice": "Choose a safeguarding lead of the agency you selected"},
    )
    invite_first_name = forms.CharField(label="First name of the lead to invite", required=False)
    invite_last_name = forms.CharField(label="Last name of the lead to invite", required=False)
    invite_email = forms.EmailField(
        label="Email address of the lead to invite",
        required=False,
        help_text="Only for a lead who has no account yet",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    message = forms.CharField(
        label="Message to the agency (optional)",
        required=False,
        help_text="It goes in the email to the lead: do not include the names of the child or family",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    INVITE_FIELDS = ("invite_first_name", "invite_last_name", "invite_email")

    def __init__(self, *args: Any, agencies: Any, memberships: Any, **kwargs: Any) -> None:
        """`memberships`: the partnership's safeguarding leads (with user and agency). The lead list
        holds the chosen agency's leads only, once an agency is chosen (sent, or given in the page's
        address); before that, every lead under their agency's name."""
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.lead_agency: dict[int, set[int]] = {}
        self.people: dict[str, User] = {}
        by_agency: dict[Agency, list[tuple[str, str]]] = {}
        for m in memberships:
            self.lead_agency.setdefault(m.user_id, set()).add(m.agency_id)
            self.people[str(m.user_id)] = m.user
            by_agency.setdefault(m.agency, []).append((str(m.user_id), f"{m.user.display_name} ({m.user.email})"))
        chosen = self._chosen_agency(agencies)
        if chosen is not None:
            groups: list[Any] = by_agency.get(chosen, [])
        else:
            groups = [(agency.name, people) for agency, people in by_agency.items()]
        self.fields["lead"].choices = [("", "Select the safeguarding lead"), *groups]  # type: ignore[attr-defined]

    def _chosen_agency(self, agencies: Any) -> Agency | None:
        raw = self.data.get(self.add_prefix("agency")) if self.is_bound else self.initial.get("agency")
        try:
            return agencies.filter(pk=int(raw)).first() if raw else None
        except (TypeError, ValueError):
            return None

    def clean_lead(self) -> User | None:
        return self.people.get(self.cleaned_data.get("lead") or "")

    def clean_invite_email(self) -> str:
        from accounts.selectors import normalised_email

        return normalised_email(self.cleaned_data.get("invite_email") or "")

    def clean(self) -> dict[str, Any]:
        from accounts.selectors import account_with_email

        data = super().clean() or {}
        agency, lead = data.get("agency"), data.get("lead")
        if lead is not None and agency is not None and agency.pk not in self.lead_agency.get(lead.pk, set()):
            self.add_error("lead", f"Choose a safeguarding lead of {agency}")
        typed = [name for name in self.INVITE_FIELDS if (self.data.get(self.add_prefix(name)) or "").strip()]
        if lead is not None and typed:
            self.add_error("lead", "Choose a safeguarding lead or enter the details of a new lead to invite, not both")
        if lead is None and "lead" not in self.errors and not typed:
            self.add_error("lead", "Select the safeguarding lead")
        elif lead is None and "lead" not in self.errors:
            for name, message in (
                ("invite_first_name", "Enter the first name of the lead to invite"),
                ("invite_last_name", "Enter the last name of the lead to invite"),
                ("invite_email", "Enter the email address of the lead to invite"),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            if data.get("invite_email") and (existing := account_with_email(data["invite_email"])) is not None:
                self.add_error("invite_email", self._has_account(existing, agency))
        return data

    def _has_account(self, person: User, agency: Agency | None) -> str:
        """An invitation would hand the account over, so the lead must be chosen instead. The
        person is named only if they belong to this partnership."""
        from accounts.selectors import roles_of

        lead_of = self.lead_agency.get(person.pk, set())
        if lead_of and (agency is None or agency.pk in lead_of):
            return (
                f"{person.display_name} already has an account with this email address: choose them as the lead instead"
            )
        if lead_of or (agency is not None and roles_of(person, agency.partnership_id)):
            has_account = f"{person.display_name} already has an account with this email address"
        else:
            has_account = "A person with this email address already has an account"
        if agency is None:
            return has_account
        return f"{has_account} but is not a safeguarding lead of {agency}: choose another lead"
