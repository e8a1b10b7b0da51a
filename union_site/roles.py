"""The role groups and what each may do: one table, applied after every `migrate` (DESIGN.md, Roles).

`sync_roles()` makes each group hold exactly the permissions listed here: it creates missing groups, adds what is
missing and removes what is not listed, so running it twice changes nothing and the table is the whole truth about
a role. (Earlier data migrations in union_site/migrations built the same groups step by step; they stay as history.)
Accounts are never created here; `create_demo_accounts` makes the demo ones.

To give a role a new right, add its permission below; the next `migrate` applies it on every installation.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

EDITOR, REVIEWER, REPORTER = "编辑", "审核", "报表"
MAILBOX_HANDLER = "信箱办理"  # 主席信箱: accepts, forwards, answers and closes letters (README "主席信箱")
CORRESPONDENT = "通讯员"  # 基层投稿: writes and submits its own unit's items only (union_site/contributions/access.py)
ROLES = [EDITOR, REVIEWER, REPORTER, MAILBOX_HANDLER, CORRESPONDENT]

VIEW_ALL = [
    "news.view_column",
    "news.view_article",
    "news.view_attachment",
    "achievements.view_period",
    "achievements.view_section",
    "achievements.view_metric",
    "achievements.view_metricvalue",
    "achievements.view_honor",
    "gallery.view_album",
    "gallery.view_photo",
    "content_checks.view_term",  # 词库: editors see what the checks look for
    "contributions.view_unit",  # 来稿单位 (the article's 来稿单位 is the editors' to set)
]
EDIT = [
    "news.add_article",
    "news.change_article",
    "news.add_attachment",  # 附件 of the articles they may change (news/admin.py AttachmentInline)
    "news.change_attachment",
    "news.delete_attachment",
    "achievements.add_section",
    "achievements.change_section",
    "achievements.add_metric",
    "achievements.change_metric",
    "achievements.add_metricvalue",
    "achievements.change_metricvalue",
    "achievements.delete_metricvalue",
    "achievements.add_honor",
    "achievements.change_honor",
    "gallery.add_album",
    "gallery.change_album",
    "gallery.delete_album",
    "gallery.add_photo",
    "gallery.change_photo",
    "gallery.delete_photo",
]
REVIEW = [
    "news.publish_article",
    "news.delete_article",
    "news.add_column",
    "news.change_column",
    "achievements.add_period",
    "achievements.change_period",
    "achievements.delete_section",
    "achievements.delete_metric",
    "achievements.delete_honor",
    "achievements.verify_metric",
    "union_site.change_sitesettings",
    "union_site.add_quicklink",
    "union_site.change_quicklink",
    "union_site.delete_quicklink",
    # 重定向 (old addresses → new, also imported from a spreadsheet) and the 404 记录 they are made from
    "redirects.view_redirect",
    "redirects.add_redirect",
    "redirects.change_redirect",
    "redirects.delete_redirect",
    "site_redirects.view_notfoundpath",
    "site_redirects.delete_notfoundpath",
    "site_redirects.view_legacypage",  # 旧网站文章: what manage.py import_legacy brought over (read-only)
    # 内容检查: keep the 词库 (also from a spreadsheet); publish despite 禁用 words or personal data with a reason
    # (add_checkoverride is that right: the records are made by publishing, never in the admin), and read the records
    "content_checks.add_term",
    "content_checks.change_term",
    "content_checks.delete_term",
    "content_checks.add_checkoverride",
    "content_checks.view_checkoverride",
    "inspection.view_report",  # 网站巡检 (union_site/inspection/): the page and its 检查外部链接 button
    # 基层投稿: keep the 来稿单位 (also from a spreadsheet) and bind 通讯员 accounts to them
    "contributions.add_unit",
    "contributions.change_unit",
    "contributions.delete_unit",
    "contributions.view_correspondent",
    "contributions.add_correspondent",
    "contributions.change_correspondent",
    "contributions.delete_correspondent",
]
EXPORT = ["union_site.export_report"]
# 主席信箱: letters hold personal data, so only these two roles see them. Handlers take the steps of handling;
# reviewers also approve replies, publish letters (masked) and keep the 承办部门 and 节假日 tables.
MAILBOX_HANDLE = [
    "mailbox.view_letter",
    "mailbox.change_letter",
    "mailbox.handle_letter",
    "mailbox.view_department",
    "mailbox.view_holiday",
]
MAILBOX_REVIEW = [
    "mailbox.review_letter",
    "mailbox.publish_letter",
    "mailbox.add_department",
    "mailbox.change_department",
    "mailbox.add_holiday",
    "mailbox.change_holiday",
    "mailbox.delete_holiday",
]
# 征集调查 (README "征集调查"): editors write surveys as drafts (a published one is theirs to read only); reviewers
# also publish and delete them and see the results with the 文字意见; 报表 reads the results and exports them.
SURVEY_EDIT = [
    "surveys.view_survey",
    "surveys.add_survey",
    "surveys.change_survey",
    "surveys.view_question",
    "surveys.add_question",
    "surveys.change_question",
    "surveys.delete_question",
]
SURVEY_REVIEW = ["surveys.publish_survey", "surveys.delete_survey", "surveys.view_survey_results"]
SURVEY_RESULTS = ["surveys.view_survey", "surveys.view_question", "surveys.view_survey_results"]

# 通讯员: its own unit's articles only, as drafts it submits (the admin limits the rows: contributions/access.py).
# No news.view_article: that right previews every draft on the public pages (news/views.py).
CORRESPONDENT_WRITE = [
    "news.add_article",
    "news.change_article",
    "news.add_attachment",
    "news.change_attachment",
    "news.delete_attachment",
]

ROLE_PERMISSIONS = {
    EDITOR: VIEW_ALL + EDIT + SURVEY_EDIT,
    REVIEWER: VIEW_ALL + EDIT + REVIEW + EXPORT + MAILBOX_HANDLE + MAILBOX_REVIEW + SURVEY_EDIT + SURVEY_REVIEW,
    REPORTER: VIEW_ALL + EXPORT + SURVEY_RESULTS,
    MAILBOX_HANDLER: MAILBOX_HANDLE,
    CORRESPONDENT: CORRESPONDENT_WRITE,
}


def sync_roles(using=DEFAULT_DB_ALIAS):
    """Each role group holds exactly its listed permissions. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():  # permissions are made app by app after migrate: make sure all exist
        create_permissions(app_config, verbosity=0, using=using)
    wanted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    missing = wanted - by_code.keys()
    if missing:
        raise LookupError(f"角色权限表里有不存在的权限：{', '.join(sorted(missing))}")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set([by_code[code] for code in codes])


def sync_roles_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (also sent after a test flush): once per run, when this app's turn comes."""
    if sender.name == "union_site":
        sync_roles(using=using)
