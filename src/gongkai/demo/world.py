"""The demo city (示例市): every app contributes a step; each step loads once.

``gongkai demo`` runs the registered steps in order inside one transaction each and records
them in DemoStepRun, so running it twice changes nothing. Demo data is generated with a fixed
seed, so every machine gets the same city.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from gongkai import clock, pagecache
from gongkai.apps.accounts.models import User
from gongkai.apps.audit.actors import Actor
from gongkai.apps.audit.services import SYSTEM
from gongkai.apps.organizations.models import Agency
from gongkai.apps.portal.models import DemoStepRun
from gongkai.demo import register_steps
from gongkai.demo.steps import DEMO_PASSWORD, demo_logins, demo_steps

DEMO_SEED = 20181231


@dataclass
class World:
    """What demo steps share: a seeded RNG, the system actor and lookups into loaded data."""

    seed: int = DEMO_SEED
    actor: Actor = SYSTEM
    today: dt.date = field(default_factory=lambda: clock.today())
    rng: random.Random = field(init=False)
    _cache: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def rng_for(self, name: str) -> random.Random:
        """An independent deterministic RNG per step, so steps don't disturb each other."""
        return random.Random(f"{self.seed}:{name}")

    def agency(self, code: str):
        key = f"agency:{code}"
        if key not in self._cache:
            self._cache[key] = Agency.objects.get(code=code)
        return self._cache[key]

    def user(self, username: str):
        key = f"user:{username}"
        if key not in self._cache:
            self._cache[key] = User.objects.get(username=username)
        return self._cache[key]


def demo_load(*, verbose: bool = False, only: list[str] | None = None) -> list[str]:
    """Run every demo step not yet loaded; return the names of the steps run."""
    register_steps()
    world = World()
    ran: list[str] = []
    done = set(DemoStepRun.objects.values_list("name", flat=True))
    for step in demo_steps:
        if step.name in done or (only is not None and step.name not in only):
            continue
        started = time.monotonic()
        if verbose:
            sys.stdout.write(f"载入示例数据：{step.name} …\n")
            sys.stdout.flush()
        with transaction.atomic():
            step.run(world)
            DemoStepRun.objects.create(name=step.name, seconds=time.monotonic() - started)
        ran.append(step.name)
    if ran:
        # the steps write rows in bulk (bulk_create, update), which send no signal: every
        # cached page is made stale at once (ADR 0110)
        pagecache.bump("site")
    if verbose:
        if ran:
            print(f"示例数据已载入（{len(ran)} 个步骤）。")
        else:
            print("示例数据此前已载入，本次未作改动。")
    return ran


def print_logins(stream=None) -> None:
    out = stream or sys.stdout
    register_steps()
    out.write(f"\n示例账户（密码均为 {DEMO_PASSWORD}）：\n")
    for login in demo_logins:
        out.write(f"  {login.label:<24} {login.username}\n")
    out.write("\n门户网站： http://127.0.0.1:8000/\n工作台：   http://127.0.0.1:8000/backoffice/\n")
    out.write(delivery_note() + "\n\n")


def delivery_note() -> str:
    """Where the demo's notices to applicants go instead of real mail and text messages."""
    from django.conf import settings

    lines = ["发给申请人的通知（告知书、答复书）："]
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        lines.append(f"  电子邮件写入 {settings.EMAIL_FILE_PATH}/ （每封一个文件）")
    else:
        lines.append(f"  电子邮件经 {settings.EMAIL_BACKEND} 发送")
    if settings.GONGKAI_SMS_BACKEND.endswith("LoggingSmsBackend"):
        lines.append(f"  短信写入 {settings.GONGKAI_SMS_OUTBOX} （每条一行）")
    else:
        lines.append(f"  短信经 {settings.GONGKAI_SMS_BACKEND} 发送")
    return "\n".join(lines)
