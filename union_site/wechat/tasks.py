"""The 公众号 push as a background task (django-tasks, run by `manage.py db_worker`): uploads and WeChat's answers
take seconds each, so the admin's request only queues it (queue_push)."""

import logging

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from news.models import Article
from union_site.wechat.client import WechatClient, WechatError
from union_site.wechat.drafts import push
from union_site.wechat.models import WechatDraft

logger = logging.getLogger(__name__)
NOT_PUBLIC = "文章已不是公开状态（撤下、下线或改回草稿），未推送。"


@task()
def push_to_wechat(article_id, source_url, user_id=None):
    """Push one published article (union_site/wechat/drafts.py); the outcome is kept on its WechatDraft."""
    article = Article.objects.published().select_related("album__cover").filter(pk=article_id).first()
    if article is None:
        WechatDraft.objects.filter(article_id=article_id).update(state=WechatDraft.State.FAILED, error=NOT_PUBLIC)
        return {"media_id": None, "error": NOT_PUBLIC}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        pushed = push(article, source_url, WechatClient(), user)
    except WechatError as error:
        WechatDraft.objects.update_or_create(
            article=article, defaults={"state": WechatDraft.State.FAILED, "error": str(error)}
        )
        logger.warning("文章 %s 推送到公众号失败：%s", article_id, error)
        return {"media_id": None, "error": str(error)}
    return {"media_id": pushed.media_id, "updated": pushed.updated}


def queue_push(article, source_url, user):
    """Mark the article 排队中 and queue its push once this transaction commits; False when the queue refused it."""
    WechatDraft.objects.update_or_create(
        article=article, defaults={"state": WechatDraft.State.QUEUED, "error": "", "queued_at": timezone.now()}
    )
    try:
        push_to_wechat.enqueue(article.pk, source_url, user.pk)
    except Exception:
        logger.exception("公众号推送任务未能排队：文章 %s", article.pk)
        WechatDraft.objects.filter(article=article).update(
            state=WechatDraft.State.FAILED, error="任务未能排队，请稍后再推送一次。"
        )
        return False
    return True
