"""Letter texts of the demo city: what citizens of a Chinese city write to its mailbox, by the
agency that answers it. Used to generate the demo history and to train the classifier."""

from __future__ import annotations

import random

# agency code -> (share of letters, [(category, subject, what the writer says)])
TOPICS: dict[str, tuple[int, list[tuple[str, str, str]]]] = {
    "jtj": (
        9,
        [
            (
                "consult",
                "公交线路调整咨询",
                "小区门口的公交站台被撤销了，请问新的公交线路什么时候开通",
            ),
            ("suggestion", "建议增开夜间公交", "晚上九点以后公交车就停运了，建议增开夜班公交线路"),
            ("complaint", "出租车拒载绕路", "在火车站打出租车被拒载，司机还故意绕路多收车费"),
            ("complaint", "长途客运站秩序混乱", "客运站门口黑车拉客，客运班车不按时发车"),
            ("help", "公交卡余额无法退还", "公交卡损坏后余额无法退还，客服一直推诿"),
        ],
    ),
    "jyj": (
        9,
        [
            ("consult", "小学入学政策咨询", "孩子今年上小学，请问学区划分和入学报名需要哪些材料"),
            ("complaint", "学校违规补课收费", "学校周末组织学生补课，每人收取补课费"),
            ("consult", "幼儿园收费标准", "公办幼儿园的保育费和学费标准是多少，是否有减免"),
            (
                "suggestion",
                "建议延长课后服务时间",
                "双职工家庭下午四点无法接孩子，建议学校延长课后服务",
            ),
            ("complaint", "校外培训机构退费难", "校外培训机构突然停课，预交的学费一直不退"),
        ],
    ),
    "rsj": (
        9,
        [
            ("consult", "养老保险转移接续", "我在外地缴纳了养老保险，回本市工作后如何办理转移接续"),
            ("help", "农民工工资被拖欠", "在工地干了半年活，包工头拖欠工资至今未发"),
            ("consult", "职称评审条件咨询", "中级职称评审需要满足哪些条件，什么时候申报"),
            ("consult", "失业保险金领取", "单位裁员后如何申领失业保险金，需要什么手续"),
            ("complaint", "单位不给缴纳社保", "公司入职一年多一直不给员工缴纳社会保险"),
        ],
    ),
    "zjj": (
        8,
        [
            (
                "complaint",
                "物业公司服务差乱收费",
                "小区物业公司不作为，电梯经常坏，还要求提前交物业费",
            ),
            ("help", "冬季供暖温度不达标", "今年供暖开始后室内温度只有十几度，热力公司不处理"),
            (
                "consult",
                "老旧小区改造计划",
                "我们小区是上世纪八十年代的楼，请问是否纳入老旧小区改造",
            ),
            ("help", "开发商逾期不办房产证", "购买的商品房交房三年了，开发商一直不给办理房产证"),
            ("consult", "公租房申请条件", "请问申请公共租赁住房需要什么条件，在哪里申请"),
        ],
    ),
    "cgw": (
        7,
        [
            ("complaint", "占道经营影响通行", "路口早市摊贩占道经营，行人和车辆无法通行"),
            ("complaint", "违章建筑无人处理", "楼下住户私搭乱建违章建筑，多次反映没有处理"),
            ("help", "路灯长期不亮", "这条路的路灯坏了一个多月，晚上出行很不安全"),
            ("suggestion", "建议增设垃圾分类设施", "小区附近没有垃圾分类投放点，建议增设垃圾桶"),
        ],
    ),
    "hbj": (
        6,
        [
            ("complaint", "工厂排放刺鼻气味", "附近工厂晚上偷排废气，刺鼻异味严重影响居民休息"),
            ("complaint", "河道污水直排", "小河里有污水直排，河水发黑发臭"),
            ("complaint", "施工扬尘污染", "工地施工不采取降尘措施，扬尘污染很严重"),
            ("consult", "环评公示查询", "新建项目的环境影响评价报告在哪里可以查看"),
        ],
    ),
    "gaj": (
        7,
        [
            ("consult", "户口迁移办理咨询", "大学毕业后户口如何从学校迁回本市，需要哪些材料"),
            ("consult", "居住证办理条件", "外地来本市工作的人员办理居住证需要什么条件"),
            ("complaint", "夜间飙车噪音扰民", "每天深夜有人在大道上飙车，发动机轰鸣声扰民"),
            ("help", "身份证丢失补办", "身份证丢失了，急需补办临时身份证乘坐火车"),
        ],
    ),
    "mzj": (
        6,
        [
            ("help", "低保申请被拒", "家里老人长期患病，申请最低生活保障没有通过"),
            ("consult", "高龄津贴发放标准", "八十岁以上老人的高龄津贴标准是多少，怎么申请"),
            ("consult", "养老院收费和入住条件", "公办养老院的入住条件和收费标准是什么"),
            ("consult", "婚姻登记预约", "婚姻登记可以网上预约吗，节假日是否办理"),
        ],
    ),
    "wjw": (
        6,
        [
            ("complaint", "医院挂号难", "市医院专家号很难挂，号贩子倒卖专家号"),
            ("consult", "疫苗接种时间咨询", "孩子的疫苗接种时间和地点在哪里查询"),
            ("complaint", "医疗收费不合理", "住院期间被重复收取检查费用，医院解释不清"),
            ("consult", "生育服务登记", "二孩生育服务登记需要到哪里办理"),
        ],
    ),
    "gsj": (
        5,
        [
            ("complaint", "商家虚假宣传", "商场促销虚假宣传，原价标注不实"),
            ("complaint", "购买商品质量问题", "在商场买的电器用了一周就坏了，商家拒绝退换"),
            ("consult", "个体工商户营业执照办理", "开一家小饭店需要办理哪些证照，营业执照怎么申请"),
        ],
    ),
    "sypj": (
        4,
        [
            ("complaint", "餐馆卫生条件差", "小区门口的餐馆后厨卫生条件很差，吃完后腹泻"),
            ("complaint", "超市销售过期食品", "超市货架上的食品已经过期仍在销售"),
            ("consult", "保健食品广告真假", "电视上推销的保健食品宣称能治病，是否合法"),
        ],
    ),
    "gtj": (
        4,
        [
            ("consult", "征地补偿标准咨询", "村里土地被征收，征地补偿标准是怎么确定的"),
            ("consult", "不动产登记办理", "二手房过户办理不动产登记需要多长时间"),
            ("complaint", "违法占用耕地", "村边有人违法占用耕地建厂房"),
        ],
    ),
    "swj": (
        4,
        [
            ("help", "小区频繁停水", "小区这个月已经停水五次，没有任何通知"),
            ("consult", "水费阶梯价格", "居民用水阶梯水价怎么计算"),
            ("help", "雨后道路积水严重", "每次下雨这个路段积水很深，排水管道堵塞"),
        ],
    ),
    "fgw": (
        3,
        [
            ("consult", "电价调整咨询", "居民阶梯电价今年是否调整"),
            ("consult", "重点项目建设进度", "规划中的高铁站项目建设进度如何"),
        ],
    ),
    "wjj": (
        2,
        [
            ("complaint", "停车场乱收费", "医院停车场收费高于公示标准"),
            ("consult", "商品房价格备案", "新楼盘销售价格是否需要备案公示"),
        ],
    ),
    "czj": (
        2,
        [
            ("consult", "惠民补贴发放", "家电下乡补贴资金什么时候发放到位"),
            ("consult", "政府采购信息查询", "政府采购项目的中标结果在哪里公示"),
        ],
    ),
    "nmj": (
        2,
        [
            ("consult", "农业补贴申领", "种粮直补和农资综合补贴如何申领"),
            ("help", "畜禽养殖技术求助", "养殖的生猪出现疫病，希望派技术人员指导"),
        ],
    ),
    "wgxj": (
        2,
        [
            ("suggestion", "建议公共图书馆延长开放时间", "市图书馆周末开放时间太短，建议延长"),
            ("complaint", "广场舞噪音扰民", "广场舞音响声音太大，晚上十点还在跳"),
        ],
    ),
    "ajj": (
        1,
        [("complaint", "企业存在安全隐患", "附近化工厂仓库存在安全隐患，消防通道被堵塞")],
    ),
    "lyj": (1, [("complaint", "滥砍滥伐树木", "山上有人私自砍伐林木")]),
    "lyw": (1, [("complaint", "景区门票价格过高", "景区门票涨价，旅行团强制购物")]),
    "xzspj": (
        2,
        [("consult", "企业开办审批流程", "新办企业在政务服务大厅办理需要几个工作日")],
    ),
    "tjj": (1, [("consult", "统计数据查询", "去年全市常住人口统计数据在哪里发布")]),
    "bgs": (
        3,
        [
            ("suggestion", "对城市发展的建议", "建议政府加快城市绿化和公园建设，提升城市形象"),
            ("other", "感谢市政府", "感谢市领导对我们社区问题的关心和解决"),
            ("suggestion", "政务服务建议", "建议政府网站增加更多便民查询功能"),
        ],
    ),
}

