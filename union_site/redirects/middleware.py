"""Redirects answer where a page is missing: a 404 whose address has a redirect becomes a 301 to its new address;
a 404 no redirect answers is counted in the 404 log (not_found.record).

django.contrib.redirects' own middleware matches the address with its query string only, so an old link shared as
/art/2023/4/27/art_1.html?from=timeline would stay a 404. Here one query looks for, in this order:

1. the address with its query string (a redirect written for /show.asp?id=12, where the query tells pages apart);
2. the address without it (the redirect written for /art/…/art_1.html also answers ?from=timeline, ?uid=1 …);
3. with APPEND_SLASH, both again with a slash added (/col/col789 finds the redirect of /col/col789/).

The new address is used as written: the old query string is not carried over. Only 404s are looked at, so a
redirect never hides a page that exists. The 301 may be kept by browsers for BROWSER_SECONDS and by shared caches
(nginx's micro-cache) as long as a page; the page cache above never stores it (only 200s), so a redirect added or
changed in the admin answers at once.
"""

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.db import DatabaseError
from django.utils.encoding import escape_uri_path

from union_site.redirects import not_found
from union_site.redirects.store import redirects

BROWSER_SECONDS = 60 * 60  # a wrong redirect corrected in the admin leaves visitors' browsers within the hour


def candidates(request):
    """The stored old addresses that would answer this request, best first."""
    path = escape_uri_path(request.path)
    found = [request.get_full_path(), path]
    if settings.APPEND_SLASH and not path.endswith("/"):
        found += [request.get_full_path(force_append_slash=True), path + "/"]
    return list(dict.fromkeys(found))


def redirect_for(request):
    """The new address of the best matching redirect, or None. One query."""
    wanted = candidates(request)
    found = dict(redirects().filter(old_path__in=wanted).values_list("old_path", "new_path"))
    return next((found[address] for address in wanted if address in found), None)


class RedirectMiddleware(RedirectFallbackMiddleware):
    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        try:
            new_path = redirect_for(request)
        except DatabaseError:  # the database is down (the outage middleware is below): the 404 page, not a 500
            return response
        if new_path is None:
            not_found.record(request)
            return response
        if new_path == "":  # Django's rule for a redirect without a new address: the page is gone for good
            return self.response_gone_class()
        redirect = self.response_redirect_class(new_path)
        redirect["Cache-Control"] = (
            f"public, max-age={BROWSER_SECONDS}, s-maxage={min(settings.PAGE_CACHE_SHARED_SECONDS, BROWSER_SECONDS)}"
        )
        return redirect
