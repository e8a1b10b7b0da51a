"""Loads the demo content of `union_site.demo.data` into the database. Safe to run again: rows are matched on
natural keys, and a photo's placeholder image or an attachment's file (union_site/demo/files.py) is made only when
the row has no stored file yet."""

from decimal import Decimal

from django.db import transaction

from achievements.models import Honor, Metric, Period, Section
from gallery.models import Album, Photo
from news.attachments import attach_file
from news.models import Article, Column
from union_site.contributions.demo import load_contributions_demo
from union_site.demo import data
from union_site.demo.files import demo_file
from union_site.demo.placeholders import placeholder_jpeg
from union_site.mailbox.demo import load_mailbox_demo
from union_site.models import QuickLink, SiteSettings
from union_site.surveys.demo import load_surveys_demo


def has_content():
    return Column.objects.exists() or Period.objects.exists() or Album.objects.exists()


def load_demo():
    """Create or update every demo row; return {中文标签: 条数}."""
    with transaction.atomic():
        columns = _load_columns()
        albums, photos, new_images = _load_albums()
        article = _load_article(columns, albums)
        attachments, new_files = _load_documents(columns)
        period = _load_period()
        sections = _load_sections(period)
        metrics = _load_metrics(sections, article)
        honors = _load_honors(sections)
        _load_site_settings()
        links = _load_quick_links()
        departments, letters = load_mailbox_demo()
        surveys, responses = load_surveys_demo()
        units, attributed = load_contributions_demo()
    return {
        "栏目": len(columns),
        "文章": 1 + len(data.DOCUMENTS),
        "附件": attachments,
        "新生成附件文件": new_files,
        "时期": 1,
        "板块": len(sections),
        "指标": metrics,
        "荣誉": honors,
        "相册": len(albums),
        "照片": photos,
        "新生成示意图片": new_images,
        "友情链接": links,
        "承办部门": departments,
        "来信": letters,
        "征集调查": surveys,
        "调查答卷": responses,
        "来稿单位": units,
        "标注来稿单位的文章": attributed,
    }


def _load_columns():
    columns = {}
    for item in data.COLUMNS:
        fields = {key: value for key, value in item.items() if key != "slug"}
        columns[item["slug"]], _ = Column.objects.update_or_create(slug=item["slug"], defaults=fields)
    return columns


def _load_albums():
    albums, photo_count, new_images = {}, 0, 0
    for colour, item in enumerate(data.ALBUMS):
        fields = {key: item[key] for key in ("event_on", "place", "description", "note")}
        # Shown on the site when first made (every demo photo has a caption); later runs leave 在网站显示 alone.
        album, _ = Album.objects.update_or_create(
            title=item["title"], defaults=fields, create_defaults={**fields, "is_published": True}
        )
        albums[album.title] = album
        for order, photo_item in enumerate(item["photos"], start=1):
            new_images += _load_photo(album, order, photo_item, colour)
            photo_count += 1
        if album.cover_id is None:
            album.cover = album.photos.order_by("order", "id").first()
            album.save(update_fields=["cover", "updated_at"])
    return albums, photo_count, new_images


def _load_photo(album, order, item, colour):
    """Returns 1 when a placeholder image was written, else 0."""
    photo, _ = Photo.objects.update_or_create(
        album=album, caption=item["caption"], order=order, defaults={"note": item["note"]}
    )
    if photo.image and photo.image.storage.exists(photo.image.name):
        return 0
    # Through the ImageField: upload_to names the file, width and height are read from it.
    photo.image.save("placeholder.jpg", placeholder_jpeg(item["caption"], colour), save=False)
    photo.is_placeholder = True
    photo.save()
    return 1


def _load_site_settings():
    """Fills in what the operator left empty; never overwrites what they entered."""
    record, _ = SiteSettings.objects.get_or_create(pk=SiteSettings.SINGLETON_PK)
    empty = {key: value for key, value in data.SITE_SETTINGS.items() if not getattr(record, key)}
    if empty:
        for key, value in empty.items():
            setattr(record, key, value)
        record.save()


def _load_quick_links():
    for item in data.QUICK_LINKS:
        fields = {key: value for key, value in item.items() if key != "name"}
        QuickLink.objects.update_or_create(name=item["name"], defaults=fields)
    return len(data.QUICK_LINKS)


def _load_article(columns, albums):
    fields = {key: value for key, value in data.ARTICLE.items() if key not in {"title", "column", "album"}}
    fields["column"] = columns[data.ARTICLE["column"]]
    fields["album"] = albums[data.ARTICLE["album"]]
    article, _ = Article.objects.update_or_create(title=data.ARTICLE["title"], defaults=fields)
    return article


def _load_documents(columns):
    """The 演示材料 notice and policy document with their attachments; returns (attachments, files made now)."""
    count, made = 0, 0
    for item in data.DOCUMENTS:
        fields = {key: value for key, value in item.items() if key not in {"title", "column", "attachments"}}
        fields["column"] = columns[item["column"]]
        article, _ = Article.objects.update_or_create(title=item["title"], defaults=fields)
        for order, spec in enumerate(item["attachments"], start=1):
            made += _load_attachment(article, order, spec)
            count += 1
    return count, made


def _load_attachment(article, order, spec):
    """Returns 1 when the file was made now (a new row, or its file missing from the storage), else 0."""
    attachment = article.attachments.filter(title=spec["title"]).first()
    if attachment is not None and attachment.file and attachment.file.storage.exists(attachment.file.name):
        if attachment.order != order:
            attachment.order = order
            attachment.save(update_fields=["order"])
        return 0
    name, content = demo_file(spec["file"])
    attach_file(article, name, content, title=spec["title"], order=order, attachment=attachment)
    return 1


def _load_period():
    fields = {key: value for key, value in data.PERIOD.items() if key != "name"}
    period, _ = Period.objects.update_or_create(name=data.PERIOD["name"], defaults=fields)
    return period


def _load_sections(period):
    sections = {}
    for item in data.SECTIONS:
        section, _ = Section.objects.update_or_create(
            period=period, title=item["title"], defaults={"order": item["order"]}
        )
        sections[section.title] = section
    return sections


def _load_metrics(sections, article):
    orders = {}
    for item in data.METRICS:
        section = sections[item["section"]]
        orders[section.pk] = orders.get(section.pk, 0) + 1
        fields = {key: item[key] for key in ("unit", "qualifier", "scope", "source_text", "note", "is_highlight")}
        fields.update(value=Decimal(item["value"]), order=orders[section.pk], source_article=article)
        Metric.objects.update_or_create(section=section, label=item["label"], defaults=fields)
    return len(data.METRICS)


def _load_honors(sections):
    orders = {}
    for item in data.HONORS:
        section = sections[item["section"]]
        orders[section.pk] = orders.get(section.pk, 0) + 1
        Honor.objects.update_or_create(
            section=section,
            recipient=item["recipient"],
            title=item["title"],
            defaults={"years": item["years"], "source_text": item["source_text"], "order": orders[section.pk]},
        )
    return len(data.HONORS)
