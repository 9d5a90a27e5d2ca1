import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (after the settings are configured)

if settings.GONGKAI_REQUEST_TIMEOUT:
    from gongkai.observability.watchdog import RequestWatchdog

    application = RequestWatchdog(application, settings.GONGKAI_REQUEST_TIMEOUT)
