from django.apps import AppConfig


class RapidreviewsConfig(AppConfig):
    name = "rapidreviews"
