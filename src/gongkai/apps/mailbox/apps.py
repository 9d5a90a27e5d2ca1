from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "gongkai.apps.mailbox"
    label = "mailbox"
    verbose_name = "政府信箱"
