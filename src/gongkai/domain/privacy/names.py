"""Personal names: context words, column headers, rjieba part-of-speech and a surname list.

A name has no shape, so evidence is combined: a name-context word right before it (申请人、
户主、联系人 …) or a name column header makes it likely; rjieba's “nr” tag alone makes it a
hint. Names next to an official title (局长、同志 …) belong to officials acting in office (任免
notices, signatures) and are meant to be public; agency and place names end in 局/委/市/县 …
and never become names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import rjieba

from gongkai.domain.privacy.context import (
    CONTEXT_WORDS,
    NAME_HEADERS,
    OFFICIAL_HEADERS,
    OFFICIAL_TITLES,
    has_any,
    is_label,
)
from gongkai.domain.privacy.kinds import Finding, Kind, clamp_score

# the common single-character surnames (about 99% of the population) and the compound ones
SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖萧田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰"
    "焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲"
    "房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟"
    "应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀"
    "郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴"
    "丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿"
    "鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧"
    "闭由励於洪赖黄邬侍鄂阴滑尉宦"
)
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "澹台",
        "南宫",
        "西门",
        "独孤",
        "万俟",
        "闻人",
        "呼延",
        "赫连",
        "拓跋",
        "申屠",
        "公冶",
        "太史",
        "钟离",
        "百里",
        "东郭",
        "第五",
    ]
)

# words that start with a surname character but are not names
_NOT_NAMES = frozenset(
    [
        "花名册",
        "名册",
        "予以",
        "银行",
        "银行卡",
        "银联",
        "邮箱",
        "邮政",
        "金额",
        "金卡",
        "申请人",
        "申请",
        "户主",
        "本人",
        "配偶",
        "子女",
        "父亲",
        "母亲",
        "儿子",
        "女儿",
        "长子",
        "长女",
        "次子",
        "次女",
        "孙子",
        "孙女",
        "丈夫",
        "妻子",
        "合计",
        "小计",
        "总计",
        "万元",
        "元整",
        "高新",
        "高新区",
        "开发区",
        "文明",
        "文化",
        "国家",
        "国务院",
        "国有",
        "和平",
        "平安",
        "安全",
        "常务",
        "明确",
        "明显",
        "华夏",
        "金融",
        "石油",
        "马路",
        "白天",
        "黄金",
        "龙头",
        "方面",
        "方式",
        "方案",
        "向上",
        "时间",
        "时期",
        "江河",
        "海关",
        "海洋",
        "关于",
        "关系",
        "宁可",
        "齐全",
        "成本",
        "成员",
        "成立",
        "应当",
        "应该",
        "全部",
        "全面",
        "全体",
        "司法",
        "公安",
        "公司",
        "公示",
        "公开",
        "公告",
        "公民",
        "公共",
        "公众",
        "利用",
        "利益",
        "于是",
        "原因",
        "原告",
        "林业",
        "柏油",
        "云南",
        "宁夏",
        "贵州",
        "甘肃",
        "青海",
        "江苏",
        "江西",
        "湖南",
        "湖北",
        "广东",
        "广西",
        "福建",
        "浙江",
        "安徽",
        "河南",
        "河北",
        "山东",
        "山西",
        "陕西",
        "吉林",
        "辽宁",
        "黑龙江",
        "海南",
        "四川",
        "重庆",
        "上海",
        "北京",
        "天津",
        "西藏",
        "新疆",
        "内蒙古",
        "香港",
        "澳门",
        "台湾",
        "钱款",
        "严格",
        "严重",
        "任务",
        "任何",
        "于是",
        "元月",
        "田地",
        "农业",
        "农村",
        "史料",
        "项目",
        "车辆",
        "左右",
        "伍佰",
        "陆续",
        "万一",
        "司机",
        "贺信",
        "孔子",
        "毛泽东",
        "邓小平",
        "江泽民",
        "胡锦涛",
        "习近平",
        "周恩来",
        "刘少奇",
        "朱德",
        "陈云",
        "李克强",
        "温家宝",
        "庞大",
        "乔迁",
        "连续",
        "常住",
        "蒙古",
        "满族",
        "回族",
        "苗族",
        "银行",
        "银行卡",
        "银联",
        "邮箱",
        "邮政",
        "金额",
        "金卡",
        "石材",
        "家庭",
        "家属",
        "居民",
        "村民",
        "学生",
        "老人",
        "儿童",
        "孤儿",
        "残疾人",
        "户籍",
        "姓名",
        "性别",
        "民族",
        "汉族",
        "男",
        "女",
    ]
)
_PLACE_OR_AGENCY_END = frozenset(
    "省市县区镇乡村街路道巷局委办厅处科院所站队社组部室馆校园厂店场司行会府庭署台港湾山河湖江"
    "桥楼州旗盟苑寺庙塔湾岛峰岭坡沟湾庄屯堡寨集圩洲"
)
_STRONG_PLACE_END = frozenset("省市县区镇乡村街路巷局委厅处科")
_STOP_AFTER = frozenset(
    "男女身电联同先等的于因在与和及系为将已向对家户反来诉称现住年岁是不户号手之夫妻子父母"
    "遗驾持经被到把从自"
    "儿孙兄弟姐妹共申领户名签按你我他她、，。；：:,;（()）\n\t "
)
_CONTEXT_TERMS = frozenset(word for words in CONTEXT_WORDS.values() for word in words)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_NAME_TOKEN = re.compile(r"[\u4e00-\u9fff]+(?:[·•][\u4e00-\u9fff]+)*")
_ANONYMISED = re.compile(r"[某*＊×Ｘ○]")
_CONTEXT_RE = re.compile(
    "(" + "|".join(sorted(map(re.escape, CONTEXT_WORDS[Kind.NAME]), key=len, reverse=True)) + ")"
    r"(?:姓名)?(?:[: \t]|为|是|系)*"  # a tab: the next cell of a form (姓名 | 张三)
)
_TITLES_RE = "|".join(sorted(map(re.escape, OFFICIAL_TITLES), key=len, reverse=True))
_TITLE_AFTER = re.compile(r" ?(?:" + _TITLES_RE + ")")
_TITLE_BEFORE = re.compile(r"(?:" + _TITLES_RE + r")[: ]?$")
_MINORITY = re.compile(r"[\u4e00-\u9fff]{1,8}[·•][\u4e00-\u9fff]{1,8}(?:[·•][\u4e00-\u9fff]{1,8})?")


def surname_length(name: str) -> int:
    """1, or 2 for a compound surname (欧阳、司马 …); 0 when the name starts with no surname."""
    if name[:2] in COMPOUND_SURNAMES and len(name) >= 3:
        return 2
    if name[:1] in SINGLE_SURNAMES:
        return 1
    return 0


def is_plausible_name(token: str) -> bool:
    """2–4 汉字 starting with a known surname, not a common word, not a place or agency."""
    if _MINORITY.fullmatch(token):
        return True
    if not 2 <= len(token) <= 4 or not all(_CJK.match(ch) for ch in token):
        return False
    if token in _NOT_NAMES or token in _CONTEXT_TERMS or _ANONYMISED.search(token):
        return False
    if token[-1] in _PLACE_OR_AGENCY_END and (len(token) >= 3 or token[-1] in _STRONG_PLACE_END):
        return False
    surname = surname_length(token)
    if surname == 0:
        return False
    return len(token) - surname <= 2


_ROLE_BEFORE = re.compile(
    "(?:" + "|".join(sorted(map(re.escape, CONTEXT_WORDS[Kind.NAME]), key=len, reverse=True)) + ")"
    r"(?:姓名)?[: \t]*$"
)
# the label of the number that follows a name: “王五（身份证号1101…）”, “王五，电话138…”
_ID_LABEL = re.compile(
    r"(?:公民)?(?:身份证号码|身份证号|身份证|证件号码|证件号|联系电话|电话号码|电话|手机号码|手机号|手机)"
    r"(?:码)?[: ]?$"
)


def role_before(norm: str, start: int) -> bool:
    """A person's role written right before a name (“听证代表：王五”, “申请人王五”): the
    title in the role (代表) does not make the name an official's."""
    return _ROLE_BEFORE.search(norm[max(0, start - 12) : start]) is not None


