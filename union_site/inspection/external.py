"""External links (to other sites) of public content, checked by the task worker, never in a visitor's request.

    enqueue_external_check()   queue one check (the 网站巡检 page's button); False when one is already waiting
    check_external_links()     the check itself (the task, or `manage.py inspect_site --check-external` inline)
    check_url(url, …)          (status, error) of one address: HEAD, then GET when HEAD is answered with an error

A check takes the addresses that public articles and the 友情链接 link to (union_site/inspection/links.py), leaves
out those checked within the last `reuse_days` (their result is reused) and asks at most `per_run` of the others,
never checked first, then the longest ago. Addresses of one host are asked one after the other, each request
starting at least `host_interval` seconds after the one before (a HEAD and its GET fallback are two requests); hosts
are asked side by side in `threads` threads. Each request gives up after `timeout` seconds. Results are stored in
ExternalLink (status or error, and when); addresses no longer linked are forgotten. Settings: INSPECTION_EXTERNAL.

A link into this server's own network (127.0.0.1, 10.x, 192.168.x, link-local …), directly or by a redirect, is not
asked unless `private_hosts` is on: an address in an article must not make the server probe its own network.
"""

import http.client
import ipaddress
import logging
import socket
import ssl
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, HTTPSHandler, Request, build_opener

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from union_site.inspection.links import Targets, public_links
from union_site.inspection.models import URL_LENGTH, ExternalLink

logger = logging.getLogger(__name__)

USER_AGENT = "Mozilla/5.0 (compatible; union-site link check)"
QUEUED_KEY = "inspection:external:queued"  # when a check was queued and has not run yet
RUNNING_KEY = "inspection:external:running"  # a lock: one check at a time
QUEUED_SECONDS = 6 * 3600  # a queued check the worker never ran stops blocking the button after this
RUNNING_SECONDS = 3600
ERROR_LENGTH = ExternalLink._meta.get_field("error").max_length


def options():
    return settings.INSPECTION_EXTERNAL


class PrivateAddress(URLError):
    """The address (or where it redirects) is inside the network: not asked."""


