"""网站巡检, 站内链接、图片和附件: the links of public article bodies that point at this site are checked against the
site itself (its URLconf, the objects, the storage, the redirects) without a single request."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from news.attachments import attach_file
from news.models import Article
from tests.factories import pdf
from union_site.inspection.findings import SERIOUS
from union_site.inspection.links import InternalChecker, Targets, body_links
from union_site.inspection.report import inspect_site
from union_site.models import QuickLink
from union_site.redirects.store import create_or_update_redirect


def link_findings():
    return next(s for s in inspect_site().sections if s.key == "links").findings


@pytest.fixture
def good(make_article):
    return make_article(title="好文章")


def test_body_links_reads_hrefs_and_srcs_once_each():
    html = (
        '<p><a href="/a/">A</a> <a href="/a/">again</a> <img src="/media/x.png" alt="">'
        '<a title="no href">x</a><a href=" /b/ ">B</a> &lt;a href="/text/"&gt; <abbr title="a">a</abbr></p>'
        '<p><a title="1 > 0" href="/c/?x=1&amp;y=2">C</a><IMG SRC=/d.png></p>'
    )
    assert body_links(html) == [
        ("链接", "/a/"),
        ("图片", "/media/x.png"),
        ("链接", "/b/"),
        ("链接", "/c/?x=1&y=2"),
        ("图片", "/d.png"),
    ]


def test_what_is_this_site_and_what_is_not(db):
    targets = Targets()
    assert targets.of("/news/1/").internal
    assert targets.of("../2/", "/news/1/").address == "/news/2/"
    assert targets.of("http://testserver/news/1/?x=1#top").address == "/news/1/?x=1"
    assert targets.of("https://www.acftu.org/a b").address == "https://www.acftu.org/a%20b"
    assert not targets.of("//www.acftu.org/").internal
    assert targets.of("mailto:a@example.org") is None and targets.of("#top") is None and targets.of("tel:110") is None


def test_good_and_broken_links_images_and_attachments(make_article, good, column):
    draft = make_article(title="草稿", status=Article.Status.DRAFT)
    stored = default_storage.save("editor/2026/12/pic.png", ContentFile(b"\x89PNG"))
    public_file = attach_file(good, "报名表.pdf", pdf())
    draft_file = attach_file(draft, "内部.pdf", pdf())
    body = "".join(
        [
            f'<a href="/news/{good.pk}/">好</a>',
            f'<a href="http://testserver/news/{good.pk}/">好（带域名）</a>',
            f'<a href="../{good.pk}/">好（相对）</a>',
            f'<a href="/news/c/{column.slug}/">栏目</a>',
            '<a href="/achievements/">数说五年</a>',
            f'<img src="{default_storage.url(stored)}" alt="图">',
            f'<a href="{public_file.get_absolute_url()}">附件</a>',
            '<a href="/static/css/site.css">样式</a>',
            '<a href="https://www.acftu.org/">全总</a><a href="mailto:a@example.org">信</a><a href="#top">顶</a>',
            # broken:
            f'<a href="/news/{draft.pk}/">草稿</a>',
            '<a href="/news/999999/">删了</a>',
            '<a href="/news/c/no-such-column/">没有的栏目</a>',
            '<a href="/nowhere/">乱写</a>',
            '<img src="/media/editor/2026/12/missing.png" alt="丢了">',
            f'<a href="{draft_file.get_absolute_url()}">未公开的附件</a>',
            '<a href="/static/css/none.css">没有的样式</a>',
        ]
    )
    article = make_article(title="有链接的文章", body=body)

    found = link_findings()
    assert {f.where for f in found} == {"文章《有链接的文章》"}
    assert all(f.severity == SERIOUS for f in found)
    assert all(
        f.url == article.get_absolute_url() and f.fix_url == f"/admin/news/article/{article.pk}/change/" for f in found
    )
    assert [f.what for f in found] == [
        f"链接失效：/news/{draft.pk}/（文章不存在或未公开）",
        "链接失效：/news/999999/（文章不存在或未公开）",
        "链接失效：/news/c/no-such-column/（栏目不存在）",
        "链接失效：/nowhere/（本站没有这个地址）",
        "图片失效：/media/editor/2026/12/missing.png（文件不存在）",
        f"链接失效：{draft_file.get_absolute_url()}（附件不存在或所属文章未公开）",
        "链接失效：/static/css/none.css（文件不存在）",
    ]


def test_a_redirected_old_link_counts_as_good_and_a_gone_one_does_not(make_article, good):
    create_or_update_redirect("/col/col789/index.html", f"/news/{good.pk}/")
    create_or_update_redirect("/art/2023/4/27/art_1.html", "/news/")
    create_or_update_redirect(f"/news/{good.pk + 100}/", f"/news/{good.pk}/")  # a page moved
    from django.contrib.redirects.models import Redirect

    Redirect.objects.filter(old_path="/art/2023/4/27/art_1.html").update(new_path="")  # 410: gone for good
    body = (
        '<a href="/col/col789/index.html">旧栏目</a>'
        '<a href="/col/col789/index.html?from=timeline">旧栏目（微信）</a>'
        f'<a href="/news/{good.pk + 100}/">搬走的文章</a>'
        '<a href="/art/2023/4/27/art_1.html">已删除</a>'
    )
    make_article(title="旧链接", body=body)
    assert [f.what for f in link_findings()] == ["链接失效：/art/2023/4/27/art_1.html（地址已设为永久删除（410））"]


def test_a_public_attachment_whose_file_is_gone_is_listed(make_article):
    article = make_article(title="通知")
    attachment = attach_file(article, "报名表.pdf", pdf())
    default_storage.delete(attachment.file.name)
    (finding,) = link_findings()
    assert finding.what == "附件失效：“报名表.pdf”的文件不在存储里，读者下载会出错。"
    assert finding.where == "文章《通知》" and finding.fix_url == f"/admin/news/article/{article.pk}/change/"
    assert InternalChecker().problem(attachment.get_absolute_url()) == "附件的文件不在存储里"


def test_drafts_are_not_inspected_and_quick_links_are(make_article):
    make_article(title="草稿", status=Article.Status.DRAFT, body='<a href="/nowhere/">x</a>')
    link = QuickLink.objects.create(name="旧下载页", url="http://testserver/old-downloads/")
    (finding,) = link_findings()
    assert finding.where == "友情链接“旧下载页”" and finding.fix_url == f"/admin/union_site/quicklink/{link.pk}/change/"


def test_each_address_is_looked_up_once(make_article, good, django_assert_max_num_queries):
    body = "".join(f'<p><a href="/news/{good.pk}/">{n}</a></p>' for n in range(3))
    for n in range(20):
        make_article(title=f"文章{n}", body=body + f'<a href="/news/{good.pk}/#p{n}">x</a>')
    checker, targets = InternalChecker(), Targets()
    with django_assert_max_num_queries(1):
        for _ in range(20):
            assert checker.problem(targets.of(f"/news/{good.pk}/").address) == ""
