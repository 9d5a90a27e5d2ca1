"""The privacy evaluation set: realistic government documents with planted personal data.

Generated with Faker zh_CN from a fixed seed, so every run sees the same documents: 低保 and
subsidy recipient lists (DOCX, XLSX, HTML, PDF tables), penalty decisions, mailbox letters,
notices, and hard negatives that must pass untouched (USCCs, 文号, dates, amounts, order
numbers, 索引号, office phones and addresses, officials' names in 任免 notices).

Each document lists its truths (kind, value) — what a reviewer must find — and its
negatives. ``evaluate`` scores a detector run per kind. Used by the test suite (a small set)
and by bench/bench_privacy.py (the full set).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from faker import Faker

from gongkai.domain.codes import id_check_char, make_uscc
from gongkai.domain.privacy.names import surname_length
from gongkai.domain.privacy.text import compact

ID, MOBILE, LANDLINE, BANK, EMAIL = "id_number", "mobile", "landline", "bank_card", "email"
PASSPORT, PERMIT, PLATE, ADDRESS, NAME = (
    "passport",
    "travel_permit",
    "licence_plate",
    "address",
    "name",
)
NUMERIC = {ID, MOBILE, LANDLINE, BANK, PASSPORT, PERMIT}


@dataclass
class EvalDoc:
    name: str
    category: str
    filename: str  # .txt for running text, or a real file
    content: bytes
    truths: list[tuple[str, str]] = field(default_factory=list)
    negatives: list[str] = field(default_factory=list)


class Gen:
    """Deterministic makers of personal data and of public codes."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)

    # people
    def name(self) -> str:
        roll = self.rng.random()
        if roll < 0.02:
            return (
                self.rng.choice(["欧阳", "司马", "上官", "诸葛", "东方"]) + self.fake.first_name()
            )
        if roll < 0.03:
            return (
                self.rng.choice(["阿依古丽", "买买提", "热依拉", "艾力"])
                + "·"
                + self.rng.choice(["吐尔逊", "阿布都", "卡德尔", "依明"])
            )
        name = self.fake.name()
        while surname_length(name) == 0:  # a rare surname outside the dictionary: keep some
            if self.rng.random() < 0.3:
                break
            name = self.fake.name()
        return name

    def id_number(self) -> str:
        roll = self.rng.random()
        if roll < 0.03:  # legacy 15-digit number (1980s–1990s documents)
            area = self.fake.ssn()[:6]
            return f"{area}{self.rng.randint(30, 79)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.rng.randint(0, 999):03d}"
        # born 1 to 95 years before the evaluation's reference date, drawn from the seeded
        # generator (Faker's own ssn(min_age=…) counts from the wall clock)
        area = self.fake.ssn()[:6]
        born = dt.date(1931, 1, 1) + dt.timedelta(days=self.rng.randint(0, 34332))
        body = f"{area}{born:%Y%m%d}{self.rng.randint(0, 999):03d}"
        return body + id_check_char(body)

    def id_shown(self, value: str) -> str:
        """How an ID is written: mostly plain, sometimes grouped or in full-width digits."""
        roll = self.rng.random()
        if len(value) == 18 and roll < 0.03:
            return f"{value[:6]} {value[6:14]} {value[14:]}"
        if roll < 0.05:
            return value.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
        return value

    def mobile(self) -> str:
        return self.fake.phone_number()

    def mobile_shown(self, value: str) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return f"{value[:3]}-{value[3:7]}-{value[7:]}"
        if roll < 0.08:
            return f"{value[:3]} {value[3:7]} {value[7:]}"
        if roll < 0.1:
            return "+86 " + value
        return value

    def bank_card(self) -> str:
        prefix = self.rng.choice(
            ["622202", "621700", "622848", "621661", "622588", "623052", "621226", "622908"]
        )
        length = self.rng.choice([16, 19, 19])
        body = prefix + "".join(
            str(self.rng.randint(0, 9)) for _ in range(length - len(prefix) - 1)
        )
        return body + _luhn_digit(body)

    def card_shown(self, value: str) -> str:
        if self.rng.random() < 0.15:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
        return value

    def landline(self) -> str:
        return f"0{self.rng.choice(['371', '379', '399', '10', '21', '532'])}-{self.rng.randint(2, 8)}{self.rng.randint(0, 9999999):07d}"

    def detail_address(self) -> tuple[str, str]:
        """(street part, detail part below the street)."""
        district = self.rng.choice(["东城区", "西城区", "金水区", "高新区", "城关镇", "北关街道"])
        street = self.fake.street_name()
        if self.rng.random() < 0.3:
            village = self.rng.choice(["王庄村", "李家村", "河西村", "东营村"])
            return f"{district}{village}", f"{self.rng.randint(1, 12)}组{self.rng.randint(1, 99)}号"
        detail = f"{self.rng.randint(1, 300)}号"
        if self.rng.random() < 0.7:
            detail += f"{self.rng.randint(1, 30)}栋{self.rng.randint(1, 6)}单元{self.rng.randint(1, 30)}0{self.rng.randint(1, 4)}室"
        return f"{district}{street}", detail

    def plate(self) -> str:
        letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
        tail = "".join(self.rng.choice("0123456789") for _ in range(4))
        return (
            self.rng.choice("豫京鲁苏粤浙川")
            + self.rng.choice(letters[:10])
            + self.rng.choice(letters)
            + tail
        )

    def passport(self) -> str:
        return "E" + "".join(str(self.rng.randint(0, 9)) for _ in range(8))

    def permit(self) -> str:
        return "C" + "".join(str(self.rng.randint(0, 9)) for _ in range(8))

    def email(self) -> str:
        return f"{self.fake.user_name()}{self.rng.randint(1, 999)}@{self.rng.choice(['qq.com', '163.com', '126.com', 'sina.com'])}"

    # public codes
    def uscc(self) -> str:
        body = f"{self.rng.randint(10000000, 99999999)}"
        return make_uscc(
            self.rng.choice("9159"),
            self.rng.choice("123"),
            self.rng.choice(["410105", "370102", "110105"]),
            body,
        )

    def doc_number(self) -> str:
        return f"{self.rng.choice(['示政', '示政办', '示民', '示交罚', '示财'])}{self.rng.choice(['发', '函', '字'])}〔{self.rng.randint(2015, 2025)}〕{self.rng.randint(1, 300)}号"

    def index_number(self, uscc: str) -> str:
        return f"{uscc}/{self.rng.randint(2018, 2025)}-{self.rng.randint(1, 99999):05d}"

    def order_number(self) -> str:
        length = self.rng.choice([16, 18, 19, 20, 22])
        return f"{self.rng.randint(2019, 2025)}" + "".join(
            str(self.rng.randint(0, 9)) for _ in range(length - 4)
        )

    def amount(self) -> str:
        return f"{self.rng.randint(100, 99999):,}.{self.rng.randint(0, 99):02d}元"

    def date(self) -> str:
        return f"{self.rng.randint(2018, 2025)}年{self.rng.randint(1, 12)}月{self.rng.randint(1, 28)}日"

    def office_phone(self) -> str:
        return f"0399-{self.rng.randint(2000000, 8999999)}"

    def corporate_account(self) -> str:
        while True:
            digits = "".join(str(self.rng.randint(0, 9)) for _ in range(19))
            if not _luhn_ok(digits):
                return "4" + digits[1:] if not _luhn_ok("4" + digits[1:]) else digits