def address_problem(url, private_hosts):
    """Why `url` is not asked: not http(s), or its host is inside the network; "" when it may be asked."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return "不是 http(s) 网址"
    if private_hosts:
        return ""
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ""  # the request itself says 域名无法解析
    if any(not ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in found):
        return "指向内网或保留地址，不检查"
    return ""


class _CheckedRedirects(HTTPRedirectHandler):
    def __init__(self, private_hosts):
        self.private_hosts = private_hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        problem = address_problem(newurl, self.private_hosts)
        if problem:
            raise PrivateAddress(f"跳转到 {newurl[:100]}：{problem}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(private_hosts):
    return build_opener(_CheckedRedirects(private_hosts), HTTPSHandler(context=ssl.create_default_context()))


def _described(error, timeout):
    reason = getattr(error, "reason", error)
    if isinstance(error, PrivateAddress):
        return str(reason)
    if isinstance(reason, TimeoutError):
        return f"超时：{timeout} 秒内没有回答"
    if isinstance(reason, ConnectionRefusedError):
        return "连接被拒绝"
    if isinstance(reason, socket.gaierror):
        return "域名无法解析"
    if isinstance(reason, ssl.SSLError):
        return f"HTTPS 证书或加密出错：{getattr(reason, 'reason', None) or reason}"
    if isinstance(reason, ConnectionError):
        return "连接中断"
    return f"无法访问：{reason}"


def _ask(opener, url, method, timeout):
    """(status, error) of one request; the body is never read."""
    # http(s) only: address_problem() refused every other scheme before this
    request = Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, ""
    except HTTPError as error:
        error.close()
        if error.code < 400:  # a redirect urllib would not follow further: a loop, or more than 10
            return error.code, "跳转次数过多或跳转地址无效"
        return error.code, ""
    except (URLError, OSError, ValueError, http.client.HTTPException) as error:
        return None, _described(error, timeout)[:ERROR_LENGTH]


class HostPace:
    """Requests to one host start at least `interval` seconds apart."""

    def __init__(self, interval):
        self.interval = interval
        self.last = None

    def wait(self):
        if self.last is not None:
            delay = self.last + self.interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        self.last = time.monotonic()


def check_url(url, *, timeout, pace, private_hosts=False, opener=None):
    """(status, error) of `url`: HEAD, and GET when HEAD got an error status (many servers refuse HEAD)."""
    problem = address_problem(url, private_hosts)
    if problem:
        return None, problem
    opener = opener or _opener(private_hosts)
    pace.wait()
    status, error = _ask(opener, url, "HEAD", timeout)
    if status is not None and status >= 400:
        pace.wait()
        status, error = _ask(opener, url, "GET", timeout)
    return status, error


def _check_host(urls, settings_):
    """[(url, status, error)] of one host's addresses, one after the other at the host's pace."""
    private_hosts = settings_["private_hosts"]
    pace, opener = HostPace(settings_["host_interval"]), _opener(private_hosts)
    found = []
    for url in urls:
        status, error = check_url(
            url, timeout=settings_["timeout"], pace=pace, private_hosts=private_hosts, opener=opener
        )
        found.append((url, status, error))
    return found


def linked_urls():
    """Every external address of public content (each once)."""
    targets = Targets()
    found = (targets.of(address, place.url) for place, _, address in public_links())
    return list(dict.fromkeys(t.address for t in found if t and not t.internal and len(t.address) <= URL_LENGTH))


def due_urls(urls, now, reuse_days):
    """The addresses whose result is missing or older than `reuse_days`: never checked first, then oldest."""
    checked = dict(ExternalLink.objects.values_list("url", "checked_at"))
    fresh_after = now - timedelta(days=reuse_days)
    due = [url for url in urls if url not in checked or checked[url] < fresh_after]
    return sorted(due, key=lambda url: (url in checked, checked.get(url) or now))


def check_external_links():
    """Check the due external links (at most `per_run`); returns {"checked", "broken", "waiting", "linked"}, or
    {"skipped": True} when another check is running."""
    if not cache.add(RUNNING_KEY, 1, RUNNING_SECONDS):
        return {"skipped": True}
    try:
        return _check(options())
    finally:
        cache.delete(RUNNING_KEY)


def _check(settings_):
    now = timezone.now()
    urls = linked_urls()
    due = due_urls(urls, now, settings_["reuse_days"])
    chosen = due[: settings_["per_run"]]
    by_host = {}
    for url in chosen:
        by_host.setdefault((urlsplit(url).hostname or "").lower(), []).append(url)
    with ThreadPoolExecutor(max_workers=max(1, settings_["threads"])) as pool:
        per_host = pool.map(lambda group: _check_host(group, settings_), by_host.values())
        results = [row for rows in per_host for row in rows]
    checked_at = timezone.now()
    linked = set(urls)
    with transaction.atomic():
        for url, status, error in results:
            ExternalLink.objects.update_or_create(
                url=url, defaults={"status": status, "error": error, "checked_at": checked_at}
            )
        gone = [pk for pk, url in ExternalLink.objects.values_list("pk", "url") if url not in linked]
        for start in range(0, len(gone), 500):
            ExternalLink.objects.filter(pk__in=gone[start : start + 500]).delete()
    broken = sum(1 for _, status, error in results if not ExternalLink(status=status, error=error).is_ok)
    return {"checked": len(results), "broken": broken, "waiting": len(due) - len(chosen), "linked": len(urls)}


@task()
def check_external_links_task():
    """The background task (manage.py db_worker): check_external_links(); the page's button may queue again after."""
    try:
        return check_external_links()
    finally:
        cache.delete(QUEUED_KEY)


def enqueue_external_check():
    """Queue one check; False when one is already queued or running (or the queue refused it: logged)."""
    if cache.get(RUNNING_KEY) or not cache.add(QUEUED_KEY, timezone.now(), QUEUED_SECONDS):
        return False
    try:
        check_external_links_task.enqueue()
    except Exception:
        cache.delete(QUEUED_KEY)
        logger.exception("外部链接检查未能排队")
        return False
    return True


def queued_at():
    """When a check was queued that has not run yet; None when none waits."""
    return cache.get(QUEUED_KEY)
