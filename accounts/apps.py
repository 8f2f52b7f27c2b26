from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and sign-in"

    def ready(self) -> None:
        from accounts.selectors import acting_agency
        from audit.services import agency_resolver_set

        # Each audit event names the agency its actor acts for; the ledger asks accounts.
        agency_resolver_set(acting_agency)
