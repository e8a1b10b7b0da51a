"""The sites framework (django.contrib.sites) is installed for the redirects only; this site answers under whatever
host it is asked for (www. and without, an intranet name, 127.0.0.1:8000 in development).

With it installed, Django writes the one Site record's domain wherever it needs a host: the sitemap
(union_site/sitemaps.py) and the RSS feeds (news/feeds.py) therefore build their links from the request themselves,
and the admin's 在站点上查看 (view on site) is answered here, on the host the admin is open on.

The Site record is named after the site, its domain the first name in ALLOWED_HOSTS (migration 0002 of this app);
change both in 后台 › 站点域名 if wanted: nothing a visitor sees depends on them.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponseRedirect


def default_domain():
    """The first host name of ALLOWED_HOSTS (patterns such as .example.org skipped), else localhost."""
    names = [host for host in settings.ALLOWED_HOSTS if host and not host.startswith((".", "*"))]
    return names[0] if names else "localhost"


def view_on_site(request, content_type_id, object_id):
    """The object's public page, on this host. Staff only (wrapped in admin_view in union_site/urls.py)."""
    try:
        obj = ContentType.objects.get(pk=content_type_id).get_object_for_this_type(pk=object_id)
        url = obj.get_absolute_url()
    except (ObjectDoesNotExist, ValueError, AttributeError):
        raise Http404("没有这个对象，或它没有公开页面。") from None
    return HttpResponseRedirect(url)
