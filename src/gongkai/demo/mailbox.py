"""The demo city's mailbox (demo steps 60–69).

- 2018 as the seed report tells it: exactly 23,608 valid letters received and 23,311 answered
  within the year (98.74%), most to 市长信箱 and the departments, months and categories as a
  city's mailbox sees them, answered ones with replies, some published with consent; plus
  invalid messages, which the report does not count.
- This year's letters so far (bulk), and letters in every state made through the services for
  the demo logins (市交通局 staff, the dispatcher bgs_zy, the supervisor gkb, applicant zhangsan).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import random
from collections import Counter, defaultdict
from typing import cast

from django.utils import timezone

from gongkai import clock
from gongkai.apps.audit.services import audit_record
from gongkai.apps.mailbox import integration, services
from gongkai.apps.mailbox.bulk import fast_insert
from gongkai.apps.mailbox.errors import PublicationBlocked
from gongkai.apps.mailbox.models import (
    Letter,
    LetterCounter,
    LetterEvent,
    LetterEventKind,
    LetterSource,
    LetterStatus,
    MailboxSettings,
    PublicLetter,
    PublishStatus,
    RedirectChannel,
    RoutingRule,
    Satisfaction,
)
from gongkai.apps.mailbox.selectors import time_limit_table
from gongkai.apps.mailbox.services import classifier_train, time_limits_ensure_defaults
from gongkai.apps.mailbox.services.publication import writer_details
from gongkai.apps.organizations.models import Agency, AgencyKind, AgencyLevel
from gongkai.demo.mailbox_text import (
    COUNTY_ISSUES,
    TOPICS,
    letter_text,
    reply_text,
)
from gongkai.demo.steps import DemoStep, register_demo_step
from gongkai.domain.codes import id_check_char
from gongkai.domain.mailbox import (
    HotlineOrder,
    LetterAction,
    format_letter_number,
    mask_known_values,
)
from gongkai.domain.workdays import CalendarNotCovered

ZHANGSAN_ID = "13990019880512003" + id_check_char("13990019880512003")
RECEIVED_2018 = 23_608
ANSWERED_2018 = 23_311
INVALID_2018 = 812
# letters per month, in proportion (春节 in February: fewer; summer: more)
MONTH_WEIGHTS = (8.2, 5.6, 8.4, 8.5, 8.8, 8.7, 9.3, 9.4, 8.3, 7.5, 8.6, 8.7)


def _alloc(total: int, weights: tuple[float, ...] | list[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder)."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [int(x) for x in raw]
    for index in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[
        : total - sum(counts)
    ]:
        counts[index] += 1
    return counts


def _aware(day: dt.date, seconds: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds))


def _daytime(rng: random.Random) -> int:
    """Seconds after midnight, mostly office and evening hours."""
    hour = rng.choices(
        range(24),
        weights=[1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 9, 10, 12, 12, 11, 10, 9, 9, 8, 6, 4, 2],
    )[0]
    return hour * 3600 + rng.randrange(3600)


# step 60 ------------------------------------------------------------------------------------------

RULES = [
    ("公共交通", "公交 出租车 客运 站台", "jtj"),
    ("入学与学校", "入学 学区 幼儿园 补课 学校", "jyj"),
    ("社保与就业", "社保 养老保险 失业 工资 职称", "rsj"),
    ("物业与住房", "物业 供暖 房产证 公租房 老旧小区", "zjj"),
    ("市容城管", "占道 违章建筑 路灯 垃圾", "cgw"),
    ("环境污染", "污染 废气 污水 扬尘 异味", "hbj"),
    ("户籍治安", "户口 居住证 身份证 飙车", "gaj"),
    ("社会救助", "低保 高龄津贴 养老院 婚姻登记", "mzj"),
    ("医疗卫生", "医院 挂号 疫苗 生育", "wjw"),
    ("消费维权", "虚假宣传 质量问题 营业执照", "gsj"),
    ("食品药品", "食品 餐馆 保健食品", "sypj"),
]


def load_settings(world) -> None:
    time_limits_ensure_defaults(actor=world.actor)
    office = Agency.objects.filter(code="bgs").first()
    settings_row = MailboxSettings.objects.first() or MailboxSettings()
    settings_row.dispatch_agency = office
    settings_row.save()
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[r[2] for r in RULES])}
    RoutingRule.objects.bulk_create(
        [
            RoutingRule(name=name, keywords=words, agency=agencies[code], weight=10)
            for name, words, code in RULES
            if code in agencies and not RoutingRule.objects.filter(name=name).exists()
        ]
    )
    audit_record(
        actor=world.actor,
        action=LetterAction.DEMO_SETTINGS,
        object_type="mailbox.mailboxsettings",
        object_label="政府信箱设置",
        after={"dispatch_agency": office.code if office else None, "rules": len(RULES)},
    )


# history (bulk) --------------------------------------------------------------------------------------


class History:
    """Generates one period of letters in bulk; used for 2018 and for this year so far."""

    def __init__(self, world, *, name: str) -> None:
        self.world = world
        self.rng = world.rng_for(name)
        self.calendar = integration.working_calendar()
        agencies = list(Agency.objects.filter(is_active=True))
        self.by_code = {a.code: a for a in agencies}
        self.office = self.by_code["bgs"]
        self.counties = [
            a for a in agencies if a.level == AgencyLevel.COUNTY and a.kind == AgencyKind.GOVERNMENT
        ]
        self.townships = defaultdict(list)
        for a in agencies:
            if a.kind == AgencyKind.TOWNSHIP and a.parent_id:
                self.townships[a.parent_id].append(a)
        self.departments = [
            (code, weight) for code, (weight, _) in TOPICS.items() if code in self.by_code
        ]
        self.letters: list[Letter] = []
        self.events: list[LetterEvent] = []
        self.public: list[tuple[Letter, dt.datetime]] = []

    # -- one letter ---------------------------------------------------------------------------
    def _handler_and_topic(self) -> tuple[Agency, tuple[str, str, str], str | None]:
        rng = self.rng
        if rng.random() < 0.13 and self.counties:
            county = rng.choice(self.counties)
            towns = self.townships.get(county.pk) or [county]
            area = rng.choice(towns).short_name or county.short_name
            return county, rng.choice(COUNTY_ISSUES), area
        codes, weights = zip(*self.departments, strict=True)
        code = rng.choices(codes, weights=weights)[0]
        topic = rng.choice(TOPICS[code][1])
        if rng.random() < 0.07:  # the writer describes it in another office's words
            other = rng.choices(codes, weights=weights)[0]
            topic = (topic[0], topic[1], rng.choice(TOPICS[other][1])[2])
        return self.by_code[code], topic, None

    def _reply_day(self, received_on: dt.date, limit: int) -> dt.date | None:
        """The day the answer went out; None when it falls beyond the loaded calendar."""
        rng = self.rng
        late = rng.random() < 0.035
        k = rng.randint(limit + 1, limit + 4) if late else rng.randint(1, limit)
        try:
            return self.calendar.add_working_days(received_on, k)
        except CalendarNotCovered:
            return None

    def make(
        self,
        received_at: dt.datetime,
        *,
        status_plan: str,
        limits: dict[str, int],
        reply_not_after: dt.date | None = None,
        reply_not_before: dt.date | None = None,
        open_if_reply_after: dt.date | None = None,
    ) -> Letter:
        rng = self.rng
        received_on = clock.local_date(received_at)
        handler, (category, subject, detail), area = self._handler_and_topic()
        content, name, phone = letter_text(rng, detail, area=area, personal=rng.random() < 0.12)
        to_mayor = handler is self.office or rng.random() < (
            0.3 if handler.level == AgencyLevel.COUNTY else 0.55
        )
        limit = limits[category]
        due = integration.due_columns(received_on, limit, self.calendar)
        letter = Letter(
            number="",
            source=LetterSource.PORTAL if rng.random() < 0.8 else LetterSource.HOTLINE,
            category=category,
            addressee=None if to_mayor else handler,
            subject=subject,
            content=content,
            writer_name=name,
            writer_phone=phone,
            consent_publish=rng.random() < 0.3,
            status=LetterStatus.HANDLING,
            agency=handler,
            received_at=received_at,
            received_on=received_on,
            time_limit_days=limit,
            **due,
            assigned_at=received_at + dt.timedelta(hours=rng.randint(1, 20)),
        )
        if letter.source == LetterSource.HOTLINE:
            letter.hotline_order_no = f"RX{received_on:%Y%m%d}{len(self.letters):06d}"
            letter.addressee = None
        assigned_at = letter.assigned_at
        assert assigned_at is not None
        if to_mayor and handler is not self.office and status_plan != "invalid":
            first = handler
            if rng.random() < 0.03:  # first sent to the wrong office, then transferred
                first = self.by_code[rng.choice([c for c, _ in self.departments])]
            self.events.append(
                LetterEvent(
                    letter=letter,
                    kind=LetterEventKind.ASSIGN,
                    at=assigned_at,
                    actor_label="市政府办公室（分办）",
                    from_agency=self.office,
                    to_agency=first,
                )
            )
            if first is not handler:
                self.events.append(
                    LetterEvent(
                        letter=letter,
                        kind=LetterEventKind.TRANSFER,
                        at=assigned_at + dt.timedelta(days=1),
                        actor_label="市政府办公室（分办）",
                        from_agency=first,
                        to_agency=handler,
                        note="不属于本单位职责，转有关单位办理",
                    )
                )
        if status_plan == "invalid":
            letter.status = LetterStatus.INVALID
            letter.agency = self.office
            letter.addressee = None
            letter.consent_publish = False
            letter.invalid_reason = rng.choice(["重复来信", "无实质内容", "广告信息"])
        elif status_plan == "answered":
            replied_on = self._reply_day(received_on, limit)
            if replied_on is None:  # beyond the loaded calendar: still being handled
                self.letters.append(letter)
                return letter
            if reply_not_after and replied_on > reply_not_after:
                replied_on = max(received_on, reply_not_after)
            if reply_not_before and replied_on < reply_not_before:
                replied_on = reply_not_before
            if open_if_reply_after is None or replied_on <= open_if_reply_after:
                self._close(letter, replied_on)
        self.letters.append(letter)
        return letter

    def _close(self, letter: Letter, replied_on: dt.date) -> None:
        rng = self.rng
        redirected = letter.category == "complaint" and rng.random() < 0.04
        letter.status = LetterStatus.REDIRECTED if redirected else LetterStatus.ANSWERED
        if redirected:
            letter.redirect_channel = RedirectChannel.PETITION
            letter.reply = (
                "您好！您反映的事项属于信访事项，根据《信访工作条例》，请向有权处理的机关提出，"
                "或到市信访局（人民路8号，电话0399-8001234）反映。"
            )
        else:
            letter.reply = reply_text(
                rng, letter.category, letter.agency.name, letter.agency.office_phone
            )
        letter.replied_on = replied_on
        letter.replied_at = _aware(replied_on, 9 * 3600 + rng.randrange(8 * 3600))
        if letter.replied_at < letter.received_at:
            letter.replied_at = letter.received_at + dt.timedelta(hours=2)
        letter.handling_days = (
            self.calendar.count_working_days(letter.received_on, replied_on)
            if replied_on > letter.received_on
            else 0
        )
        letter.on_time = replied_on <= letter.due_date if letter.due_date else None
        if rng.random() < 0.36:
            letter.satisfaction = rng.choices(
                [Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED],
                weights=[72, 19, 9],
            )[0]
            letter.rated_at = letter.replied_at + dt.timedelta(days=rng.randint(0, 5))
        if letter.consent_publish and letter.status == LetterStatus.ANSWERED:
            if rng.random() < 0.75:
                letter.publish_status = PublishStatus.PUBLISHED
                self.public.append(
                    (letter, letter.replied_at + dt.timedelta(days=rng.randint(1, 3)))
                )
            else:
                letter.publish_status = PublishStatus.REFUSED
                letter.publish_refused_reason = "来信涉及个人具体事项，不宜公开"
        elif letter.consent_publish:
            letter.publish_status = PublishStatus.REFUSED
            letter.publish_refused_reason = "非信箱答复事项，不予公开"

    # -- saving ----------------------------------------------------------------------------------
    def save(self) -> dict[str, int]:
        self.letters.sort(key=lambda lt: lt.received_at)
        per_day: Counter[dt.date] = Counter()
        existing = dict(LetterCounter.objects.values_list("day", "last"))
        for letter in self.letters:
            day = letter.received_on
            per_day[day] += 1
            letter.number = format_letter_number(day, existing.get(day, 0) + per_day[day])
        for day, count in per_day.items():
            if day in existing:
                LetterCounter.objects.filter(day=day).update(last=existing[day] + count)
        LetterCounter.objects.bulk_create(
            [LetterCounter(day=d, last=c) for d, c in per_day.items() if d not in existing]
        )
        mask = integration.bulk_masker()
        for letter, published_at in self.public:
            known = writer_details(letter)
            letter.public_subject = mask_known_values(mask(letter.subject), known)
            letter.public_content = mask_known_values(mask(letter.content), known)
            letter.public_reply = mask_known_values(mask(letter.reply), known)
            letter.public_prepared_at = published_at
        fast_insert(Letter, self.letters)
        for event in self.events:
            event.letter_id = event.letter.pk
        fast_insert(LetterEvent, self.events)
        public = [
            PublicLetter(
                letter_id=letter.pk,
                number=letter.number,
                category=letter.category,
                agency_id=letter.agency_id,
                source=letter.source,
                subject=letter.public_subject,
                content=letter.public_content,
                reply=letter.public_reply,
                received_on=letter.received_on,
                replied_on=cast(dt.date, letter.replied_on),  # a published letter was answered
                published_at=published_at,
            )
            for letter, published_at in self.public
        ]
        fast_insert(PublicLetter, public)
        return {
            "letters": len(self.letters),
            "invalid": sum(lt.status == LetterStatus.INVALID for lt in self.letters),
            "answered": sum(lt.replied_on is not None for lt in self.letters),
            "published": len(public),
        }


def _received_times(
    rng: random.Random, year: int, counts: list[int], until: dt.date | None = None
) -> list[dt.datetime]:
    times = []
    for month, count in enumerate(counts, start=1):
        first = dt.date(year, month, 1)
        last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if until is not None:
            last = min(last, until)
        if last < first:
            continue
        span = (last - first).days + 1
        for _ in range(count):
            times.append(_aware(first + dt.timedelta(days=rng.randrange(span)), _daytime(rng)))
    times.sort()
    return times


def load_history_2018(world) -> None:
    history = History(world, name="mailbox-2018")
    rng = history.rng
    limits = time_limit_table(dt.date(2018, 1, 1))
    times = _received_times(rng, 2018, _alloc(RECEIVED_2018, MONTH_WEIGHTS))
    year_end = dt.date(2018, 12, 31)
    last_workday = year_end
    while not history.calendar.is_working_day(last_workday):
        last_workday -= dt.timedelta(days=1)
    first_2019 = history.calendar.next_working_day(year_end)
    cut = len(times) - (RECEIVED_2018 - ANSWERED_2018)
    for index, received_at in enumerate(times):
        if index < cut:
            history.make(
                received_at, status_plan="answered", limits=limits, reply_not_after=last_workday
            )
        else:  # received in the last days of December, answered after New Year
            history.make(
                received_at, status_plan="answered", limits=limits, reply_not_before=first_2019
            )
    for received_at in _received_times(rng, 2018, _alloc(INVALID_2018, MONTH_WEIGHTS)):
        history.make(received_at, status_plan="invalid", limits=limits)
    outcome = history.save()
    audit_record(
        actor=world.actor,
        action=LetterAction.DEMO_HISTORY,
        object_type="mailbox.letter",
        object_label="示例市政府信箱2018年来信",
        after={**outcome, "year": 2018},
    )


def load_history_this_year(world) -> None:
    """This year's letters up to yesterday; those whose answer would come later are still open."""
    today = world.today
    until = today - dt.timedelta(days=1)
    calendar = integration.working_calendar()
    if not calendar.covers(dt.date(today.year, 1, 1)):
        return  # this year's calendar is not loaded: no due dates could be set
    history = History(world, name=f"mailbox-{today.year}")
    rng = history.rng
    limits = time_limit_table(dt.date(today.year, 1, 1))
    months = today.month
    counts = _alloc(int(RECEIVED_2018 * 1.08 * (months - 0.5) / 12), MONTH_WEIGHTS[:months])
    for received_at in _received_times(rng, today.year, counts, until=until):
        history.make(received_at, status_plan="answered", limits=limits, open_if_reply_after=until)
    outcome = history.save()
    audit_record(
        actor=world.actor,
        action=LetterAction.DEMO_HISTORY,
        object_type="mailbox.letter",
        object_label=f"示例市政府信箱{today.year}年来信",
        after={**outcome, "year": today.year},
    )


