"""An article made into a 公众号 draft and pushed (draft/add, or draft/update for one pushed before), run by the task
worker (union_site/wechat/tasks.py), never in the admin's request.

Before anything is uploaded the draft's limits are checked, each with its own Chinese reason: title at most 64
characters, digest 120, body under 20,000 characters and 1 MB (WeChat's limits for draft/add). The 作者 field takes 8
characters: a longer byline (本报通讯员 张三 李四 …) goes, as it is, into the body's first paragraph instead. Then the
cover (the article's, else its album's) is uploaded as permanent image material, every picture of the body is
re-encoded to JPEG/PNG under 1 MB (union_site/wechat/images.py) and uploaded, and its `src` rewritten to WeChat's
address; `content_source_url` (阅读原文) is the article's address on the site."""

from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from django.utils import timezone
from django.utils.html import escape

from union_site.common.richtext import ATTRIBUTES, TAGS, sanitize_html
from union_site.wechat import images
from union_site.wechat.client import WechatError
from union_site.wechat.models import WechatDraft

TITLE_MAX, AUTHOR_MAX, DIGEST_MAX = 64, 8, 120  # as the 公众号 editor counts them
CONTENT_MAX_CHARS, CONTENT_MAX_BYTES = 20000, 1024 * 1024
DRAFT_GONE = {40007, 53404}  # the draft was deleted or published in the 公众号's own admin: add a new one


class DraftRefused(WechatError):
    """The article cannot become a draft as it is: the reasons, to put right in the article."""


@dataclass
class Pushed:
    media_id: str
    updated: bool


class _Sources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def body_sources(body):
    parser = _Sources()
    parser.feed(body)
    return parser.sources


def limit_problems(article):
    """What in the article's own fields is over the draft's limits (checked before any upload)."""
    problems = []
    checks = [
        ("标题", article.title, TITLE_MAX),
        ("摘要", article.lead, DIGEST_MAX),
    ]
    for label, text, most in checks:
        if len(text) > most:
            problems.append(f"{label}有 {len(text)} 个字，公众号最多 {most} 个字")
    if len(article.body) >= CONTENT_MAX_CHARS:
        problems.append(f"正文有 {len(article.body)} 个字符，公众号草稿须少于 {CONTENT_MAX_CHARS} 个")
    for number, src in enumerate(body_sources(article.body), start=1):
        if images.stored_name(src) is None:
            problems.append(f"正文第 {number} 张图片不是本站上传的，公众号不能引用外部图片：请在编辑器中重新上传")
    if not cover_bytes_source(article):
        problems.append("没有封面图：公众号草稿必须有封面，请上传封面图或关联有封面的相册")
    return problems


def draft_author(article):
    """(作者, body): the byline as the author when it fits, else in a first paragraph of the body (never cut)."""
    if len(article.byline) <= AUTHOR_MAX:
        return article.byline, article.body
    return "", f"<p>{escape(article.byline)}</p>{article.body}"


def cover_bytes_source(article):
    """The storage name of the picture to use as the draft's cover: the article's cover, else its album's."""
    if article.cover:
        return article.cover.name
    cover = article.album.shown_cover if article.album_id else None
    return cover.image.name if cover else ""


def wechat_picture(name, stem, what):
    try:
        return images.for_wechat(images.read_stored(name), stem)
    except (images.UnusablePicture, OSError) as error:
        raise DraftRefused(f"{what}无法使用：{error}") from error


def wechat_body(body, client):
    """The body with every picture uploaded to WeChat and its src rewritten (each distinct picture once)."""
    uploaded = {}
    for number, src in enumerate(body_sources(body), start=1):
        if src not in uploaded:
            picture = wechat_picture(images.stored_name(src), f"body-{number}", f"正文第 {number} 张图片")
            uploaded[src] = client.upload_body_image(picture)

    def rewrite(tag, attribute, value):
        return uploaded.get(value, value) if (tag, attribute) == ("img", "src") else value

    return nh3.clean(
        sanitize_html(body),
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=rewrite,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
    )


def push(article, source_url, client, user=None):
    """Push `article` as a draft: a new one, or the one pushed before updated. Raises DraftRefused / WechatError;
    records the result on the article's WechatDraft either way."""
    record, _ = WechatDraft.objects.get_or_create(article=article)
    try:
        pushed = _push(article, source_url, client, record)
    except WechatError as error:
        WechatDraft.objects.filter(pk=record.pk).update(state=WechatDraft.State.FAILED, error=str(error))
        raise
    WechatDraft.objects.filter(pk=record.pk).update(
        media_id=pushed.media_id,
        thumb_media_id=record.thumb_media_id,
        state=WechatDraft.State.DONE,
        error="",
        pushed_at=timezone.now(),
        pushed_by=user,
    )
    return pushed


def _push(article, source_url, client, record):
    problems = limit_problems(article)
    if problems:
        raise DraftRefused("不能推送到公众号：" + "；".join(problems) + "。")
    cover = wechat_picture(cover_bytes_source(article), "cover", "封面图")
    author, body = draft_author(article)
    content = wechat_body(body, client)
    if len(content) >= CONTENT_MAX_CHARS or len(content.encode()) >= CONTENT_MAX_BYTES:
        raise DraftRefused(
            f"不能推送到公众号：正文（换成公众号图片地址后）有 {len(content)} 个字符，"
            f"须少于 {CONTENT_MAX_CHARS} 个、小于 1 MB。"
        )
    record.thumb_media_id = client.add_cover(cover)
    draft = {
        "title": article.title,
        "author": author,
        "digest": article.lead,
        "content": content,
        "content_source_url": source_url,
        "thumb_media_id": record.thumb_media_id,
        "need_open_comment": 0,
        "only_fans_can_comment": 0,
    }
    if record.media_id:
        try:
            client.update_draft(record.media_id, draft)
            return Pushed(record.media_id, updated=True)
        except WechatError as error:
            if error.code not in DRAFT_GONE:
                raise
    return Pushed(client.add_draft(draft), updated=False)
