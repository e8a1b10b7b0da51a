"""Old addresses keep working (union_site/redirects/): redirects answer missing pages with a 301, reviewers manage
them in the admin and import them from a spreadsheet (preview, per-row errors, all or nothing), and a column's new
网址名 redirects its old addresses by itself, without chains."""

import io

import pytest
from django.contrib.redirects.models import Redirect
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from news.models import Column
from tests.factories import table_xlsx
from union_site.models import ExportLog
from union_site.redirects import addresses
from union_site.redirects.addresses import AddressError
from union_site.redirects.store import create_or_update_redirect

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/redirects/redirect/import/"
ADD_URL = "/admin/redirects/redirect/add/"


def stored():
    return dict(Redirect.objects.values_list("old_path", "new_path"))


def csv_file(rows, header=("旧地址", "新地址"), name="跳转.csv"):
    lines = [",".join(header), *(",".join(row) for row in rows)]
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, header=("旧地址", "新地址", "标题")):
    return SimpleUploadedFile("跳转.xlsx", table_xlsx(rows, header))


def preview(client, upload):
    response = client.post(IMPORT_URL, {"file": upload})
    assert response.status_code == 200
    return response


def confirm(client, preview_response):
    token = preview_response.context["token"]
    assert token, "the preview offers 确认导入"
    return client.post(IMPORT_URL, {"confirm": "1", "token": token}, follow=True)


def column_form(column, **changes):
    data = {
        "name": column.name,
        "slug": column.slug,
        "kind": column.kind,
        "description": column.description,
        "order": column.order,
        "is_in_nav": "on" if column.is_in_nav else "",
        "_save": "保存",
    }
    data.update(changes)
    return data


# --- addresses as people write them ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored_as"),
    [
        ("/col/col789/index.html", "/col/col789/index.html"),
        ("http://www.old.gov.cn/col/col789/index.html?uid=1#top", "/col/col789/index.html?uid=1"),
        ("https://mp.weixin.qq.com/s/abc?from=singlemessage&isappinstalled=0", "/s/abc"),
        ("/show.asp?id=12&utm_source=wechat", "/show.asp?id=12"),
        ("/新闻/通知.html", "/%E6%96%B0%E9%97%BB/%E9%80%9A%E7%9F%A5.html"),
        ("/%E6%96%B0%E9%97%BB/", "/%E6%96%B0%E9%97%BB/"),
    ],
)
def test_an_old_address_is_stored_as_the_request_will_ask_for_it(written, stored_as):
    assert addresses.old_path(written) == stored_as


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("", "旧地址必填"),
        ("col/col789/index.html", "旧地址必须以 / 开头"),
        ("ftp://old.gov.cn/a", "旧地址必须以 / 开头"),
        ("/a /b", "旧地址里有空格"),
        ("/" + "长" * 30, "旧地址太长"),
    ],
)
def test_an_unusable_old_address_says_why(written, reason):
    with pytest.raises(AddressError, match=reason):
        addresses.old_path(written)


def test_a_new_address_is_a_path_here_or_a_url_elsewhere():
    assert addresses.new_path("/news/12/") == "/news/12/"
    assert addresses.new_path("https://www.acftu.org/x?a=1") == "https://www.acftu.org/x?a=1"
    assert addresses.new_path("http://testserver/news/12/") == "/news/12/"  # this site: kept as its path
    for wrong in ["news/12/", "//evil.example/x", "javascript:alert(1)", "https://"]:
        with pytest.raises(AddressError):
            addresses.new_path(wrong)


# --- who may manage redirects -------------------------------------------------------------------------------------


def test_a_reviewer_adds_a_redirect_in_the_admin_and_the_old_address_answers_301(client, reviewer, column):
    client.force_login(reviewer)
    form = client.get(ADD_URL).content.decode()
    assert "旧地址" in form and "新地址" in form and 'name="site"' not in form  # one site: not asked
    response = client.post(ADD_URL, {"old_path": "http://old.gov.cn/col/col789/index.html", "new_path": "/news/"})
    assert response.status_code == 302
    assert stored() == {"/col/col789/index.html": "/news/"}
    client.logout()
    answer = client.get("/col/col789/index.html")
    assert answer.status_code == 301 and answer["Location"] == "/news/"


