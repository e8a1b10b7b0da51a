"""公文信息 of 通知公告 and 政策文件: 索引号, 发文字号, 成文日期, 主题分类, 有效性 on the article page, a notice when a
document is no longer in force, search by 发文字号, and the admin's fieldset."""

import re
from datetime import date

import pytest
from django.urls import reverse

from news.models import Article

pytestmark = pytest.mark.django_db

DOCUMENT = {
    "title": "关于开展2026年职工技能竞赛的通知",
    "doc_index_number": "BZZGH-2026-00012",
    "doc_number": "滨工发〔2026〕12号",
    "doc_written_on": date(2026, 3, 5),
    "doc_topic": "工会工作",
    "doc_validity": Article.Validity.VALID,
}


def doc_meta(page):
    found = re.search(r'<section class="doc-meta".*?</section>', page, re.S)
    return found.group(0) if found else ""


def pairs(section):
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", section, re.S))


def test_a_document_shows_its_particulars(client, make_article):
    article = make_article(**DOCUMENT)
    section = doc_meta(client.get(article.get_absolute_url()).content.decode())
    shown = pairs(section)
    assert shown["索引号"] == "BZZGH-2026-00012"
    assert shown["发文字号"] == "滨工发〔2026〕12号"
    assert '<time datetime="2026-03-05">2026年3月5日</time>' in shown["成文日期"]
    assert shown["主题分类"] == "工会工作"
    assert shown["有效性"] == '<span class="validity validity--valid">有效</span>'  # in words, not colour alone
    assert "validity-notice" not in section


@pytest.mark.parametrize(
    ("validity", "label", "notice"),
    [
        (Article.Validity.REPEALED, "已废止", "本文件已废止，仅供查阅。"),
        (Article.Validity.EXPIRED, "已失效", "本文件已失效，仅供查阅。"),
        (Article.Validity.AMENDED, "已修改", "本文件已修改，请以修改后的文件为准。"),
    ],
)
def test_a_document_no_longer_in_force_says_so(client, make_article, validity, label, notice):
    article = make_article(**{**DOCUMENT, "doc_validity": validity})
    section = doc_meta(client.get(article.get_absolute_url()).content.decode())
    assert f'<span class="validity validity--{validity}">{label}</span>' in section
    assert f'<p class="validity-notice validity--{validity}" role="note"><strong>{notice}</strong></p>' in section


def test_only_what_is_filled_in_is_shown(client, make_article):
    article = make_article(doc_number="滨工发〔2026〕3号")
    section = doc_meta(client.get(article.get_absolute_url()).content.decode())
    assert pairs(section) == {"发文字号": "滨工发〔2026〕3号"}


def test_ordinary_news_has_no_document_box(client, make_article):
    page = client.get(make_article().get_absolute_url()).content.decode()
    assert "doc-meta" not in page and "发文字号" not in page


def test_search_finds_a_document_by_its_number(client, make_article):
    article = make_article(**DOCUMENT, body="<p>各县区总工会：现将有关事项通知如下。</p>")
    make_article(title="另一篇", body="<p>无关的正文。</p>")
    page = client.get(reverse("search"), {"q": "滨工发〔2026〕12号"}).content.decode()
    assert f'href="{article.get_absolute_url()}"' in page and "另一篇" not in page


def test_document_text_is_cleaned_like_every_other_field(make_article):
    article = make_article(doc_number="滨工发\x0b〔2026〕12号\x00", doc_topic="工会\x08工作")
    article.refresh_from_db()
    assert (article.doc_number, article.doc_topic) == ("滨工发〔2026〕12号", "工会工作")


def fieldset_classes(response):
    return {str(fieldset.name): fieldset.classes for fieldset in response.context["adminform"]}


def test_admin_folds_the_document_fields_away_unless_filled_in(client, superuser, make_article):
    client.force_login(superuser)
    name = "公文信息（通知公告、政策文件）"
    response = client.get(reverse("admin:news_article_add"))
    assert "collapse" in fieldset_classes(response)[name]
    plain = make_article()
    response = client.get(reverse("admin:news_article_change", args=[plain.pk]))
    assert "collapse" in fieldset_classes(response)[name]
    document = make_article(**DOCUMENT)
    response = client.get(reverse("admin:news_article_change", args=[document.pk]))
    assert "collapse" not in fieldset_classes(response)[name]
    page = response.content.decode()
    for label in ["索引号", "发文字号", "成文日期", "主题分类", "有效性"]:
        assert label in page
    assert "滨工发〔2026〕12号" in page
