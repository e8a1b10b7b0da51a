"""网站设置 and what every public page says with it: the compliance footer, the government meta tags (SiteName,
ColumnType, ArticleTitle…) and Open Graph; who may edit the settings, and what reading them costs."""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gallery.models import Album, Photo
from news.models import Column
from tests.factories import absolute, png
from union_site.models import QuickLink, SiteSettings
from union_site.site_settings import get_quick_links, get_site_settings

pytestmark = pytest.mark.django_db

OFFICIAL = {
    "site_name": "滨州市总工会",
    "domain": "www.bzzgh.gov.cn",
    "sponsor": "滨州市总工会",
    "organizer": "滨州市总工会办公室",
    "phone": "0543-0000000",
    "address": "滨州市黄河五路",
    "email": "office@example.org",
    "site_code": "3716000001",
    "icp_number": "鲁ICP备12345678号-1",
    "police_number": "鲁公网安备 37160202000123号",
    "conac_url": "https://bszs.conac.cn/sitename?method=show&id=TEST",
}


class Tags(HTMLParser):
    """The page's <meta> tags, {name or property: content} (values unescaped), and its footer's HTML."""

    def __init__(self, page):
        super().__init__()
        self.meta, self.names = {}, []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "content" in attrs:
            key = attrs.get("name") or attrs.get("property")
            self.meta[key] = attrs["content"]
            self.names.append(key)


