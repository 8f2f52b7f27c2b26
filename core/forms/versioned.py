"""A form that carries the version of the record it was opened at: the optimistic lock every
editing page shares (the case, an agency's summary, a local review)."""

from typing import Any

from django import forms
from django.http import QueryDict

from core.forms.lengths import ServerCheckedLengths

# Within a PositiveIntegerField on every database Django supports, with room for the next version
# (a save writes expected + 1): a version beyond it was never issued, and 2^63 - 1 could not even
# be stored plus one (SQLite) or compared with an integer column (PostgreSQL).
VERSION_MAX = 2_147_483_646
STALE_VERSION = (
    "Someone else saved this page while you were working on it, or it was opened too long ago. "
    "Your text is below and has not been saved: check it, then save again."
)


class VersionedForm(ServerCheckedLengths, forms.Form):
    """A form that carries the version it was opened at (`version`, hidden). A version that is not
    a number within range was not issued by the service: it is a clash, like a stale one, so the
    page comes back with the person's text and the version given when it was opened."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=VERSION_MAX)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "version" in self.errors:
            del self.errors["version"]
            self.add_error(None, STALE_VERSION)
            if self.is_bound and "version" in self.initial:
                # A copy keeps every value of a list (the decision's themes); the person's own words stay.
                rebound = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
                rebound["version"] = str(self.initial["version"])
                self.data = rebound
        return data
