"""Background work for accounts: the password reset email is made and sent here, outside the
request, so the reset page does the same work for an address with an account and one without."""

from django.contrib.auth.forms import PasswordResetForm
from django.tasks import task

# Its words are with every other email's (notifications.emails: `Email.PASSWORD_RESET`), named here
# by path because accounts sits beneath the messages and imports nothing of theirs.
PASSWORD_RESET_TEMPLATES = ("emails/password_reset_subject.txt", "emails/password_reset_body.txt")


@task()
def password_reset_send_job(*, email: str, domain: str, use_https: bool) -> None:
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            email_template_name=PASSWORD_RESET_TEMPLATES[1],
            subject_template_name=PASSWORD_RESET_TEMPLATES[0],
        )
