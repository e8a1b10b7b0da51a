"""A strict Content-Security-Policy on every page; the admin gets only what its editor needs."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def policy(response):
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())


@pytest.mark.parametrize("url", ["/", "/news/", "/achievements/", "/gallery/", "/search/?q=工会", "/no-such-page/"])
def test_public_pages_allow_nothing_inline_or_foreign(client, url):
    csp = policy(client.get(url))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"


def test_public_pages_have_no_inline_script_or_style(client, demo):
    for url in ["/", "/news/", "/achievements/", "/gallery/"]:
        page = client.get(url).content.decode()
        assert "<script>" not in page and "<style" not in page and ' style="' not in page, url


def test_admin_allows_inline_styles_for_the_editor_but_no_inline_script(client, superuser):
    client.force_login(superuser)
    csp = policy(client.get(reverse("admin:news_article_add")))
    assert "'unsafe-inline'" in csp["style-src"]
    assert csp["script-src"] == "'self'"
