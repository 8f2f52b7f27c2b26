from core.forms.fields import DateInputError, GOVUKDateField, GOVUKDateWidget
from core.forms.lengths import ServerCheckedLengths
from core.forms.renderer import GOVUKFormRenderer
from core.forms.times import parse_time

__all__ = [
    "DateInputError",
    "GOVUKDateField",
    "GOVUKDateWidget",
    "GOVUKFormRenderer",
    "ServerCheckedLengths",
    "parse_time",
]
