"""Quiet hours (免打扰): when a person's e-mail or SMS may go out. The centre always
receives at once; an urgent event (a level I fault, 一级故障) ignores quiet hours."""

from __future__ import annotations

import datetime

from django.utils import timezone

from weibao.notifications.models import Preference

__all__ = ["in_quiet_window", "release_time"]


def in_quiet_window(preference: Preference, moment: datetime.time) -> bool:
    start, end = preference.quiet_start, preference.quiet_end
    if start is None or end is None:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end  # overnight, e.g. 22:00–07:00


def _next_day(local: datetime.datetime) -> datetime.datetime:
    return local.replace(hour=0, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)


def release_time(preference: Preference, now: datetime.datetime) -> datetime.datetime:
    """The first moment from ``now`` outside the person's quiet hours — and, when they ask,
    on a working day of the national calendar (holidays and 调休 included; a day beyond the
    entered years counts as working rather than hold messages back)."""
    if preference.quiet_start is None and not preference.quiet_non_working_days:
        return now
    from weibao.calendars.selectors import is_national_working_day

    local = timezone.localtime(now)
    for _step in range(40):  # a Spring Festival week plus its nights, with room to spare
        if preference.quiet_non_working_days and is_national_working_day(local.date()) is False:
            local = _next_day(local)
            continue
        if in_quiet_window(preference, local.time()):
            end = preference.quiet_end
            assert end is not None
            candidate = local.replace(hour=end.hour, minute=end.minute, second=0,
                                      microsecond=0)
            local = candidate if candidate > local else candidate + datetime.timedelta(days=1)
            continue
        break
    return local if local != timezone.localtime(now) else now
