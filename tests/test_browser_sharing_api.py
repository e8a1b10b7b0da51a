"""In Debian's chromium: a mini-program developer reads the API's documentation page (Swagger UI from our own static
files, under the site's Content-Security-Policy) and lists the latest news; a visitor prints an article and finds
its QR code and address on the printout; 新媒体矩阵 lists the union's channels."""

import io
import json
import unicodedata

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from news.models import Article
from tests.factories import absolute, media_base

pytestmark = pytest.mark.django_db(transaction=True)
FEATURE_TITLE = "“数”说服务发展新故事 赋能品质滨州更“出彩”"


def test_a_developer_reads_the_docs_and_lists_the_news_with_covers_and_figures(live_server, open_page, demo):
    page = open_page(viewport={"width": 1280, "height": 900})
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or outside.append(request.url))
    page.goto(live_server.url + "/api/v1/docs/")
    expect(page.get_by_text("滨州市总工会网站开放接口")).to_be_visible()
    expect(page.get_by_text("/api/v1/articles", exact=True).first).to_be_visible()
    assert outside == []  # no CDN: every asset from the site itself

    listing = json.loads(page.goto(live_server.url + "/api/v1/articles?page_size=5").text())
    feature = next(item for item in listing["results"] if item["title"] == FEATURE_TITLE)
    assert feature["cover"]["url"].startswith(absolute(media_base(), site=live_server.url))
    period_id = json.loads(page.goto(live_server.url + "/api/v1/periods").text())[0]["id"]
    figures = json.loads(page.goto(f"{live_server.url}/api/v1/periods/{period_id}").text())
    displays = [figure["display"] for section in figures["sections"] for figure in section["figures"]]
    assert "55.3万人" in displays and len(displays) > 40


def test_the_printed_article_carries_its_qr_code_and_address(live_server, open_page, demo):
    article = Article.objects.get(title=FEATURE_TITLE)
    url = f"{live_server.url}/news/{article.pk}/"
    page = open_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    expect(page.locator(".share-qr .qr-code")).to_be_visible()
    expect(page.locator(".share-qr-url")).to_be_hidden()  # on screen the share box has the address already
    page.emulate_media(media="print")
    expect(page.locator(".share-qr .qr-code")).to_be_visible()
    expect(page.locator(".share-qr-url")).to_have_text(url)
    expect(page.locator(".article-tools")).to_be_hidden()
    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))
    # NFKC: the PDF's text comes back with some characters as their Kangxi radical look-alikes (⼀ for 一)
    first_page = unicodedata.normalize("NFKC", printed.pages[0].extract_text()).replace("\n", "")
    assert url in first_page and "微信扫一扫" in first_page


def test_the_channels_page_names_the_unions_own_channels(live_server, open_page, demo):
    page = open_page(viewport={"width": 375, "height": 812}, device_scale_factor=2)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="新媒体矩阵").first.click()
    expect(page.locator("h1")).to_have_text("新媒体矩阵")
    expect(page.locator(".channel-name")).to_have_text(["滨州工会", "齐鲁工惠 App 滨州站", "产改在线"])
