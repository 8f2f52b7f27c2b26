"""Gives or takes the service administrator role (accounts.roles.is_service_admin).

    manage.py service_admin grant someone@example.org            # an existing account
    manage.py service_admin grant someone@example.org --create --name "Robin Quayle"
    manage.py service_admin revoke someone@example.org
    manage.py service_admin list

A new account has a password nobody knows and no partnership role: its holder sets a password with "Forgot
your password?" on the sign-in page, then sets up two-factor authentication like anyone. Every
change is recorded in the audit ledger.
"""

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import service_admin_set


class Command(BaseCommand):
    help = "Give, take or list the service administrator role (it changes the England and Wales calendar)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("email", nargs="?", default="")
        parser.add_argument("--create", action="store_true", help="Make the account if there is none")
        parser.add_argument("--name", default="", help="First and last name, for --create")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for admin in User.objects.filter(is_staff=True, is_active=True).order_by("email"):
                self.stdout.write(f"{admin.email}\t{admin.get_full_name()}")
            return
        email = options["email"].strip().lower()
        if not email:
            raise CommandError("Give the email address of the person.")
        user = User.objects.filter(email__iexact=email).first()
        if user is None and options["create"] and options["action"] == "grant":
            first, _, last = options["name"].strip().partition(" ")
            # A password nobody knows (not an unusable one, which "Forgot your password?" ignores).
            user = User.objects.create_user(
                username=email, email=email, first_name=first, last_name=last, password=secrets.token_urlsafe(32)
            )
            self.stdout.write(
                f"Made an account for {email}: they set a password with 'Forgot your password?' on the "
                "sign-in page, then set up two-factor authentication."
            )
        if user is None:
            raise CommandError(f"No account for {email}. Add --create to make one.")
        changed = service_admin_set(user=user, on=options["action"] == "grant")
        state = "is a service administrator" if user.is_staff else "is not a service administrator"
        self.stdout.write(f"{email} {state}{'' if changed else ' (no change)'}.")
