from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "gongkai.apps.reporting"
    label = "reporting"
    verbose_name = "年度报告"
