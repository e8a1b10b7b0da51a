"""Every public page on a narrow phone (320 and 375 px wide), normal and in 长者模式: nothing wider than the screen, so
no page scrolls sideways (document.documentElement.scrollWidth <= the viewport's width)."""

from pathlib import Path

import pytest
from django.urls import reverse

from achievements.models import Metric, Period, Section
from gallery.models import Album
from news.models import Article, Column
from tests.factories import serious_accessibility_problems
from union_site.mailbox.models import Letter
from union_site.surveys.models import Survey

SHOTS = Path(__file__).resolve().parent.parent / "test-results"

pytestmark = pytest.mark.django_db(transaction=True)

WIDER = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : ''))"""


def earlier_period():
    """A second period, so that 时期对比 has something to compare: the demo's figures five years before, some
    exact, some approximate, one that only the later period has."""
    period = Period.objects.create(name="滨州市工会第五次代表大会以来", start_year=2013, end_year=2018)
    for section in Section.objects.filter(period__name__contains="第六次"):
        old = Section.objects.create(period=period, title=section.title, order=section.order)
        for metric in section.metrics.all()[1:]:
            Metric.objects.create(
                section=old,
                label=metric.label,
                value=(metric.value * 3 / 4).quantize(1),
                unit=metric.unit,
                qualifier=metric.qualifier,
                scope=metric.scope,
                order=metric.order,
            )
    return period


def public_urls():
    urls = ["/", reverse("news:list"), reverse("search") + "?q=工会", reverse("search") + "?q=劳模工匠宣讲团活动"]
    urls += [column.get_absolute_url() for column in Column.objects.all()]
    urls += [article.get_absolute_url() for article in Article.objects.published().order_by("-publish_at")[:3]]
    urls += [a.get_absolute_url() for a in Article.objects.published().filter(attachments__isnull=False)[:1]]
    urls += ["/downloads/", reverse("gallery:list")]
    urls += [album.get_absolute_url() for album in Album.objects.published()[:2]]
    urls += [reverse("achievements:index"), reverse("achievements:compare")]
    urls += [section.get_absolute_url() for section in Section.objects.filter(period__name__contains="第六次")]
    urls += [m.get_absolute_url() for m in Metric.objects.filter(values__isnull=False).distinct()[:2]]
    urls += [reverse("mailbox:list"), reverse("mailbox:new"), reverse("mailbox:query")]
    urls += [letter.get_absolute_url() for letter in Letter.objects.all()[:40] if hasattr(letter, "get_absolute_url")][
        :2
    ]
    urls += [reverse("surveys:list")] + [survey.get_absolute_url() for survey in Survey.objects.all()]
    urls += ["/no-such-page/"]
    return list(dict.fromkeys(urls))


def test_no_public_page_scrolls_sideways_from_320_px(live_server, browser, demo):
    earlier_period()
    urls = public_urls()
    assert len(urls) > 25
    SHOTS.mkdir(exist_ok=True)
    wide = []
    for width in (320, 375):
        for elder in (False, True):
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
            if elder:
                context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
            page = context.new_page()
            for url in urls:
                page.goto(live_server.url + url)
                scroll = page.evaluate("document.documentElement.scrollWidth")
                if scroll > width:
                    name = f"wide-{width}{'-elder' if elder else ''}-{len(wide)}.png"
                    page.screenshot(path=str(SHOTS / name), full_page=True)
                    wide.append((width, elder, url, scroll, page.evaluate(WIDER), name))
            context.close()
    assert not wide, "\n".join(map(str, wide))


def test_compare_page_on_a_phone_and_a_desktop(live_server, browser, demo):
    earlier_period()
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", bypass_csp=True)
        page = context.new_page()
        page.goto(live_server.url + reverse("achievements:compare"))
        assert serious_accessibility_problems(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        rows = page.locator(".compare-table tbody tr")
        assert rows.count() > 20
        first = rows.first
        assert first.locator("td").nth(0).is_visible() and first.locator("td").nth(1).is_visible()
        # the later period has one figure per section the earlier lacks: listed apart, folded, no JavaScript needed
        single = page.locator("details.compare-single")
        assert single.locator("summary").inner_text().startswith("仅一个时期有（")
        assert not single.locator("li").first.is_visible()
        single.locator("summary").click()
        assert single.locator("li").first.is_visible()
        if width == 1280:  # one line of header each, however long the periods' names
            line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.compare-table th')).lineHeight)")
            heights = page.locator(".compare-table thead th").evaluate_all("ths => ths.map(th => th.clientHeight)")
            assert max(heights) < 2 * line + 20, heights
        else:  # each figure a card: its values headed by what they are
            labels = first.locator("td").evaluate_all("tds => tds.map(td => getComputedStyle(td, '::before').content)")
            assert labels[0].startswith('"较早') and labels[2] == '"增减"'
        page.screenshot(path=str(SHOTS / f"compare-{width}.png"), full_page=True)
        context.close()
