"""The personal-data check reads inside the 附件 (union_site/checks/file_text.py): a 名单 in Excel, Word, PowerPoint,
OFD, text or a PDF's text layer stops the article from being published as its body would; the old binary formats
are not read (README says so), and a broken file is never a 500."""

import re

import pytest
from django.core.management import CommandError, call_command

from news.attachments import attach_file
from news.models import Article
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data
from tests.factories import document_upload, ole2, ooxml, table_xlsx, zipped
from union_site.checks.file_text import MAX_CHARS, file_text
from union_site.checks.report import check

pytestmark = pytest.mark.django_db
Status = Article.Status
ID_NUMBER = "372301199001011238"
MASKED_ID = "372***********1238"
MOBILE = 13812345678
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word(*paragraphs, cells=()):
    row = "".join(f"<w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>" for cell in cells)
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    document = f"<w:document {W}><w:body>{body}<w:tbl><w:tr>{row}</w:tr></w:tbl></w:body></w:document>"
    return ooxml("docx", extra={"word/document.xml": document})


def names_xlsx():
    return table_xlsx([["张三", ID_NUMBER, MOBILE], ["李四", "", ""]], header=["姓名", "身份证号", "手机"])


def chinese_pdf(text):
    from union_site.reports.writers import _weasyprint  # WeasyPrint imported as the site imports it (see there)

    return _weasyprint()(string=f"<html><body><p>{text}</p></body></html>").write_pdf()


def read(data, kind):
    import io

    return file_text(io.BytesIO(data), kind)


def test_a_word_table_reads_cell_by_cell():
    text = read(word("报名表", cells=["张三", ID_NUMBER]), "docx")
    assert "报名表" in text and re.search(rf"张三\s+{ID_NUMBER}", text)  # two cells: never one run of digits


def test_every_sheet_of_a_workbook_reads_with_numbers_as_typed():
    text = read(names_xlsx(), "xlsx")
    assert f"张三 {ID_NUMBER} {MOBILE}" in text and "13812345678.0" not in text


def test_slides_read_in_their_order():
    slide = '<p:sld xmlns:p="p" xmlns:a="a"><a:p><a:t>{}</a:t></a:p></p:sld>'
    extra = {"ppt/slides/slide10.xml": slide.format("第十页"), "ppt/slides/slide2.xml": slide.format("第二页")}
    text = read(ooxml("pptx", extra=extra), "pptx")
    assert text.index("第二页") < text.index("第十页")


def test_ofd_text_objects_read():
    page = '<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:TextObject><ofd:TextCode>联系人 {}</ofd:TextCode>'
    archive = zipped(
        {
            "OFD.xml": "<ofd:OFD/>",
            "Doc_0/Pages/Page_0/Content.xml": page.format(MOBILE) + "</ofd:TextObject></ofd:Page>",
        }
    )
    assert f"联系人 {MOBILE}" in read(archive, "ofd")


def test_text_files_in_gbk_and_a_pdf_text_layer_read():
    assert ID_NUMBER in read(f"张三，{ID_NUMBER}".encode("gb18030"), "txt")
    assert f"联系电话{MOBILE}" in read(chinese_pdf(f"报名请联系：联系电话{MOBILE}"), "pdf").replace(" ", "")


def test_old_formats_are_not_read_and_broken_files_read_as_nothing():
    assert read(ole2(), "xls") == ""
    assert read(b"PK\x03\x04 not really a zip", "docx") == ""
    laughs = '<!DOCTYPE w [<!ENTITY a "哈哈哈哈"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><w:document>&b;</w:document>'
    assert read(ooxml("docx", extra={"word/document.xml": laughs}), "docx") == ""  # entities refused, not expanded
    assert len(read(("张三" * MAX_CHARS).encode(), "txt")) == MAX_CHARS


def test_a_name_list_in_a_saved_attachment_stops_publishing(client, reviewer, make_article):
    article = make_article(status=Status.REVIEW, title="职工运动会报名通知")
    attach_file(article, "报名名单.xlsx", names_xlsx(), title="报名名单")
    client.force_login(reviewer)
    response = client.post(change_url(article), form_data(article, status=Status.PUBLISHED))
    assert response.status_code == 200  # refused, the form shown again
    report = response.context["adminform"].form.content_report
    assert {(f.field, f.hit) for f in report.blocking} == {
        ("附件《报名名单》", MASKED_ID),
        ("附件《报名名单》", "138****5678"),
    }
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    page = client.get(change_url(article)).content.decode()
    assert "附件《报名名单》" in page and ID_NUMBER not in page.split('id="content-checks"')[1].split("</section>")[0]


def test_a_file_uploaded_in_the_same_save_is_read_and_deleting_it_lets_the_article_out(client, reviewer, make_article):
    article = make_article(status=Status.REVIEW)
    client.force_login(reviewer)
    data = form_data(article, status=Status.PUBLISHED)
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": document_upload("获奖名单.docx", word("获奖名单", cells=["李四", ID_NUMBER])),
            "attachments-0-title": "",
            "attachments-0-order": "0",
        }
    )
    response = client.post(change_url(article), data)
    report = response.context["adminform"].form.content_report
    assert [(f.field, f.hit) for f in report.blocking] == [("附件《获奖名单》", MASKED_ID)]
    assert not article.attachments.exists()

    attachment = attach_file(article, "获奖名单.docx", word("获奖名单", cells=["李四", ID_NUMBER]))
    data = form_data(article, status=Status.PUBLISHED)
    data["attachments-0-DELETE"] = "on"
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and not article.attachments.filter(pk=attachment.pk).exists()


def test_the_words_of_a_file_are_not_held_against_it(make_article):
    article = make_article(status=Status.REVIEW, body="<p>通知正文。</p>")
    attach_file(article, "上级文件.docx", word("希望各单位再接再励。"), title="上级文件")
    assert not check(article).blocking


def test_the_scan_finds_a_name_list_published_in_a_file(make_article, capsys):
    article = make_article(title="表彰名单")
    attach_file(article, "名单.txt", f"张三 {ID_NUMBER}\n".encode(), title="表彰名单")
    with pytest.raises(CommandError, match="1 处禁用词或个人信息待处理"):
        call_command("scan_content")
    out = capsys.readouterr().out
    assert "附件《表彰名单》" in out and MASKED_ID in out and ID_NUMBER not in out
