from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "weibao.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from weibao.notifications import kinds, models
        from weibao.notifications.spec import register_section

        # Secrets are encrypted in the column; the audit log never records them.
        auditlog.register(models.Channel, exclude_fields=["secret", "address"])
        auditlog.register(models.RecipientRule)
        kinds.register_builtin()
        from weibao.core.fields import register_encrypted_column

        for column in ("address", "secret"):  # re-encrypted by ``weibao rekey`` (PLT-02)
            register_encrypted_column("notifications.Channel", column,
                                      f"notifications.channel.{column}")
        register_section()
