"""The mailbox section on the portal home page."""

from __future__ import annotations

from django.core.cache import cache

from gongkai import clock
from gongkai.apps.mailbox import selectors


def home_section(request) -> dict:
    year = clock.today().year
    key = f"mailbox:home:{selectors.public_count_version()}:{clock.today()}"
    data = cache.get(key)
    if data is None:
        data = {
            "letters": list(
                selectors.public_letters().only(
                    "number", "subject", "replied_on", "agency__name", "agency__short_name"
                )[:6]
            ),
            "year": year,
            "total": selectors.mailbox_total(year=year),
        }
        cache.set(key, data, timeout=300)
    return {"template": "mailbox/_home.html", **data}
