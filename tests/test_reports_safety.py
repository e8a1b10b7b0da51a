"""What an editor types into a title, a caption or a metric label comes out of every report inert, in every format."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from achievements.models import Metric, Period, Section
from gallery.models import Album, Photo
from news.models import Article
from tests.factories import make_photo

PAYLOADS = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
REPORTS = ["news", "gallery", "achievements"]


def download(client, name, fmt):
    response = client.get(reverse("reports:download", args=[name]), {"format": fmt})
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def planted(db, make_article):
    """One place per app where an editor's text reaches a report, each starting with `payload`."""

    def plant(payload):
        article = make_article(view_count=5, publish_at=timezone.now() - timedelta(days=1))
        Article.objects.filter(pk=article.pk).update(title=payload + "标题")  # as an import or SQL would leave it
        album = Album.objects.create(title="职工运动会")
        photo = make_photo(album, caption="x")
        Photo.objects.filter(pk=photo.pk).update(caption=payload + "说明")  # alt text empty: listed to complete
        period = Period.objects.create(name="测试时期", start_year=2021, end_year=2025)
        section = Section.objects.create(period=period, title="测试板块")
        metric = Metric.objects.create(section=section, label="指标", value=1, unit="场")
        Metric.objects.filter(pk=metric.pk).update(label=payload + "指标")
        return [payload + "标题", payload + "说明", payload + "指标"]

    return plant


def texts_in_xlsx(data):
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_inert_in_xlsx_csv_and_pdf(client, reporter, planted, payload):
    planted_texts = planted(payload)
    client.force_login(reporter)
    wanted = [text.strip() for text in planted_texts]  # (XML reads CR back as LF; compare what is visible)
    found_xlsx, found_csv, pdf_text = [], [], ""
    for name in REPORTS:
        for cell in texts_in_xlsx(download(client, name, "xlsx")):
            if isinstance(cell.value, str) and cell.value.strip() in wanted:
                assert cell.data_type == "s" and cell.quotePrefix, (name, cell.value)
                found_xlsx.append(cell.value.strip())
        rows = csv.reader(io.StringIO(download(client, name, "csv").decode("utf-8-sig")))
        for row in rows:
            for value in row:
                if value.lstrip("'").strip() in wanted:
                    assert value.startswith("'"), (name, value)  # Excel and WPS show it as text
                    found_csv.append(value.lstrip("'").strip())
        reader = PdfReader(io.BytesIO(download(client, name, "pdf")))
        assert not any("/Annots" in page for page in reader.pages)  # no live link from =HYPERLINK
        pdf_text += "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert sorted(set(found_xlsx)) == sorted(wanted)
    assert sorted(set(found_csv)) == sorted(wanted)
    for text in wanted:
        assert "".join(text.split())[:8] in pdf_text


def test_a_vertical_tab_from_word_breaks_no_format(client, reporter, planted):
    planted("")
    Article.objects.update(title="职工\x0b运动会开幕")
    client.force_login(reporter)
    assert any(c.value == "职工运动会开幕" for c in texts_in_xlsx(download(client, "news", "xlsx")))
    assert "职工运动会开幕" in download(client, "news", "csv").decode("utf-8-sig")
    reader = PdfReader(io.BytesIO(download(client, "news", "pdf")))
    assert "职工运动会开幕" in "".join("".join(page.extract_text().split()) for page in reader.pages)
