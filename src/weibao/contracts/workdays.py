"""Working days of mainland China for payment deadlines ("N working days after signing").

Uses the statutory holidays and adjusted workdays (调休) that ``chinesecalendar`` knows. A date
beyond its data gives ``None`` (shown as "not yet known"), never a guess.
"""

from __future__ import annotations

import datetime

import chinese_calendar

__all__ = ["nth_working_day_after"]


def nth_working_day_after(start: datetime.date, days: int) -> datetime.date | None:
    """The day the Nth working day after ``start`` falls on; ``start`` itself is not counted."""
    day, counted = start, 0
    try:
        while counted < days:
            day += datetime.timedelta(days=1)
            if chinese_calendar.is_workday(day):
                counted += 1
    except NotImplementedError:
        return None
    return day