def meta(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Tags(response.content.decode()).meta


def footer(client):
    page = client.get(reverse("home")).content.decode()
    return page[page.index('<div class="compliance-footer">') : page.index("</footer>")]


@pytest.fixture
def official(db):
    record = SiteSettings(**OFFICIAL)
    record.conac_image.save("conac.png", ContentFile(png()), save=False)
    record.save()
    return record


# --- footer --------------------------------------------------------------------------------------------------------


def test_with_nothing_configured_the_footer_names_the_site_as_sponsor(client):
    html = footer(client)
    assert "主办单位：滨州市总工会" in html
    for absent in ["承办单位", "网站标识码", "beian.miit.gov.cn", "beian.gov.cn", "党政机关网站标识", "友情链接"]:
        assert absent not in html
    assert not SiteSettings.objects.exists()  # reading the defaults writes nothing


def test_every_official_item_appears_with_its_link(client, official):
    html = footer(client)
    assert "主办单位：滨州市总工会" in html and "承办单位：滨州市总工会办公室" in html
    assert "联系电话：0543-0000000" in html and "联系地址：滨州市黄河五路" in html
    assert '<a href="mailto:office@example.org">office@example.org</a>' in html
    assert "网站标识码：3716000001" in html
    assert '<a href="https://beian.miit.gov.cn/" rel="noopener" target="_blank">鲁ICP备12345678号-1</a>' in html
    police = "http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=37160202000123"
    assert f'<a href="{police}" rel="noopener" target="_blank">鲁公网安备 37160202000123号</a>' in html
    conac = '<a href="https://bszs.conac.cn/sitename?method=show&amp;id=TEST" rel="noopener" target="_blank">'
    assert conac + f'<img src="{official.conac_image.url}" alt="党政机关网站标识">' in html
    assert "style=" not in html and "<script" not in html  # the public pages' CSP allows neither


def test_items_left_empty_are_left_out(client, official):
    SiteSettings.objects.filter(pk=official.pk).update(organizer="", icp_number="", police_number="", site_code="")
    official.refresh_from_db()
    official.save()  # clears the cache, as saving in the admin does
    html = footer(client)
    assert "承办单位" not in html and "beian" not in html and "网站标识码" not in html
    assert "主办单位：滨州市总工会" in html


def test_quick_links_in_order_and_only_those_shown(client):
    QuickLink.objects.create(name="山东省总工会", url="https://www.sdgh.org.cn/", order=20)
    QuickLink.objects.create(name="中华全国总工会", url="https://www.acftu.org/", order=10)
    QuickLink.objects.create(name="已停用的链接", url="https://example.org/", order=5, is_shown=False)
    QuickLink.objects.create(name="内部说明", url="https://example.com/", order=30, description="网址待确认")
    html = footer(client)
    assert "友情链接" in html
    assert html.index("中华全国总工会") < html.index("山东省总工会") < html.index("内部说明")
    assert '<a href="https://www.acftu.org/" rel="noopener" target="_blank">中华全国总工会</a>' in html
    assert "已停用的链接" not in html
    assert "网址待确认" not in html  # 说明 is for editors only


def test_a_change_shows_on_the_next_page(client, official):
    assert "网站标识码：3716000001" in footer(client)
    official.site_code = "3716000002"
    official.save()
    assert "网站标识码：3716000002" in footer(client)
    link = QuickLink.objects.create(name="新链接", url="https://example.org/")
    assert "新链接" in footer(client)
    link.delete()
    assert "新链接" not in footer(client)


def test_the_site_name_comes_from_the_settings(client, official):
    official.site_name = "滨州市总工会（测试）"
    official.save()
    page = client.get(reverse("home")).content.decode()
    assert re.search(r"<title>[^<]*滨州市总工会（测试）", page)
    assert Tags(page).meta["og:site_name"] == "滨州市总工会（测试）"


# --- reading costs -------------------------------------------------------------------------------------------------


def test_reading_the_settings_costs_one_query_then_none(official, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert get_site_settings().site_code == "3716000001"
    with django_assert_num_queries(0):
        assert get_site_settings().site_code == "3716000001"
        get_site_settings()


def test_quick_links_too(django_assert_num_queries):
    QuickLink.objects.create(name="中华全国总工会", url="https://www.acftu.org/")
    with django_assert_num_queries(1):
        assert [link.name for link in get_quick_links()] == ["中华全国总工会"]
    with django_assert_num_queries(0):
        get_quick_links()


def test_a_page_reads_the_settings_once_and_then_from_the_cache(client, official):
    def settings_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return [q["sql"] for q in captured.captured_queries if "union_site_sitesettings" in q["sql"]]

    assert len(settings_queries()) == 1  # footer, meta tags and page title share one read
    assert settings_queries() == []


def test_admin_pages_do_not_read_the_settings(client, superuser):
    client.force_login(superuser)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("admin:index"))
    assert not any("union_site_sitesettings" in q["sql"] for q in captured.captured_queries)


# --- government meta tags ------------------------------------------------------------------------------------------


def test_home_page_meta(client, official):
    tags = meta(client, reverse("home"))
    assert tags["SiteName"] == "滨州市总工会"
    assert tags["SiteDomain"] == "www.bzzgh.gov.cn"
    assert tags["SiteIDCode"] == "3716000001"
    assert tags["ColumnName"] == tags["ColumnType"] == "首页"
    assert tags["og:type"] == "website" and tags["og:title"] == "滨州市总工会"
    assert tags["og:url"] == "http://testserver/"
    assert "ArticleTitle" not in tags and "article:published_time" not in tags


def test_unconfigured_site_still_names_itself_and_leaves_out_what_it_lacks(client):
    tags = meta(client, reverse("home"))
    assert tags["SiteName"] == "滨州市总工会"
    assert "SiteIDCode" not in tags and "SiteDomain" not in tags


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("通知公告", Column.Kind.NOTICE, "通知公告"),
        ("公示公告", Column.Kind.NOTICE, "通知公告"),
        ("政策文件", Column.Kind.LIST, "政策文件"),
        ("工会要闻", Column.Kind.LIST, "新闻动态"),
        ("图片新闻", Column.Kind.PHOTO, "新闻动态"),
    ],
)
def test_column_page_meta(client, name, kind, expected):
    column = Column.objects.create(name=name, slug="c", kind=kind, description="栏目说明文字")
    tags = meta(client, column.get_absolute_url())
    assert tags["ColumnName"] == name and tags["ColumnType"] == expected
    assert tags["ColumnDescription"] == "栏目说明文字"
    assert tags["og:url"] == f"http://testserver{column.get_absolute_url()}"