def test_an_editor_can_neither_add_redirects_nor_import_them(client, editor):
    client.force_login(editor)
    assert client.get(ADD_URL).status_code == 403
    assert client.post(ADD_URL, {"old_path": "/a/", "new_path": "/news/"}).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": csv_file([("/a/", "/news/")])}).status_code == 403
    assert Redirect.objects.count() == 0


def test_the_admin_form_refuses_a_duplicate_a_chain_and_a_circle(client, reviewer):
    create_or_update_redirect("/a/", "/b/")
    client.force_login(reviewer)
    duplicate = client.post(ADD_URL, {"old_path": "/a/", "new_path": "/c/"})
    assert "这个旧地址已经有跳转（→ /b/）" in duplicate.content.decode()
    circle = client.post(ADD_URL, {"old_path": "/b/", "new_path": "/a/"})
    assert "跳转会形成循环：/b/ → /a/ → /b/" in circle.content.decode()
    chain = client.post(ADD_URL, {"old_path": "/x/", "new_path": "/a/"})
    assert "请把新地址直接写成 /b/" in chain.content.decode()
    assert stored() == {"/a/": "/b/"}


# --- importing old → new from a spreadsheet -------------------------------------------------------------------------


def test_a_file_with_broken_rows_shows_each_rows_error_and_saves_nothing(client, reviewer):
    create_or_update_redirect("/kept/", "/news/")
    client.force_login(reviewer)
    response = preview(
        client,
        csv_file(
            [
                ("/art/1.html", "/news/1/"),  # row 2: fine
                ("art/2.html", "/news/2/"),  # row 3
                ("/art/1.html", "/news/9/"),  # row 4: same old address as row 2
                ("/art/3.html", ""),  # row 5
                ("/art/4.html", "/art/4.html"),  # row 6
                ("/loop/a", "/loop/b"),  # rows 7 and 8 send each other round
                ("/loop/b", "/loop/a"),
                ("/art/5.html", "ftp://old/x"),  # row 9
            ]
        ),
    )
    html = response.content.decode()
    assert "有任何错误时，一行都不会保存" in html
    for message in [
        "第 3 行：旧地址必须以 / 开头",
        "第 4 行：旧地址与第 2 行相同：同一个旧地址只能跳转到一个新地址",
        "第 5 行：新地址必填",
        "第 6 行：旧地址和新地址相同",
        "第 7 行：跳转会形成循环：/loop/a → /loop/b → /loop/a",
        "第 8 行：跳转会形成循环：/loop/b → /loop/a → /loop/b",
        "第 9 行：新地址必须以 / 开头",
    ]:
        assert message in html, message
    assert response.context["token"] is None and "确认导入" not in html
    assert stored() == {"/kept/": "/news/"}


def test_a_new_address_that_is_itself_redirected_must_be_written_as_the_final_one(client, reviewer):
    create_or_update_redirect("/old-notices/", "/news/c/notices/")
    client.force_login(reviewer)
    html = preview(client, csv_file([("/art/1.html", "/old-notices/"), ("/x", "/y"), ("/y", "/z")])).content.decode()
    assert (
        "第 2 行：新地址 /old-notices/ 又跳转到 /news/c/notices/，访问者要连跳多次；请把新地址直接写成 /news/c/notices/"
        in html
    )
    assert "第 3 行：新地址 /y 又跳转到 /z" in html  # the file's own rows too
    assert Redirect.objects.count() == 1


def test_a_good_csv_imports_every_row_and_importing_it_again_changes_nothing(client, reviewer, column):
    create_or_update_redirect("/very-old/", "/art/1.html")  # led to an old address of the file
    create_or_update_redirect("/art/2.html", "/news/")  # will be updated
    client.force_login(reviewer)
    rows = [
        ("http://www.old.gov.cn/art/2023/4/27/art_123_456.html?from=timeline", "/news/12/"),
        ("/art/1.html", "/news/1/"),
        ("/art/2.html", column.get_absolute_url()),
        ("/col/col789/index.html", "https://www.acftu.org/"),
    ]
    first = preview(client, csv_file(rows))
    assert "共 4 行：新增 3，更新 1，不变 0；错误 0 行" in first.content.decode()
    assert "另有 1 条已有的跳转指向表中的旧地址" in first.content.decode()
    done = confirm(client, first)
    assert "已导入：新增 3 条，更新 1 条；另有 1 条原有跳转改为直接指向新地址" in done.content.decode()
    expected = {
        "/art/2023/4/27/art_123_456.html": "/news/12/",
        "/art/1.html": "/news/1/",
        "/art/2.html": column.get_absolute_url(),
        "/col/col789/index.html": "https://www.acftu.org/",
        "/very-old/": "/news/1/",  # no chain: straight to the new address
    }
    assert stored() == expected

    again = preview(client, csv_file(rows))
    html = again.content.decode()
    assert "共 4 行：新增 0，更新 0，不变 4" in html and "没有需要导入的变化" in html
    assert again.context["token"] is None
    assert stored() == expected


