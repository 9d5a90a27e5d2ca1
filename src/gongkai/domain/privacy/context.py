"""Context words: what the text around a match, or its column header, says about it.

Presidio raises a score when a context word appears among the tokens before a match; Chinese
has no spaces, so here the context is the characters before (and a few after) the match in the
same sentence, plus the column header when the text is a table cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from gongkai.domain.privacy.kinds import Kind

CONTEXT_WORDS: dict[Kind, tuple[str, ...]] = {
    Kind.ID_NUMBER: ("身份证", "证件号", "身份号码", "公民身份", "证件号码", "身份证号"),
    Kind.MOBILE: ("手机", "电话", "联系方式", "移动电话", "联系", "手机号", "致电", "来电"),
    Kind.LANDLINE: ("家庭电话", "住宅电话", "宅电", "本人", "家属", "户主", "家中", "私人"),
    Kind.BANK_CARD: (
        "银行卡",
        "卡号",
        "账号",
        "帐号",
        "账户",
        "帐户",
        "开户",
        "银行",
        "社保卡",
        "存折",
        "折号",
        "一卡通",
        "储蓄",
        "借记卡",
        "信用卡",
    ),
    Kind.EMAIL: ("邮箱", "电子邮件", "email", "e-mail", "mail"),
    Kind.PASSPORT: ("护照",),
    Kind.TRAVEL_PERMIT: ("通行证", "港澳", "台胞证", "台湾居民", "回乡证"),
    Kind.LICENCE_PLATE: ("车牌", "号牌", "车辆", "机动车", "驾驶", "车号", "牌照"),
    Kind.ADDRESS: (
        "住址",
        "家住",
        "住所",
        "现住",
        "户籍",
        "居住",
        "家庭地址",
        "住在",
        "现居",
        "家庭住址",
        "住:",
        "住：",
        "暂住",
        "经常居住地",
        "送达地址",
    ),
    Kind.NAME: (
        "姓名",
        "申请人",
        "联系人",
        "户主",
        "法定代表人",
        "当事人",
        "收款人",
        "领款人",
        "委托人",
        "被申请人",
        "投诉人",
        "举报人",
        "来信人",
        "受助人",
        "救助对象",
        "监护人",
        "代理人",
        "违法行为人",
        "被处罚人",
        "驾驶人",
        "车主",
        "户名",
        "开户名",
        "持卡人",
        "家属",
        "配偶",
        "之子",
        "之女",
        "之妻",
        "之夫",
        "经营者",
        "业主",
        "承租人",
        "补助对象",
        "保障对象",
        "困难群众",
        "信访人",
        "留言人",
        "反映人",
        "受益人",
        "户籍人",
        "本人",
        "我叫",
        "听证代表",
        "群众代表",
        "村民代表",
        "居民代表",
        "申请人代表",
        "参加人",
        "听证参加人",
        "陈述人",
        "申辩人",
        "证人",
        "见证人",
        "名叫",
        "先生",
        "女士",
        "居民",
        "村民",
        "患者",
        "学生",
    ),
}

# office numbers and addresses are published on purpose (公开指南, 咨询电话)
OFFICE_WORDS: tuple[str, ...] = (
    "咨询",
    "监督",
    "投诉电话",
    "举报电话",
    "办公",
    "值班",
    "服务电话",
    "热线",
    "传真",
    "受理",
    "办理地点",
    "服务地点",
    "单位地址",
    "窗口",
    "政务服务",
    "邮编",
    "邮政编码",
    "公开",
    "机关",
    "营业厅",
)

# corporate accounts (对公账户) in procurement notices are public and usually not Luhn-valid
CORPORATE_ACCOUNT_WORDS: tuple[str, ...] = (
    "对公",
    "基本户",
    "基本账户",
    "单位账户",
    "收款单位",
    "开户单位",
    "单位名称",
    "公司",
    "财政",
    "专户",
    "国库",
)

# a code right after these words is an order, case or file number, not personal data
SERIAL_WORDS: tuple[str, ...] = (
    "编号",
    "单号",
    "订单号",
    "流水号",
    "交易号",
    "案号",
    "批次号",
    "序列号",
    "合同号",
    "发票号码",
    "发票代码",
    "证书编号",
    "登记编号",
    "备案号",
    "工单号",
    "受理号",
    "回执号",
    "查询码",
    "条形码",
    "条码",
    "索引号",
    "许可证号",
    "项目代码",
    "采购编号",
    "批准文号",
    "文件编号",
    "凭证号",
    "快递单号",
    "运单号",
    "货号",
    "型号",
    "统一社会信用代码",
    "信用代码",
    "组织机构代码",
    "纳税人识别号",
    "注册号",
    "执法证号",
    "执法证编号",
)

# official roles: a name next to these belongs to an official acting in office (任免, 署名)
OFFICIAL_TITLES: tuple[str, ...] = (
    "同志",
    "局长",
    "副局长",
    "主任",
    "副主任",
    "书记",
    "副书记",
    "市长",
    "副市长",
    "区长",
    "副区长",
    "县长",
    "副县长",
    "镇长",
    "乡长",
    "处长",
    "科长",
    "部长",
    "厅长",
    "主席",
    "委员",
    "院长",
    "校长",
    "秘书长",
    "调研员",
    "检察长",
    "庭长",
    "审判员",
    "执法人员",
    "执法证号",
    "承办人",
    "经办人",
    "审核人",
    "签发人",
    "记录人",
    "发言人",
    "代表",
    "队长",
    "所长",
    "站长",
    "总经理",
    "董事长",
)

NAME_HEADERS = re.compile(
    r"姓名|户主|申请人|联系人|法定代表人|负责人|当事人|收款人|领款人|户名|开户名|持卡人|"
    r"救助对象|受助人|补助对象|保障对象|家庭成员|成员|监护人|代理人|驾驶人|车主|经营者|"
    r"业主|承租人|被处罚人|违法行为人|信访人|来信人|受益人|学生|患者|名字|老人"
)
OFFICIAL_HEADERS = re.compile(r"职务|执法人员|经办人|审核人|承办人|签发人|填报人|制表人")
SERIAL_HEADERS = re.compile(
    r"编号|单号|流水号|案号|批次|序列号|合同号|索引号|信用代码|机构代码|识别号|注册号|文号|凭证"
)
# the number of an official's 行政执法证件 is published with their name (执法公示)
CERTIFICATE_HEADERS = re.compile(r"执法证")
ID_HEADERS = re.compile(r"身份证|证件号|身份号码|公民身份")
PHONE_HEADERS = re.compile(r"电话|手机|联系方式|联系号码")
BANK_HEADERS = re.compile(r"卡号|账号|帐号|账户|帐户|银行|存折|一卡通")
ADDRESS_HEADERS = re.compile(r"住址|地址|住所|户籍|居住|家庭住址")
PLATE_HEADERS = re.compile(r"车牌|号牌|车号")
PASSPORT_HEADERS = re.compile(r"护照")
PERMIT_HEADERS = re.compile(r"通行证|台胞证")

_HEADER_WORDS = re.compile(
    r"序号|姓名|性别|年龄|身份证|证件|电话|手机|住址|地址|户主|金额|银行|卡号|账号|人口|"
    r"出生|民族|备注|单位|名称|日期|时间|类别|类型|标准|数量|村|组|社区|街道|乡镇|关系|"
    r"联系|申请人|职务|编号|车牌|号码|合计|补助|月份|项目|事由|结果|学校|年级|监护|学生|资助|"
    r"职业|面积|籍贯|文化程度|健康|原因|救助|账号|卡号|户籍|对象|成员|面积"
)
_LONG_DIGITS = re.compile(r"\d{5,}")
_VALUE_WORDS = frozenset({"男", "女", "是", "否", "无", "有", "汉", "汉族"})


_WORD_PATTERNS: dict[tuple[str, ...], re.Pattern[str]] = {}


def has_any(window: str, words: tuple[str, ...]) -> str | None:
    """One of ``words`` found in ``window`` (None when none is); one regex search per call."""
    pattern = _WORD_PATTERNS.get(words)
    if pattern is None:
        alternatives = sorted(words, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(word) for word in alternatives))
        _WORD_PATTERNS[words] = pattern
    match = pattern.search(window)
    return match.group() if match else None


def is_label(value: str) -> bool:
    """True for a column label such as 身份证号码 or 联系电话."""
    return bool(_HEADER_WORDS.search(value))


def looks_like_header(cells: Iterable[str]) -> bool:
    """True for a table's header row: several short labels, no long numbers."""
    values = [c.strip() for c in cells if c and c.strip()]
    if len(values) < 2:
        return False
    if any(_LONG_DIGITS.search(v) or v in _VALUE_WORDS for v in values):
        return False  # a form row (姓名 | 张三 | 性别 | 男) or a data row, not a header
    if any(len(v) > 20 for v in values):
        return False
    hits = sum(1 for v in values if _HEADER_WORDS.search(v))
    return hits >= 2 or hits * 2 >= len(values)


def split_header_line(line: str) -> list[str]:
    """Cells of a table row written as one line (PDF and text tables, CSV): split on runs of
    blanks, tabs, ASCII commas and bars. Chinese commas separate clauses, not cells."""
    if _SENTENCE_MARKS.search(line):
        return [line.strip()] if line.strip() else []
    return [part for part in _CELL_SEPARATORS.split(line.strip()) if part]


_CELL_SEPARATORS = re.compile(r"[\s,|｜]+")
_SENTENCE_MARKS = re.compile(r"[。；！？，、]")
