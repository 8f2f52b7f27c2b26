"""Reading an uploaded file with a size cap: never more than the cap in memory or on disk.

Django's own handlers keep a whole upload (in memory up to FILE_UPLOAD_MAX_MEMORY_SIZE, then in
a temporary file of any size). `CappedUploadHandler` keeps at most `limit` + 1 bytes of the first
file and counts the rest as it goes by, so the view can refuse a file that is too large by its
real size without the request ever having held it. A view installs it before the request's body
is read, which means before the CSRF check reads the form:

    @csrf_exempt
    def view(request):
        capped_uploads(request, limit=MAX_BYTES)
        return _view(request)   # decorated with @csrf_protect
"""

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest


class CappedUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.kept = False  # only the first file of a request is kept at all

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.keep = not self.kept
        self.kept = True
        self.buffer = io.BytesIO()
        self.total = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.total += len(raw_data)
        room = self.limit + 1 - self.buffer.tell()
        if self.keep and room > 0:
            self.buffer.write(raw_data[:room])
        return None  # consumed here: no other handler stores it

    def file_complete(self, file_size: int) -> InMemoryUploadedFile | None:
        if not self.keep:
            return None
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=self.total,  # the file's real size, however much of it was kept
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def capped_uploads(request: HttpRequest, *, limit: int) -> None:
    """Makes the request read its uploads through `CappedUploadHandler` only."""
    request.upload_handlers = [CappedUploadHandler(request, limit=limit)]


def read_capped(upload: Any, *, limit: int) -> bytes | None:
    """The upload's bytes, or None when it is larger than `limit` (read no further than that)."""
    if (upload.size or 0) > limit:
        return None
    upload.seek(0)
    data: bytes = upload.read(limit + 1)
    return None if len(data) > limit else data
