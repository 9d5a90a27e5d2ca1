"""Every write of the catalogue: one atomic, audited function per state change.

Other contexts call ``document_draft_create`` (依申请公开, Art. 44) and
``document_publish_annual_report`` (annual reports).
"""

from gongkai.apps.catalog.services.channels import (
    catalog_settings_set_pattern,
    channel_tally_set,
    document_channel_remove,
    document_channel_set,
)
from gongkai.apps.catalog.services.documents import (
    allocate_index_no,
    document_approve,
    document_draft_create,
    document_draft_delete,
    document_draft_update,
    document_publish,
    document_publish_annual_report,
    document_republish,
    document_return,
    document_revise,
    document_submit,
    document_validity_set,
    document_withdraw,
)
from gongkai.apps.catalog.services.gazette import (
    gazette_issue_create,
    gazette_issue_pdf_enqueue,
    gazette_issue_publish,
    gazette_issue_render_pdf,
    gazette_issue_set_documents,
)

__all__ = [
    "allocate_index_no",
    "catalog_settings_set_pattern",
    "channel_tally_set",
    "document_approve",
    "document_channel_remove",
    "document_channel_set",
    "document_draft_create",
    "document_draft_delete",
    "document_draft_update",
    "document_publish",
    "document_publish_annual_report",
    "document_republish",
    "document_return",
    "document_revise",
    "document_submit",
    "document_validity_set",
    "document_withdraw",
    "gazette_issue_create",
    "gazette_issue_pdf_enqueue",
    "gazette_issue_publish",
    "gazette_issue_render_pdf",
    "gazette_issue_set_documents",
]
