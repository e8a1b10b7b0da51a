"""基层投稿's demo content (load_demo, union_site/demo/loader.py): the county-level unions of Binzhou and a few
产业工会 as 来稿单位 (names only, 联系人 marked 演示数据), and the two 演示材料 items of the demo (fictional, already
marked so) attributed to two of them with how they were used, so the month's 信息采用情况通报 has rankings and
零报送 units on a fresh `make run`. No article is made here. The 通讯员 account is made with the other demo accounts
(union_site/demo/accounts.py) and bound by `bind_demo_correspondent`."""

from news.models import Article
from union_site.contributions.models import Correspondent, Unit

DEMO_CONTACT = "演示数据：联系人未填写"
COUNTIES = [
    "滨城区总工会",
    "沾化区总工会",
    "惠民县总工会",
    "阳信县总工会",
    "无棣县总工会",
    "博兴县总工会",
    "邹平市总工会",
]
INDUSTRIES = ["滨州市教育工会", "滨州市卫生健康工会", "滨州市交通运输工会"]
CORRESPONDENT_UNIT = "滨城区总工会"
# (title of a demo item, its unit, the channels besides 官网 it was used in, the outlet)
ATTRIBUTED = [
    ("关于举办全市首届职工运动会的通知（演示材料）", "滨城区总工会", {"is_used_on_wechat": True}),
    (
        "滨州市总工会关于深入开展劳模工匠宣讲活动的通知（演示材料）",
        "邹平市总工会",
        {"is_used_upstream": True, "upstream_outlet": "山东工人报"},
    ),
]


def load_contributions_demo():
    """Returns (units, demo items that have a unit). Units are matched on their names; an item already given a unit
    (by the demo before, or by staff) is left as it is."""
    units = {}
    for kind, names in [(Unit.Type.COUNTY, COUNTIES), (Unit.Type.INDUSTRY, INDUSTRIES)]:
        for order, name in enumerate(names, start=1):
            units[name], _made = Unit.objects.get_or_create(
                name=name, defaults={"type": kind, "order": order, "contact": DEMO_CONTACT}
            )
    for title, unit_name, channels in ATTRIBUTED:
        article = Article.objects.filter(title=title, contributing_unit__isnull=True).first()
        if article is None:
            continue
        article.contributing_unit = units[unit_name]
        for name, value in channels.items():
            setattr(article, name, value)
        article.save()  # published: 采用 for 官网 too, 采用时间 now (news/adoption.py)
    attributed = Article.objects.filter(title__in=[title for title, _unit, _channels in ATTRIBUTED])
    return len(units), attributed.exclude(contributing_unit=None).count()


def bind_demo_correspondent(user):
    """The demo 通讯员 writes for 滨城区总工会 (made here if the demo content was not loaded)."""
    unit, _made = Unit.objects.get_or_create(
        name=CORRESPONDENT_UNIT, defaults={"type": Unit.Type.COUNTY, "contact": DEMO_CONTACT}
    )
    Correspondent.objects.update_or_create(user=user, defaults={"unit": unit})
    return unit
