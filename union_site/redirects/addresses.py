"""A redirect's old and new addresses, as people write them and as they are stored.

    old_path(text) -> "/col/col789/index.html"   an old link pasted whole (http://old.example.gov.cn/…) keeps its path
    new_path(text) -> "/news/12/", or "https://other.example.org/…" for a page elsewhere
    shown(path)    -> the address as a person reads it: /新闻/ rather than /%E6%96%B0%E9%97%BB/
    AddressError   -> why an address cannot be used, in Chinese, for the person who wrote it

Stored the way Django writes a request's address (`request.get_full_path()`: percent-encoded), so /新闻/ and
/%E6%96%B0%E9%97%BB/ are one address and a stored one matches the request exactly. An old address keeps a query
string written with it (?id=12 tells the pages of an old dynamic site apart), but not the parameters WeChat and
trackers add to shared links (from=singlemessage, isappinstalled=0, utm_*, …): a link pasted from a WeChat post
would otherwise match only visitors of that one share. The middleware tries an address with its query string first,
then without (middleware.py). The fragment (#…) never reaches the server and is dropped from old addresses.
"""

import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.encoding import escape_uri_path, iri_to_uri

from union_site.common.text import strip_controls

MAX_LENGTH = 200  # django.contrib.redirects' old_path and new_path
# Parameters added to shared links, never part of what a page is (WeChat, its share sheet, analytics).
TRACKING_PARAMETERS = {
    "from",
    "isappinstalled",
    "scene",
    "subscene",
    "clicktime",
    "enterid",
    "sharer_shareid",
    "sharer_sharetime",
    "wxfrom",
    "spm",
}
TRACKING_PREFIXES = ("utm_",)

OLD_FORM = "旧地址必须以 / 开头（如 /col/col789/index.html），或是 http:// 、https:// 开头的完整网址"
NEW_FORM = "新地址必须以 / 开头（本站的地址，如 /news/12/），或是 http:// 、https:// 开头的完整网址"
SAME = "旧地址和新地址相同：跳转会指向自己"
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class AddressError(ValueError):
    """An address that cannot be used; the message is for the person who wrote it."""


def _text(value):
    return strip_controls(str(value if value is not None else "")).strip()


def _refuse_spaces(text, which):
    if any(character.isspace() for character in text):
        raise AddressError(f"{which}里有空格：每格只填一个地址（地址本身带空格时写成 %20）")


def _path(path):
    """/新闻/a b → /%E6%96%B0%E9%97%BB/a%20b, whichever way it was written."""
    return escape_uri_path(unquote(path or "/"))


def _query(query):
    def name(part):
        return unquote(part.split("=", 1)[0]).lower()

    kept = [
        part
        for part in query.split("&")
        if part and name(part) not in TRACKING_PARAMETERS and not name(part).startswith(TRACKING_PREFIXES)
    ]
    return iri_to_uri("&".join(kept))


def _joined(path, query):
    return f"{path}?{query}" if query else path


def _checked_length(address, which):
    if len(address) > MAX_LENGTH:
        raise AddressError(f"{which}太长：最多 {MAX_LENGTH} 个字符（中文按网址编码计，一个字约占 9 个字符）")
    return address


def old_path(value):
    """The old address as stored (a path, maybe with a query string). Raises AddressError."""
    text = _text(value)
    if not text:
        raise AddressError("旧地址必填")
    _refuse_spaces(text, "旧地址")
    if _URL.match(text) or text.startswith("//"):
        parts = urlsplit(text if _URL.match(text) else f"http:{text}")
        if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
            raise AddressError(OLD_FORM)
    elif text.startswith("/"):
        parts = urlsplit(text)
    else:
        raise AddressError(OLD_FORM)
    return _checked_length(_joined(_path(parts.path), _query(parts.query)), "旧地址")


def own_hosts():
    """This site's names as ALLOWED_HOSTS lists them (patterns such as .example.org left out)."""
    return {host.lower() for host in settings.ALLOWED_HOSTS if host and not host.startswith((".", "*"))}


def new_path(value):
    """The new address as stored: a path on this site, or a full http(s) URL elsewhere. A full URL of this site
    (one of ALLOWED_HOSTS) is stored as its path, so the redirect follows the site to another domain. Raises
    AddressError."""
    text = _text(value)
    if not text:
        raise AddressError("新地址必填")
    _refuse_spaces(text, "新地址")
    if _URL.match(text):
        parts = urlsplit(text)
        if parts.scheme.lower() not in {"http", "https"}:
            raise AddressError(NEW_FORM)
        if (parts.hostname or "").lower() not in own_hosts():  # else this site's own address: its path, below
            try:
                URLValidator(schemes=["http", "https"])(text)
            except ValidationError:
                raise AddressError("新地址不是有效的网址，请检查是否写错（如 https://www.example.org/page）") from None
            return _checked_length(iri_to_uri(text), "新地址")
    elif text.startswith("/") and not text.startswith("//"):
        parts = urlsplit(text)
    else:
        raise AddressError(NEW_FORM)
    address = _joined(_path(parts.path), iri_to_uri(parts.query))
    if parts.fragment:
        address += "#" + iri_to_uri(parts.fragment)
    return _checked_length(address, "新地址")


def shown(address):
    return unquote(address or "")