COUNTY_ISSUES: list[tuple[str, str, str]] = [
    ("help", "村道路损毁", "村里通往镇上的道路损毁严重，雨天无法通行"),
    ("complaint", "镇政府不作为", "多次向镇政府反映宅基地纠纷，至今没有处理"),
    ("consult", "农村危房改造补助", "农村危房改造补助标准是多少，怎么申请"),
    ("help", "农村饮水困难", "村里自来水经常断水，饮水困难"),
    ("complaint", "村务不公开", "村委会不公开集体资金收支情况"),
]

GREETINGS = ["尊敬的领导：您好！", "市长您好！", "您好，", "领导好，", ""]
PLACES = ["我家住在{area}，", "我是{area}的居民，", "{area}附近，", "我在{area}，", ""]
AREAS = ["人民路", "建设大街", "和平路", "新华区", "长安街", "中山路", "胜利大街", "友谊大街"]
ASKS = ["希望有关部门尽快解决。", "请问应该怎么办？", "盼复。", "恳请领导重视。", "谢谢！"]
PERSONAL = [
    "我的联系电话是{phone}。",
    "本人{name}，电话{phone}。",
    "如需核实请联系{name}，手机{phone}。",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"

REPLIES = {
    "consult": "您好！您咨询的问题答复如下：{answer}如有疑问，可拨打{phone}咨询。感谢您的来信。",
    "suggestion": "您好！感谢您对我市工作的关心和建议。经研究，{answer}我们将认真吸纳您的意见。",
    "complaint": "您好！收到您反映的问题后，我单位立即组织人员进行了核查。{answer}感谢您的监督。",
    "help": "您好！收到您的求助后，我单位高度重视，{answer}如仍有困难，请随时与我们联系。",
    "other": "您好！来信收悉，{answer}感谢您对政府工作的支持。",
}
ANSWERS = [
    "相关事项已在{agency}门户网站公开，您可登录查询具体办理要求。",
    "经现场核实，情况基本属实，已责成相关单位限期整改。",
    "已协调有关单位于近期处理完毕，并将加强日常监管。",
    "根据现行政策规定，您反映的情况符合办理条件，请携带相关材料到政务服务大厅办理。",
    "您反映的问题已纳入年度工作计划，将分步骤推进解决。",
]


def person(rng: random.Random) -> tuple[str, str]:
    name = (
        rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    )
    phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
    return name, phone


def letter_text(
    rng: random.Random, detail: str, *, area: str | None = None, personal: bool = False
) -> tuple[str, str, str]:
    """(content, writer name, writer phone) of one letter."""
    name, phone = person(rng)
    place = rng.choice(PLACES).format(area=area or rng.choice(AREAS))
    parts = [rng.choice(GREETINGS), place, detail, "。", rng.choice(ASKS)]
    if personal:
        parts.append(rng.choice(PERSONAL).format(name=name, phone=phone))
    return "".join(parts), name, phone


def reply_text(rng: random.Random, category: str, agency_name: str, phone: str) -> str:
    answer = rng.choice(ANSWERS).format(agency=agency_name)
    return REPLIES[category].format(answer=answer, phone=phone)
