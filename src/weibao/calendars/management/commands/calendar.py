"""``weibao calendar seed | import-year | compute`` — calendars on the command line."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.dateparse import parse_datetime

from weibao.calendars import services
from weibao.calendars.choices import YearStatus
from weibao.calendars.explain import day_reason
from weibao.calendars.models import HolidaySet
from weibao.calendars.selectors import compute_due, compute_elapsed
from weibao.calendars.worktime import CalendarError, Unit


class Command(BaseCommand):
    help = ("Refresh China's holidays from chinesecalendar, enter a year's State Council "
            "notice, or compute a due time.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lang", default=None,
                            help="Language of messages: zh-hans (default) or en.")
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="Fill missing or provisional years of 'cn' from "
                                           "the chinesecalendar package.")
        seed.add_argument("--force", action="store_true",
                          help="Overwrite official years too (corrections are lost).")
        imp = sub.add_parser("import-year", help="Enter a year from a text, CSV or YAML file.")
        imp.add_argument("set", help="Holiday set code, e.g. cn.")
        imp.add_argument("file", type=Path)
        imp.add_argument("--year", type=int, help="Default: the year of the first date.")
        imp.add_argument("--official", action="store_true",
                         help="The notice is published (default: provisional).")
        imp.add_argument("--source", default="", help="E.g. 国办发明电〔2026〕1号.")
        imp.add_argument("--replace", action="store_true",
                         help="Replace the year's days if it is already entered.")
        comp = sub.add_parser("compute", help="Due time: CODE START AMOUNT UNIT; elapsed "
                                              "time: CODE START END UNIT.")
        comp.add_argument("code")
        comp.add_argument("start", help="ISO time, e.g. 2025-09-30T16:45 (calendar's zone).")
        comp.add_argument("amount", help="A number, or an end time for the time elapsed.")
        comp.add_argument("unit", choices=[u.value for u in Unit])

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"] or "zh-hans"):
            getattr(self, "_" + options["action"].replace("-", "_"))(options)

    def _seed(self, options: dict[str, Any]) -> None:
        report = services.refresh_china_years(force=options["force"])
        self.stdout.write(f"created: {report.created or '-'}; updated: {report.updated or '-'}; "
                          f"kept: {len(report.kept)} official year(s); "
                          f"days written: {report.days_written}")

    def _import_year(self, options: dict[str, Any]) -> None:
        holiday_set = HolidaySet.objects.filter(code=options["set"]).first()
        if holiday_set is None:
            raise CommandError(f"no holiday set {options['set']}")
        path: Path = options["file"]
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        year = options["year"]
        if year is None:
            found = re.search(r"\b((?:19|20|21)\d\d)-\d\d-\d\d\b", text)
            if found is None:
                raise CommandError("give --year: the file has no date")
            year = int(found[1])
        status = YearStatus.OFFICIAL if options["official"] else YearStatus.PROVISIONAL
        try:
            row = services.import_holiday_year(
                holiday_set, year, text, status=status, source=options["source"],
                replace=options["replace"], filename=path.name)
        except services.YearFileInvalid as exc:
            for error in exc.errors:
                self.stderr.write(f"{path}: {error.message()}")
            raise CommandError(f"{len(exc.errors)} error(s); nothing was written") from None
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        count = holiday_set.days.filter(date__year=year).count()
        self.stdout.write(f"{holiday_set.code} {row.year}: {count} day(s), {row.status}")

    def _compute(self, options: dict[str, Any]) -> None:
        start = parse_datetime(options["start"])
        if start is None:
            raise CommandError(f"not a date and time: {options['start']}")
        unit = Unit(options["unit"])
        end = parse_datetime(options["amount"]) if "-" in options["amount"] else None
        try:
            if end is not None:
                elapsed = compute_elapsed(options["code"], start, end, unit)
                self.stdout.write(f"elapsed: {elapsed.value} {unit.value} "
                                  f"({float(elapsed.value):g})")
                result: Any = elapsed
            else:
                try:
                    amount = Decimal(options["amount"])
                except InvalidOperation:
                    raise CommandError(f"not a number: {options['amount']}") from None
                result = compute_due(options["code"], start, amount, unit)
                self.stdout.write(f"due: {result.value.isoformat()}")
        except CalendarError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"provisional: {'yes' if result.provisional else 'no'}")
        for note in result.explanation:
            self.stdout.write(f"  {note.day.isoformat()} {day_reason(note)}")
