"""Background work for accounts: the password reset email is made and sent here, outside the
request, so the reset page does the same work for an address with an account and one without."""

from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task


@task()
def password_reset_send(*, email: str, domain: str, use_https: bool) -> None:
    from notifications.emails import Email, template_names  # the words live with every other email's

    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            email_template_name=template_names(Email.PASSWORD_RESET)[1],
            subject_template_name=template_names(Email.PASSWORD_RESET)[0],
        )
