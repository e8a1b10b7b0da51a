"""RSS 2.0 feeds of published articles: the whole site, and one per column."""

import copy
import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse

from news.models import Article, Column
from union_site.common.text import strip_controls

FEED_ITEMS = 30


def feed_text(text):
    """Plain text for a title or description: feed readers take both as HTML once the XML is read, so the text is
    HTML-escaped here (and the XML writer escapes it once more). A summary reading `<img src=x onerror=…>` is then
    shown as those characters, as the site shows it, never run as markup."""
    return html.escape(strip_controls(text or ""), quote=False)


class ArticleFeed(Feed):
    """The site's latest published articles. Every text is stripped of control characters: XML 1.0 cannot hold
    them, and rows written by imports or raw SQL never went through save(). Titles and descriptions are plain text,
    escaped for readers that show them as HTML (feed_text).

    Links are on the host the feed was fetched from: Django would write the domain of the sites framework's one
    record (installed for the redirects) into every link not already absolute, so the feed's links are made
    absolute here. One instance serves every request, so each request gets a copy that knows its host."""

    site_url = ""  # "https://www.example.org", set on the copy made for each request

    def __call__(self, request, *args, **kwargs):
        feed = copy.copy(self)
        feed.site_url = f"{request.scheme}://{request.get_host()}"
        feed.request_path = request.path
        return super(ArticleFeed, feed).__call__(request, *args, **kwargs)

    def absolute(self, path):
        return self.site_url + path

    def feed_url(self):
        return self.absolute(self.request_path)

    def item_link(self, item):
        return self.absolute(item.get_absolute_url())

    def title(self):
        return feed_text(f"{settings.SITE_NAME} - 新闻")

    def description(self):
        return feed_text(f"{settings.SITE_NAME}官方网站最新发布的新闻。")

    def link(self):
        return self.absolute(reverse("news:list"))

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.articles(obj).select_related("column").order_by("-publish_at", "-id")[:FEED_ITEMS]

    def item_title(self, item):
        return feed_text(item.title)

    def item_description(self, item):
        # The summary is plain text as written; a lead cut from the body is the body's text with its entities
        # (&amp;, &nbsp;) decoded. Either is then escaped as a whole.
        return feed_text(item.lead)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return strip_controls(item.byline) or None

    def item_categories(self, item):
        return [strip_controls(item.column.name)]


class ColumnFeed(ArticleFeed):
    """One column's latest published articles."""

    def get_object(self, request, slug):
        return get_object_or_404(Column, slug=slug)

    def title(self, obj):
        return feed_text(f"{settings.SITE_NAME} - {obj.name}")

    def description(self, obj):
        return feed_text(obj.description or f"{settings.SITE_NAME}“{obj.name}”栏目最新发布的文章。")

    def link(self, obj):
        return self.absolute(obj.get_absolute_url())

    def articles(self, obj):
        return Article.objects.published().filter(column=obj)