def test_an_xlsx_with_other_columns_imports_its_two_address_columns(client, reviewer):
    client.force_login(reviewer)
    upload = xlsx_file(
        [("/art/1.html", "/news/1/", "劳模座谈会"), ("https://old.gov.cn/col/col9/index.html", "/news/", "栏目")]
    )
    done = confirm(client, preview(client, upload))
    assert "已导入：新增 2 条，更新 0 条" in done.content.decode()
    assert stored() == {"/art/1.html": "/news/1/", "/col/col9/index.html": "/news/"}


def test_a_file_without_the_address_columns_says_which_are_missing(client, reviewer):
    client.force_login(reviewer)
    html = preview(client, csv_file([("/a", "/b")], header=("地址", "新地址"))).content.decode()
    assert "缺少必需的列：旧地址" in html and Redirect.objects.count() == 0


def test_a_change_after_the_preview_is_shown_again_before_anything_is_saved(client, reviewer):
    client.force_login(reviewer)
    first = preview(client, csv_file([("/a", "/news/")]))
    create_or_update_redirect("/a", "/gallery/")  # someone else, meanwhile
    again = client.post(IMPORT_URL, {"confirm": "1", "token": first.context["token"]})
    assert "预览之后，网站上的跳转有了变化" in again.content.decode()
    assert stored() == {"/a": "/gallery/"}
    confirm(client, again)
    assert stored() == {"/a": "/news/"}


