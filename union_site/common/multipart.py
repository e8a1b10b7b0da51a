"""Counting the files of a multipart upload, so that a form sent with more files than Django accepts
(`DATA_UPLOAD_MAX_NUMBER_FILES`) can say how many were chosen, in the form, instead of a bare 400.

Django's parser stops at the first file over the limit (TooManyFilesSent) and discards the whole body. A view
that wants the count inserts `FileCountHandler` first in `request.upload_handlers` before it reads the body (the
view must then be exempt from the CSRF middleware, which would read the body first, and check CSRF itself after:
the pattern of Django's "modifying upload handlers on the fly"). The handler runs Django's own parser over the body
while counting the file parts that pass; when the parser stops, it reads the rest of the body to finish the count
and raises `TooManyFiles` (a TooManyFilesSent) carrying it. Nothing of such a body is kept.
"""

import re

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParser

READ_SIZE = 64 * 1024
MAX_HEADERS = 8 * 1024  # a part's headers longer than this are not counted (Django refuses them anyway)
FILE_PART = re.compile(rb";\s*filename\*?\s*=", re.IGNORECASE)


def too_many_files_message(count=None):
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
    chosen = f"您选择了 {count} 个" if count else "您选择的文件超过了这个数"
    return f"一次最多上传 {limit} 个文件，{chosen}；请分批上传，每次不超过 {limit} 个。"


class TooManyFiles(TooManyFilesSent):
    def __init__(self, count):
        super().__init__(f"{count} files sent, more than settings.DATA_UPLOAD_MAX_NUMBER_FILES.")
        self.count = count


class FilePartCounter:
    """Reads a multipart body for the parser and counts its file parts: a part whose headers name a filename, as
    Django counts them (a file input left empty sends one too)."""

    def __init__(self, stream, boundary):
        self.stream = stream
        self.delimiter = b"\r\n--" + boundary
        self.pending = b"\r\n"  # the body's first delimiter comes without the line break before it
        self.files = 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self._scan(data)
        return data

    def read_to_end(self):
        while self.read(READ_SIZE):
            pass

    def _scan(self, data):
        text, start = self.pending + data, 0
        while (found := text.find(self.delimiter, start)) >= 0:
            headers_start = found + len(self.delimiter)
            headers_end = text.find(b"\r\n\r\n", headers_start)
            if headers_end < 0:  # the headers go on in the next chunk
                self.pending = text[found:] if len(text) - found <= MAX_HEADERS else b""
                return
            if FILE_PART.search(text, headers_start, headers_end):
                self.files += 1
            start = headers_end
        # Keep what could be the start of a delimiter cut by the chunk's end (too short to hold a whole one).
        self.pending = text[max(start, len(text) - len(self.delimiter) + 1) :]


class FileCountHandler(FileUploadHandler):
    """First of `request.upload_handlers`: parses the body with the other handlers, counting its files."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        counter = FilePartCounter(input_data, boundary)
        try:
            return MultiPartParser(META, counter, others, encoding).parse()
        except TooManyFilesSent:
            counter.read_to_end()
            raise TooManyFiles(counter.files) from None

    def receive_data_chunk(self, raw_data, start):  # never called: the parser above is given the other handlers
        return raw_data

    def file_complete(self, file_size):
        return None
