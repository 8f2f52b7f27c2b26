"""What the messages add to every case (a platform part, registered like a stage): the Messages
sub-page and "Your messages" on the home page, and the emails accounts asks for by its signals
(an invitation's link, a role given: notifications.people)."""

from accounts.signals import invitation_created, role_given
from cases.policies import CaseAction
from cases.stage_registry import Ordered, Panel, Stage, Tab
from notifications.panels import home_messages_panel, messages_panel
from notifications.people import invitation_email, role_given_email

stage = Stage(
    name="notifications",
    journey=False,
    tabs=(
        Tab(
            "messages",
            "Messages",
            order=80,
            action=CaseAction.VIEW_MESSAGES,
            empty="The service has not sent any messages about this case yet.",
        ),
    ),
    panels=(Panel(messages_panel, order=80, tab="messages"),),
    home_panels=(Ordered(home_messages_panel, order=5),),
    receivers=(
        (invitation_created, invitation_email, "notifications.invitation_email"),
        (role_given, role_given_email, "notifications.role_given_email"),
    ),
)
