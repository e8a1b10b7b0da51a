"""Bench data: many articles and photos, fast (bulk-created rows), deterministic (a seeded generator).

Import after `django.setup()`. Used by bench/http_pages.py and bench/pages.py, on top of `load_demo()`.

- `make_articles(count)`: bodies of 2–6 KB (UTF-8) of Chinese text spread over every column, five years of
  publishing times (newest first), a few drafts and scheduled ones, one cover in 40, one link to an album in 25.
  劳模 is in about a third of them, 劳动模范 in about a tenth, 工会 in nearly all (the search rows' words).
- `make_photos(count)`: albums of about 22 photos, each photo its own small JPEG. Renditions are made only for the
  photos the benchmarked pages show (every album's cover and the newest album's photos): `url` of a rendition needs
  no file (imagekit's Optimistic strategy), so the others only cost time to make.
"""

import io
import math
import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from gallery.models import Album, Photo, photo_upload_to
from news.models import Article, Column, article_fill_derived_fields

SEED = 12
SPAN = timedelta(days=5 * 365)  # the articles and albums cover five years, the newest now
BODY_BYTES = (2048, 6144)
COVER_EVERY, ALBUM_LINK_EVERY, HEADLINE_EVERY = 40, 25, 500
PHOTOS_PER_ALBUM = 22

PLACES = ["滨城区", "沾化区", "惠民县", "阳信县", "无棣县", "博兴县", "邹平市", "北海经济开发区", "高新区", "经开区"]
TOPICS = [
    "职工技能竞赛",
    "困难职工帮扶",
    "产业工人队伍建设改革",
    "职工书屋建设",
    "户外劳动者服务站点建设",
    "工会经费审查",
    "职工医疗互助",
    "女职工权益保护",
    "新就业形态劳动者入会",
    "厂务公开民主管理",
    "劳模工匠宣讲",
    "职工文化体育活动",
]
KINDS = ["推进会", "工作会议", "现场观摩会", "培训班", "专题调研", "经验交流会", "集中行动"]
SENTENCES = [
    "全市各级工会组织坚持以职工为中心，把服务职工作为工会工作的出发点和落脚点。",
    "会议总结了上半年工作，分析了当前形势，部署了下一阶段重点任务。",
    "市总工会主要负责同志出席会议并讲话，要求各级工会切实增强责任感和紧迫感。",
    "活动覆盖企业一百余家，参与职工两万余人次，发放慰问金和慰问品折合人民币三百余万元。",
    "各县区总工会结合实际，创新工作方法，推动各项任务落地见效。",
    "下一步，将持续深化产业工人队伍建设改革，畅通职工成长成才通道。",
    "工会干部深入车间班组，面对面听取职工意见建议，现场解决实际困难。",
    "户外劳动者服务站点为环卫工人、快递小哥、网约车司机提供歇脚、饮水、充电等服务。",
    "职工医疗互助保障活动参保职工持续增加，为患病职工减轻了医疗费用负担。",
    "基层工会规范化建设稳步推进，工会组织覆盖面和凝聚力不断提升。",
    "职工书屋、职工之家建设提质扩面，丰富了职工精神文化生活。",
    "技能竞赛以赛促学、以赛促练，一批技术能手脱颖而出。",
    "女职工关爱行动深入开展，母婴关爱室建设实现新突破。",
    "厂务公开民主管理工作不断深化，职工代表大会制度落实更加到位。",
]
MODEL_SENTENCES = [
    "劳模工匠进企业宣讲先进事迹，引导广大职工学习劳模精神、劳动精神、工匠精神。",
    "市总工会走访慰问劳模代表，详细了解劳模的工作生活情况。",
    "劳模创新工作室发挥示范引领作用，带动职工开展技术攻关和技术革新。",
]
MODEL_FULL_SENTENCES = [
    "本次评选表彰劳动模范和先进工作者，激励广大职工建功新时代。",
    "全国劳动模范走上讲台，讲述扎根一线、精益求精的奋斗故事。",
]
HEADINGS = ["工作进展", "主要做法", "取得成效", "下一步打算", "典型经验"]
PALETTE = [(176, 30, 35), (52, 96, 140), (70, 120, 80), (150, 110, 50), (96, 80, 130), (60, 60, 60)]


