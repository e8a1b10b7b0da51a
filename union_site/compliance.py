"""What a government website's pages must say about themselves (国办发〔2017〕47号《政府网站发展指引》, 网页标签):
the site's name, domain and 网站标识码 on every page, the column's name and type on column pages, and the title, date,
source, keywords, author, summary and address on article pages; plus Open Graph tags for sharing.

`page_meta(context)` reads the page's context (the views put `article`, `column`, `album` there) and returns the
tags as (name, content) pairs; the template tag in templatetags/compliance.py renders them, escaped.

ColumnType (栏目类型), the mapping a site operator may need to adjust to the spec their supervisor applies:

    首页                                   首页
    news column named 通知公告, or of 版式 “公告列表”  通知公告
    news column named 政策文件                  政策文件
    any other news column, 新闻中心, 活动图集        新闻动态
    数说五年 (figures of the five years)          数据发布
"""

from django.utils import timezone
from django.utils.text import Truncator

from news.models import Article, Column

HOME, NEWS, NOTICE, POLICY, DATA = "首页", "新闻动态", "通知公告", "政策文件", "数据发布"
COLUMN_TYPES_BY_NAME = {"通知公告": NOTICE, "政策文件": POLICY}
ACHIEVEMENTS, GALLERY, NEWS_CENTRE, SEARCH = "数说五年", "活动图集", "新闻中心", "站内搜索"
DESCRIPTION_LENGTH = 200


def column_type(column):
    """栏目类型 of a news column: by its name first, then by its 版式."""
    if column.name in COLUMN_TYPES_BY_NAME:
        return COLUMN_TYPES_BY_NAME[column.name]
    if column.kind == Column.Kind.NOTICE:
        return NOTICE
    return NEWS


def beijing_minutes(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def short(text):
    return Truncator(" ".join((text or "").split())).chars(DESCRIPTION_LENGTH)


def _column_of(view_name, app_name, context):
    """(ColumnName, ColumnType, the column's description) of the page, or (None, None, "") outside any column."""
    column = context.get("column")
    if isinstance(column, Column):
        return column.name, column_type(column), column.description
    if view_name == "home":
        return HOME, HOME, ""
    if app_name == "news":
        return NEWS_CENTRE, NEWS, ""
    if app_name == "achievements":
        return ACHIEVEMENTS, DATA, ""
    if app_name == "gallery":
        return GALLERY, NEWS, ""
    if view_name == "search":
        return SEARCH, None, ""
    return None, None, ""


def page_meta(context, site_settings):
    """{"names": [(name, content)], "properties": [(property, content)]} for the page, empty values left out."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    app_name = match.app_name if match else ""
    absolute = request.build_absolute_uri if request else (lambda path: path)
    article = context.get("article") if view_name == "news:detail" else None
    article = article if isinstance(article, Article) else None
    album = context.get("album") if view_name == "gallery:album" else None

    column_name, column_kind, column_description = _column_of(view_name, app_name, context)
    names = [
        ("SiteName", site_settings.site_name),
        ("SiteDomain", site_settings.domain),
        ("SiteIDCode", site_settings.site_code),
        ("ColumnName", column_name),
        ("ColumnDescription", column_description),
        ("ColumnType", column_kind),
    ]
    title = site_settings.site_name if view_name == "home" else column_name or site_settings.site_name
    description = site_settings.description
    image = site_settings.logo.url if site_settings.logo else ""
    url = absolute(request.path) if request else ""
    properties = []
    if article:
        url = absolute(article.get_absolute_url())
        title, description = article.title, short(article.lead)
        image = _article_image(article) or image
        names += [
            ("ArticleTitle", article.title),
            ("PubDate", beijing_minutes(article.publish_at)),
            ("ContentSource", article.source or site_settings.sponsor_or_name),
            ("Keywords", ",".join(word for word in [article.doc_topic, article.column.name] if word)),
            ("Author", article.byline),
            ("Description", description),
            ("Url", url),
        ]
        properties.append(("article:published_time", timezone.localtime(article.publish_at).isoformat("T", "seconds")))
    else:
        names.append(("keywords", site_settings.keywords))
        if album:
            title, description = album.title, short(album.description) or description
            image = _photo_image(album.cover) or image
    properties = [
        ("og:title", title),
        ("og:type", "article" if article else "website"),
        ("og:url", url),
        ("og:site_name", site_settings.site_name),
        ("og:description", description),
        ("og:image", absolute(image) if image else ""),
        *properties,
    ]
    return {
        "names": [(name, content) for name, content in names if content],
        "properties": [(prop, content) for prop, content in properties if content],
    }


def _photo_image(photo):
    return photo.medium.url if photo and photo.image else ""


def _article_image(article):
    if article.cover:
        return article.cover.url
    return _photo_image(article.album.cover) if article.album_id and article.album.cover_id else ""
