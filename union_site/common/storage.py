"""Uploaded files: read within a size limit, and written so that a write failing midway (a full disk) leaves
nothing behind."""


def save_whole_or_nothing(storage, name, content):
    """Saves `content` under `name` (which must be fresh, e.g. a UUID) and returns the stored name; if the write
    fails, whatever part of it reached the storage is deleted and the error raised."""
    try:
        return storage.save(name, content)
    except Exception:
        if storage.exists(name):  # the name is fresh, so a file under it can only be this write's remains
            storage.delete(name)
        raise


class TooBig(Exception):
    """An upload over its size limit."""


def read_limited(uploaded_file, limit):
    """The upload's bytes, refusing more than `limit` (TooBig): the size the upload declares is checked before
    anything is read, and at most `limit` + 1 bytes are ever read into memory."""
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > limit:
        raise TooBig
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise TooBig
    return data