def _luhn_digit(body: str) -> str:
    for digit in "0123456789":
        if _luhn_ok(body + digit):
            return digit
    raise AssertionError("unreachable")


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


# documents ------------------------------------------------------------------------------------

LIST_HEADERS = {
    "dibao": [
        "序号",
        "户主姓名",
        "身份证号码",
        "家庭人口",
        "保障金额（元）",
        "所属社区",
        "联系电话",
    ],
    "subsidy": [
        "序号",
        "姓名",
        "身份证号",
        "一卡通账号",
        "补贴面积（亩）",
        "补贴金额（元）",
        "村组",
    ],
    "relief": ["序号", "救助对象", "证件号码", "家庭住址", "银行卡号", "救助金额", "备注"],
}


def _list_rows(
    g: Gen, kind: str, count: int
) -> tuple[list[list[str]], list[tuple[str, str]], list[str]]:
    rows: list[list[str]] = []
    truths: list[tuple[str, str]] = []
    negatives: list[str] = []
    for index in range(1, count + 1):
        name, id_number = g.name(), g.id_number()
        truths += [(NAME, name), (ID, id_number)]
        if kind == "dibao":
            phone = g.mobile()
            truths.append((MOBILE, phone))
            amount = f"{g.rng.randint(300, 2400)}"
            rows.append(
                [
                    str(index),
                    name,
                    g.id_shown(id_number),
                    str(g.rng.randint(1, 6)),
                    amount,
                    g.rng.choice(["和平社区", "建设社区", "东风社区"]),
                    g.mobile_shown(phone),
                ]
            )
        elif kind == "subsidy":
            card = g.bank_card()
            truths.append((BANK, card))
            rows.append(
                [
                    str(index),
                    name,
                    g.id_shown(id_number),
                    g.card_shown(card),
                    f"{g.rng.randint(1, 30)}.{g.rng.randint(0, 9)}",
                    f"{g.rng.randint(100, 4000)}.00",
                    f"{g.rng.choice(['王庄村', '李家村'])}{g.rng.randint(1, 9)}组",
                ]
            )
        else:
            street, detail = g.detail_address()
            card = g.bank_card()
            truths += [(ADDRESS, detail), (BANK, card)]
            rows.append(
                [
                    str(index),
                    name,
                    g.id_shown(id_number),
                    street + detail,
                    g.card_shown(card),
                    g.amount(),
                    g.rng.choice(["因病", "因灾", "因学", ""]),
                ]
            )
    return rows, truths, negatives


