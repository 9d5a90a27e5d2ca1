from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "gongkai.apps.notifications"
    label = "notifications"
    verbose_name = "站内通知"
