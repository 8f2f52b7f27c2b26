from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict

from core.forms import GOVUKDateField, ServerCheckedLengths
from documents.models import Document
from nationalreviews.models import ContributionKind, NationalReview, NationalReviewKind

# A version beyond this was never issued: it is a stale or forged page, not a 500.
VERSION_MAX = 2_147_483_646
STALE_VERSION = (
    "Someone else saved this national review while you were working on it, or the page was opened too long ago. "
    "Your text is below and has not been saved: check it, then save again."
)
LONG_TEXT = 20000


def _text(label: str, required: str | None = None, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required is not None,
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required or "",
            "max_length": f"{label} must be {LONG_TEXT:,} characters or fewer",
        },
    )


def _line(label: str, max_length: int, required: str | None = None, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required is not None,
        max_length=max_length,
        error_messages={"required": required or "", "max_length": f"{label} must be {max_length} characters or fewer"},
    )


class NationalReviewStartForm(ServerCheckedLengths, forms.Form):
    title = _line(
        "Name of the national review",
        200,
        "Enter the name of the national review",
        help_text="As the Panel names it, for example its theme",
    )
    kind = forms.ChoiceField(
        label="What kind of national review is it?",
        choices=NationalReviewKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of national review it is"},
    )
    panel_reference = _line("The Panel's reference", 100, help_text="If the Panel gave one")


class ReviewChoiceField(forms.ModelChoiceField[NationalReview]):
    def label_from_instance(self, obj: NationalReview) -> str:
        return f"{obj.title} (the Panel's reference {obj.panel_reference})" if obj.panel_reference else obj.title


class LinkForm(forms.Form):
    review = ReviewChoiceField(
        label="Which thematic national review is this case part of?",
        queryset=NationalReview.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Select the thematic national review this case is part of",
            "invalid_choice": "Select one of the thematic national reviews listed",
        },
    )

    def __init__(self, *args: Any, reviews: list[NationalReview], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["review"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = NationalReview.objects.filter(pk__in=[r.pk for r in reviews]).order_by("-created_at", "-id")


class VersionedForm(ServerCheckedLengths, forms.Form):
    """Carries the version of the review the page showed (`version`, hidden). A version that is not
    a number in range was not issued by the service: a clash, like a stale one."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=VERSION_MAX)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "version" in self.errors:
            del self.errors["version"]
            self.add_error(None, STALE_VERSION)
            if self.is_bound and "version" in self.initial:
                rebound = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
                rebound["version"] = str(self.initial["version"])
                self.data = rebound
        return data


class ScopeForm(VersionedForm):
    title = _line("Name of the national review", 200, "Enter the name of the national review")
    panel_reference = _line("The Panel's reference", 100, help_text="If the Panel gave one")
    scope = _text(
        "Scope agreed with the Panel",
        help_text="The questions the review will answer, the period and the agencies it looks at",
        rows=6,
    )
    methodology = _text("Methodology agreed with the Panel", help_text="How the review will be carried out")
    scope_agreed_on = GOVUKDateField(
        label="Date the scope was agreed", past_only=True, required=False, help_text="Leave empty until it is agreed"
    )
    report_expected_on = GOVUKDateField(label="Date the national report is expected", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("scope_agreed_on") and not (data.get("scope") or "").strip():
            self.add_error("scope", "Enter the scope agreed with the Panel")
        agreed, expected = data.get("scope_agreed_on"), data.get("report_expected_on")
        if agreed and expected and expected < agreed:
            self.add_error(
                "report_expected_on",
                f"Date the national report is expected must be on or after {agreed:%-d %B %Y}, when the scope was agreed",
            )
        return data


class ReportForm(VersionedForm):
    report_published_on = GOVUKDateField(label="Date the national report was published", past_only=True)
    report_url = forms.URLField(
        label="Link to the published national report",
        help_text="For example, its page on GOV.UK",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the link to the national report as a web address, like https://www.gov.uk/...",
            "max_length": "Link to the published national report must be 500 characters or fewer",
        },
    )
    report_learning = _text(
        "What the national report means for the partnership",
        help_text="Its findings and recommendations that concern this partnership's agencies",
        rows=6,
    )


class ContributionForm(ServerCheckedLengths, forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    on = GOVUKDateField(label="Date of the contribution", past_only=True)
    kind = forms.ChoiceField(
        label="What was the contribution?",
        choices=ContributionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the contribution was"},
    )
    what = _text(
        "What was sent or attended",
        "Enter what was sent or attended",
        help_text="For example, the agencies' chronologies, or a practitioners' event the review team held",
        rows=4,
    )
    by_whom = _line("By whom", 200, "Enter who sent it or attended", help_text="Names and agencies")
    document = forms.ModelChoiceField(
        label="Document sent (optional)",
        help_text="A document already held on this case",
        queryset=Document.objects.none(),
        required=False,
        empty_label="No document",
        error_messages={"invalid_choice": "Select one of the case's documents, or no document"},
    )

    def __init__(self, *args: Any, documents: QuerySet[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["document"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = documents
