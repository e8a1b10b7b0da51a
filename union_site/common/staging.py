"""An uploaded file kept between an import's preview and its confirmation.

    stage(data) -> token     the bytes written to PRIVATE_ROOT/imports/<token> (never served), owner-only
    staged(token) -> bytes   or None: unknown token, or older than a day (then removed)
    discard(token)           removed now (confirmed, cancelled, or replaced by another upload)

The token goes into the person's session; confirming reads the file again, since the database may have changed since
the preview. Used by the figure import (achievements/admin_import.py) and the redirect import.
"""

import os
import re
import time
import uuid
from pathlib import Path

from django.conf import settings

FOLDER = "imports"
MAX_AGE = 24 * 60 * 60  # seconds: a preview nobody confirmed is forgotten after a day
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _folder():
    return Path(settings.PRIVATE_ROOT) / FOLDER


def stage(data):
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder)
    token = uuid.uuid4().hex
    # Owner-only: the web server that serves MEDIA_ROOT (as another user) cannot read it.
    descriptor = os.open(folder / token, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as staged_file:
        staged_file.write(data)
    return token


def staged(token):
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    path = _folder() / token
    try:
        if time.time() - path.stat().st_mtime > MAX_AGE:
            path.unlink(missing_ok=True)
            return None
        return path.read_bytes()
    except FileNotFoundError:
        return None


def discard(token):
    if isinstance(token, str) and _TOKEN.match(token):
        (_folder() / token).unlink(missing_ok=True)


def _sweep(folder):
    """Removes files of previews nobody confirmed."""
    cutoff = time.time() - MAX_AGE
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # removed by another request meanwhile
