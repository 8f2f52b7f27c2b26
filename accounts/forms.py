from typing import Any

from django import forms
from django.contrib.auth import password_validation

from accounts.models import Membership, User
from accounts.roles import AGENCY_ROLES, Role
from accounts.selectors import account_with_email, in_partnership, normalised_email
from partnerships.models import Agency


def account_exists_message(user: User, partnership: Any) -> str:
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

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
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


class RoleForm(forms.Form):
    """The role, and the agency where the role needs one: for an invitation and for giving a role to
    someone who already has an account."""

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
        error_messages={"invalid_choice": "Choose one of the partnership's agencies"},
    )

    AGENCY_REQUIRED = AGENCY_ROLES

    def __init__(self, *args: Any, partnership: Any, allowed_roles: set[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["agency"].queryset = Agency.objects.filter(partnership=partnership, active=True)  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "Choose a role")] + [(r.value, r.label) for r in Role if r in allowed_roles]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role and Role(role) in self.AGENCY_REQUIRED and not data.get("agency"):
            self.add_error("agency", "Choose the agency this person works for")
        return data


class InvitationForm(RoleForm):
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

    field_order = ["first_name", "last_name", "email", "role", "agency"]

    # The account found with the typed address, if any: the page then offers to give it a role.
    existing_account: Any = None

    def clean_email(self) -> str:
        email = normalised_email(self.cleaned_data["email"])
        existing = account_with_email(email)
        # Only an account in this partnership is mentioned: one elsewhere is invited like anyone
        # (accounts.services.invitation_create), so the page never tells the two apart.
        if existing is not None and in_partnership(existing, self.partnership):
            self.existing_account = existing
            raise forms.ValidationError(account_exists_message(existing, self.partnership))
        return email


class GrantEmailForm(forms.Form):
    """Giving a role, first question: whose account, by the email address they already use."""

    email = forms.EmailField(
        label="Their email address",
        help_text="The email address they use to sign in",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    # True once the address was checked and has no account: the page then offers to invite them.
    no_account = False

    def clean_email(self) -> str:
        email = normalised_email(self.cleaned_data["email"])
        self.person = account_with_email(email)
        if self.person is None:
            self.no_account = True
            raise forms.ValidationError(
                "There is no account with this email address. Check it is right, or invite them instead"
            )
        return email


class GrantRoleForm(RoleForm):
    """Giving a role, second question: which role (and agency). A role the person holds is refused."""

    def __init__(self, *args: Any, person: Any, named: bool, **kwargs: Any) -> None:
        self.person = person
        self.named = named
        super().__init__(*args, **kwargs)
        self.fields["agency"].help_text = "Needed for a practitioner, an agency safeguarding lead or the LA notifier"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        role, agency = data.get("role"), data.get("agency")
        if role and not self.errors and holds_role(self.person, self.partnership, Role(role), agency):
            who = self.person.display_name if self.named else "This person"
            where = f" for {agency.name}" if agency else ""
            self.add_error("role", f"{who} is already {Role(role).label}{where}. Choose a different role or agency")
        return data


def holds_role(person: Any, partnership: Any, role: Role, agency: Any) -> bool:
    return Membership.objects.active().filter(user=person, partnership=partnership, role=role, agency=agency).exists()
