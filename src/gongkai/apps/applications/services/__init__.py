"""Every write of the 依申请公开 context. Import services from here.

Intake (``application_register``) is what other contexts call: the mailbox converts letters
that are really disclosure requests with it.
"""

from gongkai.apps.applications.services.appeals import appeal_decide, appeal_record
from gongkai.apps.applications.services.deadlines import (
    DUE_SOURCE,
    applications_recompute_deadlines,
    applications_remind,
)
from gongkai.apps.applications.services.intake import (
    application_document_add,
    application_document_withdraw,
    application_register,
    query_code_matches,
)
from gongkai.apps.applications.services.letters import preview_letter
from gongkai.apps.applications.services.proactive import (
    proactive_create_draft,
    proactive_dismiss,
)
from gongkai.apps.applications.services.workflow import (
    application_accept,
    application_archive,
    application_assign,
    application_consult_end,
    application_consult_start,
    application_correction_receive,
    application_correction_request,
    application_deliver,
    application_extension_approve,
    application_extension_reject,
    application_extension_request,
    application_fee_notice,
    application_fee_paid,
    application_fee_served,
    application_notice_contacts_set,
    application_reasons_accept,
    application_reasons_request,
    application_reply_approve,
    application_reply_draft,
    application_reply_return,
    application_withdraw,
    fee_period,
    fee_quote,
    reasons_period,
)

__all__ = [
    "DUE_SOURCE",
    "appeal_decide",
    "appeal_record",
    "application_accept",
    "application_archive",
    "application_assign",
    "application_consult_end",
    "application_consult_start",
    "application_correction_receive",
    "application_correction_request",
    "application_deliver",
    "application_document_add",
    "application_document_withdraw",
    "application_extension_approve",
    "application_extension_reject",
    "application_extension_request",
    "application_fee_notice",
    "application_fee_paid",
    "application_fee_served",
    "application_notice_contacts_set",
    "application_reasons_accept",
    "application_reasons_request",
    "application_register",
    "application_reply_approve",
    "application_reply_draft",
    "application_reply_return",
    "application_withdraw",
    "applications_recompute_deadlines",
    "applications_remind",
    "fee_period",
    "fee_quote",
    "preview_letter",
    "proactive_create_draft",
    "proactive_dismiss",
    "query_code_matches",
    "reasons_period",
]
