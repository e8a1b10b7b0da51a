"""The 网站巡检 page (/admin/inspection/report/): reviewers and superusers open it from the admin index, editors get
403; on the demo content it lists the empty columns, the unverified figures, and a broken link once one is planted."""

import pytest
from django.urls import reverse

from achievements.models import Metric
from news.models import Article, Column

PAGE = "/admin/inspection/report/"


@pytest.mark.parametrize("role", ["reviewer", "superuser"])
def test_reviewers_and_superusers_open_it_from_the_admin_index(client, request, role):
    client.force_login(request.getfixturevalue(role))
    index = client.get(reverse("admin:index")).content.decode()
    assert f'href="{PAGE}"' in index and "打开网站巡检" in index
    page = client.get(PAGE)
    assert page.status_code == 200 and "网站巡检" in page.content.decode()


@pytest.mark.parametrize("role", ["editor", "reporter", "mailbox_handler"])
def test_others_get_403_and_no_link(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert PAGE not in client.get(reverse("admin:index")).content.decode()
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE + "check-external/").status_code == 403


def test_no_page_of_rows_is_offered(client, superuser):
    client.force_login(superuser)
    assert client.get(PAGE + "1/change/").status_code == 404
    assert client.get(PAGE + "add/").status_code == 404


def test_on_the_demo_it_lists_the_empty_columns_and_the_unverified_figures(client, reviewer, demo):
    client.force_login(reviewer)
    page = client.get(PAGE).content.decode()
    empty = [c for c in Column.objects.all() if not Article.objects.published().filter(column=c).exists()]
    assert empty
    for column in empty:
        assert f"栏目“{column.name}”" in page and f'href="{column.get_absolute_url()}"' in page
    assert "空白栏目：栏目里没有一篇公开的文章。" in page
    unverified = Metric.objects.published().filter(verified_on__isnull=True)
    assert unverified.exists()
    for metric in unverified:
        assert metric.label in page
    assert "verified_on__isempty=1" in page
    assert "含禁用词或个人信息的公开内容" in page
    assert 'href="/admin/reports/inspection/?format=xlsx"' not in page  # the export is a form's buttons
    assert 'action="/admin/reports/inspection/"' in page and 'value="pdf"' in page


def test_a_broken_link_planted_in_a_demo_article_is_listed(client, reviewer, demo):
    article = Article.objects.published().first()
    article.body += '<p><a href="/news/987654/">已删除的旧文</a></p>'
    article.save()
    client.force_login(reviewer)
    page = client.get(PAGE).content.decode()
    assert "链接失效：/news/987654/（文章不存在或未公开）" in page
    assert f'href="/admin/news/article/{article.pk}/change/"' in page


def test_the_page_reads_a_fixed_number_of_queries(client, reviewer, make_article, django_assert_max_num_queries):
    client.force_login(reviewer)
    for n in range(30):
        make_article(body=f'<a href="/news/c/test-column/">{n}</a><img src="/media/missing-{n}.png" alt="">')
    with django_assert_max_num_queries(40):
        assert client.get(PAGE).status_code == 200
