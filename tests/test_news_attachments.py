"""附件: what a file is, decided by its content (union_site/common/file_types.py), what is refused and why (in
Chinese, nothing stored), where the file is kept, and that files follow their rows (news/attachments.py): deleted
after the deletion commits, never before; a refused or rolled-back save leaves none. The admin's inline upload
through the real change form."""

import io
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from news.attachments import attach_file, files_follow_rows
from news.models import Article, Attachment
from tests.factories import (
    article_change_url,
    article_form_data,
    document_upload,
    docx,
    jpeg,
    jpeg_with_gps,
    ofd,
    ole2,
    pdf,
    png,
    pptx,
    stored_bytes,
    stored_names,
    with_macros,
    xlsx,
    zip_bomb,
    zipped,
)
from union_site.common import file_types
from union_site.common.file_types import detect_file_type

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
NOTICE_TEXT = "关于举办2026年职工运动会的通知\n请各单位于4月20日前报名。\n"


def kind(name, data):
    return detect_file_type(name, data).key


def refusal(name, data, limit=None):
    with pytest.raises(ValidationError) as refused:
        detect_file_type(name, data, limit)
    return refused.value.messages[0]


# --- each allowed type, by its content ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("通知.pdf", pdf, "pdf"),
        ("报名表.docx", docx, "docx"),
        ("报名表.xlsx", xlsx, "xlsx"),
        ("宣讲.pptx", pptx, "pptx"),
        ("红头文件.ofd", ofd, "ofd"),
        ("现场.jpg", jpeg, "jpg"),
        ("现场.png", png, "png"),
        ("资料.zip", lambda: zipped({"名单.txt": "张三".encode(), "通知.pdf": pdf()}), "zip"),
        ("说明.txt", lambda: NOTICE_TEXT.encode("utf-8"), "txt"),
        ("说明.txt", lambda: ("\ufeff" + NOTICE_TEXT).encode("utf-8"), "txt"),
        ("说明.txt", lambda: NOTICE_TEXT.encode("gb18030"), "txt"),
    ],
)
def test_each_allowed_type_is_known_by_its_content(name, make, expected):
    assert kind(name, make()) == expected


@pytest.mark.parametrize("extension", ["doc", "xls", "ppt", "wps", "et", "dps"])
def test_old_office_and_wps_files_are_told_apart_by_their_extension(extension):
    """OLE2 is one container for all six (olefile, which could read its directory, is not installed)."""
    assert kind(f"名单.{extension}", ole2()) == extension
    assert kind(f"名单.{extension.upper()}", ole2()) == extension


def test_the_text_of_gb18030_files_is_not_mistaken_for_utf8():
    data = NOTICE_TEXT.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert kind("通知.txt", data) == "txt"


def test_a_file_object_is_read_and_left_at_its_start():
    upload = document_upload("报名表.xlsx", xlsx())
    upload.read(10)
    assert detect_file_type(upload.name, upload).key == "xlsx"
    assert upload.tell() == 0


# --- disguises and dangers: refused with the reason ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("通知.pdf", b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "网页"),
        ("通知.pdf", b"  <html><head><title>x</title></head></html>", "网页"),
        (
            "图.png",
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "SVG",
        ),
        ("图.txt", b'<svg onload="alert(1)"/>', "网页"),
        ("说明.txt", "通知<script>alert(1)</script>".encode(), "网页"),
        ("说明.txt", "\ufeff<html>".encode("utf-16-le"), "网页"),
        ("报名表.docx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(200), "可执行程序"),
        ("通知.pdf", b"\x7fELF\x02\x01\x01" + bytes(100), "可执行程序"),
        ("说明.txt", b"#!/bin/sh\nrm -rf /\n", "可执行程序"),
        ("通知.doc", b"{\\rtf1\\ansi notice}", "RTF"),
        ("资料.zip", b"Rar!\x1a\x07\x00" + bytes(50), "只接受 ZIP"),
        ("名单.txt", b"\x00\x01\x02\x03binary\xff\xfe", "不支持的格式"),
        ("名单.pdf", bytes(300), "不支持的格式"),
    ],
)
def test_disguised_files_are_refused_whatever_their_name(name, data, says):
    assert says in refusal(name, data)


def test_an_empty_file_is_refused():
    assert refusal("报名表.xlsx", b"") == "文件是空的（0 字节），请检查后重新选择。"
    assert "空的" in refusal("资料.zip", zipped({}))


