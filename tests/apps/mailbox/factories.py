"""Letters for tests, written straight to the table (services are tested on their own)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from gongkai.apps.mailbox.models import Letter, LetterSource, LetterStatus
from gongkai.domain.mailbox import format_letter_number

_seq = itertools.count(1)


def make_letter(agency, **fields: Any) -> Letter:
    received_on: dt.date = fields.pop("received_on", dt.date(2018, 3, 5))
    received_at = fields.pop(
        "received_at",
        timezone.make_aware(dt.datetime.combine(received_on, dt.time(9, 30))),
    )
    status = fields.pop("status", LetterStatus.HANDLING)
    values: dict[str, Any] = {
        "number": format_letter_number(received_on, next(_seq)),
        "source": LetterSource.PORTAL,
        "category": "consult",
        "subject": "公交线路咨询",
        "content": "请问公交线路何时调整？",
        "writer_name": "王五",
        "writer_phone": "13900001111",
        "status": status,
        "agency": agency,
        "received_at": received_at,
        "received_on": received_on,
        "time_limit_days": 5,
        "due_date": received_on + dt.timedelta(days=7),
    }
    values.update(fields)
    if values["status"] in (
        LetterStatus.ANSWERED,
        LetterStatus.REDIRECTED,
        LetterStatus.CONVERTED,
    ):
        replied_on = values.setdefault("replied_on", received_on + dt.timedelta(days=3))
        values.setdefault(
            "replied_at", timezone.make_aware(dt.datetime.combine(replied_on, dt.time(15, 0)))
        )
        values.setdefault("reply", "您好，已答复。")
        values.setdefault("on_time", replied_on <= values["due_date"])
    return Letter.objects.create(**values)