def test_the_template_downloads_as_excel_and_csv_with_the_two_columns(client, reviewer):
    client.force_login(reviewer)
    page = client.get(IMPORT_URL).content.decode()
    assert "下载导入模板（.xlsx）" in page and "下载导入模板（.csv）" in page
    xlsx = client.get(IMPORT_URL + "template.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["旧地址", "新地址", "备注"]
    csv = b"".join(client.get(IMPORT_URL + "template.csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0] == "旧地址,新地址,备注"
    assert ExportLog.objects.filter(report="重定向导入模板").count() == 2


# --- a column's new 网址名 -------------------------------------------------------------------------------------------


def test_changing_a_columns_slug_in_the_admin_redirects_its_old_addresses(client, reviewer, column, make_article):
    article = make_article()
    client.force_login(reviewer)
    change = reverse("admin:news_column_change", args=[column.pk])
    assert client.post(change, column_form(column, slug="notices")).status_code == 302
    client.logout()
    old = client.get("/news/c/test-column/")
    assert old.status_code == 301 and old["Location"] == "/news/c/notices/"
    assert client.get("/news/c/test-column/feed/")["Location"] == "/news/c/notices/feed/"
    landed = client.get("/news/c/test-column/", follow=True)
    assert landed.redirect_chain == [("/news/c/notices/", 301)]
    assert article.title in landed.content.decode()


def test_renaming_a_column_twice_and_back_leaves_no_chain_and_no_circle(client, reviewer, column):
    client.force_login(reviewer)
    change = reverse("admin:news_column_change", args=[column.pk])
    for slug in ["b", "c"]:
        client.post(change, column_form(Column.objects.get(pk=column.pk), slug=slug))
    assert stored() == {
        "/news/c/test-column/": "/news/c/c/",
        "/news/c/test-column/feed/": "/news/c/c/feed/",
        "/news/c/b/": "/news/c/c/",
        "/news/c/b/feed/": "/news/c/c/feed/",
    }
    client.post(change, column_form(Column.objects.get(pk=column.pk), slug="test-column"))  # back to the first
    assert stored() == {
        "/news/c/b/": "/news/c/test-column/",
        "/news/c/b/feed/": "/news/c/test-column/feed/",
        "/news/c/c/": "/news/c/test-column/",
        "/news/c/c/feed/": "/news/c/test-column/feed/",
    }
    client.logout()
    assert client.get("/news/c/test-column/").status_code == 200
    assert client.get("/news/c/b/", follow=True).redirect_chain == [("/news/c/test-column/", 301)]


def test_a_column_save_that_is_rolled_back_leaves_no_redirect(column):
    with pytest.raises(RuntimeError), transaction.atomic():  # as the admin's form is
        column.slug = "notices"
        column.save()
        assert stored() == {
            "/news/c/test-column/": "/news/c/notices/",
            "/news/c/test-column/feed/": "/news/c/notices/feed/",
        }
        raise RuntimeError("a later part of the same save fails")
    assert Redirect.objects.count() == 0


# --- answering visitors ---------------------------------------------------------------------------------------------


def test_a_redirect_answers_an_anonymous_visitor_through_the_page_cache(client, column):
    assert client.get("/col/col789/index.html").status_code == 404  # asked before the redirect existed
    create_or_update_redirect("/col/col789/index.html", column.get_absolute_url())
    for _ in range(2):  # never stored by the page cache: every visit is answered by the redirect
        response = client.get("/col/col789/index.html")
        assert response.status_code == 301 and response["Location"] == column.get_absolute_url()
        assert response["X-Cache"] == "MISS"
        assert "max-age=3600" in response["Cache-Control"]
    assert client.get("/col/col789/index.html", follow=True).status_code == 200


def test_a_cached_column_page_whose_slug_changed_answers_with_the_redirect(client, column):
    client.get(column.get_absolute_url())
    assert client.get(column.get_absolute_url())["X-Cache"] == "HIT"
    column.slug = "notices"
    column.save()
    response = client.get("/news/c/test-column/")
    assert response.status_code == 301 and response["Location"] == "/news/c/notices/"


def test_an_old_address_matches_with_its_query_string_first_then_without(client):
    create_or_update_redirect("/art/1.html", "/news/1/")
    create_or_update_redirect("/show.asp?id=12", "/news/12/")
    create_or_update_redirect("/show.asp", "/news/")
    create_or_update_redirect("/col/col789/", "/news/c/notices/")
    assert client.get("/art/1.html?from=timeline&isappinstalled=0")["Location"] == "/news/1/"
    assert client.get("/show.asp?id=12")["Location"] == "/news/12/"
    assert client.get("/show.asp?id=13")["Location"] == "/news/"
    assert client.get("/col/col789")["Location"] == "/news/c/notices/"  # the slash added, as APPEND_SLASH would
    assert client.get("/新闻/").status_code == 404
    create_or_update_redirect("/新闻/", "/news/")
    assert client.get("/新闻/")["Location"] == "/news/"


def test_a_redirect_never_hides_a_page_that_exists(client, column):
    create_or_update_redirect(column.get_absolute_url(), "/news/")
    assert client.get(column.get_absolute_url()).status_code == 200


# --- the function other code calls (import_legacy) ------------------------------------------------------------------


def test_create_or_update_redirect_is_idempotent_and_leaves_no_chains():
    redirect, action = create_or_update_redirect("http://old.gov.cn/art/1.html", "/news/1/")
    assert (redirect.old_path, redirect.new_path, action) == ("/art/1.html", "/news/1/", "新增")
    assert create_or_update_redirect("/art/1.html", "/news/1/")[1] == "不变"
    create_or_update_redirect("/news/1/", "/news/2/")  # the new page moved on
    assert stored() == {"/art/1.html": "/news/2/", "/news/1/": "/news/2/"}
    create_or_update_redirect("/news/2/", "/news/1/")  # and back: the circle is removed
    assert stored() == {"/art/1.html": "/news/1/", "/news/2/": "/news/1/"}
    with pytest.raises(AddressError, match="旧地址和新地址相同"):
        create_or_update_redirect("/a/", "http://testserver/a/")


def test_the_admin_lists_redirects_in_chinese(client, reviewer):
    create_or_update_redirect("/%E6%96%B0%E9%97%BB/", "/news/")
    client.force_login(reviewer)
    index = client.get(reverse("admin:index")).content.decode()
    assert "重定向" in index and "404 记录" in index
    listing = client.get(reverse("admin:redirects_redirect_changelist")).content.decode()
    assert "旧地址" in listing and "/新闻/" in listing and "从表格导入" in listing
