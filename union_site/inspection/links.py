"""Links of public content: found, sorted into this site's own and other sites', and this site's own checked.

    body_links(html)          [(kind, address)]: every <a href> and <img src> of a body, read by html.parser
    public_links()            [(Place, kind, address)]: public articles' bodies and the 友情链接 shown in the footer
    Targets().of(address, base)  Target(internal, address), or None for what is not a web address (mailto:, #top)
    InternalChecker().problem(address)  why an address of this site would not answer a visitor; "" when it does

An address is this site's own when it is relative or its host is one of this site's names (ALLOWED_HOSTS without
patterns, as the redirects read it, and 网站设置's 网站域名). It is checked without any request: against the
URLconf (`django.urls.resolve`), then the object the page shows, by the same rule its view uses (/news/12/ must be a
public article, /attachments/5/… a public article's attachment with its file), files in the storage (/media/…) and
the static files (/static/…). An address that does not answer may still be good: a redirect (重定向, django.contrib.
redirects) sends its visitors on, exactly as the redirect middleware would.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse
from django.utils.encoding import iri_to_uri

from achievements.models import Metric, Section
from gallery.models import Album
from news.models import Article, Attachment, Column
from union_site.mailbox.models import Letter
from union_site.models import QuickLink
from union_site.redirects.addresses import own_hosts
from union_site.redirects.middleware import redirect_for
from union_site.site_settings import get_site_settings

LINK, IMAGE = "链接", "图片"
WANTED = {"a": ("href", LINK), "img": ("src", IMAGE)}
WEB_SCHEMES = {"", "http", "https"}


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in WANTED:
            name, kind = WANTED[tag]
            self.found += [(kind, value.strip()) for attr, value in attrs if attr == name and value and value.strip()]


# The start tags of links and pictures, quoted values kept whole (a title may hold ">"): html.parser reads each one,
# and skips the rest of the body, which is text (its "<" written as &lt;), 20 times faster than parsing it all.
LINK_TAGS = re.compile(r"""<(?:a|img)\s(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)


def body_links(html):
    """Each (kind, address) of the body once, in order."""
    parser = _LinkParser()
    for tag in LINK_TAGS.finditer(html or ""):
        parser.feed(tag.group())
    parser.close()
    return list(dict.fromkeys(parser.found))


@dataclass(frozen=True)
class Place:
    """Where a link is: what a person calls it, its public page and the admin page where it is edited."""

    where: str
    url: str
    fix_url: str


def public_links():
    """[(place, kind, address)] of every public article's body and every 友情链接 shown, articles in id order."""
    found = []
    public_url, admin_url = pk_url("news:detail"), pk_url("admin:news_article_change")
    articles = Article.objects.published().only("id", "title", "body").order_by("id")
    for article in articles.iterator(chunk_size=500):
        links = body_links(article.body)
        if links:
            place = Place(f"文章《{article.title}》", public_url(article.pk), admin_url(article.pk))
            found += [(place, kind, address) for kind, address in links]
    for link in QuickLink.objects.shown():
        place = Place(
            f"友情链接“{link.name}”", reverse("home"), reverse("admin:union_site_quicklink_change", args=[link.pk])
        )
        found.append((place, LINK, link.url))
    return found


def pk_url(name):
    """pk -> reverse(name, args=[pk]) with one reverse() in all: a report reads thousands of rows (Article's
    get_absolute_url is reverse("news:detail"), its admin page reverse("admin:news_article_change"))."""
    stand_in = "987654321"
    address = reverse(name, args=[int(stand_in)])
    return lambda pk: address.replace(stand_in, str(pk))


@dataclass(frozen=True)
class Target:
    internal: bool
    address: str  # internal: the path with its query string; external: the whole URL, without its #fragment


def site_hosts():
    hosts = own_hosts()
    domain = get_site_settings().domain
    return hosts | {domain.lower()} if domain else hosts


class Targets:
    """Where addresses lead, for one run: this site's names and the uploads' URL prefix are read once."""

    def __init__(self):
        self.hosts = site_hosts()
        self.uploads = storage_url_prefix()

    def of(self, address, base="/"):
        """Where `address`, written on the page at `base`, leads; None for mailto:, tel:, #fragments and the like."""
        address, _ = urldefrag(address.strip())
        if not address:
            return None
        parts = urlsplit(address)
        scheme = parts.scheme.lower()
        if scheme not in WEB_SCHEMES:
            return None
        if not parts.netloc:
            if scheme:  # http:foo, nothing a browser would follow as a page of this site
                return None
            joined = urlsplit(urljoin(base, address))
            return Target(True, _joined(joined.path or "/", joined.query))
        absolute = address if scheme else f"http:{address}"
        if self.uploads and absolute.startswith(self.uploads):  # a picture in a bucket: asked of the storage
            return Target(True, settings.MEDIA_URL + urlsplit(absolute.removeprefix(self.uploads)).path)
        if (parts.hostname or "").lower() in self.hosts:
            return Target(True, _joined(parts.path or "/", parts.query))
        return Target(False, iri_to_uri(absolute))


