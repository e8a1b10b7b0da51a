"""django.contrib.sites is installed for the redirects; every link the site writes stays on the host it was asked
under (union_site/redirects/sites.py), never the sites framework's one domain."""

from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.urls import reverse

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "localhost"  # a host of ALLOWED_HOSTS other than the Site record's domain


@pytest.fixture
def site_elsewhere(db):
    """The Site record as a fresh Django install leaves it."""
    Site.objects.filter(pk=settings.SITE_ID).update(domain="example.com", name="example.com")
    Site.objects.clear_cache()
    yield
    Site.objects.clear_cache()


def locations(response):
    assert response.status_code == 200
    return [element.text for element in ElementTree.fromstring(response.content).iter(f"{NS}loc")]  # noqa: S314


def test_the_site_record_is_named_after_the_site():
    site = Site.objects.get_current()
    assert (site.pk, site.name, site.domain) == (1, settings.SITE_NAME, "testserver")  # first of ALLOWED_HOSTS


def test_sitemap_urls_use_the_host_of_the_request(client, make_article, site_elsewhere):
    article = make_article()
    index = locations(client.get("/sitemap.xml", HTTP_HOST=HOST))
    assert index and all(url.startswith(f"http://{HOST}/sitemap-") for url in index)
    articles = locations(client.get("/sitemap-articles.xml", HTTP_HOST=HOST))
    assert articles == [f"http://{HOST}{article.get_absolute_url()}"]
    assert "example.com" not in client.get("/sitemap-static.xml", HTTP_HOST=HOST).content.decode()


def test_a_sitemap_part_past_the_last_is_404(client):
    assert client.get("/sitemap-articles.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_feed_links_use_the_host_of_the_request(client, make_article, column, site_elsewhere):
    article = make_article()
    for url in ["/feeds/news/", column.get_absolute_url() + "feed/"]:
        feed = client.get(url, HTTP_HOST=HOST).content.decode()
        assert f"http://{HOST}{article.get_absolute_url()}" in feed and "example.com" not in feed


def test_view_on_site_in_the_admin_stays_on_the_admins_host(client, reviewer, make_article, site_elsewhere):
    article = make_article()
    client.force_login(reviewer)
    change = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    shortcut = f"/admin/r/{ContentType.objects.get_for_model(article).pk}/{article.pk}/"
    assert shortcut in change  # 在站点上查看
    response = client.get(shortcut, HTTP_HOST=HOST)
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    client.logout()
    assert client.get(shortcut).status_code == 302 and "/admin/login/" in client.get(shortcut)["Location"]


def test_the_sites_section_of_the_admin_has_its_own_name(client, superuser):
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert "站点域名" in index and "404 记录" in index and "重定向" in index
