"""Deployment checks of the task engine (``gongkai check --deploy``)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility, deploy=True)
def broker_configured(app_configs, **kwargs):
    if settings.GONGKAI_BROKER_URL.startswith("filesystem:"):
        return [
            checks.Warning(
                "未设置 GONGKAI_BROKER_URL：任务队列是本机上的目录，只能在一台机器上运行，"
                "后台任务进程被强制结束时正在执行的任务会丢失。",
                hint="生产环境请使用 RabbitMQ（amqp://…），见 docs/deploy.md 和 ADR 0120。",
                id="gongkai.W120",
            )
        ]
    return []