def jpeg_bytes(size, colour):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def article_body(rng, words, size):
    """HTML paragraphs of Chinese text, `size` bytes (UTF-8) or a little more; `words` are sentences it must hold."""
    parts, length = [], 0
    pending = list(words)
    while length < size:
        sentences = [rng.choice(SENTENCES) for _ in range(rng.randint(3, 6))]
        if pending:
            sentences.insert(rng.randrange(len(sentences)), pending.pop())
        part = f"<h2>{rng.choice(HEADINGS)}</h2><p>{''.join(sentences)}</p>"
        parts.append(part)
        length += len(part.encode())
    return "".join(parts)


def make_articles(count, albums=(), seed=SEED):
    """`count` articles over every column, bulk-created (no history rows, no signals: the public pages read neither).
    Returns the number created."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    columns = list(Column.objects.order_by("order", "id"))
    albums = list(albums)
    now = timezone.now()
    step = SPAN / max(count, 1)
    covers = [jpeg_bytes((320, 213), colour) for colour in PALETTE]
    batch = []
    for n in range(count):
        place, topic, kind = rng.choice(PLACES), rng.choice(TOPICS), rng.choice(KINDS)
        words = []
        if rng.random() < 0.33:
            words.append(rng.choice(MODEL_SENTENCES))
        if rng.random() < 0.10:
            words.append(rng.choice(MODEL_FULL_SENTENCES))
        status, publish_at = Article.Status.PUBLISHED, now - step * n - timedelta(minutes=rng.randint(0, 59))
        if n % 50 == 7:
            status = Article.Status.DRAFT
        elif n % 100 == 3:
            publish_at = now + timedelta(days=rng.randint(1, 30))  # scheduled: not on the site yet
        article = Article(
            column=columns[n % len(columns)],
            title=f"{place}总工会召开{topic}{kind}",
            summary="" if n % 3 else f"{place}总工会围绕{topic}开展工作。",
            body=article_body(rng, words, rng.randint(*BODY_BYTES)),
            status=status,
            publish_at=publish_at,
            is_headline=n % HEADLINE_EVERY == 0,
            is_pinned=n in (5, 17),
            view_count=rng.randint(0, 3000),
            album=albums[n % len(albums)] if albums and n % ALBUM_LINK_EVERY == 0 else None,
        )
        if n % COVER_EVERY == 0:
            name = default_storage.save(f"covers/bench/{n}.jpg", ContentFile(covers[n % len(covers)]))
            article.cover.name = name
        article_fill_derived_fields(article)  # bulk_create skips save(): the search index and lead need it
        batch.append(article)
    Article.objects.bulk_create(batch, batch_size=500)
    return count


def make_photos(count, per_album=PHOTOS_PER_ALBUM, seed=SEED):
    """`count` photos in published albums of `per_album`, newest album first; each album's cover is its first photo.
    Returns the albums, newest first."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    sources = [jpeg_bytes((640, 427), colour) for colour in PALETTE]
    album_count = math.ceil(count / per_album) if count else 0
    today = timezone.localdate()
    step = SPAN / max(album_count, 1)
    albums = Album.objects.bulk_create(
        Album(
            title=f"{rng.choice(PLACES)}{rng.choice(TOPICS)}活动掠影（第{number + 1}组）",
            event_on=today - step * number,
            place=rng.choice(PLACES),
            description=rng.choice(SENTENCES),
            is_published=True,
        )
        for number in range(album_count)
    )
    photos = []
    for n in range(count):
        album = albums[n // per_album]
        topic = rng.choice(TOPICS)
        photo = Photo(
            album=album,
            caption=f"{album.place}{topic}现场" + ("，劳模代表与职工交流" if n % 7 == 0 else ""),
            credit="滨州工人报",
            order=n % per_album + 1,
            width=640,
            height=427,
        )
        photo.image.name = default_storage.save(photo_upload_to(photo, "p.jpg"), ContentFile(sources[n % 6]))
        photos.append(photo)
    photos = Photo.objects.bulk_create(photos, batch_size=500)
    first = {}
    for photo in photos:
        first.setdefault(photo.album_id, photo)
    for album in albums:
        album.cover = first.get(album.pk)
    Album.objects.bulk_update(albums, ["cover"], batch_size=500)
    shown = list(first.values()) + [photo for photo in photos if albums and photo.album_id == albums[0].pk]
    make_renditions(shown)
    return albums


def make_renditions(photos):
    """What saving a photo does (imagekit, on save): every rendition file, for photos that were bulk-created."""
    for photo in {photo.pk: photo for photo in photos}.values():
        for name in Photo.RENDITIONS:
            getattr(photo, name).generate()