def storage_url_prefix():
    """What the uploads' storage puts before a file's name in its URLs when that is another host (a bucket, a CDN):
    https://bucket.example.com/location/; "" when uploads are served at this site's MEDIA_URL, or URLs are signed."""
    probe = "probe.txt"
    url = default_storage.url(probe)
    if "?" in url or not url.endswith(probe) or not urlsplit(url).netloc:
        return ""
    return url.removesuffix(probe)


def _joined(path, query):
    return f"{path}?{query}" if query else path


class StoredFiles:
    """Which files the uploads' storage holds, asked once per folder (a listing) rather than once per file: on a
    bucket every question is a request, and a report names thousands of pictures in a few month folders."""

    def __init__(self, storage=default_storage):
        self.storage = storage
        self.folders = {}

    def __contains__(self, name):
        folder, _, base = (name or "").strip("/").rpartition("/")
        if folder not in self.folders:
            try:
                self.folders[folder] = set(self.storage.listdir(folder)[1])
            except (FileNotFoundError, SuspiciousFileOperation):  # no such folder; ../ out of the uploads
                self.folders[folder] = set()
        return bool(base) and base in self.folders[folder]


# The pages that show one object: (its public queryset, the URL's keyword, what a visitor gets when it is not there).
PUBLIC_OBJECTS = {
    "news:detail": (Article.objects.published, "pk", "文章不存在或未公开"),
    "news:column": (Column.objects.all, "slug", "栏目不存在"),
    "news:column_feed": (Column.objects.all, "slug", "栏目不存在"),
    "downloads:file": (Attachment.objects.public, "pk", "附件不存在或所属文章未公开"),
    "downloads:file_by_id": (Attachment.objects.public, "pk", "附件不存在或所属文章未公开"),
    "achievements:section": (Section.objects.published, "pk", "数说五年板块不存在或未公开"),
    "achievements:metric": (Metric.objects.published, "pk", "数说五年指标不存在或未公开"),
    "gallery:album": (Album.objects.published, "pk", "相册不存在或未公开"),
    "mailbox:detail": (Letter.objects.published, "pk", "来信不存在或未公开"),
}


class InternalChecker:
    """Checks this site's own addresses, each once per checker (a picture on many pages is looked up once)."""

    def __init__(self, stored=None):
        self.known = {}
        self.stored = StoredFiles() if stored is None else stored

    def problem(self, address):
        if address not in self.known:
            self.known[address] = self._problem(address)
        return self.known[address]

    def _problem(self, address):
        parts = urlsplit(address)
        path = unquote(parts.path)
        try:
            if path.startswith(settings.MEDIA_URL):
                return "" if path.removeprefix(settings.MEDIA_URL) in self.stored else "文件不存在"
            if path.startswith(settings.STATIC_URL):
                name = path.removeprefix(settings.STATIC_URL)
                return "" if finders.find(name) or staticfiles_storage.exists(name) else "文件不存在"
            reason = self._page_problem(path)
        except Exception as error:  # a storage that does not answer: said, not hidden
            return f"无法检查（{type(error).__name__}）"
        if not reason:
            return ""
        return self._redirect_problem(path, parts.query, reason)

    def _page_problem(self, path):
        match = _resolve(path)
        if match is None:
            return "本站没有这个地址"
        if match.view_name not in PUBLIC_OBJECTS:
            return ""
        queryset, keyword, missing = PUBLIC_OBJECTS[match.view_name]
        found = queryset().filter(**{keyword: match.kwargs[keyword]}).first()
        if found is None:
            return missing
        if isinstance(found, Attachment) and found.file.name not in self.stored:
            return "附件的文件不在存储里"
        return ""

    def _redirect_problem(self, path, query, reason):
        """A missing page answered by a redirect is good (union_site/redirects/middleware.py decides as it would)."""
        request = HttpRequest()
        request.path = request.path_info = path
        request.META["QUERY_STRING"] = query
        new = redirect_for(request)
        if new is None:
            return reason
        return "" if new else "地址已设为永久删除（410）"


def _resolve(path):
    candidates = [path]
    if settings.APPEND_SLASH and not path.endswith("/"):
        candidates.append(path + "/")  # CommonMiddleware sends /news/12 on to /news/12/
    for candidate in candidates:
        try:
            return resolve(candidate)
        except Resolver404:
            continue
    return None
