"""What a save or delete of an article makes stale: its topics (union_site/common/generation.py), so that the
cached parts of other columns' pages and of other articles stay good (union_site/common/page_parts.py).

An article shows on its own page, on its column's list and its neighbours' 上一篇/下一篇/相关文章 (column topic), and
on the home page, the news centre and the feeds (NEWS). An article moved to another column leaves the old one too.
Every other change of content (columns, attachments, albums, settings) renews ANY, which every part depends on."""

from django.db.models.signals import pre_save

NEWS = "news"


def column_topic(column_id):
    return f"column:{column_id}"


def article_topic(pk):
    return f"article:{pk}"


def article_topics(article):
    topics = {NEWS, column_topic(article.column_id), article_topic(article.pk)}
    before = getattr(article, "_column_before", None)
    if before is not None:
        topics.add(column_topic(before))
    return topics


def _remember_column(sender, instance, raw=False, **kwargs):
    """Before a save: the column the row had, whose list loses it when it moves (one small query per save)."""
    if instance.pk is not None and not raw:
        instance._column_before = (
            sender._base_manager.filter(pk=instance.pk).values_list("column_id", flat=True).first()
        )


def watch_articles(model):
    from union_site.common import generation

    pre_save.connect(_remember_column, sender=model, dispatch_uid="news.topics.column_before", weak=False)
    generation.watch(model, topics=article_topics)
