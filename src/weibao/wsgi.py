"""WSGI entry point (gunicorn weibao.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")
application = get_wsgi_application()
