"""Every write of the mailbox. One atomic, audited function per state change."""

from gongkai.apps.mailbox.services.hotline import (
    hotline_import_create,
    hotline_import_run,
    hotline_order_receive,
    import_content,
    orders_take_in,
)
from gongkai.apps.mailbox.services.letters import (
    LETTER_DUES,
    Submitted,
    letter_answer,
    letter_assign,
    letter_convert,
    letter_draft_save,
    letter_mark_invalid,
    letter_rate,
    letter_redirect,
    letter_return,
    letter_send_back,
    letter_submit,
    letter_submit_for_review,
    query_code_matches,
    time_limits_ensure_defaults,
)
from gongkai.apps.mailbox.services.publication import (
    letter_consent_withdraw,
    letter_publication_prepare,
    letter_publication_refuse,
    letter_publish,
)
from gongkai.apps.mailbox.services.routing import classifier_train, routing_suggestions

__all__ = [
    "LETTER_DUES",
    "Submitted",
    "classifier_train",
    "hotline_import_create",
    "hotline_import_run",
    "hotline_order_receive",
    "import_content",
    "letter_answer",
    "letter_assign",
    "letter_consent_withdraw",
    "letter_convert",
    "letter_draft_save",
    "letter_mark_invalid",
    "letter_publication_prepare",
    "letter_publication_refuse",
    "letter_publish",
    "letter_rate",
    "letter_redirect",
    "letter_return",
    "letter_send_back",
    "letter_submit",
    "letter_submit_for_review",
    "orders_take_in",
    "query_code_matches",
    "routing_suggestions",
    "time_limits_ensure_defaults",
]
