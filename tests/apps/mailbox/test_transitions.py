"""The letter's state changes go through the shared frame: the state comes from the table,
the audit event carries the diff and the action's label."""

import json

import pytest

from gongkai.apps.audit.models import AuditEvent
from gongkai.apps.mailbox.errors import MailboxPermissionDenied
from gongkai.apps.mailbox.models import Letter, LetterStatus
from gongkai.apps.mailbox.services import letter_answer, letter_assign, letter_mark_invalid
from gongkai.domain.actions import TransitionNotAllowed
from gongkai.domain.mailbox import LETTER_STATES, LetterAction, LetterState
from gongkai.domain.vocabulary import action_label
from tests.apps.mailbox.helpers import write

REPLY = "您好！12路公交车首班6:00，末班21:30。感谢来信。"


def test_the_models_states_are_the_domains_states():
    assert LetterStatus.choices == LetterState.choices()


def test_the_table_closes_a_letter_once():
    assert LETTER_STATES.next(LetterState.REVIEW, LetterAction.ANSWER) == LetterState.ANSWERED
    assert LETTER_STATES.next(LetterState.RECEIVED, LetterAction.REDIRECT) == (
        LetterState.REDIRECTED
    )
    for closed in (LetterState.ANSWERED, LetterState.INVALID, LetterState.CONVERTED):
        for action in (LetterAction.ANSWER, LetterAction.TRANSFER, LetterAction.MARK_INVALID):
            with pytest.raises(TransitionNotAllowed):
                LETTER_STATES.next(closed, action)


def test_every_letter_action_has_its_label_in_the_audit_vocabulary():
    for action in LetterAction:
        assert action_label(action.value) == action.label != action.value


@pytest.mark.django_db
def test_an_answer_is_audited_with_the_state_diff_and_the_reply(mbw):
    letter = write(mbw.dept_a).letter
    letter_answer(actor=mbw.reviewer_a, letter=letter, text=REPLY)
    event = AuditEvent.objects.filter(object_id=str(letter.pk)).latest("id")
    assert event.action == "letter.answer"
    before, after = json.loads(event.before), json.loads(event.after)
    assert (before["status"], after["status"]) == ("handling", "answered")
    assert after["reply"] == REPLY
    assert "number" not in after  # only what changed, and what the step adds
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.ANSWERED


@pytest.mark.django_db
def test_a_closed_letter_refuses_every_further_change_and_stays_as_it_was(mbw):
    letter = write(mbw.dept_a).letter
    letter_mark_invalid(actor=mbw.reviewer_a, letter=letter, reason="重复来信")
    events = AuditEvent.objects.count()
    with pytest.raises(MailboxPermissionDenied):
        letter_answer(actor=mbw.reviewer_a, letter=letter, text=REPLY)
    with pytest.raises(MailboxPermissionDenied):
        letter_assign(actor=mbw.dispatcher, letter=letter, agency=mbw.dept_b, note="转办")
    stored = Letter.objects.get(pk=letter.pk)
    assert (stored.status, stored.agency_id, stored.reply) == (
        LetterStatus.INVALID,
        mbw.dept_a.pk,
        "",
    )
    assert AuditEvent.objects.count() == events
