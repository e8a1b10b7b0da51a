"""审计日志: what people did, read from the records that already exist, as one list newest first.

- 后台新增 / 修改 / 删除: django.contrib.admin's LogEntry (who, which object, the change message as Django words it);
- 导出: union_site's ExportLog (every report file, from the 报表中心, a list's 导出所选 or the command line);
- 登录 / 登录失败 / 账号锁定: django-axes' AccessLog, AccessFailureLog and AccessAttempt, when axes is installed.

`audit_rows(...)` is one UNION query of (source, id, time) over every source, filtered and ordered in the database, so
paging and counting cost one query each however many rows there are; `entries(rows)` then reads the rows of one page
(one query per source) into AuditEntry objects. Plain data: the view and the export both use it.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from itertools import islice

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import CharField, F, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from union_site.models import ExportLog
from union_site.reports.log import person

ADDED, CHANGED, DELETED, EXPORT = "added", "changed", "deleted", "export"
LOGIN, LOGIN_FAILED, LOCKOUT = "login", "login_failed", "lockout"
KIND_LABELS = {
    ADDED: "后台新增",
    CHANGED: "后台修改",
    DELETED: "后台删除",
    EXPORT: "导出",
    LOGIN: "登录",
    LOGIN_FAILED: "登录失败",
    LOCKOUT: "账号锁定",
}
LOGIN_KINDS = (LOGIN, LOGIN_FAILED, LOCKOUT)
CHUNK = 500


@dataclass
class AuditEntry:
    at: datetime
    username: str
    person: str  # as printed: 张三（zhangsan）
    kind: str
    object: str  # 新闻 › 文章：标题
    url: str  # the object's admin page, if it still has one
    detail: str
    address: str = ""  # IP address (logins)

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


def axes_installed():
    return apps.is_installed("axes")


def kinds():
    """[(kind, label)] that this site records: the login kinds only with django-axes installed."""
    return [(kind, label) for kind, label in KIND_LABELS.items() if axes_installed() or kind not in LOGIN_KINDS]


def _admin_url(name, pk):
    try:
        return reverse(f"admin:{name}_change", args=[pk])
    except NoReverseMatch:
        return ""


def _failure_limit():
    limit = getattr(settings, "AXES_FAILURE_LIMIT", 3)
    return limit if isinstance(limit, int) else None  # a callable limit is decided per request: not known here


# Sources ---------------------------------------------------------------------------------------------------------


class Source:
    key = ""  # in the UNION's rows
    time_field = ""
    username_field = ""

    def model(self):
        raise NotImplementedError

    def queryset(self, wanted):
        """The rows whose kind is in `wanted`, or None if this source has none of those kinds."""
        raise NotImplementedError

    def entries(self, pks):
        raise NotImplementedError

    def filtered(self, wanted, username, start, end):
        qs = self.queryset(wanted)
        if qs is None:
            return None
        if username:
            qs = qs.filter(**{f"{self.username_field}__iexact": username})
        if start:
            qs = qs.filter(**{f"{self.time_field}__gte": start})
        if end:
            qs = qs.filter(**{f"{self.time_field}__lt": end})
        return (
            qs.order_by()
            .annotate(source=Value(self.key, output_field=CharField()), row=F("pk"), at=F(self.time_field))
            .values_list("source", "row", "at")
        )


class AdminChanges(Source):
    key, time_field, username_field = "admin", "action_time", "user__username"
    FLAGS = {ADDED: ADDITION, CHANGED: CHANGE, DELETED: DELETION}
    KIND_OF_FLAG = {flag: kind for kind, flag in FLAGS.items()}

    def model(self):
        return LogEntry

    def queryset(self, wanted):
        flags = [flag for kind, flag in self.FLAGS.items() if kind in wanted]
        return LogEntry.objects.filter(action_flag__in=flags) if flags else None

    def entries(self, pks):
        for log in LogEntry.objects.filter(pk__in=pks).select_related("user", "content_type"):
            kind = self.KIND_OF_FLAG.get(log.action_flag, CHANGED)
            model_name = log.content_type.name if log.content_type else ""
            message = log.get_change_message()  # Django's own words, in the active language (简体中文)
            yield (
                log.pk,
                AuditEntry(
                    at=log.action_time,
                    username=log.user.username,
                    person=person(log.user),
                    kind=kind,
                    object=f"{model_name}：{log.object_repr}" if model_name else log.object_repr,
                    url="" if kind == DELETED else (log.get_admin_url() or ""),
                    detail=message or ("已删除。" if kind == DELETED else ""),
                ),
            )


class Exports(Source):
    key, time_field, username_field = "export", "created_at", "username"

    def model(self):
        return ExportLog

    def queryset(self, wanted):
        return ExportLog.objects.all() if EXPORT in wanted else None

    def entries(self, pks):
        for log in ExportLog.objects.filter(pk__in=pks).select_related("user"):
            rows = "未完成" if log.row_count is None else f"{log.row_count} 行"
            filters = log.filters if isinstance(log.filters, dict) else {}
            shown = "，".join(f"{key}={value}" for key, value in filters.items() if value not in ("", None))
            detail = f"{log.get_channel_display()}，{log.format.upper()}，{rows}"
            detail += f"，文件 {log.filename}" if log.filename else ""
            detail += f"，筛选条件：{shown}" if shown else ""
            yield (
                log.pk,
                AuditEntry(
                    at=log.created_at,
                    username=log.username,
                    person=person(log.user) if log.user else log.username,
                    kind=EXPORT,
                    object=f"报表：{log.report}",
                    url=_admin_url("union_site_exportlog", log.pk),
                    detail=detail,
                ),
            )


class AxesSource(Source):
    time_field, username_field = "attempt_time", "username"
    model_name = ""

    def model(self):
        return apps.get_model("axes", self.model_name)

    def entry(self, record, kind, detail):
        return AuditEntry(
            at=record.attempt_time,
            username=record.username or "",
            person=record.username or "（未填用户名）",
            kind=kind,
            object=f"账号：{record.username}" if record.username else "",
            url=_admin_url(f"axes_{self.model_name.lower()}", record.pk),
            detail=detail,
            address=record.ip_address or "",
        )


class Logins(AxesSource):
    key, model_name = "login", "AccessLog"

    def queryset(self, wanted):
        return self.model().objects.all() if LOGIN in wanted else None

    def entries(self, pks):
        for record in self.model().objects.filter(pk__in=pks):
            if record.logout_time:
                detail = f"登录成功，{timezone.localtime(record.logout_time):%Y-%m-%d %H:%M:%S} 退出"
            else:
                detail = "登录成功（未点退出：会话到期或关闭了浏览器）"
            yield record.pk, self.entry(record, LOGIN, detail)


class LoginFailures(AxesSource):
    """Every failed login, when AXES_ENABLE_ACCESS_FAILURE_LOG is on."""

    key, model_name = "failure", "AccessFailureLog"

    def queryset(self, wanted):
        qs = self.model().objects.all()
        if LOGIN_FAILED in wanted and LOCKOUT in wanted:
            return qs
        if LOGIN_FAILED in wanted:
            return qs.filter(locked_out=False)
        if LOCKOUT in wanted:
            return qs.filter(locked_out=True)
        return None

    def entries(self, pks):
        for record in self.model().objects.filter(pk__in=pks):
            kind = LOCKOUT if record.locked_out else LOGIN_FAILED
            detail = "登录失败，账号已被锁定" if record.locked_out else "登录失败（用户名或密码不对）"
            yield record.pk, self.entry(record, kind, detail)


class LoginAttempts(AxesSource):
    """The failure counter of each username + address. With the failure log on, each failure is listed from there,
    so only the counters at the limit (a lockout in force) are shown; without it, every counter."""

    key, model_name = "attempt", "AccessAttempt"

    def queryset(self, wanted):
        qs, limit = self.model().objects.all(), _failure_limit()
        with_log = getattr(settings, "AXES_ENABLE_ACCESS_FAILURE_LOG", False)
        if limit is None:
            return qs if LOGIN_FAILED in wanted and not with_log else None
        locked = qs.filter(failures_since_start__gte=limit)
        if LOCKOUT in wanted and LOGIN_FAILED in wanted and not with_log:
            return qs
        if LOCKOUT in wanted:
            return locked
        if LOGIN_FAILED in wanted and not with_log:
            return qs.filter(failures_since_start__lt=limit)
        return None

    def entries(self, pks):
        limit = _failure_limit()
        for record in self.model().objects.filter(pk__in=pks):
            count = record.failures_since_start
            locked = limit is not None and count >= limit
            detail = f"连续登录失败 {count} 次" + ("，已锁定（失败计数）" if locked else "（失败计数）")
            yield record.pk, self.entry(record, LOCKOUT if locked else LOGIN_FAILED, detail)


def sources():
    found = [AdminChanges(), Exports()]
    if axes_installed():
        found += [Logins(), LoginFailures(), LoginAttempts()]
    return found


# The list --------------------------------------------------------------------------------------------------------


def day_bounds(date_from=None, date_to=None):
    """Beijing-time days into aware datetimes: [start of date_from, start of the day after date_to)."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=zone) if date_from else None
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=zone) if date_to else None
    return start, end