def _official(norm: str, start: int, end: int) -> str | None:
    after = _TITLE_AFTER.match(norm, end)
    if after:
        return after.group().strip()
    before = _TITLE_BEFORE.search(norm[max(0, start - 8) : start])
    if before:
        return before.group().strip(" :")
    return None


def _trim_minority(norm: str, start: int, end: int) -> tuple[int, int]:
    """Cut a transliterated name (艾力·吐尔逊) where the following words begin."""
    dot = max(norm.rfind("·", start, end), norm.rfind("•", start, end))
    cut = dot + 1
    while cut < end and cut - dot <= 6 and norm[cut] not in _STOP_AFTER:
        cut += 1
    return start, cut


def name_before(norm: str, end: int) -> tuple[int, int] | None:
    """The name written right before an ID or phone number (“王芳（110101…）”, “王芳 138…”)."""
    label = _ID_LABEL.search(norm[max(0, end - 9) : end])
    if label is not None:
        end -= len(label.group())
    stop = end
    while stop > 0 and end - stop < 3 and norm[stop - 1] in "（(，,：: ":
        stop -= 1
    start = stop
    while (
        start > 0 and stop - start < 12 and (_CJK.match(norm[start - 1]) or norm[start - 1] in "·•")
    ):
        start -= 1
    run = norm[start:stop]
    if len(run) < 2:
        return None
    minority = _MINORITY.search(run)
    if minority and minority.end() == len(run):
        return start + minority.start(), stop
    if is_plausible_name(run):
        return start, stop
    tokens = [word for word, _ in rjieba.tag(run)]
    for count in (1, 2):
        tail = "".join(tokens[-count:])
        if 2 <= len(tail) <= 4 and is_plausible_name(tail):
            return stop - len(tail), stop
    for size in (3, 2):
        tail = run[-size:]
        if is_plausible_name(tail) and run[-size - 1 : -size] not in SINGLE_SURNAMES:
            return stop - size, stop
    return None


