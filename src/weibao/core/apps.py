from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    label = "core"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from rest_framework.authtoken.models import Token

        from weibao.core import audit, checks  # noqa: F401  (audited models, system checks)
        from weibao.core.api.authentication import forget_tokens
        from weibao.core.stamped import expire_on_write

        expire_on_write(forget_tokens, Token, get_user_model())
