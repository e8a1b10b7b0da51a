"""Search finds Chinese words inside longer runs of Chinese text."""

import pytest
from django.urls import reverse

from news.models import Article

pytestmark = pytest.mark.django_db


def test_search_finds_a_word_inside_a_run_of_chinese(client, make_article):
    make_article(title="滨州市总工会召开全市工会工作会议")
    html = client.get(reverse("search"), {"q": "工会工作"}).content.decode()
    assert "滨州市总工会召开全市工会工作会议" in html


def test_search_never_shows_unpublished_articles(client, make_article):
    make_article(title="劳模工匠宣讲草稿", status=Article.Status.DRAFT)
    html = client.get(reverse("search"), {"q": "劳模"}).content.decode()
    assert "劳模工匠宣讲草稿" not in html
    assert "没有找到" in html


def test_search_survives_nul_and_overlong_queries(client, db):
    assert client.get(reverse("search"), {"q": "工会\x00"}).status_code == 200
    assert client.get(reverse("search"), {"q": "工" * 5000}).status_code == 200
