from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What a person sees around the stages: their home page and the service navigation, put
    together from the accounts, the cases and the stages' own home sections."""

    name = "portal"
    verbose_name = "Home and navigation"
