import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership
from accounts.twofactor import base32_secret
from partnerships.demo import EMAIL_DOMAIN


class Command(BaseCommand):
    help = "Lists the demo people with their password and TOTP secret, so anyone can sign in as any persona."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--json", action="store_true", help="Print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("demo_users refuses to run under production settings.")
        rows = []
        memberships = (
            Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}")
            .select_related("user", "agency", "partnership")
            .order_by("id")
        )
        for m in memberships:
            device = TOTPDevice.objects.filter(user=m.user, confirmed=True).first()
            rows.append(
                {
                    "username": m.user.username,
                    "password": settings.DEMO_PASSWORD,
                    "role": m.role,
                    "role_label": m.get_role_display(),
                    "agency": m.agency.name if m.agency else None,
                    "partnership": m.partnership.name,
                    "totp_secret": base32_secret(device) if device else None,
                }
            )
        if options["json"]:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        for row in rows:
            self.stdout.write(f"{row['role_label']:<45} {row['username']:<42} TOTP secret {row['totp_secret']}")
        self.stdout.write(f"\nPassword for all: {settings.DEMO_PASSWORD}")
