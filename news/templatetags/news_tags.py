"""Template tags of the news pages. The markup lives in the partials named below, so a designer can restyle it
without touching Python."""

from django import template
from django.template.loader import render_to_string

from news.attachments import with_pending_downloads

register = template.Library()


@register.simple_tag
def document_meta(article):
    """索引号, 发文字号, 成文日期, 主题分类, 有效性 of an article that is an official document; else nothing."""
    if not article.has_document_meta:
        return ""
    return render_to_string("news/_document_meta.html", {"article": article})


@register.simple_tag
def attachment_list(article):
    """附件 of an article page: its attachments (prefetched by the view) with their download counts; else nothing."""
    attachments = with_pending_downloads(article.attachments.all())
    if not attachments:
        return ""
    return render_to_string("news/_attachments.html", {"attachments": attachments})
