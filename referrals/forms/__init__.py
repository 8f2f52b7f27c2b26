"""Forms for the referral journey, triage and notification."""
