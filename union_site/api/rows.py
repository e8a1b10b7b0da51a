"""The API's answers as plain dicts (union_site/api/schemas.py describes them), made from the rows the public pages
show, by the apps' own published() rules: nothing here decides what is public. Addresses are made absolute on the
request's scheme and host (https behind the proxy with DJANGO_BEHIND_PROXY), times Beijing time with their offset."""

from django.urls import reverse
from django.utils import timezone

from union_site.common.richtext import absolute_html, miniprogram_html


class Rows:
    """Everything a row needs from the request: how to make an address absolute."""

    def __init__(self, request):
        self.request = request

    def absolute(self, url):
        return self.request.build_absolute_uri(url) if url else url

    # --- pictures ------------------------------------------------------------------------------------------------

    def rendition(self, photo, kind):
        jpeg, webp = photo.rendered[kind], photo.rendered[f"{kind}_webp"]
        return {
            "url": self.absolute(jpeg.url),
            "webp": self.absolute(webp.url),
            "width": jpeg.width,
            "height": jpeg.height,
        }

    def renditions(self, photo):
        return {kind: self.rendition(photo, kind) for kind in ("thumbnail", "medium", "large")}

    def article_cover(self, article):
        """The article's cover as uploaded (articles keep no renditions), else its album's shown cover (medium)."""
        if article.cover:
            return {"url": self.absolute(article.cover.url), "webp": None}
        cover = article.album.shown_cover if article.album_id else None
        return self.rendition(cover, "medium") if cover else None

    # --- news ------------------------------------------------------------------------------------------------------

    def column(self, column):
        return {
            "slug": column.slug,
            "name": column.name,
            "description": column.description,
            "kind": column.kind,
            "url": self.absolute(column.get_absolute_url()),
        }

    def article_item(self, article):
        return {
            "id": article.pk,
            "column": self.column(article.column),
            "kicker": article.kicker,
            "title": article.title,
            "subtitle": article.subtitle,
            "lead": article.lead,
            "source": article.source,
            "byline": article.byline,
            "publish_at": beijing(article.publish_at),
            "is_pinned": article.is_pinned,
            "cover": self.article_cover(article),
            "url": self.absolute(article.get_absolute_url()),
        }

    def article_detail(self, article):
        return {
            **self.article_item(article),
            "body_html": absolute_html(article.body, self.absolute),
            "body_miniprogram": miniprogram_html(article.body, self.absolute),
            "attachments": [self.attachment(attachment) for attachment in article.attachments.all()],
            "album_id": article.album_id,
        }

    def attachment(self, attachment):
        return {
            "title": attachment.download_name,
            "kind": attachment.kind,
            "size": attachment.size,
            "url": self.absolute(attachment.get_absolute_url()),
        }

    def download_item(self, attachment):
        article = attachment.article
        return {
            **self.attachment(attachment),
            "article_id": article.pk,
            "article_title": article.title,
            "column": article.column.name,
            "publish_at": beijing(article.publish_at),
        }

    # --- gallery ---------------------------------------------------------------------------------------------------

    def album_item(self, album):
        cover = album.shown_cover
        return {
            "id": album.pk,
            "title": album.title,
            "event_on": album.event_on,
            "place": album.place,
            "description": album.description,
            "photo_count": album.photo_count,
            "cover": self.renditions(cover) if cover else None,
            "url": self.absolute(album.get_absolute_url()),
        }

    def album_detail(self, album, photos):
        album.photo_count = len(photos)
        return {**self.album_item(album), "photos": [self.photo(photo, album) for photo in photos]}

    def photo(self, photo, album):
        photo.album = album  # its alt text may name the album: no query per photo
        return {
            "id": photo.pk,
            "caption": photo.caption,
            "alt": photo.alt,
            "credit": photo.credit,
            "renditions": self.renditions(photo),
        }

    # --- 数说五年 --------------------------------------------------------------------------------------------------

    def period_item(self, period):
        return {
            "id": period.pk,
            "name": period.name,
            "start_year": period.start_year,
            "end_year": period.end_year,
            "headline": period.headline,
            "summary": period.summary,
            "url": self.absolute(reverse("achievements:index")),  # the page shows the latest period
        }

    def period_detail(self, period, sections):
        return {**self.period_item(period), "sections": [self.section(section) for section in sections]}

    def section(self, section):
        return {
            "id": section.pk,
            "title": section.title,
            "summary": section.summary,
            "figures": [self.figure(metric) for metric in section.metrics.all()],
            "honors": [
                {"title": h.title, "recipient": h.recipient, "years": h.years, "issuer": h.issuer}
                for h in section.honors.all()
            ],
            "url": self.absolute(section.get_absolute_url()),
        }

    def figure(self, metric):
        article = metric.source_article if metric.source_article_id else None
        article = article if article and article.is_public else None  # no address of a draft
        return {
            "id": metric.pk,
            "label": metric.label,
            "value": metric.value,
            "unit": metric.unit,
            "qualifier": metric.qualifier or "exact",
            "qualifier_label": metric.get_qualifier_display(),
            "scope": metric.scope,
            "display": metric.display_value(),
            "series": [{"year": v.year, "value": v.value} for v in metric.values.all()],
            "source": metric.source_name,
            "source_url": self.absolute(article.get_absolute_url()) if article else None,
            "source_text": metric.source_text,
            "url": self.absolute(metric.get_absolute_url()),
        }


def beijing(moment):
    """2026-11-24T09:30:00+08:00: the time in the site's zone, with its offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds")