def test_article_page_meta(client, make_article, official):
    column = Column.objects.create(name="通知公告", slug="notices", kind=Column.Kind.NOTICE)
    article = make_article(
        column=column,
        title="关于举办“工匠杯”<技能>竞赛的通知",
        source="滨州工人报",
        byline="本报记者 张三",
        summary="竞赛安排如下。",
        doc_topic="工会工作",
        publish_at=datetime(2026, 3, 1, 1, 30, tzinfo=UTC),
    )
    page = client.get(article.get_absolute_url()).content.decode()
    tags = Tags(page).meta
    url = f"http://testserver{article.get_absolute_url()}"
    assert tags["ArticleTitle"] == article.title == tags["og:title"]
    assert tags["PubDate"] == "2026-03-01 09:30"  # Beijing time
    assert tags["ContentSource"] == "滨州工人报"
    assert tags["Author"] == "本报记者 张三"
    assert tags["Keywords"] == "工会工作,通知公告"
    assert tags["Description"] == tags["og:description"] == "竞赛安排如下。"
    assert tags["Url"] == tags["og:url"] == url
    assert tags["ColumnName"] == tags["ColumnType"] == "通知公告"
    assert tags["og:type"] == "article"
    assert tags["article:published_time"] == "2026-03-01T09:30:00+08:00"
    # Escaped, so a title cannot break out of the attribute.
    assert '<meta name="ArticleTitle" content="关于举办“工匠杯”&lt;技能&gt;竞赛的通知">' in page
    assert "<技能>" not in page.split("</head>")[0]


def test_a_quote_in_a_title_cannot_end_the_attribute(client, make_article):
    article = make_article(title='标题"><script>alert(1)</script>')
    head = client.get(article.get_absolute_url()).content.decode().split("</head>")[0]
    assert "<script>alert" not in head
    assert 'content="标题&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in head


def test_article_without_source_names_the_sponsor_and_skips_empty_tags(client, make_article, official):
    tags = meta(client, make_article(source="", byline="").get_absolute_url())
    assert tags["ContentSource"] == "滨州市总工会"
    assert "Author" not in tags


def test_article_cover_or_its_albums_cover_is_the_share_image(client, make_article):
    buffer = ContentFile(png((120, 80)), "cover.png")
    with_cover = make_article()
    with_cover.cover.save("cover.png", buffer)
    assert meta(client, with_cover.get_absolute_url())["og:image"] == absolute(with_cover.cover.url)

    album = Album.objects.create(title="职工运动会", is_published=True)
    photo = Photo.objects.create(album=album, caption="开幕式", image=ContentFile(png((120, 80)), "p.png"))
    album.cover = photo
    album.save()
    tags = meta(client, make_article(album=album).get_absolute_url())
    assert tags["og:image"] == absolute(photo.medium.url)
    assert "og:image" not in meta(client, make_article().get_absolute_url())


def test_other_sections_name_their_column(client, demo):
    tags = meta(client, reverse("achievements:index"))
    assert (tags["ColumnName"], tags["ColumnType"]) == ("数说五年", "数据发布")
    tags = meta(client, reverse("gallery:list"))
    assert (tags["ColumnName"], tags["ColumnType"]) == ("活动图集", "新闻动态")
    album = Album.objects.published().exclude(cover=None).first()
    tags = meta(client, album.get_absolute_url())
    assert tags["ColumnName"] == "活动图集" and tags["og:title"] == album.title
    assert tags["og:image"] == absolute(album.cover.medium.url)
    tags = meta(client, reverse("news:list"))
    assert (tags["ColumnName"], tags["ColumnType"]) == ("新闻中心", "新闻动态")


def test_the_plain_description_is_not_repeated(client, official):
    official.description = "滨州市总工会官方网站。"
    official.keywords = "滨州,工会"
    official.save()
    page = client.get(reverse("home")).content.decode()
    tags = Tags(page)
    assert tags.names.count("description") == 1  # base.html's own
    assert tags.meta["og:description"] == "滨州市总工会官方网站。"
    assert tags.meta["keywords"] == "滨州,工会"


# --- the admin -----------------------------------------------------------------------------------------------------


def change_url():
    return reverse("admin:union_site_sitesettings_change", args=[SiteSettings.SINGLETON_PK])


def form_data(**changes):
    data = {key: value for key, value in OFFICIAL.items()}
    data.update(description="", keywords="", mailbox_notice=SiteSettings._meta.get_field("mailbox_notice").default)
    data.update(weight_site="1", weight_wechat="1", weight_upstream="3", report_issuer="")  # 信息采用情况通报
    data.update(changes)
    return data


