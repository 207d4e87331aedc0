from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "weibao.staff"
    label = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from weibao.staff.spec import register_section

        register_section()
        from auditlog.registry import auditlog

        from weibao.staff import models
        from weibao.staff.importers import register_importers

        for model in (models.Member, models.Certificate, models.DutyShift, models.Leave,
                      models.AttendanceCorrection, models.PersonnelChange, models.MemberDocument):
            auditlog.register(model)
        # the audit log keeps personal data masked, never in clear (PLT-02)
        auditlog.register(models.PersonalData, mask_fields=["id_number", "phone"])
        register_importers()
        from weibao.staff.notices import register_events

        register_events()
