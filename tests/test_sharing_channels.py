"""Sharing and the union's channels: each article, album and 数说五年 page carries a QR code of its own address (screen
and print), a share card (title, description, a square picture); 网站设置's official channels in the header, the
footer and on 新媒体矩阵 (/channels/); the demo names them and points at no other organisation's site."""

import io

import segno
from django.urls import reverse
from PIL import Image

from achievements.models import Period
from tests.factories import make_album_with_cover
from union_site.common.qr import qr_svg
from union_site.models import QuickLink, SiteSettings


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_article_page_carries_the_qr_code_of_its_own_address(client, make_article):
    article = make_article(title="全市职工技能大赛开幕")
    html = page(client, article.get_absolute_url() + "?fs=l")  # the address in the code has no query string
    url = f"http://testserver/news/{article.pk}/"
    assert str(qr_svg(url, "本页二维码：用微信扫一扫，在手机上打开")) in html
    assert f'<span class="share-qr-url">{url}</span>' in html  # written out under the code on the print view
    assert "微信扫一扫" in html


def test_the_qr_code_is_drawn_once_then_read_from_the_cache(monkeypatch, db):
    drawn = []
    real_make = segno.make
    monkeypatch.setattr(segno, "make", lambda *args, **kwargs: drawn.append(args) or real_make(*args, **kwargs))
    first = qr_svg("https://www.example.org/news/1/")
    assert qr_svg("https://www.example.org/news/1/") == first
    assert len(drawn) == 1
    assert first.startswith("<svg") and "<title>本页二维码</title>" in first


def test_album_and_figures_pages_have_their_qr_code_and_share_card(client, db):
    album = make_album_with_cover("职工运动会", is_published=True, description="全市职工运动会开幕式。")
    html = page(client, album.get_absolute_url())
    assert str(qr_svg(f"http://testserver/gallery/{album.pk}/", "本页二维码：用微信扫一扫，在手机上打开")) in html
    assert '<meta itemprop="name" content="职工运动会">' in html
    assert '<meta itemprop="description" content="全市职工运动会开幕式。">' in html
    picture = f"http://testserver/share/album/{album.pk}.jpg"
    assert f'<meta itemprop="image" content="{picture}">' in html
    Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="“数”说五年")
    figures = page(client, reverse("achievements:index"))
    assert 'class="share-qr"' in figures and '<meta itemprop="name" content="“数”说五年">' in figures


def test_the_share_picture_is_a_square_made_once_and_only_of_public_things(client, make_article, db):
    album = make_album_with_cover("劳模宣讲", is_published=True)
    article = make_article(album=album)  # no cover of its own: its album's
    response = client.get(f"/share/article/{article.pk}.jpg")
    assert response["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(response.content)).size == (600, 600)
    assert client.get(f"/share/album/{album.pk}.jpg").content == response.content  # the same source, stored once
    hidden = make_album_with_cover("未显示", is_published=False)
    assert client.get(f"/share/album/{hidden.pk}.jpg").status_code == 404
    draft = make_article(status="draft", album=album)
    assert client.get(f"/share/article/{draft.pk}.jpg").status_code == 404
    plain = make_article()
    assert 'itemprop="image"' not in page(client, plain.get_absolute_url())
    assert client.get(f"/share/article/{plain.pk}.jpg").status_code == 404


def test_the_demo_names_the_channels_and_leaves_their_addresses_to_the_operator(client, demo):
    record = SiteSettings.objects.get()
    assert (record.wechat_name, record.app_name, record.reform_name) == ("滨州工会", "齐鲁工惠 App 滨州站", "产改在线")
    assert (record.app_url, record.reform_url, record.wechat_qr.name, record.app_qr.name) == ("", "", "", "")
    assert not QuickLink.objects.filter(name__contains="齐鲁工惠").exists()
    home = page(client, reverse("home"))
    assert "官方公众号：滨州工会" in home and "齐鲁工惠 App 滨州站" in home
    assert 'href="https://www.sdgh.org.cn/" rel="noopener" target="_blank">齐鲁工惠' not in home
    channels = page(client, reverse("sharing:channels"))
    for words in ("新媒体矩阵", "在微信中搜索公众号“滨州工会”关注", "齐鲁工惠 App 滨州站", "产改在线", "地址待公布"):
        assert words in channels


def test_channels_filled_in_by_the_operator_show_at_once(client, db):
    client.get(reverse("sharing:channels"))  # cached under the empty settings
    record = SiteSettings.objects.create(app_name="齐鲁工惠 App 滨州站", app_url="https://app.example.org/binzhou")
    assert record.channels[0].name == "齐鲁工惠 App 滨州站"
    channels = page(client, reverse("sharing:channels"))
    assert 'href="https://app.example.org/binzhou"' in channels and "打开下载页" in channels
    footer = page(client, reverse("home"))
    assert '<a href="https://app.example.org/binzhou" rel="noopener" target="_blank">齐鲁工惠 App 滨州站</a>' in footer
