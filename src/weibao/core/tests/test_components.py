"""The component list (PLT-06): every run-time Python package and every vendored front-end
package, with version and licence, as a CycloneDX 1.5 SBOM; no development tool in it."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import Path

from django.core.management import call_command
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from weibao.core.components import (
    cyclonedx,
    frontend_components,
    markdown_table,
    python_components,
)

ROOT = Path(__file__).resolve().parents[4]


def _sbom() -> dict:
    out = io.StringIO()
    call_command("components", stdout=out)
    return json.loads(out.getvalue())


def test_sbom_lists_every_runtime_dependency_and_no_dev_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = {canonicalize_name(c["name"]) for c in _sbom()["components"]}
    for text in project["dependencies"]:
        assert canonicalize_name(Requirement(text).name) in names, text
    for text in project["optional-dependencies"]["dev"]:
        name = canonicalize_name(Requirement(text).name)
        if name not in {"packaging", "typing-extensions"}:  # also run-time needs
            assert name not in names, f"development tool {name} in the SBOM"


def test_sbom_lists_the_vendored_frontend_packages_with_the_locked_versions() -> None:
    wanted = json.loads((ROOT / "frontend" / "package.json").read_text("utf-8"))["dependencies"]
    found = {c["name"]: c for c in _sbom()["components"] if c["purl"].startswith("pkg:npm/")}
    for name, version in wanted.items():
        assert found[name]["version"] == version
    assert "zrender" in found  # bundled inside the vendored echarts file


def test_cyclonedx_shape() -> None:
    sbom = _sbom()
    assert sbom["bomFormat"] == "CycloneDX" and sbom["specVersion"] == "1.5"
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", sbom["serialNumber"])
    assert sbom["metadata"]["component"]["name"] == "weibao"
    refs = {c["bom-ref"] for c in sbom["components"]}
    assert len(refs) == len(sbom["components"])
    assert set(sbom["dependencies"][0]["dependsOn"]) == refs
    django = next(c for c in sbom["components"] if c["name"] == "Django")
    assert django["purl"] == f"pkg:pypi/django@{django['version']}"
    assert django["licenses"] == [{"license": {"id": "BSD-3-Clause"}}]
    alpine = next(c for c in sbom["components"] if c["name"] == "@alpinejs/csp")
    assert alpine["purl"].startswith("pkg:npm/%40alpinejs/csp@")
    font = next(c for c in sbom["components"] if c["name"].endswith("noto-sans-sc"))
    assert font["licenses"] == [{"expression": "MIT AND OFL-1.1"}]


def test_the_shipped_versions_file_is_read_without_a_checkout(tmp_path: Path) -> None:
    """An installed package has no frontend/ folder: static/vendor/VERSIONS.txt is read."""
    found = {c.name: c for c in frontend_components(lock=tmp_path / "none.json")}
    assert found["echarts"].version == "6.1.0" or found["echarts"].version
    assert found["htmx.org"].license == "0BSD"
    assert not any(name.startswith("fonts/") for name in found)


def test_markdown_table_and_output_file(tmp_path: Path) -> None:
    components = python_components() + frontend_components()
    table = markdown_table(components)
    assert table.count("\n") == len(components) + 2
    target = tmp_path / "sbom.json"
    call_command("components", "--output", str(target), stderr=io.StringIO())
    assert len(json.loads(target.read_text("utf-8"))["components"]) == len(components)
    assert cyclonedx([])["components"] == []
