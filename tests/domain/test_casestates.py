"""The transition table of a case: states as the law names them, guards as it requires."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.domain.casestates import (
    CLOSED_STATES,
    OPEN_STATES,
    TRANSITIONS,
    CaseAction,
    CaseFacts,
    CaseState,
    ExtensionStatus,
    TransitionNotAllowed,
    allowed_decisions,
    available_actions,
    check,
)
from gongkai.domain.decisions import DECISIONS

CODES = tuple(d.code for d in DECISIONS)
S, A = CaseState, CaseAction


def test_labels_are_the_legal_terms():
    assert [s.label for s in CaseState] == [
        "已登记",
        "办理中",
        "待补正",
        "征求意见中",
        "待缴费",
        "待说明理由",
        "待审核",
        "已答复",
        "已送达",
        "已归档",
        "已撤回",
    ]


@pytest.mark.parametrize(
    ("intent", "facts", "action", "after"),
    [
        ("registered case is accepted", CaseFacts(S.REGISTERED), A.ACCEPT, S.PROCESSING),
        (
            "补正 notice stops processing",
            CaseFacts(S.PROCESSING),
            A.CORRECTION_REQUEST,
            S.CORRECTION,
        ),
        (
            "补正 material resumes processing",
            CaseFacts(S.CORRECTION, correction_sent=True),
            A.CORRECTION_RECEIVE,
            S.PROCESSING,
        ),
        ("consultation", CaseFacts(S.PROCESSING), A.CONSULT_START, S.CONSULTING),
        ("fee notice", CaseFacts(S.PROCESSING), A.FEE_NOTICE, S.FEE),
        ("draft goes to review", CaseFacts(S.PROCESSING), A.REPLY_DRAFT, S.REVIEW),
        ("approval issues the reply", CaseFacts(S.REVIEW), A.REPLY_APPROVE, S.REPLIED),
        ("return goes back to processing", CaseFacts(S.REVIEW), A.REPLY_RETURN, S.PROCESSING),
        ("delivery", CaseFacts(S.REPLIED), A.DELIVER, S.DELIVERED),
        ("archive after delivery", CaseFacts(S.DELIVERED), A.ARCHIVE, S.ARCHIVED),
        ("archive after withdrawal", CaseFacts(S.WITHDRAWN), A.ARCHIVE, S.ARCHIVED),
        ("extension keeps the state", CaseFacts(S.PROCESSING), A.EXTENSION_REQUEST, S.PROCESSING),
        (
            "lapsed 补正 can be closed",
            CaseFacts(S.CORRECTION, correction_sent=True, correction_lapsed=True),
            A.REPLY_DRAFT,
            S.REVIEW,
        ),
        ("第三十五条: ask for reasons", CaseFacts(S.PROCESSING), A.REASONS_REQUEST, S.REASONS),
        (
            "reasonable reasons: back to 办理",
            CaseFacts(S.REASONS, reasons_requested=True),
            A.REASONS_ACCEPT,
            S.PROCESSING,
        ),
        (
            "no or unreasonable reasons: 不予处理",
            CaseFacts(S.REASONS, reasons_requested=True),
            A.REPLY_DRAFT,
            S.REVIEW,
        ),
        (
            "lapsed fee can be closed",
            CaseFacts(S.FEE, fee_noticed=True, fee_lapsed=True),
            A.REPLY_DRAFT,
            S.REVIEW,
        ),
    ],
)
def test_allowed_transitions(intent, facts, action, after):
    assert check(facts, action) is after, intent


@pytest.mark.parametrize(
    ("intent", "facts", "action", "message"),
    [
        (
            "补正 is one-time",
            CaseFacts(S.PROCESSING, correction_sent=True),
            A.CORRECTION_REQUEST,
            "一次性告知",
        ),
        (
            "one extension only",
            CaseFacts(S.PROCESSING, extension=ExtensionStatus.APPROVED),
            A.EXTENSION_REQUEST,
            "只能申请一次",
        ),
        ("nothing to approve", CaseFacts(S.PROCESSING), A.EXTENSION_APPROVE, "没有待审批"),
        (
            "补正 period still running",
            CaseFacts(S.CORRECTION, correction_sent=True),
            A.REPLY_DRAFT,
            "补正期限尚未届满",
        ),
        (
            "payment period still running",
            CaseFacts(S.FEE, fee_noticed=True),
            A.REPLY_DRAFT,
            "缴费期限尚未届满",
        ),
        ("cannot reply before acceptance", CaseFacts(S.REGISTERED), A.REPLY_DRAFT, "已登记"),
        ("replied case cannot be withdrawn", CaseFacts(S.REPLIED), A.WITHDRAW, "已答复"),
        ("archived is final", CaseFacts(S.ARCHIVED), A.ARCHIVE, "已归档"),
        (
            "second fee notice",
            CaseFacts(S.PROCESSING, fee_noticed=True),
            A.FEE_NOTICE,
            "收费通知已发出",
        ),
    ],
)
def test_refused_transitions_say_why_in_chinese(intent, facts, action, message):
    with pytest.raises(TransitionNotAllowed, match=message):
        check(facts, action)


def test_withdrawal_is_open_in_every_open_state_and_only_there():
    for state in CaseState:
        assert (A.WITHDRAW in available_actions(CaseFacts(state))) == (state in OPEN_STATES)


def test_archived_accepts_nothing_but_appeals():
    assert available_actions(CaseFacts(S.ARCHIVED)) == [A.APPEAL_RECORD]


def test_decisions_by_situation():
    processing = allowed_decisions(CaseFacts(S.PROCESSING), CODES)
    assert "disclosed" in processing and "not_exist" in processing
    assert "other.withdrawn" not in processing
    assert "other.no_correction" not in processing and "other.fee_unpaid" not in processing
    assert "unclear" not in processing  # needs a 补正 first
    assert "unclear" in allowed_decisions(CaseFacts(S.PROCESSING, correction_received=True), CODES)
    lapsed = CaseFacts(S.CORRECTION, correction_sent=True, correction_lapsed=True)
    assert allowed_decisions(lapsed, CODES) == ("other.no_correction",)
    assert allowed_decisions(CaseFacts(S.FEE, fee_lapsed=True), CODES) == ("other.fee_unpaid",)
    assert allowed_decisions(CaseFacts(S.REVIEW), CODES) == ()


facts_strategy = st.builds(
    CaseFacts,
    state=st.sampled_from(list(CaseState)),
    correction_sent=st.booleans(),
    correction_received=st.booleans(),
    correction_lapsed=st.booleans(),
    extension=st.sampled_from(list(ExtensionStatus)),
    fee_noticed=st.booleans(),
    fee_lapsed=st.booleans(),
)


@given(facts_strategy)
def test_available_actions_always_lead_to_a_state_in_the_table(facts):
    for action in available_actions(facts):
        assert (facts.state, action) in TRANSITIONS
        assert check(facts, action) in CaseState


@given(st.lists(st.sampled_from(list(CaseAction)), max_size=30))
def test_any_walk_through_the_table_stays_consistent(actions):
    """Closed states are never left for an open one; an action refused leaves the state alone."""
    facts = CaseFacts(S.REGISTERED)
    for action in actions:
        try:
            after = check(facts, action)
        except TransitionNotAllowed:
            continue
        if facts.state in CLOSED_STATES:
            assert after in CLOSED_STATES
        facts = CaseFacts(
            after,
            correction_sent=facts.correction_sent or action is A.CORRECTION_REQUEST,
            correction_received=facts.correction_received or action is A.CORRECTION_RECEIVE,
            extension=ExtensionStatus.REQUESTED
            if action is A.EXTENSION_REQUEST
            else ExtensionStatus.APPROVED
            if action is A.EXTENSION_APPROVE
            else facts.extension,
            fee_noticed=facts.fee_noticed or action is A.FEE_NOTICE,
        )


def test_excessive_requests_are_refused_only_after_reasons_were_asked_for():
    """条例第三十五条: 不予处理 follows a request for reasons, never straight from 办理."""
    assert "ignored.excessive" not in allowed_decisions(CaseFacts(S.PROCESSING), CODES)
    assert allowed_decisions(CaseFacts(S.REASONS, reasons_requested=True), CODES) == (
        "ignored.excessive",
    )
    with pytest.raises(TransitionNotAllowed, match="不能再次要求"):
        check(CaseFacts(S.PROCESSING, reasons_requested=True), A.REASONS_REQUEST)
