"""From facts to figures: which cases count where, roll-up, adjustments, identities, drafts."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.domain.decisions import DECISIONS, ApplicantType
from gongkai.domain.reportfacts import (
    AppealFact,
    AppealKind,
    AppealResult,
    CatalogFacts,
    MailboxFacts,
    PublicationChannel,
    RequestChannel,
    RequestFact,
)
from gongkai.domain.reports.build import apply_adjustments, build_report, evaluate, percent, rollup
from gongkai.domain.reports.charts import history_charts, render_svg, year_summary
from gongkai.domain.reports.formats import FORMATS
from gongkai.domain.reports.identities import validate, validate_cross_year
from gongkai.domain.reports.measures import compute_measures, request_fact_measures
from gongkai.domain.reports.narrative import (
    TO_FILL,
    Context,
    draft_narrative,
    narrative_problems,
    render_sentence,
)

D = dt.date
NP = ApplicantType.NATURAL_PERSON


def case(received, closed=None, decision="disclosed", agency=1, **kw):
    return RequestFact(
        agency_id=agency,
        applicant_type=kw.pop("applicant", NP),
        channel=kw.pop("channel", RequestChannel.ONLINE),
        received=received,
        closed=closed,
        decision=decision if closed else None,
        on_time=kw.pop("on_time", True if closed else None),
        **kw,
    )


@pytest.mark.parametrize(
    ("fact", "expected"),
    [
        (
            case(D(2021, 3, 1), D(2021, 3, 20)),
            {"req.new.natural_person", "req.disclosed.natural_person"},
        ),
        (
            case(D(2020, 12, 20), D(2021, 1, 10)),
            {"req.carried.natural_person", "req.disclosed.natural_person"},
        ),
        (
            case(D(2021, 12, 20), D(2022, 1, 10)),
            {"req.new.natural_person", "req.carry_next.natural_person"},
        ),
        (
            case(D(2020, 12, 20), None),
            {"req.carried.natural_person", "req.carry_next.natural_person"},
        ),
        (case(D(2020, 5, 1), D(2020, 6, 1)), set()),
        (case(D(2022, 1, 3), D(2022, 1, 9)), set()),
    ],
    ids=[
        "received-and-closed-in-year",
        "carried-in-and-closed",
        "received-late-and-carried-out",
        "open-across-the-whole-year",
        "closed-before-the-year-does-not-count",
        "received-after-the-year-does-not-count",
    ],
)
def test_which_cases_count_in_the_2021_report(fact, expected):
    keys = {k for k in request_fact_measures(fact, 2021) if k.startswith("req.")}
    assert keys == expected


def test_seed_era_splits_count_handled_cases_and_email_as_online():
    facts = [
        case(D(2018, 2, 1), D(2018, 2, 9), channel=RequestChannel.EMAIL),
        case(D(2018, 2, 1), D(2018, 3, 30), extended=True, channel=RequestChannel.LETTER),
        case(D(2018, 2, 1), D(2018, 5, 2), on_time=False, channel=RequestChannel.FAX),
        case(D(2018, 12, 28), None, channel=RequestChannel.IN_PERSON),
        case(D(2018, 3, 1), D(2018, 3, 2), decision="not_this_agency"),
    ]
    built = build_report(FORMATS["2008"], compute_measures(year=2018, requests=facts))
    v = {k[1]: x for k, x in built.values.items() if k[0] == "t3"}
    assert v["total"] == 5
    assert (v["in_person"], v["fax"], v["online"], v["letter"]) == (1, 1, 2, 1)
    assert (v["on_time"], v["extended"], v["late"], v["open"]) == (2, 1, 1, 1)
    assert v["agreed"] == 3 and v["not_this_agency"] == 1 and v["unanswered"] == 1
    assert validate(FORMATS["2008"], built.values).ok


def test_appeals_count_by_filing_year_with_the_result_known_at_year_end():
    appeals = [
        AppealFact(
            1, AppealKind.RECONSIDERATION, D(2021, 3, 1), AppealResult.UPHELD, D(2021, 5, 1)
        ),
        AppealFact(
            1, AppealKind.RECONSIDERATION, D(2021, 11, 1), AppealResult.CORRECTED, D(2022, 2, 1)
        ),
        AppealFact(1, AppealKind.LITIGATION_AFTER, D(2021, 6, 1), AppealResult.PENDING),
        AppealFact(
            1, AppealKind.LITIGATION_DIRECT, D(2020, 6, 1), AppealResult.UPHELD, D(2021, 2, 1)
        ),
    ]
    built = build_report(FORMATS["2021"], compute_measures(year=2021, appeals=appeals))
    v = built.values
    assert v[("t4", "n", "reconsideration.upheld")] == 1
    assert v[("t4", "n", "reconsideration.pending")] == 1  # decided only in 2022
    assert v[("t4", "n", "reconsideration.total")] == 2
    assert v[("t4", "n", "litigation_after.pending")] == 1
    assert v[("t4", "n", "litigation_direct.total")] == 0  # filed in 2020


def test_catalogue_mailbox_and_entered_figures_reach_their_cells():
    measures = compute_measures(
        year=2021,
        catalog=[
            CatalogFacts(
                7,
                2021,
                published={PublicationChannel.WEBSITE: 120, PublicationChannel.WEIBO: 30},
                rules=(2, 1, 40),
                normative=(5, 0, 77),
            )
        ],
        mailbox=[MailboxFacts(7, 2021, received=200, answered=197)],
        entered={7: {"licensing.decisions": 1500, "fees.amount_wan": Decimal("12.3456")}},
    )
    v = build_report(FORMATS["2021"], measures).values
    assert (
        v[("t2", "rules", "made")],
        v[("t2", "rules", "repealed")],
        v[("t2", "rules", "in_force")],
    ) == (2, 1, 40)
    assert v[("t2", "normative", "in_force")] == 77
    assert v[("t2", "licensing", "decisions")] == 1500
    assert v[("t2", "fees", "amount")] == Decimal("12.3456")
    assert FORMATS["2021"].is_entered(("t2", "licensing", "decisions"))
    assert not FORMATS["2021"].is_entered(("t2", "rules", "made"))
    seed = build_report(FORMATS["2008"], measures).values
    assert seed[("t1", "total", "n")] == 150
    assert seed[("t2", "rate", "n")] == Decimal("98.50")


def test_mailbox_rate_rounds_half_up_like_the_seed():
    assert percent(23311, 23608) == Decimal("98.74")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(0, 0) == Decimal("0.00")


def test_unknown_decision_is_counted_as_other_with_a_warning():
    measures = compute_measures(
        year=2021, requests=[case(D(2021, 1, 5), D(2021, 1, 9), decision="mystery")]
    )
    v = build_report(FORMATS["2021"], measures).values
    assert v[("t3", "other.other", "natural_person")] == 1
    assert any("mystery" in w for w in measures.warnings)


def test_rollup_is_the_sum_of_agency_reports_and_rates_are_recomputed():
    fmt = FORMATS["2008"]
    a = evaluate(fmt, {"mail.received": 100, "mail.answered": 99, "req8.handled": 3})
    b = evaluate(fmt, {"mail.received": 300, "mail.answered": 250, "req8.handled": 5})
    total = rollup(fmt, [a, b])
    assert total[("t2", "received", "n")] == 400
    assert total[("t3", "total", "n")] == 8
    assert total[("t2", "rate", "n")] == Decimal("87.25")  # 349/400, not 99% + 83.33%


def test_adjustments_roll_up_and_cannot_touch_a_rate():
    fmt = FORMATS["2008"]
    measures = compute_measures(
        year=2018,
        mailbox=[MailboxFacts(1, 2018, 10, 9), MailboxFacts(2, 2018, 10, 10)],
    )
    built = build_report(fmt, measures, agency_adjustments={1: {("t2", "answered", "n"): 10}})
    assert built.values[("t2", "answered", "n")] == 20
    assert built.values[("t2", "rate", "n")] == Decimal("100.00")
    assert built.breakdown(("t2", "answered", "n")) == [(1, 10), (2, 10)]
    assert ("t2", "answered", "n") in built.adjusted_cells()
    with pytest.raises(ValueError, match="计算得出"):
        apply_adjustments(fmt, built.values, {("t2", "rate", "n"): 99})


def test_cross_year_carry_over_and_stock_warning():
    fmt = FORMATS["2021"]
    last = {cell: 0 for cell in fmt.cells()}
    this = dict(last)
    last[("t3", "carry_next", "natural_person")] = 5
    last[("t3", "carry_next", "total")] = 5
    this[("t3", "carried", "natural_person")] = 4
    this[("t3", "carried", "total")] = 4
    last[("t2", "rules", "in_force")] = 10
    this[("t2", "rules", "in_force")] = 12
    this[("t2", "rules", "made")] = 1
    result = validate_cross_year(FORMATS["2019"], last, fmt, this)
    errors = {f.key for f in result.errors}
    assert errors == {"t3.carry_over[natural_person]", "t3.carry_over[total]"}
    assert [f.key for f in result.warnings] == []  # 2019's 对外公开总数量 is not a 现行有效 stock
    result = validate_cross_year(fmt, last, fmt, this)
    assert {f.key for f in result.warnings} == {"t2.stock.rules[in_force]"}


# property tests: any records give a report whose identities hold

decisions = st.sampled_from([d.code for d in DECISIONS])
days = st.integers(min_value=0, max_value=3 * 365)


@st.composite
def request_facts(draw):
    received = D(2020, 1, 1) + dt.timedelta(days=draw(days))
    closed = None
    if draw(st.booleans()):
        closed = received + dt.timedelta(days=draw(st.integers(0, 90)))
    return RequestFact(
        agency_id=draw(st.integers(1, 4)),
        applicant_type=draw(st.sampled_from(list(ApplicantType))),
        channel=draw(st.sampled_from(list(RequestChannel))),
        received=received,
        closed=closed,
        decision=draw(decisions) if closed else None,
        extended=draw(st.booleans()),
        on_time=draw(st.sampled_from([True, False])) if closed else None,
    )


appeal_facts = st.builds(
    AppealFact,
    agency_id=st.integers(1, 4),
    kind=st.sampled_from(list(AppealKind)),
    filed=st.dates(D(2020, 6, 1), D(2022, 6, 1)),
    result=st.sampled_from(list(AppealResult)),
    decided=st.one_of(st.none(), st.dates(D(2020, 6, 1), D(2023, 1, 1))),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(request_facts(), max_size=60),
    st.lists(appeal_facts, max_size=10),
    st.sampled_from(["2008", "2019", "2021"]),
)
def test_any_records_give_a_report_whose_identities_hold(requests, appeals, code):
    fmt = FORMATS[code]
    measures = compute_measures(year=2021, requests=requests, appeals=appeals)
    built = build_report(fmt, measures)
    assert validate(fmt, built.values).ok
    per_agency_total = rollup(fmt, built.per_agency.values())
    assert per_agency_total == built.values


@settings(max_examples=40, deadline=None)
@given(st.lists(request_facts(), min_size=1, max_size=40), st.data())
def test_consecutive_years_carry_over_exactly(requests, data):
    fmt = FORMATS["2021"]
    last = build_report(fmt, compute_measures(year=2021, requests=requests)).values
    this = build_report(fmt, compute_measures(year=2022, requests=requests)).values
    assert validate_cross_year(fmt, last, fmt, this).ok


@settings(max_examples=60, deadline=None)
@given(st.lists(request_facts(), max_size=40), st.data())
def test_one_changed_cell_is_refused_and_named(requests, data):
    fmt = FORMATS["2021"]
    values = dict(build_report(fmt, compute_measures(year=2021, requests=requests)).values)
    t3 = fmt.table("t3").cells()
    cell = data.draw(st.sampled_from(t3))
    values[cell] += data.draw(st.integers(1, 50))
    result = validate(fmt, values)
    assert not result.ok
    assert cell in result.suspects()
    for failure in result.errors:
        assert cell in [c for c, _v in failure.cells]


def test_sentences_state_figures_and_leave_out_zero_fragments():
    fmt = FORMATS["2008"]
    values = {cell: 0 for cell in fmt.cells()}
    values[("t3", "late", "n")] = 0
    values[("t3", "open", "n")] = 2
    ctx = Context(2018, "示例市人民政府", "全市")
    text = render_sentence(
        "按时办结{t3:on_time:n}件[，逾期办结{t3:late:n}件][，尚未办结{t3:open:n}件]。",
        fmt,
        values,
        {},
        ctx,
    )
    assert text == "按时办结0件，尚未办结2件。"
    assert render_sentence("?{t5:fee:n}>0:收费{t5:fee:n}元。", fmt, values, {}, ctx) is None
    assert render_sentence("?{t5:fee:n}=0:{subject}免费。", fmt, values, {}, ctx) == "全市免费。"
    assert (
        render_sentence("共{m:pub.*}条", fmt, values, {"pub.website": 3, "pub.weibo": 4}, ctx)
        == "共7条"
    )


def test_draft_states_figures_and_marks_what_to_write():
    fmt = FORMATS["2021"]
    measures = compute_measures(year=2021, requests=[case(D(2021, 1, 5), D(2021, 1, 9))])
    built = build_report(fmt, measures)
    draft = draft_narrative(fmt, built.values, built.measures, Context(2021, "测试局", "本机关"))
    assert "全年新收政府信息公开申请1件" in draft["overview"]
    assert "本年度未收取信息处理费。" in draft["other"]
    assert TO_FILL in draft["problems"]
    problems = narrative_problems(fmt, draft)
    assert len(problems) == 2  # overview and problems still carry the marker
    draft["overview"] = "全年工作情况。"
    draft["problems"] = "存在的问题。"
    assert narrative_problems(fmt, draft) == []


def test_history_charts_are_accessible_svg():
    summaries = [
        year_summary(
            2020, {"req8.channel.online": 3, "req8.timing.on_time": 2, "req8.timing.late": 1}
        ),
        year_summary(
            2021,
            {
                "req8.channel.letter": 5,
                "req8.timing.on_time": 5,
                "appeal.reconsideration.upheld": 2,
            },
        ),
    ]
    charts = history_charts(summaries, subject="本机关")
    assert [c.key for c in charts] == [
        "chart-channels",
        "chart-outcomes",
        "chart-ontime",
        "chart-appeals",
    ]
    ontime = charts[2]
    assert ontime.series[0].values == (pytest.approx(66.67), 100.0)
    svg = render_svg(charts[0])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "2020年" in charts[0].desc and "信函5" in charts[0].desc