def train_classifier(world) -> None:
    classifier_train(actor=world.actor, holdout_share=0.2)


# this year's letters through the services -------------------------------------------------------


def _has(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def load_current(world) -> None:
    rng = world.rng_for("mailbox-current")
    jtj = world.agency("jtj")
    zy, sh = world.user("jtj_zy"), world.user("jtj_sh")
    dispatcher, zhangsan = world.user("bgs_zy"), world.user("zhangsan")
    writer = {
        "writer_name": "张三",
        "writer_phone": "13800138000",
        "writer_email": "zhangsan@example.com",
    }
    can_publish = _has("gongkai.apps.privacy.services")
    can_convert = _has("gongkai.apps.applications.services")

    def submit(to, category, subject, content, consent=False):
        return services.letter_submit(
            actor=zhangsan,
            category=category,
            addressee=to,
            subject=subject,
            content=content,
            consent_publish=consent,
            writer_user=zhangsan,
            **writer,
        ).letter

    # zhangsan: one waiting at the dispatcher, one answered and published, one being handled
    submit(
        None,
        "suggestion",
        "建议在人民公园增设无障碍通道",
        "人民公园东门只有台阶，坐轮椅的老人和推婴儿车的家长进出很不方便，建议增设无障碍坡道。",
    )
    answered = submit(
        jtj,
        "consult",
        "12路公交车调整后的首末班时间",
        "请问12路公交车线路调整后，首班车和末班车分别是几点？我家住在和平路，电话13800138000。",
        consent=True,
    )
    services.letter_submit_for_review(
        actor=zy,
        letter=answered,
        text="您好！12路公交车调整后首班车为6:00，末班车为21:30，和平路站点保留。感谢您的来信。",
    )
    services.letter_answer(
        actor=sh,
        letter=answered,
        text="您好！12路公交车调整后首班车为6:00，末班车为21:30，和平路站点保留。感谢您的来信。",
    )
    if can_publish:
        services.letter_publication_prepare(actor=zy, letter=answered)
        # an unresolved privacy finding leaves the letter waiting for review in the back office
        with contextlib.suppress(PublicationBlocked):
            services.letter_publish(actor=zy, letter=answered)
    services.letter_rate(
        letter=answered, satisfaction=Satisfaction.SATISFIED, comment="答复及时", actor=zhangsan
    )
    handling = submit(
        None,
        "complaint",
        "出租车拒载",
        "昨晚在火车站东广场打车，连续三辆出租车拒载，希望加强管理。",
    )
    services.letter_assign(actor=dispatcher, letter=handling, agency=jtj)
    if can_convert:
        request = submit(
            None,
            "consult",
            "申请公开公交票价调整听证会材料",
            "请提供2026年公交票价调整听证会的会议纪要和成本监审报告。",
        )
        services.letter_assign(actor=dispatcher, letter=request, agency=jtj)
        services.letter_convert(actor=sh, letter=request, id_number=ZHANGSAN_ID)

    # 12345 orders from the past weeks: overdue, due soon, in review, answered, redirected, invalid
    now_local = clock.localtime().replace(tzinfo=None, microsecond=0)
    topics = [
        ("公交站台被占用", "东风路公交站台被私家车占用，公交车无法进站。", "jtj"),
        ("出租车多收费", "从火车站打车到人民医院，司机不打表多收费。", "jtj"),
        ("建议增开学校专线", "实验小学放学时段公交很挤，建议增开学生专线。", "jtj"),
        ("客运站候车室空调不开", "长途客运站候车室夏天不开空调，旅客中暑。", "jtj"),
        ("网约车安全问题咨询", "请问本市网约车平台的车辆和司机是否都经过审核？", "jtj"),
        ("公交卡充值点太少", "新区没有公交卡充值点，充值很不方便。", "jtj"),
        ("道路坑洼无人修", "建设大街北段路面坑洼，多次反映无人维修。", "jtj"),
        ("驾校收费问题", "驾校报名后又额外收取考试费用。", "jtj"),
        ("小区道路积水", "东关街道幸福小区门前道路积水严重。", "dcq"),
        ("社区卫生站开放时间", "东城区城关镇社区卫生站周末不开门。", "dcq"),
        ("村务公开咨询", "东城区新兴乡村务公开栏长期不更新。", "dcq"),
        ("老旧小区加装电梯", "我们小区申请加装电梯已经四个多月，一直没有答复。", "zjj"),
    ]
    ago = [30, 26, 22, 16, 9, 6, 3, 1, 12, 5, 2, 130]
    orders = []
    for index, ((subject, content, code), days) in enumerate(zip(topics, ago, strict=True)):
        called = now_local - dt.timedelta(days=days, hours=rng.randint(0, 6))
        orders.append(
            HotlineOrder(
                line=index + 1,
                order_no=f"12345-{called:%Y%m%d}-{index + 1:04d}",
                called_at=called,
                caller_name=f"{'王李赵刘陈'[index % 5]}先生",
                caller_phone=f"1390000{index:04d}",
                content=content,
                agency=code,
                category=None,
                subject=subject,
            )
        )
    for index in range(5):  # no 承办单位 given: waiting for the dispatcher
        called = now_local - dt.timedelta(hours=3 + index * 5)
        orders.append(
            HotlineOrder(
                line=20 + index,
                order_no=f"12345-{called:%Y%m%d}-{90 + index:04d}",
                called_at=called,
                caller_name="市民",
                caller_phone=f"1370000{index:04d}",
                content=[
                    "城南菜市场周边夜间噪音扰民。",
                    "请问居住证到期如何续签？",
                    "建议在滨河公园增加公共厕所。",
                    "小区附近工地夜间施工。",
                    "有人在河边非法捕鱼。",
                ][index],
                agency="",
                category=None,
                subject="",
            )
        )
    result = services.orders_take_in(actor=dispatcher, orders=orders)
    created = result.letters()
    letters = {lt.hotline_order_no: lt for lt in created}
    by_subject = {lt.subject: lt for lt in letters.values()}
    review = by_subject["客运站候车室空调不开"]
    services.letter_submit_for_review(
        actor=zy,
        letter=review,
        text="您好！经核查，客运站已于本周恢复候车室空调运行，并将加强日常管理。",
    )
    services.letter_answer(
        actor=sh,
        letter=by_subject["网约车安全问题咨询"],
        text="您好！本市网约车平台车辆和驾驶员均须取得网络预约出租汽车运输证和驾驶员证，市交通局定期核查。",
    )
    pending = submit(
        jtj,
        "suggestion",
        "建议地铁站增设公交接驳线",
        "地铁2号线南站距离最近的公交站有800米，建议增设接驳公交线路。",
        consent=True,
    )
    services.letter_answer(
        actor=sh,
        letter=pending,
        text="您好！感谢您的建议。我局已将南站接驳线纳入明年公交线网优化方案，届时将向社会公示。",
    )
    services.letter_redirect(
        actor=sh,
        letter=by_subject["驾校收费问题"],
        channel=RedirectChannel.COMPLAINT,
        reply="您好！驾校收费纠纷属于消费维权事项，请向市市场监管部门投诉（电话12315），或通过12315平台提交。",
    )
    services.letter_draft_save(
        actor=zy, letter=by_subject["公交卡充值点太少"], text="您好！新区公交卡充值点正在筹建，"
    )
    waiting = [lt for lt in created if lt.status == LetterStatus.RECEIVED]
    if waiting:
        services.letter_mark_invalid(actor=dispatcher, letter=waiting[-1], reason="与此前工单重复")
    # the dispatcher routes one of them now (history shows assign)
    if len(waiting) > 1:
        services.letter_assign(
            actor=dispatcher,
            letter=waiting[0],
            agency=world.agency("hbj"),
            note="噪音扰民，请环保部门处理",
        )


register_demo_step(DemoStep(60, "政府信箱设置和分办规则", load_settings))
register_demo_step(DemoStep(61, "政府信箱2018年来信", load_history_2018))
register_demo_step(DemoStep(62, "政府信箱本年度来信", load_history_this_year))
register_demo_step(DemoStep(63, "政府信箱分办模型", train_classifier))
register_demo_step(DemoStep(64, "政府信箱各状态信件", load_current))