def audit_rows(person="", kind="", date_from=None, date_to=None):
    """(source, id, time) of every entry that matches, newest first: one query, sliceable and countable."""
    wanted = {kind} if kind else set(KIND_LABELS)
    start, end = day_bounds(date_from, date_to)
    parts = [qs for source in sources() if (qs := source.filtered(wanted, person.strip(), start, end)) is not None]
    if not parts:  # a kind this site does not record (the login kinds without django-axes)
        return AdminChanges().filtered(set(KIND_LABELS), "", None, None).none()
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("-at", "-row")


def entries(rows):
    """The AuditEntry of each (source, id, time) row, in the rows' order (one query per source)."""
    rows = list(rows)
    by_source = {source.key: source for source in sources()}
    wanted = {}
    for key, pk, _ in rows:
        wanted.setdefault(key, []).append(pk)
    found = {}
    for key, pks in wanted.items():
        for pk, entry in by_source[key].entries(pks):
            found[key, pk] = entry
    return [found[key, pk] for key, pk, _ in rows if (key, pk) in found]


def all_entries(**filters):
    """Every matching entry, newest first, read in chunks (for the export: memory stays flat)."""
    iterator = audit_rows(**filters).iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        yield from entries(chunk)


def entry_row(entry):
    return [entry.at, entry.person, entry.kind_label, entry.object, entry.detail, entry.address]
