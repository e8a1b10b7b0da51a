"""One voice in Chinese: Django's own admin messages end with Chinese full stops and say 您, and nothing a user reads
names the code's apps."""

import re

import pytest
from django.urls import reverse

from achievements import exports as achievement_exports
from gallery import exports as gallery_exports
from news import exports as news_exports
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data

pytestmark = pytest.mark.django_db
INTERNAL = re.compile(r"\b(news|achievements|gallery|union_site)\b|应用）")


def messages_of(response):
    return [re.sub(r"<[^>]+>", "", str(m)) for m in response.context["messages"]]  # the object's link


def test_the_admins_own_messages_end_with_chinese_full_stops(client, reviewer, make_article):
    article = make_article(status="draft", title="运动会通知")
    client.force_login(reviewer)
    response = client.post(change_url(article), form_data(article, _continue="1"), follow=True)
    assert messages_of(response) == ["成功修改了文章“运动会通知”。您可以在下面继续编辑。"]

    response = client.post(
        reverse("admin:news_article_changelist"), {"action": "", "_selected_action": [article.pk]}, follow=True
    )
    assert "未选择操作。" in messages_of(response)


def test_report_documents_name_no_app():
    for document in (
        news_exports.document(),
        achievement_exports.document(),
        gallery_exports.document(),
    ):
        assert not INTERNAL.search(document.source), document.source
        for table in document.tables:
            assert "工作表" not in (table.note or ""), table.note  # a PDF has no sheets