def test_reviewer_edits_the_one_record(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("admin:union_site_sitesettings_changelist"))
    assert response.status_code == 302 and response["Location"] == change_url()
    page = client.get(change_url()).content.decode()
    assert "网站标识码" in page and "3716000001" in page  # the help text shows the form of the code
    response = client.post(change_url(), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SiteSettings.objects.get().icp_number == "鲁ICP备12345678号-1"
    assert "鲁ICP备12345678号-1" in footer(client)


def test_there_is_no_second_record_and_no_deleting(client, superuser):
    client.force_login(superuser)
    client.get(reverse("admin:union_site_sitesettings_changelist"))
    assert SiteSettings.objects.count() == 1
    assert client.get(reverse("admin:union_site_sitesettings_add")).status_code == 403
    assert client.get(reverse("admin:union_site_sitesettings_delete", args=[1])).status_code == 403
    SiteSettings(site_name="另一个").save()  # even from code, saving another overwrites the one
    assert SiteSettings.objects.count() == 1


def test_editor_can_neither_see_nor_change_the_settings(client, editor):
    client.force_login(editor)
    assert client.get(reverse("admin:union_site_sitesettings_changelist")).status_code == 403
    SiteSettings.objects.create()
    assert client.get(change_url()).status_code == 403
    response = client.post(change_url(), form_data())
    assert response.status_code == 403
    assert SiteSettings.objects.get().icp_number == ""
    assert client.get(reverse("admin:union_site_quicklink_add")).status_code == 403


def test_reviewer_manages_quick_links(client, reviewer):
    client.force_login(reviewer)
    data = {"name": "中华全国总工会", "url": "https://www.acftu.org/", "description": "", "order": 10, "is_shown": "on"}
    assert client.post(reverse("admin:union_site_quicklink_add"), data).status_code == 302
    link = QuickLink.objects.get()
    assert client.post(reverse("admin:union_site_quicklink_delete", args=[link.pk]), {"post": "yes"}).status_code == 302
    assert not QuickLink.objects.exists()


@pytest.mark.parametrize("code", ["3716-000001", "371600 0001", "网站3716", "x" * 21])
def test_site_code_is_letters_and_digits(client, reviewer, code):
    client.force_login(reviewer)
    client.get(reverse("admin:union_site_sitesettings_changelist"))  # the first visit makes the record
    response = client.post(change_url(), form_data(site_code=code))
    assert response.status_code == 200 and response.context["adminform"].form.errors["site_code"]
    assert not SiteSettings.objects.filter(site_code=code).exists()


def test_the_conac_mark_goes_through_the_image_validator(client, reviewer):
    client.force_login(reviewer)
    client.get(reverse("admin:union_site_sitesettings_changelist"))
    bad = SimpleUploadedFile("标识.png", b"not an image at all")
    response = client.post(change_url(), form_data(conac_image=bad))
    assert response.status_code == 200
    assert "不支持的格式" in str(response.context["adminform"].form.errors["conac_image"])
    good = SimpleUploadedFile("标识.png", png())
    assert client.post(change_url(), form_data(conac_image=good)).status_code == 302
    record = SiteSettings.objects.get()
    assert record.conac_image.name.startswith("site/") and "标识" not in record.conac_image.name


def test_demo_fills_the_sponsor_and_links_and_no_official_numbers(demo, client):
    record = SiteSettings.objects.get()
    assert record.sponsor == "滨州市总工会"
    assert (record.icp_number, record.police_number, record.site_code, record.domain) == ("", "", "", "")
    links = dict(QuickLink.objects.values_list("name", "url"))
    assert links["中华全国总工会"] == "https://www.acftu.org/"
    assert links["山东省总工会"] == "https://www.sdgh.org.cn/"
    assert "齐鲁工惠" not in links  # the App has its own place in 网站设置, not the provincial site's address
    record.sponsor = "运营方改过的"
    record.save()
    from union_site.demo.loader import load_demo

    load_demo()
    assert SiteSettings.objects.get().sponsor == "运营方改过的"  # the demo never overwrites the operator
    assert QuickLink.objects.count() == 2


def test_the_header_shows_the_logo_and_description_from_the_settings(client, official):
    page = client.get(reverse("home")).content.decode()
    assert "img/emblem.svg" in page and "滨州市总工会官方网站" in page  # the built-in emblem and description
    official.logo.save("logo.png", ContentFile(png()), save=False)
    official.description = "职工之家，网上工会。"
    official.save()
    page = client.get(reverse("home")).content.decode()
    assert f'class="brand-logo" src="{official.logo.url}"' in page and "img/emblem.svg" not in page
    assert Tags(page).meta["description"] == "职工之家，网上工会。"
