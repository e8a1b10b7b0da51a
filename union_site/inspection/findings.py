"""What the inspection reports: findings, grouped in sections, and how bad each is.

    Finding(severity, what, where, url, fix_url)   one problem: what it is, where (a title and its public address),
                                                   and the admin page where it is put right
    Section(key, title, rule, findings, note)      one kind of check, with the rule it applies and its source

Severities follow the national inspection's own words (《政府网站与政务新媒体检查指标》, 国办秘函〔2019〕19号):
单项否决 fails the whole site at an inspection; 严重 costs points or is seen by every visitor; 提醒 should be done.
"""

from dataclasses import dataclass, field

VETO, SERIOUS, NOTICE = "单项否决", "严重", "提醒"
SEVERITIES = (VETO, SERIOUS, NOTICE)


@dataclass(frozen=True)
class Finding:
    severity: str
    what: str
    where: str = ""
    url: str = ""  # the public page the problem is on (or is)
    fix_url: str = ""  # the admin page where it is put right


@dataclass
class Section:
    key: str
    title: str
    rule: str  # what is checked and the threshold, with its source
    findings: list = field(default_factory=list)
    note: str = ""  # what the reader should know besides the findings (when external links were last checked)
    available: bool = True  # False: the check is not part of this installation (its module is missing)

    def count(self, severity):
        return sum(1 for finding in self.findings if finding.severity == severity)


def as_finding(item):
    """A finding from another module (union_site.checks.scan.public_findings()): a Finding already, or anything with
    the same names as attributes or keys (severity defaults to 严重)."""
    if isinstance(item, Finding):
        return item

    def get(name, default=""):
        value = item.get(name, default) if isinstance(item, dict) else getattr(item, name, default)
        return default if value is None else str(value)

    severity = get("severity", SERIOUS)
    return Finding(
        severity=severity if severity in SEVERITIES else SERIOUS,
        what=get("what"),
        where=get("where"),
        url=get("url"),
        fix_url=get("fix_url") or get("admin_url"),
    )
