"""推送到公众号草稿箱: from the article list, run by the task worker, against a local stub of WeChat's API
(tests/wechat_stub.py): the cover and body pictures re-encoded and uploaded, the draft added and later updated,
media_id and time on the article's admin page, the token cached and refreshed, failures in Chinese."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from PIL import Image

from news.uploads import store_editor_image
from tests.factories import encoded, make_album_with_cover, noisy
from tests.wechat_stub import start_stub
from tests.workers import run_worker
from union_site.common.storage import lasting_url
from union_site.wechat import images
from union_site.wechat.models import WechatDraft


@pytest.fixture
def stub(settings):
    stub, server = start_stub()
    settings.WECHAT_APP_ID, settings.WECHAT_APP_SECRET, settings.WECHAT_API_BASE = "wx-test", "secret", stub.url
    yield stub
    server.shutdown()
    server.server_close()


def webp_picture():
    return encoded(Image.new("RGB", (800, 600), (30, 90, 160)), "WEBP")


@pytest.fixture
def article(make_article):
    """A published article with a cover, and in its body a WebP picture and a noisy 1600×1200 PNG of 5 MB."""
    contents = [ContentFile(webp_picture(), "a.webp"), ContentFile(encoded(noisy((1600, 1200)), "PNG"), "b.png")]
    pictures = [lasting_url(store_editor_image(content)) for content in contents]
    figures = [
        f'<p>第{n}段</p><figure class="image"><img src="{url}" alt=""></figure>' for n, url in enumerate(pictures)
    ]
    body = "".join(figures)
    article = make_article(
        title="市总工会召开全委会议", byline="本报记者 张三", summary="会议部署明年工作。", body=body
    )
    article.cover.save("cover.jpg", ContentFile(encoded(noisy((1200, 800)), "JPEG", quality=95)))
    return article


def push_action(client, *articles):
    return client.post(
        reverse("admin:news_article_changelist"),
        {"action": "push_to_wechat", "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_a_reviewer_pushes_an_article_and_sees_its_media_id(client, reviewer, article, stub):
    client.force_login(reviewer)
    page = push_action(client, article).content.decode()
    assert "已提交推送 1 篇" in page
    assert DBTaskResult.objects.get().task_path == "union_site.wechat.tasks.push_to_wechat"
    assert WechatDraft.objects.get(article=article).state == "queued"
    assert stub.calls == []  # nothing sent in the admin's request

    run_worker()
    record = WechatDraft.objects.get(article=article)
    assert (record.state, record.media_id, record.error) == ("done", "DRAFT-1", "")
    assert record.pushed_at is not None and record.pushed_by == reviewer
    change = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "DRAFT-1" in change and "公众号草稿" in change

    draft = stub.drafts["DRAFT-1"]
    assert draft["title"] == "市总工会召开全委会议" and draft["author"] == "本报记者 张三"
    assert draft["digest"] == "会议部署明年工作。"
    assert draft["content_source_url"] == f"http://testserver/news/{article.pk}/"
    assert draft["thumb_media_id"].startswith("THUMB-")
    assert "http://mmbiz.qpic.cn/stub/1/0" in draft["content"] and "http://mmbiz.qpic.cn/stub/2/0" in draft["content"]
    assert "/media/" not in draft["content"]
    for _path, mime, data in stub.uploads:  # WebP and the 5 MB PNG became JPEG/PNG under 1 MB
        assert mime in ("image/jpeg", "image/png") and len(data) < 1024 * 1024
        Image.open(io.BytesIO(data)).verify()


def test_a_second_push_updates_the_same_draft(client, reviewer, article, stub):
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    article.title = "市总工会召开全委会议（更新）"
    article.save()
    push_action(client, article)
    run_worker()
    assert WechatDraft.objects.get(article=article).media_id == "DRAFT-1"
    assert list(stub.drafts) == ["DRAFT-1"] and stub.drafts["DRAFT-1"]["title"].endswith("（更新）")
    assert "/cgi-bin/draft/update" in stub.calls
    assert stub.tokens_issued == 1  # the token was kept in the cache between the two pushes


def test_a_draft_deleted_in_wechat_is_added_again(client, reviewer, article, stub):
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    stub.drafts.clear()  # deleted in the 公众号's own admin
    push_action(client, article)
    run_worker()
    assert WechatDraft.objects.get(article=article).media_id == "DRAFT-1"
    assert stub.calls.count("/cgi-bin/draft/add") == 2


def test_an_expired_token_is_fetched_again(client, reviewer, article, stub):
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    stub.expire_tokens()  # WeChat ended it (another client asked for a token, or two hours passed)
    push_action(client, article)
    run_worker()
    assert WechatDraft.objects.get(article=article).state == "done"
    assert stub.tokens_issued == 2


def test_the_daily_limit_fails_the_push_with_a_chinese_reason(client, reviewer, article, stub):
    stub.fail_next("/cgi-bin/draft/add", 45009)
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    record = WechatDraft.objects.get(article=article)
    assert record.state == "failed" and "次数已达上限" in record.error and record.media_id == ""
    assert "次数已达上限" in client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()


def test_limits_are_checked_before_anything_is_uploaded(client, reviewer, make_article, stub):
    article = make_article(title="标" * 65, summary="摘" * 121, body='<p><img src="https://other.example/a.jpg"></p>')
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    error = WechatDraft.objects.get(article=article).error
    for words in (
        "标题有 65 个字，公众号最多 64 个字",
        "摘要有 121 个字，公众号最多 120 个字",
        "正文第 1 张图片不是本站上传的",
        "没有封面图",
    ):
        assert words in error
    assert stub.calls == []


def test_an_album_cover_serves_when_the_article_has_none(client, reviewer, make_article, stub):
    album = make_album_with_cover("全委会议", is_published=True)
    article = make_article(album=album, byline="本报通讯员 张玥群 杜一听 尚文超")  # longer than 作者's 8 characters
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    assert WechatDraft.objects.get(article=article).state == "done"
    assert [path for path, _mime, _data in stub.uploads] == ["/cgi-bin/material/add_material"]
    draft = stub.drafts["DRAFT-1"]
    assert draft["author"] == "" and draft["content"].startswith("<p>本报通讯员 张玥群 杜一听 尚文超</p>")


def test_only_public_articles_are_pushed_and_only_by_reviewers(client, editor, reviewer, make_article, stub):
    draft = make_article(title="还没发布的稿子", status="draft")
    client.force_login(reviewer)
    assert "以下 1 篇不是公开的文章，未推送：《还没发布的稿子》" in push_action(client, draft).content.decode()
    assert not DBTaskResult.objects.exists()
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "推送到公众号草稿箱" not in page


def test_without_an_appid_the_push_says_what_to_configure(client, reviewer, article, settings):
    settings.WECHAT_APP_ID = ""
    client.force_login(reviewer)
    push_action(client, article)
    run_worker()
    assert "WECHAT_APP_ID" in WechatDraft.objects.get(article=article).error


def test_pictures_are_made_jpeg_or_png_under_one_megabyte():
    big = images.for_wechat(encoded(noisy((3000, 2000)), "PNG"))
    assert big.mime == "image/jpeg" and len(big.data) < 1024 * 1024
    clear = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    assert images.for_wechat(encoded(clear, "PNG")).mime == "image/png"
    assert images.for_wechat(webp_picture()).mime == "image/jpeg"
    with pytest.raises(images.UnusablePicture):
        images.for_wechat(b"not a picture")
