"""网站巡检报告: every check of the site's own data, as sections of findings (README, 网站巡检).

    inspect_site(now=None) -> Report   reads the database and the storage only: no request is made (external links
                                       show the results the task worker stored, union_site/inspection/external.py)

The page (admin.py), `manage.py inspect_site` and the export (export.py, also in 报表中心) all show this one report.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from achievements.models import Metric
from gallery.models import Album, Photo
from news.models import Attachment
from union_site.inspection import columns as column_rules
from union_site.inspection import external
from union_site.inspection.findings import NOTICE, SERIOUS, SEVERITIES, VETO, Finding, Section, as_finding
from union_site.inspection.links import InternalChecker, StoredFiles, Targets, public_links
from union_site.inspection.models import ExternalLink
from union_site.mailbox.models import STALE_DAYS, Letter

CHECKS_TITLE = "含禁用词或个人信息的公开内容"


@dataclass
class Report:
    generated_at: datetime
    sections: list
    columns: list  # [columns.ColumnState]
    newest_article_at: datetime | None
    external: dict = field(default_factory=dict)  # results, linked, checked, waiting, last_checked_at, queued_at

    @property
    def findings(self):
        return [finding for section in self.sections for finding in section.findings]

    def count(self, severity):
        return sum(section.count(severity) for section in self.sections)

    @property
    def counts(self):
        return {severity: self.count(severity) for severity in SEVERITIES}

    @property
    def has_veto(self):
        return self.count(VETO) > 0

    @property
    def verdict(self):
        if self.has_veto:
            return f"发现 {self.count(VETO)} 项单项否决问题：按国家检查指标，网站会被判为不合格，请立即整改。"
        if self.findings:
            return "未发现单项否决问题；请按下列清单整改其他问题。"
        return "未发现问题。"

    @property
    def newest_article_days(self):
        if self.newest_article_at is None:
            return None
        return column_rules.days_between(self.newest_article_at, self.generated_at)


def inspect_site(now=None):
    now = now or timezone.now()
    states = column_rules.column_states(now)
    newest = column_rules.newest_public_article(now)
    links = public_links()
    internal, external_places = _link_findings(links)
    external_section, external_summary = _external_section(external_places)
    sections = [
        Section("columns", "栏目更新", column_rules.RULE, column_rules.column_findings(states)),
        Section("home", "首页更新", column_rules.HOME_RULE, column_rules.home_findings(newest, now)),
        Section(
            "links",
            "站内链接、图片和附件",
            "公开文章正文里指向本站的链接和图片、文章的附件，以及友情链接：对照本站的网址规则、文章和附件是否公开、"
            "文件是否在存储里；设了重定向的旧地址算作有效。国家检查指标把不能正常访问的链接（错链、断链）列为扣分项。",
            internal,
        ),
        external_section,
        Section(
            "figures",
            "数说五年数据核实",
            "网站上显示的“数说五年”指标都应由审核人员核实（后台勾选指标后执行“标记为已核实”）；改动数值、单位、修饰或"
            "口径后需重新核实。",
            _figure_findings(),
        ),
        Section(
            "photos",
            "图片替代文字",
            "公开相册里的照片都应有替代文字或图片说明，供读屏软件朗读（《信息技术 互联网内容无障碍可访问性技术要求与"
            "测试方法》GB/T 37668-2019、适老化改造要求）。",
            _photo_findings(),
        ),
        Section(
            "mailbox",
            "主席信箱答复",
            f"国家检查指标单项否决指标“互动回应差”：存在超过 3 个月未回应有效留言的，即单项否决（本站：收信超过 "
            f"{STALE_DAYS} 天仍未答复）。超过本站承诺的答复期限（工作日）为严重问题。",
            _letter_findings(now),
        ),
        _checks_section(),
    ]
    return Report(now, sections, states, newest, external_summary)


def _link_findings(links):
    """(findings about this site's own addresses, {external address: [(place, kind)]})."""
    stored = StoredFiles()
    targets, checker = Targets(), InternalChecker(stored)
    findings, external_places = [], defaultdict(list)
    for place, kind, address in links:
        target = targets.of(address, place.url)
        if target is None:
            continue
        if not target.internal:
            external_places[target.address].append((place, kind))
            continue
        problem = checker.problem(target.address)
        if problem:
            findings.append(
                Finding(SERIOUS, f"{kind}失效：{address}（{problem}）", place.where, place.url, place.fix_url)
            )
    return findings + _attachment_findings(stored), external_places


def _attachment_findings(stored):
    found = []
    attachments = (
        Attachment.objects.public()
        .select_related("article")
        .only("id", "file", "title", "original_name", "kind", "article__id", "article__title")
    )
    for attachment in attachments.order_by("article_id", "order", "id"):
        if attachment.file.name in stored:
            continue
        article = attachment.article
        found.append(
            Finding(
                SERIOUS,
                f"附件失效：“{attachment.download_name}”的文件不在存储里，读者下载会出错。",
                f"文章《{article.title}》",
                article.get_absolute_url(),
                reverse("admin:news_article_change", args=[article.pk]),
            )
        )
    return found


def _external_section(places):
    # every stored result: the table holds only addresses still linked (each check forgets the others)
    results = {row.url: row for row in ExternalLink.objects.all() if row.url in places}
    findings = []
    for url, where in places.items():
        result = results.get(url)
        if result is None or result.is_ok:
            continue
        checked = timezone.localtime(result.checked_at)
        for place, kind in where:
            what = f"外部{kind}无法访问：{url}（{result.problem}；检查于 {checked:%Y-%m-%d %H:%M}）"
            findings.append(Finding(SERIOUS, what, place.where, place.url, place.fix_url))
    summary = {
        "results": sorted(results.values(), key=lambda result: (result.is_ok, result.url)),  # failures first
        "linked": len(places),
        "checked": len(results),
        "waiting": len(places) - len(results),
        "last_checked_at": max((result.checked_at for result in results.values()), default=None),
        "queued_at": external.queued_at(),
    }
    note = f"外部链接 {summary['linked']} 个，已有检查结果 {summary['checked']} 个"
    if summary["last_checked_at"]:
        note += f"，最近一次检查于 {timezone.localtime(summary['last_checked_at']):%Y-%m-%d %H:%M}"
    if summary["waiting"]:
        note += f"；{summary['waiting']} 个尚未检查"
    note += "。"
    rule = (
        "公开文章和友情链接里指向其他网站的链接，由后台任务逐个访问（先 HEAD，不行再 GET；每个网站每秒最多一次，"
        f"每次最多 {external.options()['per_run']} 个，{external.options()['timeout']} 秒无回答算失败），结果保留 "
        f"{external.options()['reuse_days']} 天。页面只显示已存的结果，不在读者访问时检查。"
    )
    return Section("external", "外部链接", rule, findings, note), summary


def _figure_findings():
    unverified = Metric.objects.published().filter(verified_on__isnull=True).select_related("section")
    by_section = defaultdict(list)
    for metric in unverified.order_by("section__order", "section_id", "order", "id"):
        by_section[metric.section].append(metric)
    changelist = reverse("admin:achievements_metric_changelist")
    return [
        Finding(
            NOTICE,
            f"{len(metrics)} 项数据未核实：{'、'.join(m.label for m in metrics)}。",
            f"数说五年“{section.title}”",
            section.get_absolute_url(),
            f"{changelist}?section__id__exact={section.pk}&verified_on__isempty=1",
        )
        for section, metrics in by_section.items()
    ]


def _photo_findings():
    missing = Photo.objects.published().missing_alt().values("album").annotate(n=Count("pk")).order_by("album")
    counts = {row["album"]: row["n"] for row in missing}
    albums = {album.pk: album for album in _albums(counts)}
    return [
        Finding(
            NOTICE,
            f"{counts[pk]} 张照片既没有替代文字也没有图片说明（网站暂以“相册名称 第N张照片”代替）。",
            f"相册《{album.title}》",
            album.get_absolute_url(),
            reverse("admin:gallery_album_change", args=[pk]),
        )
        for pk, album in albums.items()
    ]


def _albums(pks):
    return Album.objects.filter(pk__in=list(pks)).only("id", "title").order_by("-event_on", "-id")


def _letter_findings(now):
    """Letters past their due date and over STALE_DAYS days unanswered. Only what the handling needs (number,
    type, dates): no title, name or text of a letter, since the report goes to staff who may not read letters."""
    today = timezone.localdate(now)
    stale = list(Letter.objects.stale(now).order_by("received_at"))
    overdue = Letter.objects.overdue(today).exclude(pk__in=[letter.pk for letter in stale]).order_by("due_on")
    found = []
    for letter in stale:
        days = column_rules.days_between(letter.received_at, now)
        what = f"来信收到已 {days} 天仍未答复（超过 {STALE_DAYS} 天即“互动回应差”，单项否决）。"
        found.append(Finding(VETO, what, _letter_place(letter), fix_url=_letter_admin(letter)))
    for letter in overdue:
        late = (today - letter.due_on).days
        what = f"来信已超过答复期限 {late} 天（期限 {letter.due_on:%Y-%m-%d}）仍未答复。"
        found.append(Finding(SERIOUS, what, _letter_place(letter), fix_url=_letter_admin(letter)))
    return found


def _letter_place(letter):
    received = timezone.localtime(letter.received_at)
    return f"主席信箱第 {letter.pk} 号来信（{letter.get_letter_type_display()}，{received:%Y-%m-%d} 收到）"


def _letter_admin(letter):
    return reverse("admin:mailbox_letter_change", args=[letter.pk])


def _checks_section():
    """The 词库 and personal-data scan of public content (union_site.checks, built apart), when it is installed."""
    rule = "公开内容（文章、相册、公开来信等）中的禁用词、敏感词和未隐去的个人信息（身份证号、手机号等）。"
    scan = checks_scanner()
    if scan is None:
        return Section("checks", CHECKS_TITLE, rule, note="本项检查尚未安装（union_site.checks）。", available=False)
    found = (_checks_finding(item) for item in scan())
    return Section("checks", CHECKS_TITLE, rule, [finding for finding in found if finding is not None])


def _checks_finding(item):
    """One of union_site.checks.scan's PublicFinding as a Finding: a 禁用 hit or personal data no reviewer confirmed
    is 严重, a 提醒 hit 提醒; one a reviewer published knowingly (its CheckOverride) is left out. Anything else is
    read by its names (findings.as_finding)."""
    hit = getattr(item, "finding", None)
    if hit is None or not hasattr(item, "admin_url"):
        return as_finding(item)
    if getattr(item, "confirmed", None) is not None:
        return None
    obj = item.object
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    severity = SERIOUS if item.is_problem else NOTICE
    return Finding(severity, f"{hit.line()}。原文：{hit.context}", f"{item.kind}《{obj}》", url, item.admin_url)


def checks_scanner():
    """union_site.checks.scan.public_findings, or None while that module is not part of the site."""
    try:
        from union_site.checks.scan import public_findings
    except ModuleNotFoundError as error:
        if error.name in {"union_site.checks", "union_site.checks.scan"}:
            return None
        raise
    return public_findings
