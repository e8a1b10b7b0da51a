"""Demo accounts, one per role. Made by `make run` only (never by migrations), each with a random password."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from union_site.accounts.two_factor import reset_two_factor
from union_site.contributions.demo import bind_demo_correspondent
from union_site.roles import CORRESPONDENT, EDITOR, MAILBOX_HANDLER, REPORTER, REVIEWER

DEMO_ACCOUNTS = [
    # username, display name, role group (None: superuser)
    ("admin", "管理员", None),
    ("editor", "编辑", EDITOR),
    ("reviewer", "审核", REVIEWER),
    ("reporter", "报表", REPORTER),
    ("mailbox", "信箱办理", MAILBOX_HANDLER),
    ("contributor", "通讯员", CORRESPONDENT),  # bound to 滨城区总工会 (union_site/contributions/demo.py)
]


@transaction.atomic
def create_demo_accounts(reset=False):
    """Returns [(username, role, password or None when the account already existed)]."""
    User = get_user_model()
    made = []
    for username, role, group_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user and not reset:
            made.append((username, role, None))
            continue
        if user:  # --reset: a new password, and the two-factor set up again at the next login
            reset_two_factor(user)
        user = user or User(username=username)
        user.first_name = role
        user.is_staff = True
        user.is_superuser = group_name is None
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        if group_name:
            user.groups.set([Group.objects.get(name=group_name)])
        if group_name == CORRESPONDENT:
            bind_demo_correspondent(user)
        made.append((username, role, password))
    return made
