"""Writing referrals: drafts, submission, triage and notification."""
