from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The invented Northshire demo across every stage: `manage.py seed_demo` seeds the people, the
    deadline demo (cases taken through the referral and the rapid review to put clocks in every
    status) and then each stage's own `seed`."""

    name = "demo"
    verbose_name = "Demo data"
