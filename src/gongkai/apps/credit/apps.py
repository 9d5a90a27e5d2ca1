from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "gongkai.apps.credit"
    label = "credit"
    verbose_name = "双公示"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.credit.exchange import exchange_yesterday
        from gongkai.apps.credit.permissions import can_see_backoffice
        from gongkai.apps.credit.services import CREDIT_DUES, records_expire
        from gongkai.apps.credit.workqueue import credit_workqueue
        from gongkai.registry import (
            NavEntry,
            PeriodicWork,
            register_backoffice_nav,
            register_due_source,
            register_periodic,
            register_portal_nav,
            register_workqueue,
        )

        register_periodic(
            PeriodicWork(
                "credit.expire",
                "双公示信息公示期满撤下",
                lambda now: records_expire(now=now),
                at=(0, 20),
            )
        )
        register_periodic(
            PeriodicWork(
                "credit.exchange",
                "生成前一日信用信息交换批次",
                lambda now: exchange_yesterday(now),
                at=(1, 10),
            )
        )
        register_due_source(CREDIT_DUES)
        register_workqueue(credit_workqueue)
        register_portal_nav(NavEntry(65, "信用信息", "credit:index"))
        register_backoffice_nav(NavEntry(65, "双公示", "credit:bo_list", can_see_backoffice))