@pytest.mark.parametrize("macro_kind", ["docm", "xlsm", "pptm"])
def test_office_files_with_macros_are_refused(macro_kind):
    message = refusal(f"报名表.{macro_kind}", with_macros(macro_kind))
    assert "宏" in message and "病毒" in message
    assert "宏" in refusal("报名表.docx", with_macros(macro_kind))  # renamed: the content says it


def test_a_vba_project_alone_is_enough_to_refuse():
    data = zipped({"[Content_Types].xml": docx_index(), "word/document.xml": "<w/>", "word/vbaProject.bin": b"x"})
    assert "宏" in refusal("报名表.docx", data)


def docx_index():
    with zipfile.ZipFile(io.BytesIO(docx())) as archive:
        return archive.read("[Content_Types].xml")


@pytest.mark.parametrize(
    "member", ["../../etc/cron.d/evil", "/etc/passwd", "资料/../../outside.txt", "C:/Windows/x.dll"]
)
def test_a_zip_that_climbs_out_of_its_folder_is_refused(member):
    assert "不安全的路径" in refusal("资料.zip", zipped({"说明.txt": b"x", zipfile.ZipInfo(member): b"x"}))


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = zip_bomb()
    assert len(bomb) < 100 * 1024
    assert "压缩炸弹" in refusal("资料.zip", bomb)
    assert "压缩炸弹" in refusal("报名表.xlsx", ooxml_with("xl/worksheets/sheet1.xml", bytes(20 * MB)))


def ooxml_with(name, data):
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    return zipped({**members, name: data})


def test_a_zip_that_unpacks_past_the_total_limit_is_refused(monkeypatch):
    monkeypatch.setattr(file_types, "ZIP_MAX_UNZIPPED_BYTES", 100 * 1024)
    monkeypatch.setattr(file_types, "ZIP_MAX_RATIO", 10**6)
    members = {f"第{n}份.txt": bytes(60 * 1024) for n in range(2)}
    assert "压缩炸弹" in refusal("资料.zip", zipped(members))


def test_a_zip_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(file_types, "ZIP_MAX_MEMBERS", 5)
    assert "压缩炸弹" in refusal("资料.zip", zipped({f"{n}.txt": b"x" for n in range(6)}))


def test_an_encrypted_zip_is_refused():
    data = bytearray(zipped({"名单.txt": b"x"}))
    for header, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local and central headers
        data[data.index(header) + flags_at] |= 0x1  # the mark of a password-protected entry
    assert "密码" in refusal("资料.zip", bytes(data))


