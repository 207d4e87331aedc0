"""Writes of the staff app: one transaction each, bilingual errors.

- :mod:`.team` — members, certificates, duty shifts (STF-01, STF-04);
- :mod:`.personal` — personal data and papers, who may see them (STF-02/03, PLT-02);
- :mod:`.attendance` — check-in/out, leave, closing days, corrections, rates (STF-04);
- :mod:`.changes` — personnel changes (STF-05).
"""

from weibao.staff.services.team import add_duty_shift, add_member

__all__ = ["add_duty_shift", "add_member"]
