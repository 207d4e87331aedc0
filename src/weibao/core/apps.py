from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "weibao.core"
    label = "core"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save
        from rest_framework.authtoken.models import Token

        from weibao.core import audit  # noqa: F401  (registers audited models)
        from weibao.core.api.authentication import forget_tokens

        for model in (Token, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(forget_tokens, sender=model,
                               dispatch_uid=f"forget-tokens-{model.__name__}-{id(signal)}")