def test_a_broken_or_cut_off_office_file_is_refused():
    data = docx()
    assert "已损坏" in refusal("报名表.docx", data[: len(data) // 2])
    stored = zipped({"名单.txt": "张三李四王五".encode() * 50}, compression=zipfile.ZIP_STORED)
    flipped = stored.replace("张三".encode(), "李四".encode(), 1)  # the data no longer matches its CRC
    assert "已损坏" in refusal("资料.zip", flipped)


def test_a_plain_zip_with_a_program_inside_is_refused():
    assert "setup.exe" in refusal("资料.zip", zipped({"说明.txt": b"x", "工具/setup.exe": b"MZ"}))


def test_a_broken_picture_is_refused():
    assert "图片已损坏" in refusal("现场.png", png()[:40])


# --- name and content disagreeing ----------------------------------------------------------------------------------


def test_the_content_wins_over_the_name():
    """A real PDF named .docx is a PDF (downloaded as .pdf); an .xls that is really an xlsx is an xlsx."""
    assert kind("通知.docx", pdf()) == "pdf"
    assert kind("报名表.xls", xlsx()) == "xlsx"
    assert kind("报名表", xlsx()) == "xlsx"
    assert kind("现场.png", jpeg()) == "jpg"


def test_where_the_name_is_all_there_is_it_must_be_right():
    assert "旧版 Office/WPS" in refusal("通知.pdf", ole2())
    assert "没有扩展名" in refusal("通知", ole2())
    assert "纯文本" in refusal("名单.csv", "张三,李四\n".encode())
    assert "纯文本" in refusal("通知.pdf", NOTICE_TEXT.encode())


# --- size: the declared size first, before a byte is read ----------------------------------------------------------


class DeclaredTooBig:
    """An upload that says it is over the limit; reading it fails the test."""

    name = "大文件.pdf"

    def __init__(self, size):
        self.size = size

    def read(self, *args):
        pytest.fail("the file was read although its declared size is over the limit")

    seek = tell = seekable = read


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    assert settings.ATTACHMENT_MAX_BYTES == 50 * MB
    message = refusal("大文件.pdf", DeclaredTooBig(50 * MB + 1))
    assert message == "文件太大：附件最大 50 MB，请压缩或拆分后再上传。"


def test_the_limit_comes_from_the_setting(settings):
    settings.ATTACHMENT_MAX_BYTES = 1 * MB
    assert "最大 1 MB" in refusal("大文件.pdf", DeclaredTooBig(MB + 1))
    assert "最大 1 MB" in refusal("大文件.pdf", b"%PDF-" + bytes(MB))
    unsized = io.BytesIO(b"%PDF-" + bytes(MB))  # no declared size: measured without reading it into memory
    assert "最大 1 MB" in refusal("大文件.pdf", unsized)
    assert kind("小文件.pdf", b"%PDF-" + bytes(MB - 10)) == "pdf"


def test_the_limit_is_read_from_the_environment():
    """DJANGO_ATTACHMENT_MAX_MB, read by the settings in a process of their own (as `manage.py` starts)."""
    code = "from django.conf import settings; print(settings.ATTACHMENT_MAX_BYTES)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "DATABASE_URL"}
    for value, expected in (("80", 80 * MB), (None, 50 * MB)):
        extra = {"DJANGO_ATTACHMENT_MAX_MB": value} if value else {}
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env={**env, "DJANGO_DEBUG": "1", **extra},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.stdout.strip().splitlines()[-1] == str(expected), result.stderr


# --- stored with the row, under a generated name --------------------------------------------------------------------


def test_a_file_is_stored_under_a_generated_name_with_what_is_known_of_it(make_article):
    article = make_article()
    data = xlsx()
    attachment = attach_file(article, "C:\\Users\\张三\\2026年职工运动会报名表.xls", data)

    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.xlsx", attachment.file.name)
    assert stored_names("attachments") == [attachment.file.name]
    assert stored_bytes(attachment.file.name) == data
    row = Attachment.objects.get()
    assert (row.title, row.original_name, row.kind, row.size) == (
        "2026年职工运动会报名表",
        "2026年职工运动会报名表.xls",
        "xlsx",
        len(data),
    )
    assert row.download_name == "2026年职工运动会报名表.xlsx"  # the extension of what it is
    assert str(row) == "2026年职工运动会报名表"


def test_a_refused_file_stores_nothing(make_article):
    with pytest.raises(ValidationError):
        attach_file(make_article(), "通知.pdf", b"<html><script>alert(1)</script></html>")
    assert Attachment.objects.count() == 0 and stored_names() == []


def test_pictures_lose_their_gps_position(make_article):
    attachment = attach_file(make_article(), "现场照片.jpg", jpeg_with_gps())
    with Image.open(io.BytesIO(stored_bytes(attachment.file.name))) as image:
        assert image.format == "JPEG" and not image.getexif().get_ifd(0x8825)
    assert attachment.size == len(stored_bytes(attachment.file.name))


def test_download_names_are_valid_file_names(make_article):
    attachment = attach_file(make_article(), "x.pdf", pdf(), title='名单/汇总:第"1"批?.pdf')
    assert attachment.download_name == "名单_汇总_第_1_批_.pdf"
    assert attach_file(make_article(), "x.pdf", pdf(), title="  ").download_name == "x.pdf"


# --- files follow rows: deleted after the deletion commits ---------------------------------------------------------


def test_deleting_an_attachment_removes_its_file_after_commit(make_article, django_capture_on_commit_callbacks):
    attachment = attach_file(make_article(), "通知.pdf", pdf())
    name = attachment.file.name
    with django_capture_on_commit_callbacks() as callbacks:
        attachment.delete()
        assert stored_names("attachments") == [name]  # not before the commit
    assert stored_names("attachments") == [name]
    for callback in callbacks:
        callback()
    assert stored_names("attachments") == []


def test_deleting_the_article_removes_its_files_after_commit(make_article, django_capture_on_commit_callbacks):
    article = make_article()
    attach_file(article, "通知.pdf", pdf())
    attach_file(article, "报名表.xlsx", xlsx())
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
        assert len(stored_names("attachments")) == 2
    assert stored_names("attachments") == [] and Attachment.objects.count() == 0


def test_a_rolled_back_delete_keeps_the_file(make_article, django_capture_on_commit_callbacks):
    attachment = attach_file(make_article(), "通知.pdf", pdf())
    pk, name = attachment.pk, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            attachment.delete()
            transaction.set_rollback(True)
    assert callbacks == [] and stored_names("attachments") == [name]
    assert Attachment.objects.filter(pk=pk).exists()


def test_a_replaced_file_goes_after_commit(make_article, django_capture_on_commit_callbacks):
    attachment = attach_file(make_article(), "通知.pdf", pdf())
    old = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attach_file(attachment.article, "通知.docx", docx(), attachment=attachment)
        assert old in stored_names("attachments")
    attachment.refresh_from_db()
    assert stored_names("attachments") == [attachment.file.name] and attachment.kind == "docx"


def test_files_written_by_a_save_that_rolls_back_are_deleted(make_article):
    article = make_article()
    with files_follow_rows():
        with transaction.atomic():
            attach_file(article, "通知.pdf", pdf())
            assert len(stored_names("attachments")) == 1
            transaction.set_rollback(True)
    assert stored_names("attachments") == [] and Attachment.objects.count() == 0


def test_a_row_that_cannot_be_saved_takes_its_file_with_it(make_article, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", fails)
    with pytest.raises(RuntimeError):
        attach_file(make_article(), "通知.pdf", pdf())
    assert stored_names() == []


# --- search finds an article by its attachments' names --------------------------------------------------------------


def test_an_articles_search_text_follows_its_attachments(make_article):
    article = make_article(title="关于举办职工运动会的通知")
    attachment = attach_file(article, "2026年职工运动会报名表.xlsx", xlsx())
    article.refresh_from_db()
    assert "2026年职工运动会报名表" in article.search_text and "报名" in article.search_tokens
    version = article.version

    attachment.title = "参赛回执"
    attachment.save()
    article.refresh_from_db()
    assert "参赛回执" in article.search_text and "报名表" not in article.search_text
    assert article.version == version  # the refresh is no edit

    attachment.delete()
    article.refresh_from_db()
    assert "参赛回执" not in article.search_text


# --- the admin: the inline on the article's change form -------------------------------------------------------------


def inline_data(*rows, initial=0):
    """The attachment inline's part of the change form: the management form and one dict of fields per row."""
    data = {
        "attachments-TOTAL_FORMS": str(len(rows)),
        "attachments-INITIAL_FORMS": str(initial),
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"attachments-{n}-{key}": value for key, value in row.items()})
    return data


@pytest.fixture
def draft(make_article):
    return make_article(title="关于举办职工运动会的通知", status=Article.Status.DRAFT)


def test_an_editor_attaches_files_in_the_article_form(client, editor, draft):
    client.force_login(editor)
    page = client.get(article_change_url(draft)).content.decode()
    assert "附件" in page and 'name="attachments-0-file"' in page and 'accept=".pdf,' in page
    assert "每个不超过 50 MB" in page

    rows = [
        {"file": document_upload("2026年职工运动会报名表.docx", docx()), "title": "", "order": "1"},
        {"file": document_upload("竞赛规程.pdf", pdf()), "title": "全市职工运动会竞赛规程", "order": "2"},
    ]
    response = client.post(article_change_url(draft), {**article_form_data(draft), **inline_data(*rows)})
    assert response.status_code == 302, response.content.decode()

    attachments = list(draft.attachments.all())
    assert [(a.title, a.kind, a.original_name) for a in attachments] == [
        ("2026年职工运动会报名表", "docx", "2026年职工运动会报名表.docx"),
        ("全市职工运动会竞赛规程", "pdf", "竞赛规程.pdf"),
    ]
    assert sorted(stored_names("attachments")) == sorted(a.file.name for a in attachments)
    draft.refresh_from_db()
    assert "2026年职工运动会报名表" in draft.search_text and "竞赛规程" in draft.search_text

    page = client.get(article_change_url(draft)).content.decode()
    assert "2026年职工运动会报名表.docx" in page and "Word · " in page  # the stored file, as it downloads
    row = page.split('name="attachments-0-file"')[0][-400:]
    assert attachments[0].get_absolute_url() in row and "/media/" not in row  # never the storage's own address


def test_a_refused_file_shows_the_chinese_reason_on_its_row_and_nothing_is_saved(client, editor, draft):
    client.force_login(editor)
    rows = [
        {"file": document_upload("报名表.xlsx", xlsx()), "title": "", "order": "1"},
        {"file": document_upload("通知.pdf", b"<html><script>alert(1)</script></html>"), "title": "", "order": "2"},
    ]
    form = {**article_form_data(draft, title="改过的标题"), **inline_data(*rows)}
    response = client.post(article_change_url(draft), form)

    assert response.status_code == 200
    page = response.content.decode()
    assert "这是网页或 SVG/XML 文件" in page and "errorlist" in page
    assert Attachment.objects.count() == 0 and stored_names() == []
    draft.refresh_from_db()
    assert draft.title == "关于举办职工运动会的通知"


def test_the_article_forms_own_errors_leave_no_file(client, editor, draft):
    client.force_login(editor)
    rows = [{"file": document_upload("报名表.xlsx", xlsx()), "title": "", "order": "1"}]
    response = client.post(article_change_url(draft), {**article_form_data(draft, title=""), **inline_data(*rows)})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert Attachment.objects.count() == 0 and stored_names() == []


def test_an_edit_conflict_leaves_no_file(client, editor, draft):
    client.force_login(editor)
    loaded = draft.version
    draft.title = "别人改过"
    draft.save()
    rows = [{"file": document_upload("报名表.xlsx", xlsx()), "title": "", "order": "1"}]
    form = {**article_form_data(draft, loaded_version=str(loaded)), **inline_data(*rows)}
    response = client.post(article_change_url(draft), form)
    assert response.status_code == 200 and "保存未成功" in response.content.decode()
    assert Attachment.objects.count() == 0 and stored_names() == []


def test_removing_a_row_in_the_form_removes_the_file_after_commit(
    client, reviewer, make_article, django_capture_on_commit_callbacks
):
    article = make_article()
    attachment = attach_file(article, "通知.pdf", pdf())
    client.force_login(reviewer)
    row = {
        "id": str(attachment.pk),
        "article": str(article.pk),
        "title": attachment.title,
        "order": "0",
        "DELETE": "on",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            article_change_url(article), {**article_form_data(article), **inline_data(row, initial=1)}
        )
    assert response.status_code == 302
    assert Attachment.objects.count() == 0 and stored_names("attachments") == []


def test_editors_cannot_change_the_files_of_a_published_article(client, editor, make_article):
    article = make_article()  # published: the reviewers' to change (news/workflow.py)
    attach_file(article, "通知.pdf", pdf())
    client.force_login(editor)
    page = client.get(article_change_url(article)).content.decode()
    assert "通知.pdf" in page and 'name="attachments-0-file"' not in page
    assert 'name="attachments-0-DELETE"' not in page


def test_a_file_given_to_the_row_in_the_shell_is_stored_too(make_article):
    """Rows made without attach_file (code of one's own) still get a generated name through the field."""
    attachment = Attachment(article=make_article(), kind="txt", title="说明", size=3)
    attachment.file = ContentFile(b"abc", name="说明.txt")
    attachment.save()
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.txt", attachment.file.name)


def test_a_file_at_the_limit_goes_through_the_admin_and_one_byte_more_does_not(client, editor, draft, make_article):
    """Django's request limits count form text, not files (DATA_UPLOAD_MAX_MEMORY_SIZE, RequestLimitMiddleware): a
    50 MB attachment reaches the form, whose check is the one that applies."""
    client.force_login(editor)
    at_limit = b"%PDF-1.4\n" + bytes(50 * MB - 9)
    rows = [{"file": document_upload("汇编.pdf", at_limit), "title": "", "order": "1"}]
    response = client.post(article_change_url(draft), {**article_form_data(draft), **inline_data(*rows)})
    assert response.status_code == 302
    assert Attachment.objects.get().size == 50 * MB

    other = make_article(status=Article.Status.DRAFT)
    over = [{"file": document_upload("汇编二.pdf", at_limit + b"x"), "title": "", "order": "1"}]
    response = client.post(article_change_url(other), {**article_form_data(other), **inline_data(*over)})
    assert response.status_code == 200 and "文件太大：附件最大 50 MB" in response.content.decode()
    assert Attachment.objects.count() == 1 and len(stored_names("attachments")) == 1
