"""WCAG 2.1 AA, checked by axe-core (bundled in axe-playwright-python, no network) in Debian's chromium: the key
public pages, in normal and 长者模式, on a phone and a desktop, have no serious or critical violation; and no page
scrolls sideways on the smallest phone (320 px); in 长者模式 every target is at least 44 px tall."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from gallery.models import Album
from news.models import Article
from union_site.common.preferences import ELDER_COOKIE
from union_site.mailbox.models import Letter

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = {
    "home": "/",
    "column": "/news/c/news/",
    "article": None,  # the headline article, found in the database
    "achievements": "/achievements/",
    "album": None,
    "search": "/search/?q=劳模",
    "mailbox": "/mailbox/",
    "mailbox-letter": None,  # the demo's published letter
    "mailbox-new": "/mailbox/new/",
    "mailbox-query": "/mailbox/query/",
    "channels": "/channels/",  # 新媒体矩阵
    "404": "/no-such-page/",
}
BLOCKING = {"serious", "critical"}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
# 长者模式: every link, button and field shown is at least 44 px tall (links inside article text excepted).
SMALL_TARGETS = """() => [...document.querySelectorAll('a, button, input, select, summary')]
  .filter(el => !el.closest('.article-body'))
  .map(el => [el.textContent.trim() || el.name || el.id, el.getBoundingClientRect().height])
  .filter(([name, height]) => height > 0 && height < 44)"""

axe = Axe()


def page_urls():
    urls = dict(PAGES)
    urls["article"] = Article.objects.published().get(is_headline=True).get_absolute_url()
    urls["album"] = Album.objects.published().filter(cover__isnull=False).first().get_absolute_url()
    urls["mailbox-letter"] = Letter.objects.published().first().get_absolute_url()
    return urls


def describe(violations):
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:3])
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}×: {targets})")
    return "\n".join(lines)


def visitor(browser, live_server, width, elder, **options):
    # The site's CSP forbids injected scripts; axe is injected for the check only.
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", **options)
    if elder:
        context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": live_server.url}])
    page = context.new_page()
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    return context, page


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("width", [375, 1280])
def test_key_pages_have_no_serious_accessibility_violations(live_server, browser, demo, width, elder):
    """One browser page per width and mode walks every key page (the demo content loads once per test). On the
    phone width each page is also narrowed to 320 px, where nothing may stick out sideways."""
    context, page = visitor(browser, live_server, width, elder, bypass_csp=True)
    failures, too_wide = [], []
    for name, url in page_urls().items():
        page.goto(live_server.url + url)
        assert ("elder" in page.evaluate("document.documentElement.className")) == elder, name
        violations = axe.run(page).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            failures.append(f"{name} ({url}):\n{describe(blocking)}")
        if elder and (small := page.evaluate(SMALL_TARGETS)):
            failures.append(f"{name} ({url}): targets under 44 px in 长者模式: {small}")
        if width == 375:
            page.set_viewport_size({"width": 320, "height": 800})
            if not page.evaluate(NO_SIDEWAYS_SCROLL):
                too_wide.append((name, page.evaluate("document.documentElement.scrollWidth")))
            page.set_viewport_size({"width": width, "height": 800})
    context.close()
    assert not failures, "\n".join(failures)
    assert not too_wide, f"wider than a 320 px phone: {too_wide}"
