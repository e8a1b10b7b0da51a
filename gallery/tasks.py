"""Background tasks of the gallery (django-tasks, run by `manage.py db_worker`, README "the task worker")."""

import logging

from django_tasks import task

from gallery.renditions import process_photos

logger = logging.getLogger(__name__)


@task()
def make_renditions(photo_ids):
    """The rendition files of a bulk upload's photos (gallery/renditions.py process_photos); then they are shown."""
    ready, failed = process_photos(photo_ids)
    return {"ready": ready, "failed": failed}


def enqueue_renditions(photo_ids):
    """Queue make_renditions for these photos; True when queued. A refused enqueue (database down) is logged: the
    photos stay 处理中 and 后台 › 照片 › 重新生成缩略图 queues them again."""
    if not photo_ids:
        return False
    try:
        make_renditions.enqueue(list(photo_ids))
    except Exception:
        logger.exception("缩略图任务未能排队：照片 %s", list(photo_ids))
        return False
    return True
