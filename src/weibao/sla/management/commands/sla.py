"""``weibao sla preview``: a hypothetical ticket against a contract's service levels."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from weibao.contracts.models import Contract
from weibao.contracts.spec.errors import SpecInvalid
from weibao.sla.evaluation import Pause, SlaError
from weibao.sla.services import PreviewInput, evaluation_to_dict, preview, spec_policy_from_text


def _when(text: str) -> datetime.datetime:
    try:
        value = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a time (e.g. 2025-09-30T16:45)") from None
    return value if value.tzinfo else value.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise CommandError(f"{what} {item!r}: write NAME=VALUE")
        name, value = item.split("=", 1)
        out[name.strip()] = value.strip()
    return out


class Command(BaseCommand):
    help = "Preview SLA due times for a hypothetical ticket (试算)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["preview"])
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--contract", help="unified contract number")
        source.add_argument("--spec", type=Path, help="a spec file not imported yet")
        parser.add_argument("--attr", action="append", default=[],
                            help="ticket attribute, e.g. area_class=urban (repeatable)")
        parser.add_argument("--site", default="",
                            help="code of a site of the contract; its area class is used "
                                 "unless --attr area_class=... is given")
        parser.add_argument("--event", action="append", default=[],
                            help="event time, e.g. reported=2025-09-30T16:45 (repeatable)")
        parser.add_argument("--pause", action="append", default=[],
                            help="START/END/STATE, END may be empty for an open pause")
        parser.add_argument("--update", action="append", default=[],
                            help="time of a recorded progress update, for recurring stages "
                                 "(repeatable)")
        parser.add_argument("--now", help="evaluate at this time (default: now)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--lang", default="zh-hans")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            self._preview(options)

    def _preview(self, options: dict[str, Any]) -> None:
        pauses = []
        for text in options["pause"]:
            parts = text.split("/")
            if len(parts) != 3:
                raise CommandError(f"--pause {text!r}: write START/END/STATE")
            pauses.append(Pause(_when(parts[0]), _when(parts[1]) if parts[1] else None,
                                parts[2]))
        ticket = PreviewInput(
            attributes=_pairs(options["attr"], "--attr"),
            events={k: _when(v) for k, v in _pairs(options["event"], "--event").items()},
            pauses=pauses, now=_when(options["now"]) if options["now"] else None,
            site=options["site"], updates=[_when(u) for u in options["update"]])
        try:
            if options["contract"]:
                contract = Contract.objects.filter(number=options["contract"]).first()
                if contract is None:
                    raise CommandError(f"no contract numbered {options['contract']}")
                source: Any = contract
            else:
                source = spec_policy_from_text(options["spec"].read_text(encoding="utf-8"))
            result = preview(source, ticket)
        except SpecInvalid as exc:
            raise CommandError("; ".join(exc.messages())) from exc
        except SlaError as exc:
            raise CommandError(str(exc)) from exc
        data = evaluation_to_dict(result)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        if data["fault_level"]:
            self.stdout.write(data["fault_level_reason"])
        for stage in data["stages"]:
            due = stage["due_at"] or "—"
            self.stdout.write(f"{stage['name']} [{stage['code']}]: {stage['status']}  due {due}")
            if stage["every"]:
                self.stdout.write(f"    updates {stage['updates']}, missed {stage['missed']}")
            for line in stage["explanation"]:
                self.stdout.write(f"    {line}")
        if data["provisional"]:
            self.stdout.write("(provisional calendar data involved)")
