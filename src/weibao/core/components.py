"""The list of every open-source component weibao runs with (PLT-06): the Python packages its
installation requires (walked from weibao's own requirements, markers evaluated) and the
front-end packages vendored into ``static/vendor``, as a CycloneDX 1.5 SBOM or a table.

The front-end list is read from ``frontend/package-lock.json`` in a source checkout (it names the
packages bundled inside the vendored files too, e.g. zrender inside ECharts), else from the
``static/vendor/VERSIONS.txt`` the vendoring script writes and the package ships.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

__all__ = ["Component", "cyclonedx", "frontend_components", "markdown_table",
           "python_components"]

_PACKAGE = Path(__file__).resolve().parents[1]
_LOCK = _PACKAGE.parents[1] / "frontend" / "package-lock.json"
_VERSIONS = _PACKAGE / "static" / "vendor" / "VERSIONS.txt"


@dataclass(frozen=True)
class Component:
    ecosystem: str  # "pypi" or "npm"
    name: str
    version: str
    license: str  # an SPDX expression, or "" when the package declares none

    @property
    def purl(self) -> str:
        name = self.name.replace("@", "%40") if self.ecosystem == "npm" else self.name.lower()
        return f"pkg:{self.ecosystem}/{name}@{self.version}"


def _license(dist: metadata.Distribution) -> str:
    meta = dist.metadata  # a PackageMetadata: no .get() in its typed protocol
    expression = meta["License-Expression"] if "License-Expression" in meta else ""  # noqa: SIM401
    if expression:
        return str(expression).strip()
    declared = str(meta["License"] if "License" in meta else "").strip()  # noqa: SIM401
    if declared and "\n" not in declared and len(declared) <= 60 and declared.upper() != "UNKNOWN":
        return declared
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    return " OR ".join(dict.fromkeys(classifiers))


def python_components(root: str = "weibao") -> list[Component]:
    """The installed distributions ``root`` needs at run time (no extras), ``root`` excluded."""
    environment: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    seen: dict[str, Component] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = canonicalize_name(dist.metadata["Name"])
        if key in seen:
            continue
        seen[key] = Component("pypi", dist.metadata["Name"], dist.version, _license(dist))
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not requirement.marker.evaluate({**environment,
                                                                       "extra": ""}):
                continue
            pending.append(requirement.name)
    seen.pop(canonicalize_name(root), None)
    return sorted(seen.values(), key=lambda c: c.name.lower())


def frontend_components(lock: Path = _LOCK, versions: Path = _VERSIONS) -> list[Component]:
    """The vendored front-end packages (and those bundled inside them)."""
    found: list[Component] = []
    if lock.is_file():
        packages = json.loads(lock.read_text("utf-8")).get("packages", {})
        for path, info in packages.items():
            if not path.startswith("node_modules/"):
                continue
            name = path.rsplit("node_modules/", 1)[-1]
            found.append(Component("npm", name, str(info.get("version", "")),
                                   str(info.get("license") or "")))
    elif versions.is_file():
        for line in versions.read_text("utf-8").splitlines():
            match = re.match(r"^(\S+) (\S+)(?: (.+))?$", line)
            if match and not line.startswith(" "):
                found.append(Component("npm", match[1], match[2], (match[3] or "").strip()))
    return sorted(found, key=lambda c: c.name.lower())


def _weibao_version() -> str:
    try:
        return metadata.version("weibao")
    except metadata.PackageNotFoundError:
        return "0"


def cyclonedx(components: list[Component], now: datetime.datetime | None = None) -> dict[str, Any]:
    """A CycloneDX 1.5 JSON document listing ``components``."""
    moment = now or datetime.datetime.now(datetime.UTC)
    entries = []
    for component in components:
        entry: dict[str, Any] = {
            "type": "library", "bom-ref": component.purl, "name": component.name,
            "version": component.version, "purl": component.purl,
        }
        if component.license:
            key = "expression" if re.search(r" (AND|OR|WITH) ", component.license) else None
            entry["licenses"] = ([{"expression": component.license}] if key else
                                 [{"license": {"id": component.license}}
                                  if re.fullmatch(r"[A-Za-z0-9.+-]+", component.license)
                                  else {"license": {"name": component.license}}])
        entries.append(entry)
    return {
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "metadata": {
            "timestamp": moment.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "component": {"type": "application", "name": "weibao", "version": _weibao_version(),
                          "bom-ref": "weibao"},
        },
        "components": entries,
        "dependencies": [{"ref": "weibao", "dependsOn": [e["bom-ref"] for e in entries]}],
    }


def markdown_table(components: list[Component]) -> str:
    """The same list as a Markdown table (for the deliverable's appendix)."""
    lines = ["| ecosystem | component | version | licence |", "|---|---|---|---|"]
    for c in components:
        lines.append(f"| {c.ecosystem} | {c.name} | {c.version} | "
                     f"{c.license or '(not declared)'} |")
    return "\n".join(lines) + "\n"
