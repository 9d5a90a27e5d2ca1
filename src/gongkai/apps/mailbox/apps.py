from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "gongkai.apps.mailbox"
    label = "mailbox"
    verbose_name = "政府信箱"

    def ready(self) -> None:
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.accounts.permissions import is_staff_member
        from gongkai.apps.mailbox import cli, tasks
        from gongkai.apps.mailbox.permissions import can_import_hotline, can_train_classifier
        from gongkai.apps.mailbox.services.hotline import JOB_KIND as IMPORT_JOB
        from gongkai.apps.mailbox.services.letters import LETTER_DUES
        from gongkai.apps.mailbox.services.routing import JOB_KIND as TRAIN_JOB
        from gongkai.apps.mailbox.views.home import home_section
        from gongkai.apps.mailbox.workqueue import mailbox_sections
        from gongkai.registry import (
            NavEntry,
            register_backoffice_nav,
            register_due_source,
            register_job,
            register_portal_home_section,
            register_portal_nav,
            register_workqueue,
        )
        from gongkai.seeding import reseed_when_empty

        reseed_when_empty(
            self,
            model="mailbox.TimeLimit",
            migration="0002_default_time_limits",
            function="add_defaults",
        )
        # deferred: imported in ready(), once the app registry is loaded
        from gongkai.apps.mailbox.services.publication import public_letter_refresh
        from gongkai.apps.privacy.services import register_rendition_refresh

        register_rendition_refresh("mailbox.letter", public_letter_refresh)
        cli.register()
        register_job(IMPORT_JOB, tasks.run_hotline_import, time_limit=2 * 3600)
        register_job(TRAIN_JOB, tasks.run_classifier_training, time_limit=3600)
        register_workqueue(mailbox_sections)
        register_due_source(LETTER_DUES)
        register_portal_nav(NavEntry(40, "政府信箱", "mailbox:index"))
        register_portal_nav(NavEntry(910, "我的信件", "mailbox:mine"))
        register_portal_home_section(40, home_section)
        register_backoffice_nav(NavEntry(40, "信件", "mailbox:bo_letters", is_staff_member))
        register_backoffice_nav(
            NavEntry(41, "12345工单导入", "mailbox:bo_imports", can_import_hotline)
        )
        register_backoffice_nav(NavEntry(42, "信箱统计", "mailbox:bo_stats", is_staff_member))
        register_backoffice_nav(
            NavEntry(43, "分办模型", "mailbox:bo_classifier", can_train_classifier)
        )
