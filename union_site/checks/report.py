"""One check of some content: every 词库 hit and every piece of personal data in its texts, each with the sentence
it stands in (hit marked, personal data masked everywhere in it) and what to do about it.

    check(obj, form=None)        -> Report of `obj`'s public texts (texts.py)
    check_texts([(label, text)])  -> Report
    Report.findings, .blocking (禁用 hits and personal data: publishing waits), .warnings (提醒: never blocks)

Reads the 词库 through matcher.py; knows nothing of the admin (gate.py) or of HTTP.
"""

import re
from dataclasses import dataclass, field

from django.utils.html import format_html

from union_site.checks.matcher import term_matcher
from union_site.checks.normalize import normalise
from union_site.checks.personal import personal_data

BLOCK, WARN = "block", "warn"  # Term.Level's values; personal data is always BLOCK
LEVEL_LABELS = {BLOCK: "禁用", WARN: "提醒"}
WORD, PERSONAL = "word", "personal"
SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CONTEXT_CHARS = 40  # at most this much of the sentence on each side of the hit


@dataclass(frozen=True)
class Finding:
    field: str  # the field's label: 正文, 标题, 附件显示名称 …
    kind: str  # WORD or PERSONAL
    level: str  # BLOCK or WARN
    hit: str  # as written; personal data masked
    what: str  # 禁用词 / 提醒 / 身份证号 / 手机号 …
    suggestion: str  # what to do instead
    note: str = ""
    before: str = ""  # the sentence around it, personal data masked
    after: str = ""

    @property
    def blocks(self):
        return self.level == BLOCK

    @property
    def level_label(self):
        return LEVEL_LABELS[self.level]

    @property
    def context(self):
        return f"{self.before}【{self.hit}】{self.after}"

    def context_html(self):
        return format_html("{}<mark>{}</mark>{}", self.before, self.hit, self.after)

    @property
    def key(self):
        """What identifies it for an override: the same finding again is covered, a new one is not."""
        return f"{self.field}|{self.kind}|{self.hit}"

    def line(self):
        """One line of plain text: the override's record, messages, the scan's report."""
        text = f"{self.field}：{self.what}“{self.hit}”"
        return f"{text}，{self.suggestion}" if self.suggestion else text


@dataclass
class Report:
    findings: list = field(default_factory=list)

    @property
    def blocking(self):
        return [f for f in self.findings if f.blocks]

    @property
    def warnings(self):
        return [f for f in self.findings if not f.blocks]

    @property
    def keys(self):
        return sorted({f.key for f in self.blocking})

    def __bool__(self):
        return bool(self.findings)

    def counts(self):
        """禁用 N 处、个人信息 N 处、提醒 N 处 (the parts there are)."""
        words = sum(1 for f in self.blocking if f.kind == WORD)
        personal = sum(1 for f in self.findings if f.kind == PERSONAL)
        parts = [("禁用词", words), ("个人信息", personal), ("提醒", len(self.warnings))]
        return "、".join(f"{name} {n} 处" for name, n in parts if n)

    def summary(self):
        return "\n".join(f.line() for f in self.findings)


def check(obj, form=None, matcher=None):
    from union_site.checks.texts import file_texts_of, texts_of

    report = check_texts(texts_of(obj, form), matcher)
    for name, text in file_texts_of(obj, form):
        report.findings += text_findings(name, text, matcher=None)
    return report


def check_texts(texts, matcher=None):
    """`matcher`: the 词库's, read once by a caller checking many objects (scan.py); else read now."""
    matcher = matcher or term_matcher()
    findings = []
    for name, text in texts:
        findings += text_findings(name, text, matcher)
    return Report(findings)


def text_findings(name, text, matcher):
    """Personal data and, with a `matcher`, the 词库's words in `text`."""
    normal = normalise(text)
    # (start, end) in the original text, with the hit
    personal = [(*normal.original_span(hit.start, hit.end), hit) for hit in personal_data(normal.text)]
    found = []
    for start, end, hit in personal:
        before, after = _around(text, start, end, personal)
        advice = "请删除或打码后再发布"
        found.append((start, Finding(name, PERSONAL, BLOCK, hit.masked, hit.kind, advice, "", before, after)))
    for hit in matcher.find(normal.text) if matcher else []:
        start, end = normal.original_span(hit.start, hit.end)
        entry = hit.entry
        what = "禁用词" if entry.level == BLOCK else "提醒"
        advice = f"建议改为“{entry.suggestion}”" if entry.suggestion else ""
        before, after = _around(text, start, end, personal)
        finding = Finding(name, WORD, entry.level, text[start:end], what, advice, entry.note, before, after)
        found.append((start, finding))
    return [finding for _, finding in sorted(found, key=lambda pair: pair[0])]


def _around(text, start, end, personal):
    """The sentence around text[start:end], at most CONTEXT_CHARS each side ("…" where it is cut), personal data
    in it masked."""
    left = max(start - CONTEXT_CHARS, 0)
    for match in SENTENCE_END.finditer(text, left, start):
        left = match.end()
    ending = SENTENCE_END.search(text, end, end + CONTEXT_CHARS)
    right = ending.end() if ending else min(end + CONTEXT_CHARS, len(text))
    cut_left = left > 0 and not SENTENCE_END.match(text, left - 1)
    cut_right = right < len(text) and not ending
    before = ("…" if cut_left else "") + _masked(text, left, start, personal).lstrip()
    after = _masked(text, end, right, personal).rstrip() + ("…" if cut_right else "")
    return before, after


def _masked(text, start, end, personal):
    """text[start:end] with each personal-data span in it (or cut by it) shown masked."""
    parts, at = [], start
    for p_start, p_end, hit in personal:
        if p_end <= start or p_start >= end:
            continue
        parts.append(text[at : max(p_start, at)])
        parts.append(hit.masked if p_start >= start and p_end <= end else "***")
        at = max(p_end, at)
    if at < end:
        parts.append(text[at:end])
    return "".join(parts)
