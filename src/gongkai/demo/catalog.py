"""Demo data (steps 40–49): the demo city's catalogue 2016–2026.

About 3,700 documents across the city government, its departments and counties: normative
documents and rules, plans, statistics, budgets and final accounts, the fourteen key areas,
policies with their interpretations (linked both ways), press conferences, replies to
deputies' proposals, monthly gazette issues — and the 2018 channel tallies that make the
2008-format figures of the seed city's 2018 report come out exactly. The annual reports in
the 政府信息公开年报 column are the reports the reporting steps compute and publish (one source). A few documents of 2026 are still in the workflow (drafts,
awaiting review, late) so the back office has something to do.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai import clock
from gongkai.apps.accounts.models import User
from gongkai.apps.audit.services import audit_record
from gongkai.apps.catalog import privacy_gate, services
from gongkai.apps.catalog.models import (
    Attachment,
    ChannelRecord,
    ChannelTally,
    Column,
    Document,
    DocumentOrigin,
    DocumentState,
    DocumentVersion,
    GazetteIssue,
    Genre,
    IndexNoCounter,
    PublicationChannelChoices,
    Topic,
)
from gongkai.apps.catalog.richtext import html_to_text, text_to_html
from gongkai.apps.catalog.search.indexing import index_rebuild
from gongkai.apps.catalog.services.common import publish_due, snapshot_document, store_attachment
from gongkai.apps.catalog.services.maintenance import counts_rebuild
from gongkai.apps.catalog.services.rendition import renditions_rebuild
from gongkai.apps.organizations.models import Agency
from gongkai.apps.privacy.services import privacy_finding_override, privacy_review_mask_all
from gongkai.demo.catalog_text import (
    AGENCY_CODES,
    AGENCY_SUBJECTS,
    CITY,
    Doc,
    Writer,
    cn_date,
)
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.catalogue import CatalogAction

YEARS = range(2016, 2027)

# the seed city's 2018 figures (its annual report, 2008 format): items per channel, city-wide
SEED_2018 = {
    PublicationChannelChoices.WEBSITE: 129_396,
    PublicationChannelChoices.GAZETTE: 157,
    PublicationChannelChoices.WEIBO: 20_635,
    PublicationChannelChoices.WECHAT: 41_115,
}
SEED_2018_PRINT_TV_SCREENS = 57_463  # 报刊、电视、电子显示屏 together
PRINT_SPLIT = {
    PublicationChannelChoices.NEWSPAPER: 0.42,
    PublicationChannelChoices.TV: 0.23,
    PublicationChannelChoices.SCREEN: 0.35,
}


def split_exactly(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` that add up to ``total`` (largest remainders)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class _Builder:
    def __init__(self, world: Any) -> None:
        from faker import Faker

        self.world = world
        self.rng = world.rng_for("主动公开目录")
        fake = Faker("zh_CN")
        fake.seed_instance(world.seed)
        self.w = Writer(self.rng, fake)
        self.today = clock.today()
        self.agencies = {a.code: a for a in Agency.objects.all()}
        self.columns = {c.slug: c for c in Column.objects.all()}
        self.topics = {t.path: t for t in Topic.objects.all()}
        self.genres = {g.name: g for g in Genre.objects.all()}
        self.docs: list[Doc] = []
        self.city_departments = [
            c for c in AGENCY_CODES if c not in ("sz", "bgs") and c in self.agencies
        ]
        self.counties = [
            a.code for a in self.agencies.values() if a.kind == "government" and a.level == "county"
        ]

    # dates -----------------------------------------------------------------------------

    def moment(self, year: int, month: int | None = None, day: int | None = None) -> dt.datetime:
        last = (
            self.today - dt.timedelta(days=1) if year == self.today.year else dt.date(year, 12, 31)
        )
        if month is None:
            start = dt.date(year, 1, 1)
            span = (last - start).days
            date = start + dt.timedelta(days=self.rng.randint(0, max(span, 0)))
        else:
            date = dt.date(year, month, min(day or self.rng.randint(1, 28), 28))
            date = min(date, last)
        while date.weekday() >= 5:  # published on working days
            date -= dt.timedelta(days=1)
        hour, minute = self.rng.randint(8, 17), self.rng.randint(0, 59)
        return timezone.make_aware(dt.datetime(date.year, date.month, date.day, hour, minute))

    def written_before(self, published: dt.datetime) -> dt.date:
        gap = self.rng.randint(35, 80) if self.rng.random() < 0.04 else self.rng.randint(0, 12)
        return published.date() - dt.timedelta(days=gap)

    # documents -------------------------------------------------------------------------

    def issuer(self, code: str) -> str:
        return self.agencies[code].name

    def add(
        self,
        code: str,
        *,
        title: str,
        column: str,
        genre: str,
        published: dt.datetime,
        topic: str | None = None,
        phrase: str = "",
        target: int | None = None,
        **extra: Any,
    ) -> Doc:
        agency_topic = AGENCY_SUBJECTS.get(code, ("综合政务\\其他", "", []))[0]
        written = extra.pop("written", None) or self.written_before(published)
        body = extra.pop("body", None) or self.w.body(
            phrase=phrase or self.w.phrase(code),
            issuer=self.issuer(code),
            year=published.year,
            target=target or int(min(3000, max(300, self.rng.lognormvariate(6.6, 0.5)))),
            signed=written,
        )
        doc = Doc(
            agency_code=code,
            title=title,
            column=column,
            genre=genre,
            topic=topic or agency_topic,
            published=published,
            written=written,
            body=body,
            keywords=extra.pop("keywords", "")
            or " ".join(filter(None, [phrase, "政务公开"]))[:200],
            **extra,
        )
        self.docs.append(doc)
        return doc

    def county_prefix(self, code: str) -> str:
        return self.agencies[code].short_name[:1]

    def year_of_documents(self, year: int) -> None:
        w, rng = self.w, self.rng
        # the city government: normative documents, plans, rules
        for _ in range(rng.randint(14, 20)):
            phrase = w.phrase("sz")
            normative = rng.random() < 0.6
            self.add(
                "sz",
                title=f"{CITY}人民政府关于印发{CITY}{phrase}实施办法的通知"
                if normative
                else f"{CITY}人民政府关于加快推进{phrase}的意见",
                column="statutory-fgwj" if normative else "statutory-ghjh",
                genre="通知" if normative else "意见",
                published=self.moment(year),
                phrase=phrase,
                doc_number=w.doc_number("sz", year),
                legal_kind="normative" if normative else "other",
            )
        for _ in range(rng.randint(1, 2)):
            phrase = w.phrase("sz")
            number = rng.randint(200, 260)
            published = self.moment(year)
            self.add(
                "sz",
                title=f"{CITY}{phrase}管理办法",
                column="statutory-fgwj",
                genre="命令（令）",
                published=published,
                phrase=phrase,
                legal_kind="rule",
                target=1800,
                summary=f"《{CITY}{phrase}管理办法》已经市人民政府常务会议通过，以{CITY}人民政府令第{number}号公布。",
            )
        self.add(
            "sz",
            title=f"{CITY}{year}年国民经济和社会发展计划",
            column="statutory-ghjh",
            genre="计划",
            published=self.moment(year, 2, 20),
            phrase="国民经济和社会发展",
            target=2600,
        )
        # the government office
        for _ in range(rng.randint(22, 30)):
            phrase = w.phrase("bgs")
            kind = rng.random()
            self.add(
                "bgs",
                title=(
                    f"{CITY}人民政府办公室关于印发{CITY}{year}年{phrase}工作要点的通知"
                    if kind < 0.4
                    else f"{CITY}人民政府办公室关于做好{phrase}工作的通知"
                    if kind < 0.8
                    else f"{CITY}人民政府办公室关于{year}年{phrase}工作情况的通报"
                ),
                column="statutory-fgwj" if kind < 0.8 else "statutory-jdjc",
                genre="通知" if kind < 0.8 else "通报",
                published=self.moment(year),
                phrase=phrase,
                doc_number=w.doc_number("bgs", year, kind="发" if kind < 0.7 else "函"),
                legal_kind="normative" if kind < 0.25 else "other",
            )
        # departments: their key area, the statutory items, notices
        for code in self.city_departments:
            key_area = AGENCY_SUBJECTS.get(code, ("", "", []))[1]
            for _ in range(rng.randint(3, 6)):
                phrase = w.phrase(code)
                roll = rng.random()
                if key_area and roll < 0.45:
                    self.key_area_item(code, key_area, year, phrase)
                elif roll < 0.62:
                    self.add(
                        code,
                        title=f"{self.issuer(code)}{year}年第{rng.randint(1, 12)}批行政许可事项办理结果",
                        column="statutory-xzxk",
                        genre="公告",
                        published=self.moment(year),
                        phrase=phrase,
                        target=600,
                    )
                elif roll < 0.72:
                    company = w.company()
                    self.add(
                        code,
                        title=f"{self.issuer(code)}行政处罚决定书（{company}）",
                        column="statutory-xzcf",
                        genre="其他",
                        published=self.moment(year),
                        phrase=phrase,
                        target=700,
                        doc_number=w.doc_number(code, year, kind="罚"),
                        keywords=f"行政处罚 {company}",
                    )
                else:
                    joint = (
                        [rng.choice([c for c in self.city_departments if c != code])]
                        if rng.random() < 0.05
                        else []
                    )
                    self.add(
                        code,
                        title=f"{self.issuer(code)}关于进一步加强{phrase}工作的通知",
                        column=rng.choice(["statutory-fgwj", "statutory-msbz", "statutory-jdjc"]),
                        genre="通知",
                        published=self.moment(year),
                        phrase=phrase,
                        doc_number=w.doc_number(code, year),
                        legal_kind="normative" if rng.random() < 0.2 else "other",
                        joint=joint,
                    )
        # counties
        for code in self.counties:
            for _ in range(rng.randint(1, 3)):
                phrase = w.phrase(code)
                self.add(
                    code,
                    title=f"{self.issuer(code)}关于{year}年{phrase}工作的通知",
                    column=rng.choice(["statutory-fgwj", "statutory-msbz", "key-shjz", "key-aqsc"]),
                    genre="通知",
                    published=self.moment(year),
                    phrase=phrase,
                    topic=rng.choice(
                        ["民政、扶贫、救灾\\扶贫", "农业、林业、水利\\其他", "综合政务\\其他"]
                    ),
                    doc_number=w.doc_number(code, year, county_prefix=self.county_prefix(code)),
                )
        self.statistics(year)
        self.budgets(year)
        self.press_and_proposals(year)

    def key_area_item(self, code: str, key_area: str, year: int, phrase: str) -> None:
        w, rng = self.w, self.rng
        month = rng.randint(1, 12)
        titles = {
            "key-jy": f"{year}年{CITY}义务教育阶段学校招生入学工作方案",
            "key-shjz": f"{year}年{month}月{CITY}城乡低保和特困人员救助供养情况",
            "key-hjbh": f"{year}年{month}月{CITY}环境空气质量状况",
            "key-spyp": f"{year}年第{rng.randint(1, 24)}期食品安全监督抽检信息",
            "key-ws": f"{CITY}{year}年{phrase}工作方案",
            "key-bzxzf": f"{year}年第{rng.randint(1, 4)}批公共租赁住房保障家庭审核情况公示",
            "key-zdxx": f"{CITY}{year}年度第{rng.randint(1, 15)}批次建设用地征收土地公告",
            "key-gzgq": f"{year}年{month}月{CITY}市属国有企业主要经济效益指标",
            "key-aqsc": f"{self.issuer(code)}{year}年安全生产行政执法检查计划",
            "key-cpzl": f"{year}年{CITY}产品质量监督抽查结果通报",
            "key-nync": f"{year}年{month}月{CITY}主要农产品价格监测情况",
            "key-ggzy": f"{w.company()}承建{CITY}{phrase}项目中标结果公示",
            "key-jjzb": f"{year}年{month}月{CITY}主要经济指标",
            "key-czyjs": f"{self.issuer(code)}{year}年预算绩效管理工作方案",
        }
        genres = {
            "key-zdxx": "公告",
            "key-ggzy": "公示",
            "key-bzxzf": "公示",
            "key-cpzl": "通报",
            "key-spyp": "通告",
        }
        self.add(
            code,
            title=titles.get(key_area, f"{CITY}{year}年{phrase}情况"),
            column=key_area,
            genre=genres.get(
                key_area, "统计数据" if "情况" in titles.get(key_area, "") else "其他"
            ),
            published=self.moment(year, month)
            if "月" in titles.get(key_area, "")
            else self.moment(year),
            phrase=phrase,
            target=rng.randint(320, 1400),
        )

    def statistics(self, year: int) -> None:
        last_month = 12 if year < self.today.year else self.today.month - 1
        for month in range(1, last_month + 1):
            growth = self.rng.uniform(4.5, 8.2)
            body = text_to_html(
                f"{year}年1—{month}月，全市地区生产总值同比增长{growth:.1f}%。规模以上工业增加值同比增长"
                f"{self.rng.uniform(3, 9):.1f}%，固定资产投资同比增长{self.rng.uniform(2, 12):.1f}%，社会消费品零售总额"
                f"同比增长{self.rng.uniform(4, 10):.1f}%。城镇居民人均可支配收入{self.rng.randint(26000, 52000)}元，"
                f"农村居民人均可支配收入{self.rng.randint(11000, 23000)}元。\n居民消费价格同比上涨{self.rng.uniform(0.5, 2.9):.1f}%。"
            )
            self.add(
                "tjj",
                title=f"{year}年{month}月{CITY}国民经济主要指标",
                column="key-jjzb",
                genre="统计数据",
                published=self.moment(year + (month == 12), 1 if month == 12 else month + 1, 18),
                topic="国民经济管理、国有资产监管\\统计",
                body=body,
                keywords="统计数据 经济指标",
            )

    def budgets(self, year: int) -> None:
        departments = self.rng.sample(self.city_departments, k=10)
        for index, code in enumerate(["czj", *departments]):
            self.add(
                code,
                title=f"{self.issuer(code)}{year}年部门预算",
                column="key-czyjs",
                genre="其他",
                published=self.moment(year, 2, self.rng.randint(10, 27)),
                topic="财政、金融、审计\\财政",
                phrase="部门预算",
                target=900,
                keywords="财政预算 部门预算 三公经费",
                attachment="xlsx" if index < 2 else "",
            )
            if year > 2016:
                self.add(
                    code,
                    title=f"{self.issuer(code)}{year - 1}年度部门决算",
                    column="key-czyjs",
                    genre="其他",
                    published=self.moment(year, 8, self.rng.randint(5, 28)),
                    topic="财政、金融、审计\\财政",
                    phrase="部门决算",
                    target=900,
                    keywords="财政决算 部门决算",
                )

    def press_and_proposals(self, year: int) -> None:
        for _ in range(self.rng.randint(6, 10)):
            code = self.rng.choice(["sz", "bgs", *self.city_departments])
            phrase = self.w.phrase(code)
            self.add(
                code,
                title=f"{CITY}{phrase}新闻发布会",
                column="press",
                genre="其他",
                published=self.moment(year),
                phrase=phrase,
                target=2200,
            )
        for _ in range(self.rng.randint(8, 12)):
            code = self.rng.choice(self.city_departments)
            kind = self.rng.choice(["人大代表建议", "政协委员提案"])
            self.add(
                code,
                title=f"关于市人大{year - 2003}届会议第{self.rng.randint(1, 400)}号{kind}的答复"
                if kind == "人大代表建议"
                else f"关于市政协第{self.rng.randint(1, 600)}号提案的答复",
                column="proposals",
                genre="函",
                published=self.moment(year),
                phrase=self.w.phrase(code),
                doc_number=self.w.doc_number(code, year, kind="函"),
                target=900,
            )

    def interpretations(self) -> None:
        forms = ["text", "text", "graphic", "audio", "video"]
        candidates = [
            i
            for i, d in enumerate(self.docs)
            if d.legal_kind in ("normative", "rule") and d.agency_code in AGENCY_CODES
        ]
        for index in self.rng.sample(candidates, k=min(len(candidates), 11 * 12)):
            policy = self.docs[index]
            form = self.rng.choice(forms)
            prefix = {"graphic": "图解：", "audio": "音频解读：", "video": "视频解读："}.get(
                form, ""
            )
            name = policy.title.split("关于印发")[-1].removesuffix("的通知")
            published = policy.published + dt.timedelta(days=self.rng.randint(0, 3), hours=1)
            if published.date() >= self.today:
                published = policy.published + dt.timedelta(hours=1)
            self.add(
                policy.agency_code,
                title=f"{prefix}《{name}》政策解读",
                column="interpretation",
                genre="解读",
                published=published,
                topic=policy.topic,
                written=policy.written,
                body=text_to_html(
                    f"近日，{self.issuer(policy.agency_code)}印发了《{name}》。为便于社会公众了解政策内容，现解读如下。\n"
                    f"一、出台背景。{self.w.fill('为深入贯彻落实上级关于{phrase}的部署要求，结合我市实际，制定本文件。', phrase=name[:12])}\n"
                    "二、主要内容。文件明确了适用范围、工作目标、主要任务和保障措施。\n"
                    "三、创新举措。文件进一步简化办事流程，压缩办理时限，推动相关事项网上办理。\n"
                    f"四、实施时间。文件自{cn_date(policy.written)}起施行。"
                ),
                interprets=index,
                interpretation_form=form,
                keywords="政策解读",
            )

    def guides(self) -> None:
        for year, note in ((2016, ""), (2019, "（2019年修订）")):
            self.add(
                "sz",
                title=f"{CITY}人民政府政府信息公开指南{note}",
                column="guide",
                genre="其他",
                published=self.moment(year, 5 if year == 2019 else 3, 15),
                topic="综合政务\\政务公开",
                phrase="政府信息公开",
                target=1500,
            )
        for year, title in (
            (2017, f"{CITY}政府信息公开保密审查办法"),
            (2019, f"{CITY}政府信息公开申请办理规范"),
            (2020, f"{CITY}政务公开工作考核办法"),
        ):
            self.add(
                "bgs",
                title=title,
                column="system",
                genre="通知",
                published=self.moment(year, 6),
                topic="综合政务\\政务公开",
                phrase="政务公开",
                doc_number=self.w.doc_number("bgs", year),
                legal_kind="normative",
            )

    def functions_and_leaders(self) -> None:
        """条例第二十条（二）: every agency's 机构职能 (duties, internal units, address, hours,
        phone) and 领导信息 (officials' names and portfolios, which are public)."""
        column = "statutory-jgzn"
        for code in ["sz", "bgs", *self.city_departments]:
            agency = self.agencies[code]
            name = agency.name
            units = "、".join(["办公室", "政策法规科", "业务一科", "业务二科", "监督检查科"])
            duties = text_to_html(
                f"{name}是{CITY}人民政府的组成部门（直属机构），主要职责是：\n"
                f"（一）贯彻执行国家和省有关{agency.short_name or name}工作的法律法规和方针政策，"
                "起草有关地方性法规、政府规章草案和政策措施。\n"
                "（二）拟订并组织实施本领域发展规划和年度计划，指导、协调、监督全市有关工作。\n"
                "（三）依法实施行政许可、行政处罚和行政检查，推进“双随机、一公开”监管。\n"
                "（四）负责本机关政务公开、政务服务和政府信息公开工作。\n"
                "（五）完成市委、市政府交办的其他任务。\n"
                f"内设机构：{units}。\n"
                f"办公地址：{agency.office_address}　邮政编码：{agency.office_postcode}\n"
                f"办公时间：{agency.office_hours}\n联系电话：{agency.office_phone}"
            )
            self.add(
                code,
                title=f"{name}机构职能",
                column=column,
                genre="其他",
                published=self.moment(2016, 2, 16),
                body=duties,
                keywords="机构职能 内设机构 联系方式",
                key=f"functions-{code}",
            )
            people = [self.w.fake.name() for _ in range(4)]
            roles = ["主要负责人", "副职", "副职", "副职"]
            portfolios = [
                "主持全面工作",
                "负责办公室、政策法规和政务公开工作",
                "负责业务一科、业务二科工作",
                "负责监督检查和安全生产工作",
            ]
            leaders = text_to_html(
                "\n".join(
                    f"{person}（{role}）：{portfolio}。"
                    for person, role, portfolio in zip(people, roles, portfolios, strict=True)
                )
            )
            self.add(
                code,
                title=f"{name}领导信息",
                column=column,
                genre="其他",
                published=self.moment(2025, 3, 10),
                body=leaders,
                keywords="领导信息 分工",
                key=f"leaders-{code}",
            )

    def expire_old(self) -> None:
        """Older normative documents: some lapsed (失效), some repealed (废止) by a successor."""
        by_agency: dict[str, list[int]] = defaultdict(list)
        for index, doc in enumerate(self.docs):
            if doc.legal_kind in ("normative", "rule"):
                by_agency[doc.agency_code].append(index)
        for indexes in by_agency.values():
            indexes.sort(key=lambda i: self.docs[i].published)
            for position, index in enumerate(indexes):
                doc = self.docs[index]
                age = (self.today - doc.written).days
                if age > 5 * 365 and self.rng.random() < 0.35:
                    doc.validity = "expired"
                    doc.validity_on = doc.written + dt.timedelta(days=5 * 365)
                elif age > 2 * 365 and self.rng.random() < 0.1 and position + 1 < len(indexes):
                    successor = self.docs[indexes[position + 1]]
                    doc.validity = "repealed"
                    doc.validity_on = successor.written
                    doc.key = f"superseded:{indexes[position + 1]}"


def _xlsx(rows: list[tuple[str, int]], title: str) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算表"
    sheet.append([title])
    sheet.append(["项目", "预算数（万元）"])
    for name, value in rows:
        sheet.append([name, value])
    sheet.append(["合计", sum(v for _, v in rows)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load_catalog(world: Any) -> None:
    if Document.objects.filter(origin=DocumentOrigin.DEMO).exists():
        return
    b = _Builder(world)
    for year in YEARS:
        b.year_of_documents(year)
    b.guides()
    b.functions_and_leaders()
    b.expire_old()
    b.interpretations()

    # index numbers: per agency and year, in publication order (the default pattern)
    order = sorted(range(len(b.docs)), key=lambda i: (b.docs[i].published, i))
    seq: Counter = Counter()
    index_numbers: dict[int, str] = {}
    for i in order:
        doc = b.docs[i]
        agency = b.agencies[doc.agency_code]
        key = (agency.pk, doc.published.astimezone(timezone.get_current_timezone()).year)
        seq[key] += 1
        index_numbers[i] = f"{agency.index_prefix}/{key[1]}-{seq[key]:05d}"
    rows = []
    for i, doc in enumerate(b.docs):
        rows.append(
            Document(
                agency=b.agencies[doc.agency_code],
                title=doc.title[:300],
                index_no=index_numbers[i],
                doc_number=doc.doc_number,
                column=b.columns[doc.column],
                topic=b.topics.get(doc.topic) or b.topics["综合政务\\其他"],
                genre=b.genres[doc.genre],
                legal_kind=doc.legal_kind,
                written_on=min(doc.written, doc.published.date()),
                published_at=doc.published,
                validity=doc.validity,
                validity_on=doc.validity_on,
                keywords=doc.keywords,
                summary=doc.summary,
                body_html=doc.body,
                body_text=html_to_text(doc.body),
                publish_due=publish_due(min(doc.written, doc.published.date())),
                interpretation_form=doc.interpretation_form,
                state=DocumentState.PUBLISHED,
                version=1,
                origin=DocumentOrigin.DEMO,
                external_id=doc.key,
                secrecy_opinion="经审查，不涉及国家秘密、工作秘密，可以公开。",
                secrecy_reviewed_at=doc.published,
                privacy_signed_at=doc.published,
            )
        )
    created = Document.objects.bulk_create(rows, batch_size=500)
    by_index = dict(enumerate(created))
    # links: interpretations ↔ policies, successors, joint publishers
    updates = []
    for i, doc in enumerate(b.docs):
        row = by_index[i]
        changed = False
        if doc.interprets is not None:
            row.interprets = by_index[doc.interprets]
            changed = True
        if doc.key.startswith("superseded:"):
            row.superseded_by = by_index[int(doc.key.split(":")[1])]
            row.external_id = ""
            changed = True
        if changed:
            updates.append(row)
    Document.objects.bulk_update(
        updates, ["interprets", "superseded_by", "external_id"], batch_size=500
    )
    through = Document.joint_agencies.through
    through.objects.bulk_create(
        [
            through(document_id=by_index[i].pk, agency_id=b.agencies[code].pk)
            for i, doc in enumerate(b.docs)
            for code in doc.joint
        ]
    )
    IndexNoCounter.objects.bulk_create(
        [
            IndexNoCounter(agency_id=agency_id, period=str(year), last_seq=n)
            for (agency_id, year), n in seq.items()
        ]
    )

    # attachments: budget tables as XLSX
    for i, doc in enumerate(b.docs):
        if doc.attachment == "xlsx":
            title = doc.title
            store_attachment(
                by_index[i], f"{title}.xlsx", _xlsx(b.w.budget_rows(doc.published.year), title), 0
            )

    # the signed original of the 交通局's latest notice, as a scan: read by text recognition
    _scanned_original(b, by_index)
    # gazette: a monthly issue of the city government with its documents
    issues = _gazette(b, by_index)
    # other channels: weibo and wechat for some documents, print/TV/screens for a few
    records = []
    for i, doc in enumerate(b.docs):
        roll = b.rng.random()
        channels = []
        if roll < 0.12:
            channels.append(PublicationChannelChoices.WEIBO)
        if roll < 0.08 or 0.5 < roll < 0.56:
            channels.append(PublicationChannelChoices.WECHAT)
        if 0.9 < roll < 0.93:
            channels.append(
                b.rng.choice(
                    [
                        PublicationChannelChoices.NEWSPAPER,
                        PublicationChannelChoices.TV,
                        PublicationChannelChoices.SCREEN,
                    ]
                )
            )
        for channel in channels:
            records.append(
                ChannelRecord(
                    document=by_index[i], channel=channel, published_on=doc.published.date()
                )
            )
    ChannelRecord.objects.bulk_create(records, batch_size=1000)

    _renditions(world, by_index)
    _revisions_and_withdrawals(b, by_index)
    _tallies(b)
    _workflow_examples(world, b)
    # the issues' PDFs are left to the background worker, as a site's own worker renders
    # them right after publication (the demo loads in less time)
    for issue in issues:
        services.gazette_issue_pdf_enqueue(actor=world.actor, issue=issue)
    counts_rebuild(world.actor)
    audit_record(
        actor=world.actor,
        action=CatalogAction.DEMO_LOAD,
        after={"documents": len(created), "channel_records": len(records)},
    )
    transaction.on_commit(_index_demo)


SCAN_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")


def _scan_pdf(title: str, text: str) -> bytes:
    """A page as a scanner makes it: an image of the text at 200 dpi, no text layer."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(str(SCAN_FONT), 44)
    page = Image.new("L", (1654, 2339), 255)
    draw = ImageDraw.Draw(page)
    draw.text((827, 160), title[:30], font=font, fill=0, anchor="mt")
    flat = "".join(text.split())
    lines = [flat[i : i + 30] for i in range(0, min(len(flat), 30 * 22), 30)]
    for n, line in enumerate(lines):
        draw.text((170, 300 + n * 84), line, font=font, fill=0)
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=200.0)
    return buffer.getvalue()


def _scanned_original(b: _Builder, by_index: dict[int, Document]) -> None:
    if not SCAN_FONT.exists():  # the font comes with `make demo`; without it, no scan
        return
    latest = max(
        (i for i, doc in enumerate(b.docs) if doc.agency_code == "jtj" and not doc.attachment),
        key=lambda i: b.docs[i].published,
        default=None,
    )
    if latest is not None:
        doc = b.docs[latest]
        text = html_to_text(doc.body)
        store_attachment(by_index[latest], "签发稿（扫描件）.pdf", _scan_pdf(doc.title, text), 0)


def _renditions(world: Any, by_index: dict[int, Document]) -> None:
    """The demo's documents were published before the platform: their public form is what
    the detectors mask (ADR 0032). The scanned original was looked at by the 交通局's
    reviewer, who let it through with a reason; then every rendition is built."""
    reviewer = User.objects.filter(username="jtj_sh").first()
    scanned = Attachment.objects.filter(filename="签发稿（扫描件）.pdf").select_related("document")
    for attachment in scanned:
        review = privacy_gate.review_document(
            actor=reviewer or world.actor, document=attachment.document
        )
        if reviewer is not None:
            for finding in review.findings.filter(kind="unreadable"):
                privacy_finding_override(
                    actor=reviewer, finding=finding, reason="已对照签发稿原件核对，不含个人信息"
                )
    renditions_rebuild(actor=world.actor, audit_each=False)


def _index_demo() -> None:
    index_rebuild()


def _gazette(b: _Builder, by_index: dict[int, Document]) -> list[GazetteIssue]:
    """The city's published monthly issues (their PDFs not rendered yet)."""
    city = b.agencies["sz"]
    candidates: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, doc in enumerate(b.docs):
        if doc.agency_code in ("sz", "bgs") and doc.column.startswith("statutory"):
            candidates[(doc.published.year, doc.published.month)].append(i)
    total = 0
    records = []
    issues = []
    for year in YEARS:
        last_month = 12 if year < b.today.year else b.today.month - 1
        for month in range(1, last_month + 1):
            total += 1
            issue_day = dt.date(year, month, 28) if month != 2 else dt.date(year, 2, 26)
            issue = GazetteIssue.objects.create(
                agency=city,
                year=year,
                number=month,
                total_number=300 + total,
                published_on=issue_day,
                is_published=True,
            )
            issues.append(issue)
            chosen = sorted(candidates.get((year, month), []))[: b.rng.randint(3, 6)]
            ids = [by_index[i].pk for i in chosen]
            Document.objects.filter(pk__in=ids).update(gazette_issue=issue)
            records += [
                ChannelRecord(
                    document_id=pk,
                    channel=PublicationChannelChoices.GAZETTE,
                    published_on=issue_day,
                    note=issue.title,
                )
                for pk in ids
            ]
    ChannelRecord.objects.bulk_create(records)
    return issues


def _revisions_and_withdrawals(b: _Builder, by_index: dict[int, Document]) -> None:
    picks = b.rng.sample([i for i, d in enumerate(b.docs) if not d.key], k=26)
    for i in picks[:20]:
        row = by_index[i]
        DocumentVersion.objects.create(
            document=row,
            version=1,
            snapshot=snapshot_document(row),
            reason=b.rng.choice(
                ["更正成文日期", "补充附件", "更正文中错别字", "调整主题分类", "补充政策解读链接"]
            ),
        )
        Document.objects.filter(pk=row.pk).update(version=2)
    for i in picks[20:]:
        row = by_index[i]
        assert row.published_at is not None  # (the sample is of published documents)
        Document.objects.filter(pk=row.pk).update(
            state=DocumentState.WITHDRAWN,
            withdrawn_at=row.published_at + dt.timedelta(days=2),
            withdraw_reason=b.rng.choice(["重复发布", "附件有误，已重新发布", "信息已过时效"]),
        )


def _tallies(b: _Builder) -> None:
    """Monthly channel counts outside the catalogue. 2018 adds up exactly to the seed city's
    report once the catalogue's own documents and channel records of that year are counted."""
    agencies = ["sz", "bgs", *b.city_departments, *b.counties]
    weights = [(5.0 if code in ("sz", "bgs") else b.rng.uniform(0.3, 3.0)) for code in agencies]
    months = [b.rng.uniform(0.75, 1.25) for _ in range(12)]
    cells = [(a, m) for a in range(len(agencies)) for m in range(12)]
    cell_weights = [weights[a] * months[m] for a, m in cells]

    def add_rows(
        year: int, channel: str, total: int, rows: list[ChannelTally], last_month: int = 12
    ) -> None:
        usable = [(c, w) for c, w in zip(cells, cell_weights, strict=True) if c[1] < last_month]
        parts = split_exactly(total, [w for _c, w in usable])
        for ((a, m), _w), n in zip(usable, parts, strict=True):
            if n:
                rows.append(
                    ChannelTally(
                        agency=b.agencies[agencies[a]],
                        year=year,
                        month=m + 1,
                        channel=channel,
                        count=n,
                    )
                )

    start = timezone.make_aware(dt.datetime(2018, 1, 1))
    end = timezone.make_aware(dt.datetime(2019, 1, 1))
    portal = Document.objects.filter(
        state=DocumentState.PUBLISHED, published_at__gte=start, published_at__lt=end
    ).count()
    recorded = Counter(
        ChannelRecord.objects.filter(
            document__state=DocumentState.PUBLISHED, published_on__year=2018
        ).values_list("channel", flat=True)
    )
    rows: list[ChannelTally] = []
    targets = dict(SEED_2018)
    print_total = SEED_2018_PRINT_TV_SCREENS - sum(recorded[c] for c in PRINT_SPLIT)
    for channel, share in zip(
        PRINT_SPLIT, split_exactly(print_total, list(PRINT_SPLIT.values())), strict=True
    ):
        targets[channel] = share + recorded[channel]
    for channel, target in targets.items():
        already = portal if channel == PublicationChannelChoices.WEBSITE else recorded[channel]
        add_rows(2018, channel, target - already, rows)
    for year in YEARS:
        if year == 2018:
            continue
        scale = b.rng.uniform(0.75, 1.3)
        last_month = 12 if year < b.today.year else b.today.month - 1
        for channel, target in targets.items():
            add_rows(year, channel, int(target * scale * (last_month / 12)), rows, last_month)
    ChannelTally.objects.bulk_create(rows, batch_size=2000)


def _workflow_examples(world: Any, b: _Builder) -> None:
    """Documents of the current year still in the workflow (交通局 and 市政府办公室)."""
    users = {
        u.username: u for u in User.objects.filter(username__in=["jtj_zy", "jtj_sh", "bgs_zy"])
    }
    if len(users) < 3:
        return
    today = b.today
    jtj, bgs = b.agencies["jtj"], b.agencies["bgs"]
    at_risk_day = today - dt.timedelta(days=20)
    for back in range(20, 40):
        candidate = today - dt.timedelta(days=back)
        due = publish_due(candidate)
        if due is not None and today <= due <= today + dt.timedelta(days=4):
            at_risk_day = candidate
            break
    common: dict[str, Any] = {
        "column": b.columns["statutory-fgwj"],
        "topic": b.topics["工业、交通\\公路"],
        "genre": b.genres["通知"],
    }
    drafts = [
        ("关于做好2026年冬季道路运输安全生产工作的通知", today - dt.timedelta(days=2), "draft"),
        (
            "关于2026年第三季度道路运输安全生产检查情况的通报",
            today - dt.timedelta(days=45),
            "draft",
        ),
        ("示例市交通运输局关于调整部分公交线路的公告", at_risk_day, "draft"),
        (
            "示例市交通运输局关于开展农村公路“路长制”工作的实施意见",
            today - dt.timedelta(days=6),
            "pending",
        ),
        ("示例市城市公共交通票价调整方案", today - dt.timedelta(days=4), "approved"),
    ]
    for number, (title, written, state) in enumerate(drafts, start=30):
        doc = services.document_draft_create(
            actor=users["jtj_zy"],
            agency=jtj,
            title=title,
            body_html=b.w.body(
                phrase=b.w.phrase("jtj"),
                issuer=jtj.name,
                year=today.year,
                target=900,
                signed=written,
            ),
            written_on=written,
            doc_number=f"示交发〔{today.year}〕{number}号",
            keywords="交通运输 公共交通",
            **common,
        )
        if state in ("pending", "approved"):
            services.document_submit(actor=users["jtj_zy"], document=doc)
        if state == "approved":
            services.document_approve(
                actor=users["jtj_sh"],
                document=doc,
                secrecy_opinion="经审查，不涉及国家秘密、工作秘密，可以公开。",
            )
    doc = services.document_draft_create(
        actor=users["bgs_zy"],
        agency=bgs,
        title=f"{CITY}人民政府办公室关于印发{CITY}{today.year + 1}年政务公开工作要点的通知",
        body_html=b.w.body(
            phrase="政务公开",
            issuer=bgs.name,
            year=today.year,
            target=1600,
            signed=today - dt.timedelta(days=3),
        ),
        written_on=today - dt.timedelta(days=3),
        doc_number=f"示政办发〔{today.year}〕41号",
        column=b.columns["statutory-fgwj"],
        topic=b.topics["综合政务\\政务公开"],
        genre=b.genres["通知"],
    )
    services.document_submit(actor=users["bgs_zy"], document=doc)
    _masked_example(users, jtj, common, today)


def _masked_example(users: dict, agency: Any, common: dict, today: dt.date) -> None:
    """A document that went through the privacy review with personal data planted in its body
    and in a DOCX table: every finding masked, approved, published — what the public receives
    is the masked rendition (``gongkai privacy sweep`` finds nothing)."""
    from docx import Document as Docx

    table = Docx()
    table.add_paragraph("听证会参加人员名单")
    table.add_paragraph("听证代表：王五（身份证号11010519491231002X）")
    grid = table.add_table(rows=2, cols=3)
    for cell, text in zip(grid.rows[0].cells, ("姓名", "身份证号", "联系电话"), strict=True):
        cell.text = text
    for cell, text in zip(
        grid.rows[1].cells, ("赵六", "110105194912310021", "13900001111"), strict=True
    ):
        cell.text = text
    buffer = io.BytesIO()
    table.save(buffer)
    doc = services.document_draft_create(
        actor=users["jtj_zy"],
        agency=agency,
        title="关于对占道经营行为作出处理的公告",
        body_html=(
            "<p>孙八，身份证号 320102198511124566，联系电话 13612345678，"
            "住址示例市长江路88号2栋301室。经查，当事人在长江路占道经营，现依法作出处理。</p>"
        ),
        written_on=today - dt.timedelta(days=1),
        doc_number=f"示交发〔{today.year}〕60号",
        attachments=[("听证会参加人员名单.docx", buffer.getvalue())],
        **common,
    )
    services.document_submit(actor=users["jtj_zy"], document=doc)
    privacy_review_mask_all(actor=users["jtj_sh"], review=privacy_gate.latest_review(doc))
    services.document_approve(
        actor=users["jtj_sh"], document=doc, secrecy_opinion="经审查，不涉及国家秘密，可以公开。"
    )
    services.document_publish(actor=users["jtj_zy"], document=doc)


register_demo_step(DemoStep(40, "主动公开目录", load_catalog))
