"""Shortcuts for mailbox tests: letters made through the real services."""

from __future__ import annotations

import datetime as dt

from gongkai.apps.mailbox.services import letter_submit, orders_take_in
from gongkai.domain.mailbox import HotlineOrder

WRITER = {"writer_name": "王小明", "writer_phone": "13912345678", "writer_email": "wxm@example.com"}


def write(
    to=None,
    *,
    category="consult",
    subject="公交线路咨询",
    content="请问12路公交车首末班时间是几点？",
    **extra,
):
    fields = {**WRITER, **extra}
    return letter_submit(
        actor=fields.pop("actor", None),
        category=category,
        addressee=to,
        subject=subject,
        content=content,
        **fields,
    )


def order(
    order_no: str,
    called_at: dt.datetime,
    agency: str = "",
    content: str = "路灯不亮，请维修。",
    **extra,
) -> HotlineOrder:
    values = {
        "line": extra.pop("line", 1),
        "order_no": order_no,
        "called_at": called_at,
        "caller_name": "李先生",
        "caller_phone": "13700001111",
        "content": content,
        "agency": agency,
        "category": None,
        "subject": "",
    }
    values.update(extra)
    return HotlineOrder(**values)


def take_in(actor, *orders):
    return orders_take_in(actor=actor, orders=list(orders))
