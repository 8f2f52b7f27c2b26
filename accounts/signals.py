"""Signals other apps listen to, so accounts never imports them.

`invitation_accepted(sender=Invitation, invitation=..., user=...)` is sent inside the transaction
that creates or extends the account, so a receiver's writes commit or roll back with it.

`membership_ended(sender=Membership, membership=...)` is sent inside the transaction that ends a
role, so other apps can let go of what the role gave (a named lead's requests, meeting places).
"""

from django.dispatch import Signal

invitation_accepted = Signal()
membership_ended = Signal()