def _name_after(norm: str, pos: int) -> tuple[int, int] | None:
    """The name that starts at ``pos`` (after a context word), as a span."""
    minority = _MINORITY.match(norm, pos)
    if minority:
        return _trim_minority(norm, *minority.span())
    surname = surname_length(norm[pos : pos + 3])
    if surname == 0:
        return None
    end = pos + surname
    for _ in range(2):
        if end < len(norm) and _CJK.match(norm[end]) and norm[end] not in _STOP_AFTER:
            end += 1
        else:
            break
    if end - pos < 2:
        return None
    # a third given-name character is more often the next word (“张伟家住…”, “李娜申请…”)
    token = norm[pos:end]
    if end - pos - surname == 2 and end < len(norm) and _CJK.match(norm[end]):
        pair = norm[end - 1 : end + 1]
        if pair in _TWO_CHAR_WORD_STARTS:
            end -= 1
            token = norm[pos:end]
    if not is_plausible_name(token):
        return None
    return pos, end


# second given-name characters that usually begin the following word instead
_TWO_CHAR_WORD_STARTS = frozenset(
    ["申请", "反映", "来信", "诉称", "家住", "现住", "户籍", "因病", "因残", "一家", "共同", "等人"]
)


def detect_names_by_context(norm: str, text: str) -> Iterator[Finding]:
    for match in _CONTEXT_RE.finditer(norm):
        span = _name_after(norm, match.end())
        if span is None:
            continue
        start, end = span
        official = _official(norm, start, end)
        if official and match.group(1).endswith(official):
            official = None  # the role itself carries the title (听证代表)
        if official:
            yield Finding(
                Kind.NAME,
                start,
                end,
                text[start:end],
                0.2,
                f"姓名，但紧邻职务“{official}”，疑似公职人员履职信息（通常可以公开）",
            )
            continue
        yield Finding(Kind.NAME, start, end, text[start:end], 0.85, f"姓名，前有“{match.group(1)}”")


_SALUTATION = re.compile(r"(?m)^[ \t]*([\u4e00-\u9fff·•]{2,12})[:：][ \t]*(?:$|您|你)")


def detect_salutations(norm: str, text: str) -> Iterator[Finding]:
    """The addressee of a reply or notice letter (“张三：\n您于…”)."""
    for match in _SALUTATION.finditer(norm):
        start, end = match.span(1)
        if is_plausible_name(match.group(1)):
            yield Finding(
                Kind.NAME, start, end, text[start:end], 0.8, "信函抬头的称呼（收信人姓名）"
            )


def detect_names_in_cell(norm: str, text: str, header: str) -> Iterator[Finding]:
    """A cell under a name column (姓名、户主、申请人 …): every name-like token is a name."""
    if OFFICIAL_HEADERS.search(header) or not NAME_HEADERS.search(header):
        return
    for match in _NAME_TOKEN.finditer(norm):
        token = match.group()
        if token in _NOT_NAMES or _ANONYMISED.search(token) or is_label(token):
            continue
        if is_plausible_name(token):
            score = 0.95
        elif 2 <= len(token) <= 4 and token[-1] not in _PLACE_OR_AGENCY_END:
            score = 0.75  # a rare surname: the column still says it is a name
        else:
            continue
        yield Finding(
            Kind.NAME,
            match.start(),
            match.end(),
            text[match.start() : match.end()],
            clamp_score(score),
            f"表头“{header.strip()[:20]}”下的姓名",
        )


def detect_names_by_tagging(norm: str, text: str) -> Iterator[Finding]:
    """rjieba part-of-speech “nr” (person name): a hint, raised by context in the sentence."""
    if not _CJK.search(norm):
        return
    pos = 0
    for word, flag in rjieba.tag(norm):
        start, end = pos, pos + len(word)
        pos = end
        if flag not in ("nr", "nrfg") or not is_plausible_name(word):
            continue
        if end < len(norm) and norm[end] in _PLACE_OR_AGENCY_END:
            continue  # 张家港市, 王府井街
        official = _official(norm, start, end)
        left = max(norm.rfind("。", 0, start), norm.rfind("\n", 0, start), start - 16)
        word_before = has_any(norm[max(0, left) : start], CONTEXT_WORDS[Kind.NAME])
        if official:
            score, reason = 0.15, f"分词标注为人名，但紧邻职务“{official}”，疑似公职人员"
        elif word_before:
            score, reason = 0.6, f"分词标注为人名，句中有“{word_before}”"
        else:
            score, reason = 0.35, "分词标注为人名"
        yield Finding(Kind.NAME, start, end, text[start:end], clamp_score(score), reason)
