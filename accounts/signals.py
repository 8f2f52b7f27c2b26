"""Signals other apps listen to, so accounts never imports them.

`invitation_accepted(sender=Invitation, invitation=..., user=...)` is sent inside the transaction
that creates or extends the account, so a receiver's writes commit or roll back with it.
"""

from django.dispatch import Signal

invitation_accepted = Signal()
