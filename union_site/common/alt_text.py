"""Alt text on every picture, one rule: a picture is described when it has 替代文字 or a caption (图片说明), as an
album's photos are (gallery: Photo.has_alt, PhotoInlineFormSet); in rich text, an <img>'s alt or its figure's
<figcaption>."""

from union_site.common.text_diff import read


def is_described(alt_text, caption):
    return bool((alt_text or "").strip() or (caption or "").strip())


def undescribed_pictures(html):
    """The numbers (1, 2, …, in reading order) of the pictures in rich text that have neither alt text nor caption."""
    pictures = [words for kind, _name, words in read(html)[1] if kind == "图片"]
    return [number for number, words in enumerate(pictures, start=1) if not is_described(words, "")]


def undescribed_message(numbers, action):
    """Why `action` (提交审核, 发布) must wait, naming the pictures."""
    which = "、".join(str(n) for n in numbers[:10]) + ("等" if len(numbers) > 10 else "")
    return (
        f"正文中的第 {which} 张图片还没有替代文字（给看不见图片的读者的画面说明），暂不能{action}。"
        "请点击图片，再点图片上方的“更改图片替换文本”写一句话，或写上图片说明，然后再保存。"
    )
