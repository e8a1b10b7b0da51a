"""What the JSON API answers, as pydantic models: django-ninja writes the OpenAPI 3 schema (/api/v1/schema/) from
them, so the documentation and the answers cannot drift apart. Every time is Beijing time with its offset
(2026-11-24T09:30:00+08:00), every address absolute."""

from datetime import date

from ninja import Field, Schema


class Image(Schema):
    url: str = Field(description="JPEG（或原图）的绝对地址")
    webp: str | None = Field(None, description="同一张图的 WebP 绝对地址（支持 WebP 时优先用它）；没有时为 null")
    width: int | None = None
    height: int | None = None


class Renditions(Schema):
    thumbnail: Image = Field(description="缩略图，3:2 裁切，480×320")
    medium: Image = Field(description="中图，最长边 960")
    large: Image = Field(description="大图，最长边 1920")


class Column(Schema):
    slug: str = Field(description="栏目网址名，用于 /articles?column= 筛选")
    name: str
    description: str
    kind: str = Field(description="版式：list 新闻列表、notice 公告列表、photo 图片新闻")
    url: str = Field(description="栏目页的绝对地址")


class Attachment(Schema):
    title: str
    kind: str = Field(description="格式，如 pdf、docx、xlsx")
    size: int = Field(description="字节数")
    url: str = Field(description="下载地址")


class ArticleItem(Schema):
    id: int
    column: Column
    kicker: str
    title: str
    subtitle: str
    lead: str = Field(description="摘要，或正文开头")
    source: str
    byline: str
    publish_at: str = Field(description="发布时间，北京时间，带 +08:00")
    is_pinned: bool
    cover: Image | None = Field(None, description="封面：文章封面图，没有时为相关相册的封面；都没有为 null")
    url: str = Field(description="网站上文章页的绝对地址")


class ArticleDetail(ArticleItem):
    body_html: str = Field(description="正文 HTML（已按网站规则清洗，图片和链接为绝对地址）")
    body_miniprogram: str = Field(
        description="小程序 rich-text 组件可直接使用的正文：只含它支持的标签，图片宽度不超出屏幕"
    )
    attachments: list[Attachment]
    album_id: int | None = Field(None, description="相关相册，见 /albums/{id}")


class Page(Schema):
    count: int = Field(description="符合条件的总条数")
    page: int
    page_size: int
    pages: int
    next: str | None = Field(None, description="下一页的地址；最后一页为 null")
    previous: str | None = None


class ArticlePage(Page):
    results: list[ArticleItem]


class AlbumItem(Schema):
    id: int
    title: str
    event_on: date | None = Field(None, description="活动日期")
    place: str
    description: str
    photo_count: int
    cover: Renditions | None = None
    url: str


class AlbumPage(Page):
    results: list[AlbumItem]


class Photo(Schema):
    id: int
    caption: str
    alt: str = Field(description="替代文字（读屏软件读的描述）")
    credit: str
    renditions: Renditions


class AlbumDetail(AlbumItem):
    photos: list[Photo]


class YearValue(Schema):
    year: int
    value: float


class Figure(Schema):
    id: int
    label: str
    value: float = Field(description="数值，如 111000（钱数为元）")
    unit: str = Field(description="单位，如 人、场、元、%")
    qualifier: str = Field(description="修饰：exact 准确数、more 余、duo 多、nearly 近、about 约")
    qualifier_label: str
    scope: str = Field(description="口径：cumulative 时期内累计、per_year 每年、total 现有总数")
    display: str = Field(description="网站上的写法，如 11.1万余人")
    series: list[YearValue] = Field(description="逐年数值，按年份排列")
    source: str = Field(description="数据来源：文章标题或文件名称")
    source_url: str | None = Field(None, description="来源文章的地址")
    source_text: str = Field(description="数据出自的原句")
    url: str


class Honor(Schema):
    title: str
    recipient: str
    years: str
    issuer: str


class Section(Schema):
    id: int
    title: str
    summary: str
    figures: list[Figure]
    honors: list[Honor]
    url: str


class PeriodItem(Schema):
    id: int
    name: str
    start_year: int
    end_year: int
    headline: str
    summary: str
    url: str


class PeriodDetail(PeriodItem):
    sections: list[Section]


class DownloadItem(Attachment):
    article_id: int
    article_title: str
    column: str
    publish_at: str


class DownloadPage(Page):
    results: list[DownloadItem]


class Error(Schema):
    detail: str = Field(description="中文说明")
    errors: list[str] | None = Field(None, description="参数错误时，每个参数的说明")
