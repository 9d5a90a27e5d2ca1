"""Logs, metrics and the request watchdog: how operators see the platform run (ADR 0123).

Neither domain nor app: the settings module names the logging classes here, the WSGI entry
point wraps the application in the watchdog, and the ``ops`` views read the metrics.
"""
