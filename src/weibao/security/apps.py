from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "weibao.security"
    label = "security"
    verbose_name = _("Security")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.security import models

        auditlog.register(models.Lockout)
        auditlog.register(models.TotpDevice, exclude_fields=["secret", "last_step"])
        from django.contrib.auth.signals import user_logged_in

        from weibao.security.middleware import mark_signed_in

        user_logged_in.connect(mark_signed_in, dispatch_uid="security.mark_signed_in")
        from weibao.security.tokens import connect as connect_tokens

        connect_tokens()
        from weibao.security.audit_chain import connect as connect_audit_chain

        connect_audit_chain()
        from weibao.security.passwords import connect as connect_passwords

        connect_passwords()
        from weibao.core.fields import register_encrypted_column
        from weibao.security.second_factor import _CONTEXT as TOTP_CONTEXT

        register_encrypted_column("security.TotpDevice", "secret", TOTP_CONTEXT)
