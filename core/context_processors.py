from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "SERVICE_OWNER": settings.SERVICE_OWNER,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
        "SESSION_IDLE_SECONDS": settings.SESSION_IDLE_SECONDS,
    }
