from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "gongkai.apps.privacy"
    label = "privacy"
    verbose_name = "隐私审查"
