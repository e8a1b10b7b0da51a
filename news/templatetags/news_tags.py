"""Template tags of the news pages. The markup lives in the partials named below, so a designer can restyle it
without touching Python."""

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.simple_tag
def document_meta(article):
    """索引号, 发文字号, 成文日期, 主题分类, 有效性 of an article that is an official document; else nothing."""
    if not article.has_document_meta:
        return ""
    return render_to_string("news/_document_meta.html", {"article": article})
