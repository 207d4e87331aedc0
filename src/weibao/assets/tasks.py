"""Background tasks of the assets domain (run by the huey worker)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from weibao.assets.services.certificates import raise_expiry_warnings


@db_periodic_task(crontab(hour="6", minute="30"))
def certificate_expiry_warnings() -> None:
    """Daily: record the 90/30/7-day expiry warnings of certificates and e-seals (AST-07)."""
    raise_expiry_warnings(timezone.localdate())
