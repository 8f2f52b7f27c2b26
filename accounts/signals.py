"""Signals other apps listen to, so accounts never imports them.

`invitation_accepted(sender=Invitation, invitation=..., user=...)` is sent inside the transaction
that creates or extends the account, so a receiver's writes commit or roll back with it.

`membership_ended(sender=Membership, membership=...)` is sent inside the transaction that ends a
role, so other apps can let go of what the role gave (a named lead's requests, meeting places).

`invitation_created(sender=Invitation, invitation=..., token=..., existing_account=..., reason=...,
then=..., subject=...)` is sent inside the transaction that makes an invitation: the messages
(`notifications.people`) email its single-use link once it commits (`token` is the raw secret,
never stored; `existing_account`: the address has an account in another partnership, so the email
carries no link). `subject`, when given, replaces the email's own.

`role_given(sender=Membership, membership=..., actor=...)` is sent inside the transaction that
gives a person who has an account a further role: the messages tell them by email and in the
service (`notifications.people`), in that transaction.
"""

from django.dispatch import Signal

invitation_accepted = Signal()
membership_ended = Signal()
invitation_created = Signal()
role_given = Signal()
