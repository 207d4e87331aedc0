"""Read and write spec YAML: dates stay text (the schema checks them) and numbers with a
fraction become Decimal, so amounts are exact to the fen."""

from __future__ import annotations

import enum
import re
from decimal import Decimal
from typing import Any

import yaml

from weibao.contracts.spec.errors import SpecError, SpecInvalid

__all__ = ["ALIAS_BUDGET", "ALIAS_TEXT_BUDGET", "dump_yaml", "load_yaml"]

#: How many values aliases (``*name``) may add to a file in all. Aliases share one composed
#: node, but everything after the loader (schema validation, error messages) walks the values
#: written out, so nested aliases ("billion laughs": 8 levels of 9) would cost minutes and
#: gigabytes. 50,000 is more than a 2 MB spec holds written out.
ALIAS_BUDGET = 50_000
#: Characters of text aliases may repeat in all (a long string aliased many times would be
#: copied into every message about it), about the size of the largest spec file.
ALIAS_TEXT_BUDGET = 2_000_000


class _AliasRefused(Exception):
    def __init__(self, code: str, line: int, limit: int = 0) -> None:
        super().__init__(code, line)
        self.code, self.line, self.limit = code, line, limit


class _SpecLoader(yaml.SafeLoader):
    """SafeLoader that counts what aliases expand to and refuses a file past the budget, and
    refuses an alias inside the value it names (a cycle has no end when written out)."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._alias_values = 0
        self._alias_text = 0
        self._open_anchors: set[str] = set()
        self._sizes: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:
                line = event.start_mark.line + 1 if event.start_mark else 0
                if event.anchor in self._open_anchors:
                    raise _AliasRefused("yaml_alias_cycle", line)
                values, text = self._size(target)
                self._alias_values += values
                self._alias_text += text
                if self._alias_values > ALIAS_BUDGET:
                    raise _AliasRefused("yaml_alias_budget", line, ALIAS_BUDGET)
                if self._alias_text > ALIAS_TEXT_BUDGET:
                    raise _AliasRefused("yaml_alias_text", line, ALIAS_TEXT_BUDGET)
            return super().compose_node(parent, index)
        anchor = getattr(event, "anchor", None)
        if anchor is None:
            return super().compose_node(parent, index)
        self._open_anchors.add(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open_anchors.discard(anchor)

    def _size(self, node: yaml.Node) -> tuple[int, int]:
        """Values and characters of text in ``node`` written out (memoised: shared nodes are
        counted once each)."""
        known = self._sizes.get(id(node))
        if known is not None:
            return known
        values, text = 1, 0
        if isinstance(node, yaml.ScalarNode):
            text = len(node.value)
        else:
            children = (node.value if isinstance(node, yaml.SequenceNode)
                        else [n for pair in node.value for n in pair])
            for child in children:
                child_values, child_text = self._size(child)
                values, text = values + child_values, text + child_text
        self._sizes[id(node)] = (values, text)
        return values, text


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
    except _AliasRefused as exc:
        raise SpecInvalid([SpecError("(file)", exc.code,
                                     {"line": exc.line, "limit": exc.limit})]) from None
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
