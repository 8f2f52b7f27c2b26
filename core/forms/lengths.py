"""Long answers are checked by the server, not cut by the browser."""

from typing import Any


class ServerCheckedLengths:
    """A form mixin: no `maxlength` on its inputs. A browser cuts a paste at maxlength without a word
    (the end of a long source record simply went), while the server's check keeps the whole text
    on the page with a GOV.UK message saying how long it may be."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)
