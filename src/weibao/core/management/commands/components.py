"""``weibao components``: every open-source component weibao runs with, with version and
licence, as a CycloneDX 1.5 SBOM (the default) or a Markdown table (PLT-06)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from weibao.core.components import (
    cyclonedx,
    frontend_components,
    markdown_table,
    python_components,
)


class Command(BaseCommand):
    help = "List every component (Python and vendored front-end) as a CycloneDX SBOM or a table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["cyclonedx", "markdown"], default="cyclonedx")
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        components = python_components() + frontend_components()
        if options["format"] == "markdown":
            text = markdown_table(components)
        else:
            text = json.dumps(cyclonedx(components), ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, "utf-8")
            self.stderr.write(f"{len(components)} components → {options['output']}")
        else:
            self.stdout.write(text, ending="")
