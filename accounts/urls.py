from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts.views import account, invitations, password_reset, people, roles, signin, twofactor

app_name = "accounts"

urlpatterns = [
    path("sign-in/", signin.sign_in, name="sign_in"),
    path("sign-in/code/", twofactor.verify, name="two_factor_verify"),
    path("sign-in/set-up-two-factor/", twofactor.setup, name="two_factor_setup"),
    path("sign-in/backup-codes/", twofactor.backup_codes, name="backup_codes"),
    path("sign-out/", signin.sign_out, name="sign_out"),
    path("signed-out/", signin.signed_out, name="signed_out"),
    path("account/", account.account, name="account"),
    path("account/backup-codes/", twofactor.regenerate_backup_codes, name="regenerate_backup_codes"),
    path("account/keep-alive/", signin.keep_alive, name="keep_alive"),
    path("people/", people.people_list, name="invitations"),
    path("people/invite/", invitations.invitation_new, name="invite"),
    path("people/invitations/", invitations.invitation_list, name="invitation_list"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/give-a-role/", roles.give_role_to_person, name="give_role_to_person"),
    path("people/give-a-role/", roles.give_role_email, name="give_role"),
    path("people/give-a-role/role/", roles.give_role_role, name="give_role_role"),
    path("people/give-a-role/check/", roles.give_role_check, name="give_role_check"),
    path("people/give-a-role/done/", roles.give_role_done, name="give_role_done"),
    path("people/roles/<int:pk>/end/", roles.end_role, name="end_role"),
    path("people/invitations/<int:pk>/cancel/", invitations.invitation_cancel, name="cancel_invitation"),
    path("sign-in/invitation/<str:token>/", invitations.accept_invitation, name="accept_invitation"),
    path(
        "sign-in/reset-password/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "sign-in/reset-password/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "sign-in/reset-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "sign-in/reset-password/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
