from typing import Any

from django import forms
from django.contrib.auth import password_validation

from accounts.models import Membership
from accounts.roles import Role
from accounts.selectors import account_with_email, normalised_email
from partnerships.models import Agency


def account_exists_message(user: Any, partnership: Any) -> str:
    """Names the person only to someone in a partnership they belong to."""
    if Membership.objects.filter(user=user, partnership=partnership).exists():
        return f"{user.display_name} already has an account with this email address"
    return "A person with this email address already has an account"


class SignInForm(forms.Form):
    username = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app, or one of your 8-digit backup codes",
        max_length=12,
        error_messages={"required": "Enter the security code"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "class": "govuk-input--width-10",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError("Enter the security code as 6 or 8 numbers")
        return code


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        help_text="At least 12 characters. Avoid common words and your name.",
        error_messages={"required": "Enter a password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirm the password",
        strip=False,
        error_messages={"required": "Confirm the password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The passwords do not match")
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class InvitationForm(forms.Form):
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter their first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=150, error_messages={"required": "Enter their last name"})
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=[("", "Choose a role"), *list(Role.choices)],
        error_messages={"required": "Choose their role"},
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Choose an agency",
        help_text="Leave empty only for roles that belong to no agency, such as the independent scrutineer",
    )

    AGENCY_REQUIRED = {Role.PRACTITIONER, Role.AGENCY_LEAD, Role.LA_NOTIFIER}

    def __init__(self, *args: Any, partnership: Any, allowed_roles: set[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership, active=True)  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "Choose a role")] + [(r.value, r.label) for r in Role if r in allowed_roles]  # type: ignore[attr-defined]

    def clean_email(self) -> str:
        email = normalised_email(self.cleaned_data["email"])
        existing = account_with_email(email)
        if existing is not None:
            raise forms.ValidationError(account_exists_message(existing, self.partnership))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role and Role(role) in self.AGENCY_REQUIRED and not data.get("agency"):
            self.add_error("agency", "Choose the agency this person works for")
        return data
