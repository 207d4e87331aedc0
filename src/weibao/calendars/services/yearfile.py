"""Read a year of a holiday set from text lines, CSV or YAML, with per-line errors.

Text, one day (or a range of days) per line; ``#`` starts a comment::

    2027-01-01 holiday 元旦
    2027-02-06..2027-02-13 holiday 春节
    2027-02-07 adjusted_workday 春节调休
    2027-09-30 half_day 国庆节前 08:30-12:00

CSV: ``date,kind,name,segments`` (header optional; segments separated by spaces or ``;``).
YAML: a list of ``{date, kind, name, segments}`` (or ``{days: [...]}``).
Kinds: ``holiday`` (休), ``adjusted_workday`` (班), ``half_day``, ``custom``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.utils import translation
from django.utils.translation import gettext as _

from weibao.calendars.choices import DayType
from weibao.calendars.hours import check_day, split_segments
from weibao.calendars.worktime import CalendarError

__all__ = ["DayRow", "LineError", "parse_year_file"]

KIND_ALIASES: dict[str, str] = {
    **{kind: kind for kind in DayType.values},
    "休": DayType.HOLIDAY, "假": DayType.HOLIDAY, "放假": DayType.HOLIDAY,
    "workday": DayType.ADJUSTED_WORKDAY, "班": DayType.ADJUSTED_WORKDAY,
    "上班": DayType.ADJUSTED_WORKDAY, "调休": DayType.ADJUSTED_WORKDAY,
    "半天": DayType.HALF_DAY,
}
_SEGMENT_TOKEN = re.compile(r"([\d:]+-[\d:]+[,，;；]?)+")
_RANGE = re.compile(r"(\S+?)(?:\.\.|~|～)(\S+)")
_MAX_RANGE_DAYS = 31


@dataclass(frozen=True)
class DayRow:
    line: int
    date: datetime.date
    kind: str
    name: str
    segments: list[str] | None


@dataclass(frozen=True)
class LineError:
    """One rejected line; ``message(language)`` in Chinese (default) or English."""

    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    entry: bool = False  # YAML: an entry number, not a line

    def message(self, language: str | None = None) -> str:
        if language is None:
            return self._text()
        with translation.override(language):
            return self._text()

    def _text(self) -> str:
        texts = {
            "format": _("expected 'date kind [name] [hours]', got %(value)s"),
            "bad_date": _("%(value)s is not a date (YYYY-MM-DD)"),
            "outside_year": _("%(value)s is not in the year %(year)s"),
            "bad_range": _("%(value)s is not a range of at most 31 days"),
            "unknown_kind": _("%(value)s is not a day kind; use holiday, adjusted_workday, "
                              "half_day or custom"),
            "duplicate": _("%(value)s is already given on line %(first)s"),
            "segments": _("working hours invalid: %(detail)s"),
            "file": _("the file cannot be read: %(detail)s"),
            "empty": _("no days given"),
        }
        text = texts[self.code] % self.params
        if self.line == 0:
            return text
        where = (_("entry %(n)s") if self.entry else _("line %(n)s")) % {"n": self.line}
        return f"{where}: {text}"


class _Reader:
    def __init__(self, year: int) -> None:
        self.year = year
        self.rows: list[DayRow] = []
        self.errors: list[LineError] = []
        self.seen: dict[datetime.date, int] = {}
        self.entry = False

    def error(self, line: int, code: str, **params: Any) -> None:
        self.errors.append(LineError(line, code, params, entry=self.entry))

    def _date(self, line: int, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.error(line, "bad_date", value=str(value))
            return None

    def dates(self, line: int, value: Any) -> list[datetime.date]:
        match = _RANGE.fullmatch(str(value).strip()) if isinstance(value, str) else None
        if match is None:
            d = self._date(line, value)
            days = [] if d is None else [d]
        else:
            first, last = self._date(line, match[1]), self._date(line, match[2])
            if first is None or last is None:
                return []
            count = (last - first).days + 1
            if not 1 <= count <= _MAX_RANGE_DAYS:
                self.error(line, "bad_range", value=value)
                return []
            days = [first + datetime.timedelta(days=i) for i in range(count)]
        outside = [d for d in days if d.year != self.year]
        if outside:
            self.error(line, "outside_year", value=outside[0].isoformat(), year=self.year)
            return []
        return days

    def add(self, line: int, when: Any, kind: Any, name: Any, segments: Any) -> None:
        days = self.dates(line, when)
        kind_value = KIND_ALIASES.get(str(kind or "").strip().lower())
        if kind_value is None:
            self.error(line, "unknown_kind", value=str(kind or ""))
            return
        if isinstance(segments, list):
            segments = [str(s) for s in segments]
        try:
            segs = check_day(kind_value, segments)
        except CalendarError as exc:
            self.error(line, "segments", detail=str(exc))
            return
        for d in days:
            if d in self.seen:
                self.error(line, "duplicate", value=d.isoformat(), first=self.seen[d])
                continue
            self.seen[d] = line
            self.rows.append(DayRow(line, d, kind_value, str(name or "").strip()[:100], segs))

    # --- formats ----------------------------------------------------------------------------

    def text(self, text: str) -> None:
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            tokens = line.split()
            if len(tokens) < 2:
                self.error(number, "format", value=line)
                continue
            rest = tokens[2:]
            hours: list[str] = []
            while rest and _SEGMENT_TOKEN.fullmatch(rest[-1]):
                hours[:0] = split_segments(rest.pop())
            self.add(number, tokens[0], tokens[1], " ".join(rest), hours or None)

    def csv(self, text: str) -> None:
        reader = csv.reader(io.StringIO(text))
        for cells in reader:
            number = reader.line_num
            cells = [c.strip() for c in cells]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if number == 1 and cells[0].lower() == "date":
                continue
            if len(cells) < 2:
                self.error(number, "format", value=",".join(cells))
                continue
            cells += [""] * (4 - len(cells))
            self.add(number, cells[0], cells[1], cells[2], cells[3] or None)

    def yaml(self, text: str) -> None:
        self.entry = True
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            self.error(0, "file", detail=str(exc).splitlines()[0])
            return
        if isinstance(data, dict):
            data = data.get("days")
        if not isinstance(data, list):
            self.error(0, "file", detail="expected a list of days")
            return
        for number, item in enumerate(data, start=1):
            if not isinstance(item, dict) or "date" not in item or "kind" not in item:
                self.error(number, "format", value=repr(item)[:60])
                continue
            self.add(number, item["date"], item["kind"], item.get("name"), item.get("segments"))


def parse_year_file(text: str, year: int, *, filename: str = "",
                    ) -> tuple[list[DayRow], list[LineError]]:
    """The days of ``year`` in ``text``, and every problem found (nothing is written here)."""
    reader = _Reader(year)
    suffix = filename.lower().rsplit(".", 1)[-1] if "." in filename else ""
    if suffix in {"yaml", "yml"}:
        reader.yaml(text)
    elif suffix == "csv" or text.lstrip().lower().startswith("date,"):
        reader.csv(text)
    else:
        reader.text(text)
    return reader.rows, reader.errors
