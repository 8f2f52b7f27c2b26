from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    """Everything the platform asks of the referral is its stage (referrals/stage.py)."""

    name = "referrals"
