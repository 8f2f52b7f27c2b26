"""UK telephone numbers, as the GOV.UK Design System asks them to be taken: spaces, brackets,
dashes and dots are allowed (people type them), a number may start +44 or 0044 for the UK, and an
extension may follow ("ext 123"). Anything else, a script tag among them, gets the GOV.UK message."""

import re

from django.core.exceptions import ValidationError

UK_PHONE_ERROR = "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"

_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[\s()\-.]")


def uk_phone_number(value: str) -> str:
    """The number as typed, trimmed, when it is a UK number; ValidationError otherwise.

    A UK number has 10 or 11 digits starting 0 (01, 02, 03, 05, 07, 08, 09): 01632 960001,
    07700 900982, 0800 123 4567; or the same without its 0 after +44 / 0044 / (0)."""
    typed = value.strip()
    number = _EXTENSION.sub("", typed)
    digits = _PUNCTUATION.sub("", number)
    if digits.startswith("+44"):
        digits = "0" + digits[3:].removeprefix("0")
    elif digits.startswith("0044"):
        digits = "0" + digits[4:].removeprefix("0")
    if not re.fullmatch(r"0[1235789]\d{8,9}", digits):
        raise ValidationError(UK_PHONE_ERROR, code="invalid")
    return typed


def is_uk_phone_number(value: str) -> bool:
    try:
        uk_phone_number(value)
    except ValidationError:
        return False
    return True
