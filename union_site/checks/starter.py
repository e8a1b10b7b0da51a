"""The 词库 shipped with the site (loaded by migration 0002; the list can be downloaded, edited and imported again in
后台 › 内容检查 › 词库). Only errors we are sure of, and each 禁用 word written so that it is not part of a correct
text: where a wrong form can also be two correct words side by side (既使 in 既使职工受益，又…; 按装 in 按装修标准),
it is a 提醒, and words that are only wrong in some sentences (截止 / 截至) are matched in the phrases where they are.

Sources: 《第一批异形词整理表》(GF 1001-2001: the recommended forms), GB/T 15835-2011《出版物上数字用法》 (党的十八大 in
Chinese numerals), 新华社《新闻报道中禁用的词汇》 (涉台, 残疾人), the 中国共产党 and 中华全国总工会 names, and the
commonest misspelt 成语 in official writing.
"""

B, W = "block", "warn"
NUMERALS = "一二三四五六七"

STARTER_TERMS = [
    # 成语与常用词：错别字
    ("再接再励", "再接再厉", B, "“厉”同“砺”，磨快；不写作“励”。"),
    ("再接再砺", "再接再厉", B, "《第一批异形词整理表》推荐“再接再厉”。"),
    ("一股作气", "一鼓作气", B, "鼓：击鼓。"),
    ("不径而走", "不胫而走", B, "胫：小腿。"),
    ("甘败下风", "甘拜下风", B, ""),
    ("按步就班", "按部就班", B, ""),
    ("迫不急待", "迫不及待", B, ""),
    ("一愁莫展", "一筹莫展", B, ""),
    ("变本加利", "变本加厉", B, ""),
    ("莫明其妙", "莫名其妙", B, ""),
    ("迫在眉捷", "迫在眉睫", B, ""),
    ("精兵减政", "精兵简政", B, ""),
    ("事得其反", "适得其反", B, ""),
    ("一如继往", "一如既往", B, ""),
    ("既往开来", "继往开来", B, ""),
    ("既往不究", "既往不咎", B, ""),
    ("关怀倍至", "关怀备至", B, ""),
    ("人才倍出", "人才辈出", B, ""),
    ("融汇贯通", "融会贯通", B, ""),
    ("义不容词", "义不容辞", B, ""),
    ("责无旁代", "责无旁贷", B, ""),
    ("众志成诚", "众志成城", B, ""),
    ("真知卓见", "真知灼见", B, ""),
    ("攻艰克难", "攻坚克难", B, ""),
    ("坚苦奋斗", "艰苦奋斗", B, ""),
    ("不加思索", "不假思索", B, ""),
    ("通货膨涨", "通货膨胀", B, ""),
    ("义无返顾", "义无反顾", B, "《第一批异形词整理表》推荐“义无反顾”。"),
    ("信口开合", "信口开河", B, "《第一批异形词整理表》推荐“信口开河”。"),
    ("丰富多采", "丰富多彩", B, "《第一批异形词整理表》推荐“丰富多彩”。"),
    ("发人深醒", "发人深省", B, "省：醒悟。《第一批异形词整理表》推荐“发人深省”。"),
    ("寒喧", "寒暄", B, ""),
    ("松驰", "松弛", B, ""),
    ("装璜", "装潢", B, "《第一批异形词整理表》推荐“装潢”。"),
    ("不象话", "不像话", B, ""),
    # 可能是两个正确的词连在一起：只提醒
    ("既使", "即使", W, "表示假设让步用“即使”；“既使……又……”（如“既使职工受益，又……”）是正确的。"),
    ("按装", "安装", W, "“按装修标准”之类是正确的，请看上下文。"),
    ("度过难关", "渡过难关", W, "“渡过”用于难关、危机；“度过”用于时间（度过假期）。"),
    ("好象", "好像", W, "“象”用于大象、形象、象征等；表示“似乎”用“像”。"),
    ("录象", "录像", W, "《第一批异形词整理表》推荐“录像”。"),
    ("图象", "图像", W, "《第一批异形词整理表》推荐“图像”。"),
    ("影象", "影像", W, "《第一批异形词整理表》推荐“影像”。"),
    ("帐户", "账户", W, "与钱财有关的用“账”：账户、账号、账目、报账。"),
    ("帐号", "账号", W, "与钱财、网络账号有关的用“账”。"),
    ("成份", "成分", W, "《第一批异形词整理表》推荐“成分”。"),
    ("参预", "参与", W, "《第一批异形词整理表》推荐“参与”。"),
    ("精采", "精彩", W, "《第一批异形词整理表》推荐“精彩”。"),
    ("宏扬", "弘扬", W, "弘扬精神、弘扬传统用“弘”。"),
    (
        "截止目前",
        "截至目前",
        W,
        "“截至”后面带时间（截至目前、截至6月底）；“截止”后面不带时间（报名已截止、截止日期）。",
    ),
    ("截止到目前", "截至目前", W, "“截至”后面带时间；“截止”后面不带时间。"),
    ("截止发稿时", "截至发稿时", W, "“截至”后面带时间；“截止”后面不带时间。"),
    ("五·一", "五一", W, "GB/T 15835：只有一月、十一月、十二月的日子才用间隔号（一·二八），五一、三八不用。"),
    # 机构名称
    ("中华总工会", "中华全国总工会", B, "全称“中华全国总工会”，简称“全国总工会”“全总”。"),
    ("中国总工会", "中华全国总工会", W, "全称“中华全国总工会”，简称“全国总工会”“全总”。"),
    ("中华全国总公会", "中华全国总工会", B, ""),
    ("总公会", "总工会", W, "工会组织写作“总工会”。"),
    ("滨洲市", "滨州市", B, "滨州的“州”没有三点水。"),
    ("滨州总工会", "滨州市总工会", W, "正式名称“滨州市总工会”。"),
    ("山东总工会", "山东省总工会", W, "正式名称“山东省总工会”。"),
    # 党的名称、会议与政治表述
    ("中共共产党", "中国共产党", B, "全称“中国共产党”，简称“中共”。"),
    ("新时代特色社会主义", "新时代中国特色社会主义", B, "漏了“中国”。"),
    ("社会主意", "社会主义", B, ""),
    ("中国共产党党章", "中国共产党章程", W, "正式名称《中国共产党章程》，简称“党章”。"),
    *[
        (f"党的{n}大", f"党的{word}大", B, "党的代表大会届次用汉字数字（GB/T 15835）。")
        for n, word in [(18, "十八"), (19, "十九"), (20, "二十")]
    ],
    *[
        (f"中共{n}大", f"中共{word}大", B, "党的代表大会届次用汉字数字（GB/T 15835）。")
        for n, word in [(18, "十八"), (19, "十九"), (20, "二十")]
    ],
    *[
        (f"届{n}中全会", f"届{word}中全会", B, "全会的次数用汉字数字，如“十八届三中全会”。")
        for n, word in enumerate(NUMERALS, start=1)
    ],
    ("台湾总统", "台湾地区领导人", B, "新华社《新闻报道中禁用的词汇》：称“台湾地区领导人”。"),
    ("台湾政府", "台湾当局", B, "新华社《新闻报道中禁用的词汇》：称“台湾当局”。"),
    ("两岸三地", "内地与港澳、大陆与台湾", W, "新华社《新闻报道中禁用的词汇》：不使用“两岸三地”。"),
    ("残废人", "残疾人", B, "新华社《新闻报道中禁用的词汇》：称“残疾人”。"),
]


def load_starter_terms(term_model):
    """Adds the shipped 词条 that are missing (by word) to `term_model` (the model, or a migration's historical one);
    returns how many it added. A 词条 someone changed or deleted is not brought back by hand: only missing words.
    bulk_create sends no post_save, so the version moves on here: no process keeps a matcher built without them."""
    from union_site.checks.models import bump_term_list

    have = set(term_model.objects.values_list("word", flat=True))
    new = [
        term_model(word=word, suggestion=suggestion, level=level, note=note)
        for word, suggestion, level, note in STARTER_TERMS
        if word not in have
    ]
    term_model.objects.bulk_create(new)
    if new:
        bump_term_list(term_model._meta.apps.get_model("content_checks", "TermListVersion"))
    return len(new)
