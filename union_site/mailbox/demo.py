"""The 主席信箱's demo content (load_demo, union_site/demo/loader.py): two departments and three letters, one in each
kind of state a new user should see: published with a masked answer, forwarded and due soon, and overdue. Matched on
their 查询码 (printed below for trying /mailbox/query/), marked 演示内容; their dates follow today's, so the due-date
labels show. The visitor's particulars are invented."""

from datetime import timedelta

from django.utils import timezone

from union_site.mailbox import codes
from union_site.mailbox.models import Department, Letter, LetterStep
from union_site.mailbox.workdays import add_working_days, reply_days

DEPARTMENTS = ["权益保障部", "职工服务中心"]
LETTERS = [
    {
        "code": "DEMX-QURY-ZHAN",
        "days_ago": 20,
        "letter_type": Letter.Type.CONSULT,
        "title": "快递员参加工会有什么条件？",
        "content": (
            "我叫张建国，在滨城区做快递员，没有和快递网点签劳动合同。请问我这样的新就业形态劳动者能不能加入工会？"
            "怎么办理？我的电话13854321234，邮箱 zhangjg@example.com。"
        ),
        "name": "张建国",
        "phone": "13854321234",
        "email": "zhangjg@example.com",
        "may_publish": True,
        "status": Letter.Status.CLOSED,
        "department": "权益保障部",
        "reply": (
            "张建国同志：您好！新就业形态劳动者可以加入工会，不以是否签订劳动合同为条件。您可以通过“齐鲁工惠”App "
            "在线申请入会，也可以到所在区县总工会或快递行业工会联合会现场办理。如有疑问，请拨打 0543-3186000 咨询。"
        ),
        "published": True,
    },
    {
        "code": "DEMX-QURY-WANG",
        "days_ago": 4,
        "letter_type": Letter.Type.HELP,
        "title": "因病致困，想了解困难职工帮扶政策",
        "content": "我丈夫今年做了大手术，家里花了很多钱，我在一家纺织厂上班，想了解一下工会的困难职工帮扶怎么申请。",
        "name": "王秀兰",
        "phone": "13905431122",
        "unit": "滨州某纺织有限公司",
        "status": Letter.Status.FORWARDED,
        "department": "职工服务中心",
    },
    {
        "code": "DEMX-QURY-SUNN",
        "days_ago": 30,
        "letter_type": Letter.Type.COMPLAINT,
        "title": "单位拖欠加班费",
        "content": "我们车间连续三个月每周六加班，单位一直没有发加班费，找车间主任也没有结果，希望工会帮助协调。",
        "name": "孙立强",
        "phone": "15666001234",
        "status": Letter.Status.RECEIVED,
    },
]


def load_mailbox_demo():
    """Returns (departments, letters) counts."""
    departments = {}
    for order, name in enumerate(DEPARTMENTS, start=1):
        departments[name], _ = Department.objects.update_or_create(name=name, defaults={"order": order})
    now = timezone.now()
    for item in LETTERS:
        received_at = now - timedelta(days=item["days_ago"])
        replied_at = received_at + timedelta(days=3) if item.get("reply") else None
        fields = {
            "letter_type": item["letter_type"],
            "title": item["title"],
            "content": item["content"],
            "name": item["name"],
            "phone": item["phone"],
            "unit": item.get("unit", ""),
            "email": item.get("email", ""),
            "may_publish": item.get("may_publish", False),
            "consent_at": received_at,
            "status": item["status"],
            "department": departments.get(item.get("department")),
            "received_at": received_at,
            "due_on": add_working_days(timezone.localdate(received_at), reply_days(item["letter_type"])),
            "accepted_at": received_at + timedelta(hours=2) if item["status"] != Letter.Status.RECEIVED else None,
            "reply": item.get("reply", ""),
            "replied_at": replied_at,
            "reply_reviewed_at": replied_at,
            "closed_at": replied_at + timedelta(days=1) if item["status"] == Letter.Status.CLOSED else None,
            "is_published": item.get("published", False),
            "published_at": replied_at + timedelta(days=1) if item.get("published") else None,
            "is_demo": True,
        }
        letter, created = Letter.objects.update_or_create(query_code_digest=codes.digest(item["code"]), defaults=fields)
        if item.get("published") and not letter.public_title:
            letter.public_title, letter.public_content = letter.masked(letter.title), letter.masked(letter.content)
            letter.save(update_fields=["public_title", "public_content"])
        if created:
            _demo_steps(letter)
    return len(DEPARTMENTS), len(LETTERS)


def _demo_steps(letter):
    S = Letter.Status
    path = [("受理", S.RECEIVED, S.ACCEPTED), ("转办", S.ACCEPTED, S.FORWARDED), ("答复", S.FORWARDED, S.REPLIED)]
    path += [("审核通过", S.REPLIED, S.REPLIED), ("办结", S.REPLIED, S.CLOSED), ("公开", S.CLOSED, S.CLOSED)]
    order = [S.RECEIVED, S.ACCEPTED, S.FORWARDED, S.REPLIED, S.CLOSED]
    reached = order.index(letter.status)
    for n, (action, from_status, to_status) in enumerate(path):
        if order.index(to_status) > reached or (action == "公开" and not letter.is_published):
            break
        LetterStep.objects.create(
            letter=letter,
            action=action,
            from_status=from_status,
            to_status=to_status,
            by_name="演示",
            at=letter.received_at + timedelta(hours=2 + n * 12),
            note=str(letter.department or "") if action == "转办" else "",
        )
