"""Reads the case services and the selectors share: today's date, a case's facts for the state
table, the check of a query code and the key of a proactive suggestion. They write nothing, so
the selectors import them from here rather than from the services (ADR 0186)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from gongkai import clock
from gongkai.apps.applications.models import Application
from gongkai.domain.casestates import CaseFacts, CaseState, ExtensionStatus


def today() -> dt.date:
    return clock.today()


def facts(application: Application, on: dt.date | None = None) -> CaseFacts:
    on = on or today()
    return CaseFacts(
        state=CaseState(application.state),
        correction_sent=application.correction_sent_on is not None,
        correction_received=application.correction_received_on is not None,
        correction_lapsed=bool(
            application.state == CaseState.CORRECTION
            and application.correction_until
            and on > application.correction_until
        ),
        extension=ExtensionStatus(application.extension_status),
        fee_noticed=application.fee_noticed_on is not None,
        fee_served=application.fee_served_on is not None,
        fee_lapsed=bool(
            application.state == CaseState.FEE
            and application.fee_pay_until
            and on > application.fee_pay_until
        ),
        reasons_requested=application.reasons_requested_on is not None,
    )


def normalize_query_code(code: str) -> str:
    return re.sub(r"[\s\-－—]", "", code or "").upper()


def hash_query_code(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{normalize_query_code(code)}".encode()).hexdigest()


def query_code_matches(application: Application, code: str) -> bool:
    return hmac.compare_digest(
        application.query_code_hash, hash_query_code(application.query_code_salt, code)
    )


def suggestion_key(application_ids: list[int]) -> str:
    return hashlib.sha256(",".join(str(i) for i in sorted(application_ids)).encode()).hexdigest()
