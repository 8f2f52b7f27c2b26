from core.forms.fields import DateInputError, GOVUKDateField, GOVUKDateWidget
from core.forms.lengths import ServerCheckedLengths
from core.forms.renderer import GOVUKFormRenderer
from core.forms.times import parse_time
from core.forms.versioned import STALE_VERSION, VERSION_MAX, VersionedForm

__all__ = [
    "STALE_VERSION",
    "VERSION_MAX",
    "DateInputError",
    "GOVUKDateField",
    "GOVUKDateWidget",
    "GOVUKFormRenderer",
    "ServerCheckedLengths",
    "VersionedForm",
    "parse_time",
]
