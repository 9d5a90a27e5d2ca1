"""The demo's privacy reviews: documents of 市交通局 awaiting review, with findings."""

from __future__ import annotations

import io

from gongkai.apps.privacy.services import privacy_check_create
from gongkai.domain.codes import id_check_char


def _id_number(rng) -> str:
    area = rng.choice(["139901", "139902", "410105", "370102", "320106"])
    body = f"{area}{rng.randint(1955, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_check_char(body)


def _mobile(rng) -> str:
    return (
        rng.choice(["138", "139", "135", "186", "152", "177"]) + f"{rng.randint(0, 99999999):08d}"
    )


def _plate(rng) -> str:
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    return (
        "豫"
        + rng.choice("ABCD")
        + "".join(rng.choice("0123456789" + letters[:6]) for _ in range(2))
        + f"{rng.randint(0, 999):03d}"
    )


def _names(rng, count: int) -> list[str]:
    from faker import Faker

    fake = Faker("zh_CN")
    fake.seed_instance(rng.randint(0, 10**6))
    return [fake.name() for _ in range(count)]


def _roster_xlsx(rng) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "注销名单"
    sheet.append(["2024年第三批出租汽车驾驶员从业资格注销名单"])
    sheet.append(["序号", "姓名", "身份证号码", "从业资格证号", "车牌号码", "联系电话", "注销原因"])
    for index, name in enumerate(_names(rng, 12), start=1):
        sheet.append(
            [
                index,
                name,
                _id_number(rng),
                f"4101{rng.randint(10**9, 10**10 - 1)}",
                _plate(rng),
                _mobile(rng),
                rng.choice(["本人申请", "超过有效期未延续", "记分周期内累计记满20分"]),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load_demo(world) -> None:
    rng = world.rng_for("隐私审查示例")
    officer = world.user("jtj_zy")
    privacy_check_create(
        actor=officer,
        title="关于注销2024年第三批出租汽车驾驶员从业资格的公告（附件）",
        text=(
            "根据《出租汽车驾驶员从业资格管理规定》，经审核，决定注销下列人员的从业资格，名单见附件。\n"
            "咨询电话：0399-8000131（工作日 9:00—17:00）。"
        ),
        filename="注销名单.xlsx",
        content=_roster_xlsx(rng),
    )
    name = _names(rng, 1)[0]
    privacy_check_create(
        actor=officer,
        title="交通运输行政处罚决定书（示交罚〔2024〕118号）",
        text=(
            "交通运输行政处罚决定书\n示交罚〔2024〕118号\n"
            f"当事人：{name}，性别：男，身份证号码：{_id_number(rng)}，"
            f"住址：示例市东城区建设路{rng.randint(1, 300)}号{rng.randint(1, 9)}栋{rng.randint(1, 6)}单元{rng.randint(101, 1802)}室，"
            f"联系电话：{_mobile(rng)}。\n"
            f"经查，当事人于2024年5月8日驾驶车牌号为{_plate(rng)}的小型客车，未取得道路运输经营许可，擅自从事道路旅客运输经营。"
            "依据《中华人民共和国道路运输条例》第六十三条，决定处以罚款人民币20000元。\n"
            "示例市交通运输局\n2024年6月3日"
        ),
    )
