"""Read and write spec YAML: dates stay text (the schema checks them) and numbers with a
fraction become Decimal, so amounts are exact to the fen."""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Any

import yaml

from weibao.contracts.spec.errors import SpecError, SpecInvalid

__all__ = ["dump_yaml", "load_yaml"]


class _SpecLoader(yaml.SafeLoader):
    pass


# Drop the implicit timestamp resolver so "2025-01-01" reaches the schema as text.
_SpecLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except ArithmeticError:
        return float(loader.construct_yaml_float(node))


_SpecLoader.add_constructor("tag:yaml.org,2002:float", _decimal)


def load_yaml(text: str) -> Any:
    try:
        data = yaml.load(text, Loader=_SpecLoader)  # noqa: S506  (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecInvalid([SpecError("(file)", "yaml", {"detail": f"{where}: {problem}"})]) from exc
    if not isinstance(data, dict):
        raise SpecInvalid([SpecError("(file)", "not_mapping")])
    return data


class _SpecDumper(yaml.SafeDumper):
    pass


# Write dates unquoted (2025-01-01): our loader reads them back as text.
_SpecDumper.yaml_implicit_resolvers = _SpecLoader.yaml_implicit_resolvers


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    if re.fullmatch(r"-?\d+", text):
        return dumper.represent_int(int(text))
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_enum(dumper: yaml.SafeDumper, value: enum.Enum) -> yaml.ScalarNode:
    return dumper.represent_str(str(value.value))


_SpecDumper.add_representer(Decimal, _represent_decimal)
# Model choices (TextChoices) are str enums; write their plain value.
_SpecDumper.add_multi_representer(enum.Enum, _represent_enum)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data, Dumper=_SpecDumper, allow_unicode=True, sort_keys=False, width=100,
        default_flow_style=False,
    )
