"""What a government website's pages must say about themselves (国办发〔2017〕47号《政府网站发展指引》, 网页标签):
the site's name, domain and 网站标识码 on every page, the column's name and type on column pages, and the title, date,
source, keywords, author, summary and address on article pages; plus Open Graph tags for sharing.

This module holds the site-wide part and the merging only. What a page says about itself is its `page_meta`: a plain
dict, {tag: value}, that the view puts in the template context. Keys without a colon are meta names (ColumnName,
ColumnDescription, ColumnType, ArticleTitle, PubDate, ContentSource, Keywords, Author, Description, Url); keys with
one are Open Graph properties (og:title, og:type, og:url, og:description, og:image, article:published_time). A page
about an object asks the object (Article.page_meta(), Column.page_meta(), Album.page_meta()); a page without one
names its column in a constant beside its view (news NEWS_CENTRE_META, gallery GALLERY_PAGE_META, achievements
PAGE_META; HOME_META and SEARCH_META in union_site/views.py). A page without page_meta (404, 500) has the site's tags.

`page_meta(context, site_settings)` merges them into (name, content) pairs, which the template tag in
templatetags/compliance.py renders, escaped:

- SiteName, SiteDomain, SiteIDCode and og:site_name always come from 网站设置; the page's names follow, in its order,
  then 网站设置's `keywords` unless the page gives its own Keywords;
- Open Graph: og:title, og:type, og:url, og:site_name, og:description, og:image, then the page's other properties;
- a tag the page leaves out or sets to None takes the site's default, where there is one: og:title the site name,
  og:type website, og:url this page's address, og:description and og:image 网站设置's description and logo,
  ContentSource the 主办单位; a tag that ends up empty is left out;
- the page's Description and og:description are folded onto one line and cut at DESCRIPTION_LENGTH characters;
  Url, og:url and og:image are made absolute addresses.

ColumnType (栏目类型): the mapping table is with Column.column_type in news/models.py.
"""

from django.utils.text import Truncator

OPEN_GRAPH = ["og:title", "og:type", "og:url", "og:site_name", "og:description", "og:image"]
DESCRIPTIONS = {"Description", "og:description"}
ADDRESSES = {"Url", "og:url", "og:image"}
DESCRIPTION_LENGTH = 200


def short(text):
    return Truncator(" ".join((text or "").split())).chars(DESCRIPTION_LENGTH)


def site_defaults(site_settings, request):
    """The value of a tag a page leaves to the site."""
    return {
        "ContentSource": site_settings.sponsor_or_name,
        "og:title": site_settings.site_name,
        "og:type": "website",
        "og:url": request.path if request else "",
        "og:description": site_settings.description,
        "og:image": site_settings.logo.url if site_settings.logo else "",
    }


def page_meta(context, site_settings):
    """{"names": [(name, content)], "properties": [(property, content)]} for the page, empty values left out."""
    request = context.get("request")
    absolute = request.build_absolute_uri if request else (lambda path: path)
    site = {
        "SiteName": site_settings.site_name,
        "SiteDomain": site_settings.domain,
        "SiteIDCode": site_settings.site_code,
        "og:site_name": site_settings.site_name,
    }
    page = {key: value for key, value in (context.get("page_meta") or {}).items() if key not in site}
    if "Keywords" not in page:
        page["keywords"] = site_settings.keywords
    tags = {**site, **page}
    defaults = site_defaults(site_settings, request)

    def content(key):
        value = tags.get(key)
        if value is None:
            value = defaults.get(key, "")
        elif key in DESCRIPTIONS:
            value = short(value)
        return absolute(value) if value and key in ADDRESSES else value

    names = [(key, content(key)) for key in tags if ":" not in key]
    properties = [(key, content(key)) for key in OPEN_GRAPH]
    properties += [(key, content(key)) for key in tags if ":" in key and key not in OPEN_GRAPH]
    return {
        "names": [(name, value) for name, value in names if value],
        "properties": [(prop, value) for prop, value in properties if value],
    }
