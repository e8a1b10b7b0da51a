"""The 词库 matcher (union_site/checks/matcher.py over normalize.py): full-width and traditional forms are found,
each hit at its place in the original text; one automaton per 词库 version; the shipped list flags no correct text."""

import pytest
from django.core.exceptions import ValidationError

from union_site.checks import matcher
from union_site.checks.models import Term
from union_site.checks.normalize import normalise
from union_site.checks.report import BLOCK, WARN, check_texts
from union_site.checks.starter import load_starter_terms

pytestmark = pytest.mark.django_db


def findings(text):
    return check_texts([("正文", text)]).findings


def test_normalising_keeps_offsets():
    normal = normalise("ＡＢＣ１２３，再接再勵！")
    assert normal.text == "ABC123,再接再励!"
    assert normal.original_span(7, 11) == (7, 11)  # one character for one: the same places


def test_characters_that_expand_or_vanish_map_back():
    original = "①再接\u200b再勵"
    normal = normalise(original)
    assert normal.text == "1再接再励"
    start, end = normal.original_span(1, 5)
    assert original[start:end] == "再接\u200b再勵"


@pytest.mark.parametrize(
    "text, written",
    [
        ("我们要再接再励，争取更大成绩。", "再接再励"),
        ("我們要再接再勵，爭取更大成績。", "再接再勵"),  # traditional
        ("会上，中华总工会的同志……", "中华总工会"),
        ("会上，中華總工會的同志……", "中華總工會"),
        ("党的２０大精神", "党的２０大"),  # full-width digits
        ("坚持党的20大精神", "党的20大"),
        ("要再接\u200b再励", "再接\u200b再励"),  # a zero-width space pasted from Word
    ],
)
def test_finds_variants_and_shows_them_as_written(text, written):
    (finding,) = [f for f in findings(text) if f.level == BLOCK]
    assert finding.hit == written
    assert written in text and finding.before + finding.hit + finding.after in text


def test_the_hit_is_marked_in_its_sentence_and_escaped():
    term = Term.objects.create(word="不良写法", suggestion="<b>正确</b>", level=Term.Level.BLOCK)
    text = "第一句话。<script>x</script>这里有不良写法，需要改。第三句。"
    (finding,) = findings(text)
    assert finding.before == "<script>x</script>这里有"
    assert finding.after == "，需要改。"  # the sentence, to its end
    html = finding.context_html()
    assert html == "&lt;script&gt;x&lt;/script&gt;这里有<mark>不良写法</mark>，需要改。"
    assert finding.suggestion == "建议改为“<b>正确</b>”" and term.blocks


def test_a_long_sentence_is_cut_around_the_hit():
    text = "甲" * 100 + "再接再励" + "乙" * 100
    (finding,) = findings(text)
    assert finding.before.startswith("…") and len(finding.before) == 41
    assert finding.after.endswith("…")


def test_the_longer_of_two_overlapping_words_is_reported():
    Term.objects.create(word="截止到", suggestion="截至", level=Term.Level.WARN)
    found = findings("截止到目前，全市共建成职工之家 120 个。")
    assert [(f.hit, f.suggestion) for f in found] == [("截止到目前", "建议改为“截至目前”")]


def test_personal_data_in_the_context_is_masked():
    text = "名单：张三 372301199001011238 再接再励 13805431234。"
    found = check_texts([("正文", text)]).findings
    assert [f.kind for f in found] == ["personal", "word", "personal"]
    word = found[1]
    assert "372***********1238" in word.before and "138****1234" in word.after
    assert "199001011238" not in word.context_html() and "05431234" not in word.context_html()


def test_one_automaton_per_version():
    first = matcher.term_matcher()
    assert matcher.term_matcher() is first  # nothing changed: not rebuilt
    term = Term.objects.create(word="自造词语", level=Term.Level.WARN)
    assert matcher.term_matcher() is not first
    assert [f.hit for f in findings("这是自造词语。")] == ["自造词语"]
    term.is_active = False
    term.save()
    assert findings("这是自造词语。") == []
    term.is_active = True
    term.save()
    term.delete()
    assert findings("这是自造词语。") == []


def test_the_shipped_list_loaded_again_is_checked_at_once():
    Term.objects.all().delete()
    assert findings("我们要再接再励。") == []
    assert load_starter_terms(Term) > 40  # one bulk insert: no post_save per word, the version still moves on
    assert [f.hit for f in findings("我们要再接再励。")] == ["再接再励"]


def test_a_word_must_have_two_characters_and_no_twin():
    with pytest.raises(ValidationError, match="至少要有 2 个字"):
        Term(word="象", level=Term.Level.WARN).full_clean()
    with pytest.raises(ValidationError, match="再接再励"):
        Term(word="再接再勵", level=Term.Level.BLOCK).full_clean()  # the shipped 再接再励, in traditional form


CORRECT_TEXTS = [
    "报名截止日期为6月30日，逾期不再受理；报名已截止。",
    "截至目前，全市共建成职工之家120个，截至6月底全部验收。",
    "中华全国总工会、全国总工会、全总，山东省总工会、滨州市总工会和各县（市、区）总工会。",
    "中国共产党第二十次全国代表大会、党的二十大、中共二十大、党的十八届三中全会。",
    "学习贯彻习近平新时代中国特色社会主义思想，坚持社会主义核心价值观。",
    "形象、现象、对象、印象、想象、气象、象征、大象、景象。",
    "我们要再接再厉，一鼓作气，不胫而走，甘拜下风，渡过难关，度过假期。",
    "预防犯罪，按排名先后，个人材料，每股分红，台湾地区领导人，台湾当局，残疾人。",
    "账户、账号、安装、即使、好像、录像、图像、影像、成分、参与、精彩、弘扬、部署。",
    "五一国际劳动节，全国五一劳动奖章，三八红旗手，中国共产党章程，中国工会第十八次全国代表大会。",
]


@pytest.mark.parametrize("text", CORRECT_TEXTS)
def test_the_shipped_list_flags_no_correct_text(text):
    assert findings(text) == []


def test_words_correct_in_some_sentences_only_warn():
    """既使……又…… is correct, 既使 for 即使 is not: a 提醒, never a 禁用."""
    (finding,) = findings("这样做既使职工受益，又使企业发展。")
    assert finding.level == WARN and finding.hit == "既使"
    assert not check_texts([("正文", "按装修标准验收。")]).blocking


def test_the_shipped_list_is_in_place():
    assert 40 <= Term.objects.count() <= 80
    assert Term.objects.get(word="截止目前").level == Term.Level.WARN
    assert not Term.objects.filter(word="截止").exists()
