"""Views of the referrals app, split by sub-topic."""