def _title(g: Gen, kind: str) -> str:
    year = g.rng.randint(2019, 2025)
    return {
        "dibao": f"{year}年第{g.rng.randint(1, 4)}季度城乡居民最低生活保障对象名单公示",
        "subsidy": f"{year}年耕地地力保护补贴发放名册",
        "relief": f"{year}年临时救助对象花名册",
    }[kind]


def _docx_table(title: str, intro: str, headers: list[str], rows: list[list[str]]) -> bytes:
    from docx import Document

    document = Document()
    document.add_heading(title, level=1)
    document.add_paragraph(intro)
    table = document.add_table(rows=1, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            # split some values over two runs, as Word does after edits
            if len(text) > 6 and len(text) % 3 == 0:
                paragraph.add_run(text[:5])
                paragraph.add_run(text[5:]).bold = True
            else:
                paragraph.add_run(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_table(
    title: str, intro: str, headers: list[str], rows: list[list[str]], numeric_phones: bool
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append([title])
    sheet.append(headers)
    for row in rows:
        values: list[object] = list(row)
        if numeric_phones:
            values = [int(v) if v.isdigit() and len(v) == 11 else v for v in values]
        values[0] = int(row[0])
        sheet.append(values)
    sheet.append([])
    sheet.append([f"说明：{intro}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _html_table(title: str, intro: str, headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>"
        f"{title}</title><style>td{{border:1px solid #999}}</style></head><body>"
        f"<h1>{title}</h1><p>{intro}</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</body></html>"
    )


def _pdf(html: str) -> bytes:
    from weasyprint import CSS, HTML

    css = CSS(
        string="@page { size: A4 landscape; margin: 12mm } html { font-family: 'WenQuanYi Zen Hei'; font-size: 9pt } td, th { padding: 2pt 6pt; white-space: nowrap }"
    )
    return HTML(string=html).write_pdf(stylesheets=[css])


def list_document(g: Gen, kind: str, fmt: str, rows_count: int, index: int) -> EvalDoc:
    title = _title(g, kind)
    agency_uscc = g.uscc()
    date = g.date()
    intro = (
        f"根据有关规定，现将{title.removesuffix('公示')}予以公示，公示期{g.rng.randint(5, 7)}天（自{date}起）。"
        f"如有异议，请在公示期内向{g.rng.choice(['北关街道办事处', '城关镇人民政府', '示例市民政局'])}反映。"
        f"监督电话：{g.office_phone()}。索引号：{g.index_number(agency_uscc)}。"
    )
    rows, truths, negatives = _list_rows(g, kind, rows_count)
    negatives += [date, agency_uscc]
    headers = LIST_HEADERS[kind]
    if fmt == "docx":
        content = _docx_table(title, intro, headers, rows)
    elif fmt == "xlsx":
        content = _xlsx_table(title, intro, headers, rows, numeric_phones=index % 2 == 0)
    elif fmt == "html":
        content = _html_table(title, intro, headers, rows).encode()
    else:
        content = _pdf(_html_table(title, intro, headers, rows))
    return EvalDoc(
        f"{kind}-{index}.{fmt}",
        f"名单（{fmt.upper()}）",
        f"{kind}-{index}.{fmt}",
        content,
        truths,
        negatives,
    )


def penalty_decision(g: Gen, index: int) -> EvalDoc:
    name, id_number, phone = g.name(), g.id_number(), g.mobile()
    street, detail = g.detail_address()
    plate = g.plate()
    doc_no, date, amount = g.doc_number(), g.date(), g.amount()
    officer1, officer2 = g.name(), g.name()
    badge1, badge2 = f"{g.rng.randint(41000000, 41999999)}", f"{g.rng.randint(41000000, 41999999)}"
    company, uscc = g.fake.company(), g.uscc()
    truths = [(NAME, name), (ID, id_number), (MOBILE, phone), (ADDRESS, detail), (PLATE, plate)]
    with_company = g.rng.random() < 0.5
    text = (
        f"行政处罚决定书\n{doc_no}\n"
        f"当事人：{name}，性别：{g.rng.choice('男女')}，公民身份号码：{g.id_shown(id_number)}，"
        f"住址：{street}{detail}，联系电话：{g.mobile_shown(phone)}。\n"
        + (f"车辆所属单位：{company}，统一社会信用代码：{uscc}。\n" if with_company else "")
        + f"经查，当事人于{date}驾驶车牌号为{plate}的车辆，未按规定取得道路运输证从事经营活动，"
        f"违反了《道路运输条例》第十条的规定。执法人员{officer1}（执法证号{badge1}）、"
        f"{officer2}（执法证号{badge2}）依法进行了调查。\n"
        f"依据有关规定，决定对当事人处以罚款{amount}。罚款缴入指定账户，缴款单号{g.order_number()}。\n"
        f"如不服本决定，可在收到本决定书之日起六十日内向示例市人民政府申请行政复议。\n"
        f"示例市交通运输局\n{g.date()}\n"
    )
    negatives = [doc_no, date, amount, officer1, officer2, badge1, badge2]
    if with_company:
        negatives.append(uscc)
    return EvalDoc(
        f"penalty-{index}.txt",
        "行政处罚决定书",
        f"penalty-{index}.txt",
        text.encode(),
        truths,
        negatives,
    )


def mailbox_letter(g: Gen, index: int) -> EvalDoc:
    name, phone = g.name(), g.mobile()
    street, detail = g.detail_address()
    email = g.email()
    truths = [(NAME, name), (MOBILE, phone), (ADDRESS, detail), (EMAIL, email)]
    id_part = ""
    if g.rng.random() < 0.4:
        id_number = g.id_number()
        truths.append((ID, id_number))
        id_part = f"我的身份证号是{g.id_shown(id_number)}，"
    landline_part = ""
    if g.rng.random() < 0.3:
        landline = g.landline()
        truths.append((LANDLINE, landline))
        landline_part = f"家庭电话{landline}，"
    office = g.office_phone()
    text = (
        f"来信人：{name}\n"
        f"尊敬的领导：我家住{street}{detail}，{id_part}小区门口的道路自{g.date()}开挖后一直没有恢复，"
        f"雨天积水严重，老人孩子出行很不方便。希望有关部门尽快处理。我的手机{g.mobile_shown(phone)}，"
        f"{landline_part}邮箱{email}。\n"
        f"答复：您好！来信收悉。经{g.rng.choice(['市住建局', '市城管委', '北关街道办事处'])}核实，该路段已列入维修计划，"
        f"预计{g.date()}前完工。如有疑问，请拨打咨询电话{office}。\n"
    )
    return EvalDoc(
        f"letter-{index}.txt",
        "政府信箱来信",
        f"letter-{index}.txt",
        text.encode(),
        truths,
        [office],
    )


def appointment_notice(g: Gen, index: int) -> EvalDoc:
    officials = [g.name() for _ in range(3)]
    doc_no = g.doc_number()
    text = (
        f"示例市人民政府关于{officials[0]}等同志职务任免的通知\n{doc_no}\n各区人民政府，市政府各部门：\n"
        f"经研究决定：任命{officials[0]}同志为示例市交通运输局局长；"
        f"{officials[1]}同志任示例市民政局副局长；免去{officials[2]}同志的示例市财政局副局长职务。\n"
        f"示例市人民政府\n{g.date()}\n"
    )
    return EvalDoc(
        f"appointment-{index}.txt",
        "任免通知",
        f"appointment-{index}.txt",
        text.encode(),
        [],
        [*officials, doc_no],
    )


def procurement_notice(g: Gen, index: int) -> EvalDoc:
    uscc = g.uscc()
    account = g.corporate_account()
    order, project = g.order_number(), f"SZCG-{g.rng.randint(2019, 2025)}-{g.rng.randint(100, 999)}"
    amount, date = g.amount(), g.date()
    office = g.office_phone()
    text = (
        f"示例市政府采购中标结果公告\n项目编号：{project}\n采购人：示例市教育局，地址：示例市人民路{g.rng.randint(1, 200)}号，"
        f"联系电话：{office}。\n中标供应商：{g.fake.company()}，统一社会信用代码：{uscc}，中标金额：{amount}。\n"
        f"履约保证金请汇入采购人单位账户：开户单位示例市教育局，开户行中国银行示例市分行，对公账号{account}。\n"
        f"合同编号：{order}。公告期限：自{date}起1个工作日。\n"
    )
    return EvalDoc(
        f"procurement-{index}.txt",
        "采购公告（硬负例）",
        f"procurement-{index}.txt",
        text.encode(),
        [],
        [uscc, account, order, project, amount, date, office],
    )


def travel_notice(g: Gen, index: int) -> EvalDoc:
    name, passport, permit = g.name(), g.passport(), g.permit()
    truths = [(NAME, name), (PASSPORT, passport), (PERMIT, permit)]
    text = (
        f"出入境证件遗失声明公告\n申请人{name}遗失中华人民共和国护照一本，护照号码{passport}；"
        f"往来港澳通行证一本，证件号码{permit}。现声明作废。\n示例市公安局出入境管理支队 {g.date()}\n"
    )
    return EvalDoc(
        f"travel-{index}.txt", "证件遗失公告", f"travel-{index}.txt", text.encode(), truths, []
    )


def running_text(g: Gen, index: int) -> EvalDoc:
    """A notice naming people without name-context words, next to their numbers."""
    people = [(g.name(), g.id_number(), g.mobile()) for _ in range(3)]
    truths: list[tuple[str, str]] = []
    parts = []
    for name, id_number, phone in people:
        truths += [(NAME, name), (ID, id_number), (MOBILE, phone)]
        parts.append(f"{name}（{g.id_shown(id_number)}，{g.mobile_shown(phone)}）")
    date = g.date()
    text = (
        f"关于{date}防汛值守人员的通报\n经核查，以下村民在汛期主动参与巡堤查险，予以通报表扬："
        + "、".join(parts)
        + f"。\n联系部门：示例市水务局办公室，电话{g.office_phone()}。\n"
    )
    return EvalDoc(
        f"running-{index}.txt",
        "通报（无提示词）",
        f"running-{index}.txt",
        text.encode(),
        truths,
        [date],
    )


def petition_opinion(g: Gen, index: int) -> EvalDoc:
    """信访事项处理意见书: the petitioner named, born, living somewhere, by phone."""
    name, phone = g.name(), g.mobile()
    street, detail = g.detail_address()
    doc_no = g.doc_number()
    text = (
        f"信访事项处理意见书\n{doc_no}\n"
        f"{name}：\n您于{g.date()}通过网上信访反映的问题收悉。信访人{name}，{g.rng.choice('男女')}，汉族，"
        f"{g.rng.randint(1950, 1999)}年{g.rng.randint(1, 12)}月出生，住{street}{detail}，联系方式{g.mobile_shown(phone)}。"
        f"经调查核实，您反映的拖欠工资问题属实，我局已责令用人单位于{g.date()}前足额支付。\n"
        f"如对本意见不服，可自收到本意见书之日起30日内向示例市人力资源和社会保障局申请复查。\n"
        f"示例市人力资源和社会保障局\n{g.date()}\n"
    )
    truths = [(NAME, name), (NAME, name), (ADDRESS, detail), (MOBILE, phone)]
    return EvalDoc(
        f"petition-{index}.txt",
        "信访意见书",
        f"petition-{index}.txt",
        text.encode(),
        truths,
        [doc_no],
    )


def student_aid_table(g: Gen, index: int, fmt: str) -> EvalDoc:
    """A tab-separated (TXT) or CSV list: 学生姓名, 监护人, 联系电话 — no ID numbers."""
    headers = ["序号", "学生姓名", "学校", "年级", "监护人", "联系电话", "资助金额"]
    rows = []
    truths: list[tuple[str, str]] = []
    for number in range(1, 11):
        student, guardian, phone = g.name(), g.name(), g.mobile()
        truths += [(NAME, student), (NAME, guardian), (MOBILE, phone)]
        school = g.rng.choice(["示例市第一中学", "北关小学", "城关镇中心小学"])
        rows.append(
            [
                str(number),
                student,
                school,
                f"{g.rng.randint(1, 9)}年级",
                guardian,
                phone,
                f"{g.rng.choice([500, 1000, 1500])}",
            ]
        )
    separator = "," if fmt == "csv" else "\t"
    body = "\n".join(separator.join(r) for r in [headers, *rows])
    text = f"{g.rng.randint(2019, 2025)}年家庭经济困难学生资助名单\n{body}\n"
    return EvalDoc(
        f"students-{index}.{fmt}",
        f"资助名单（{fmt.upper()}）",
        f"students-{index}.{fmt}",
        text.encode(),
        truths,
        [],
    )


def statistics_notice(g: Gen, index: int) -> EvalDoc:
    """Only public numbers and already-masked data: nothing may be flagged."""
    uscc = g.uscc()
    big = f"{g.rng.choice([135, 138, 150, 186])}{g.rng.randint(10000000, 99999999)}"
    masked_id = f"{g.fake.ssn()[:6]}********{g.rng.randint(1000, 9999)}"
    masked_phone = f"1{g.rng.randint(30, 89)}****{g.rng.randint(1000, 9999)}"
    order = g.order_number()
    index_no = g.index_number(uscc)
    date = g.date()
    text = (
        f"索引号：{index_no}\n发布日期：{date}\n"
        f"{g.rng.randint(2019, 2025)}年全市社会救助工作情况通报\n"
        f"全年累计发放城乡低保资金{big}元，惠及{g.rng.randint(1000, 90000)}人；临时救助{g.rng.randint(100, 9000)}人次。"
        f"已公示的个案中，李某某（身份证号{masked_id}，电话{masked_phone}）等人的信息已依规作隐私处理。"
        f"资金支付批次号{order}，承办单位统一社会信用代码{uscc}，政务服务热线12345。\n"
    )
    negatives = [big, masked_id, masked_phone, order, index_no, uscc, "李某某", date]
    return EvalDoc(
        f"statistics-{index}.txt",
        "统计通报（硬负例）",
        f"statistics-{index}.txt",
        text.encode(),
        [],
        negatives,
    )


def self_introduction_letter(g: Gen, index: int) -> EvalDoc:
    """A letter in the first person: 我叫…，住在…，电话…"""
    name, phone = g.name(), g.mobile()
    street, detail = g.detail_address()
    text = (
        f"市长您好！我叫{name}，住在{street}{detail}。我们楼下的烧烤店每天营业到凌晨，油烟和噪声严重影响休息，"
        f"多次向社区反映没有结果。请相关部门管一管。我的电话是{g.mobile_shown(phone)}。\n"
    )
    truths = [(NAME, name), (ADDRESS, detail), (MOBILE, phone)]
    return EvalDoc(
        f"selfintro-{index}.txt",
        "政府信箱来信",
        f"selfintro-{index}.txt",
        text.encode(),
        truths,
        [],
    )


def build_evalset(seed: int = 20190117, scale: int = 1, *, pdf: bool = True) -> list[EvalDoc]:
    """The evaluation documents; ``scale`` multiplies the number of each kind."""
    g = Gen(seed)
    docs: list[EvalDoc] = []
    n = 0
    for _ in range(scale):
        for kind in ("dibao", "subsidy", "relief"):
            for fmt in ("docx", "xlsx", "html"):
                n += 1
                docs.append(list_document(g, kind, fmt, 15, n))
            if pdf:
                n += 1
                docs.append(list_document(g, kind, "pdf", 12, n))
        for maker in (
            penalty_decision,
            mailbox_letter,
            appointment_notice,
            procurement_notice,
            travel_notice,
            running_text,
            petition_opinion,
            statistics_notice,
            self_introduction_letter,
        ):
            for _ in range(3):
                n += 1
                docs.append(maker(g, n))
        for fmt in ("txt", "csv"):
            n += 1
            docs.append(student_aid_table(g, n, fmt))
    return docs


# scoring --------------------------------------------------------------------------------------


@dataclass
class KindScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class EvalResult:
    kinds: dict[str, KindScore]
    false_positives: list[tuple[str, str, str]]  # (doc, kind, value)
    misses: list[tuple[str, str, str]]
    negatives_hit: list[tuple[str, str]]  # (doc, negative) a hard negative that was flagged


def _norm(kind: str, value: str) -> str:
    value = value.translate(str.maketrans("０１２３４５６７８９Ｘ", "0123456789X"))
    if kind in NUMERIC:
        digits = compact(value)
        return digits[-11:] if kind == MOBILE else digits
    return "".join(value.split())


def _matches(kind: str, truth: str, found: str) -> bool:
    if kind == ADDRESS:
        return truth in found or (found in truth and len(found) * 2 >= len(truth))
    return truth == found


def evaluate(
    docs: Iterable[EvalDoc], find: Callable[[EvalDoc], list[tuple[str, str]]]
) -> EvalResult:
    """Score ``find`` (doc → [(kind, value)] at or above the threshold) against the truths."""
    kinds: dict[str, KindScore] = defaultdict(KindScore)
    fps: list[tuple[str, str, str]] = []
    misses: list[tuple[str, str, str]] = []
    negatives_hit: list[tuple[str, str]] = []
    for doc in docs:
        found = [(kind, _norm(kind, value)) for kind, value in find(doc)]
        remaining = Counter((kind, _norm(kind, value)) for kind, value in doc.truths)
        unmatched_found = []
        for kind, value in found:
            hit = next(
                (
                    t
                    for t in remaining
                    if t[0] == kind and remaining[t] and _matches(kind, t[1], value)
                ),
                None,
            )
            if hit is None:
                unmatched_found.append((kind, value))
                continue
            remaining[hit] -= 1
            kinds[kind].tp += 1
        for (kind, value), left in remaining.items():
            if left:
                kinds[kind].fn += left
                misses.extend((doc.name, kind, value) for _ in range(left))
        for kind, value in unmatched_found:
            kinds[kind].fp += 1
            fps.append((doc.name, kind, value))
        for negative in doc.negatives:
            plain = "".join(negative.split())
            if any(value and (value in plain or plain in value) for _, value in found):
                negatives_hit.append((doc.name, negative))
    return EvalResult(dict(kinds), fps, misses, negatives_hit)
