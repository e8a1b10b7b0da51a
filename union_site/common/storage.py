"""Writing uploaded files so that a write failing midway (a full disk) leaves nothing behind."""


def save_whole_or_nothing(storage, name, content):
    """Saves `content` under `name` (which must be fresh, e.g. a UUID) and returns the stored name; if the write
    fails, whatever part of it reached the storage is deleted and the error raised."""
    try:
        return storage.save(name, content)
    except Exception:
        if storage.exists(name):  # the name is fresh, so a file under it can only be this write's remains
            storage.delete(name)
        raise
